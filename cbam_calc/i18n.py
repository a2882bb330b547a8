"""Labels of reports and messages in English and Chinese (``--lang en|zh``).

Column names of the user's input are never translated: they are kept as given.
"""

from __future__ import annotations

LANGS = ("en", "zh")

LABELS: dict[str, tuple[str, str]] = {
    "title": ("CBAM cost report", "CBAM 成本报告"),
    "file": ("Input file", "输入文件"),
    "sheet": ("Sheet", "工作表"),
    "rows_read": ("Rows read", "读取行数"),
    "lines": ("Lines computed", "已计算行数"),
    "rejected": ("Rows rejected", "拒绝行数"),
    "net_mass_t": ("Net mass, t", "净重（吨）"),
    "electricity_mwh": ("Electricity, MWh", "电力（兆瓦时）"),
    "embedded_tco2e": ("Embedded emissions, tCO2e", "隐含排放（tCO2e）"),
    "free_allocation_tco2e": ("Free allocation adjustment, tCO2e", "免费配额调整（tCO2e）"),
    "art9_reduction_tco2e": (
        "Art 9 reduction (carbon price paid), tCO2e",
        "第9条扣减（已付碳价，tCO2e）",
    ),
    "certificates": ("CBAM certificates to surrender", "应缴 CBAM 证书（张，每张1吨CO2e）"),
    "certificates_short": ("certificates", "证书"),
    "cost_eur": ("CBAM cost, EUR", "CBAM 成本（欧元）"),
    "eur_per_t": ("EUR per tonne of goods", "每吨产品欧元"),
    "sector": ("Sector", "行业"),
    "cn_code": ("CN code", "CN 编码"),
    "description": ("Description", "商品描述"),
    "by_sector": ("By sector", "按行业"),
    "by_cn_code": ("By CN code", "按 CN 编码"),
    "total": ("Total", "合计"),
    "assumptions": ("Assumptions", "假设条件"),
    "years": ("Year(s) of import", "进口年份"),
    "year_override": ("Computed as if imported in", "按以下年份进口计算"),
    "cbam_factor": (
        "CBAM factor (share of free allocation remaining)",
        "CBAM 系数（剩余免费配额比例）",
    ),
    "cscf": ("Cross-sectoral correction factor (CSCF)", "跨行业修正系数（CSCF）"),
    "provisional": ("provisional: no published value loaded", "暂定：尚未载入官方数值"),
    "art9_track": ("Art 9 track", "第9条计算路径"),
    "art9_status": ("Art 9 status", "第9条法律状态"),
    "prices": ("Certificate prices used", "使用的证书价格"),
    "price_override": ("Certificate price given by the user", "用户指定的证书价格"),
    "de_minimis": ("De minimis (50 t, Art 2a)", "微量豁免（50吨，第2a条）"),
    "exempt": ("exempt", "豁免"),
    "not_exempt": ("not exempt", "不豁免"),
    "warnings": ("Notes and warnings", "说明与警告"),
    "draft": ("DRAFT rules in force", "采用的草案规则"),
    "version": ("cbam-calc version", "cbam-calc 版本"),
    "reference_sha": ("Reference data SHA-256", "参考数据 SHA-256"),
    "input_sha": ("Input SHA-256", "输入文件 SHA-256"),
    "row": ("Row", "行"),
    "column": ("Column", "列"),
    "value": ("Value", "值"),
    "reason": ("Reason", "原因"),
    "parameter": ("Parameter", "参数"),
    "key": ("Key", "键"),
    "unit": ("Unit", "单位"),
    "status": ("Status", "状态"),
    "source": ("Source", "来源"),
    "effective_from": ("Effective from", "生效日期"),
    "period": ("Period", "期间"),
    "price": ("Price, EUR/tCO2e", "价格（欧元/tCO2e）"),
    "chart_cost_by_sector": ("CBAM cost by sector, EUR", "各行业 CBAM 成本（欧元）"),
    "not_legal_advice": (
        "Estimate for planning. Not legal advice; the Official Journal prevails. Art 9 figures rest "
        "on a draft act.",
        "仅供规划参考的估算，不构成法律意见；以欧盟官方公报为准。第9条数字基于草案。",
    ),
    "rejected_rows": ("Rejected rows", "被拒绝的行"),
    "factor_short": ("CBAM factor", "CBAM 系数"),
    "art9_short": ("Art 9", "第9条"),
    "draft_short": ("DRAFT", "草案"),
    "more_rejected": (
        "… and {n} more: all are in the Rejected sheet of -o report.xlsx",
        "……另有 {n} 行：全部列在 -o report.xlsx 的 Rejected 工作表中",
    ),
    "computed_lines": (
        "{lines} lines computed, {rejected} rejected, of {rows} rows read",
        "读取 {rows} 行：已计算 {lines} 行，拒绝 {rejected} 行",
    ),
}

SECTOR_NAMES: dict[str, tuple[str, str]] = {
    "iron_steel": ("Iron and steel", "钢铁"),
    "aluminium": ("Aluminium", "铝"),
    "cement": ("Cement", "水泥"),
    "fertilisers": ("Fertilisers", "化肥"),
    "hydrogen": ("Hydrogen", "氢"),
    "electricity": ("Electricity", "电力"),
}


def label(key: str, lang: str = "en", **fmt: object) -> str:
    en, zh = LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


def sector_name(sector: str, lang: str = "en") -> str:
    en, zh = SECTOR_NAMES.get(sector, (sector, sector))
    return zh if lang == "zh" else en
