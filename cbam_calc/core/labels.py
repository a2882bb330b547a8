"""Labels of reports in English and Chinese (``--lang en|zh``): the reports' own words, asked for by
key. Long because: it is the one table of every report's words, both languages side by side, so
a translator reviews them in one place (headings, column headers, sector names, price statuses,
the scenario workbook's sheets and charts). What results carry (warnings, reasons of rejected
rows) are messages: :mod:`cbam_calc.core.messages`. Column names of the user's input are never
translated: they are kept as given.
"""

from __future__ import annotations

LANGS = ("en", "zh")

LABELS: dict[str, tuple[str, str]] = {
    "title": ("CBAM cost report", "CBAM 成本报告"),
    # --currency CNY (outputs/display_currency.py): DISPLAY rates, not the Art 9 rate
    "dc_heading": ("Cost in {currency} at display rates", "按展示汇率折算的{currency}成本"),
    "dc_total": ("CBAM cost ({currency}, display rate)", "CBAM 成本（{currency}，展示汇率）"),
    "dc_sector_cost": ("{sector} ({currency})", "{sector}（{currency}）"),
    "dc_period": ("Price period", "证书价格期间"),
    "dc_rate_period": ("ECB mean of", "欧洲央行均值期间"),
    "dc_rate": ("DISPLAY rate ({currency} per EUR)", "展示汇率（{currency}/欧元）"),
    "dc_status": ("Rate status", "汇率状态"),
    "dc_lines": ("Lines", "行数"),
    "dc_cost_eur": ("Cost (EUR)", "成本（欧元）"),
    "dc_cost": ("Cost ({currency})", "成本（{currency}）"),
    # cbam batch --currency CNY: the Members and By sector tables' column (outputs.tables)
    "cost_cny_display": ("CBAM cost, CNY (display rate)", "CBAM 成本（人民币，展示汇率）"),
    "error_prefix": ("error: ", "错误："),  # a fatal error as the command line prints it
    "batch_header": ("batch: ", "批量计算："),  # cbam batch's first line: "batch: <where>"
    "batch_final_line": (
        "{files} files ({failed} failed), {lines} lines, {rejected} rejected, {seconds} s",
        "{files} 个文件（{failed} 个失败），{lines} 行，拒绝 {rejected} 行，用时 {seconds} 秒",
    ),
    "batch_more_rows": (
        "... {n} more (all in -o workbook and --format json)",
        "……另有 {n} 行（全部见 -o 工作簿和 --format json）",
    ),
    # the carbon price paid abroad by instrument (issue 16; Art 9 DRAFT)
    "instruments_heading": (
        "Carbon price paid abroad, by instrument (Art 9, DRAFT)",
        "境外已付碳价（按碳定价工具，第9条，草案）",
    ),
    "instrument": ("Instrument", "碳定价工具"),
    "mechanism": ("Mechanism", "碳定价机制"),
    "treatment": ("Treatment (draft Art 9)", "处理方式（第9条草案）"),
    "instrument_lines": ("Lines", "行数"),
    "recognised_deducted_eur": ("Recognised, deducted, EUR", "认可并扣减金额（欧元）"),
    "recognised_not_deducted_eur": ("Recognised, not deducted, EUR", "认可但未扣减金额（欧元）"),
    "unrecognised_eur": ("Not recognised, EUR", "未认可金额（欧元）"),
    "instrument_reduction": ("Art 9 reduction, tCO2e", "第9条扣减（tCO2e）"),
    "price_state": ("Price paid under Art 9", "已付碳价在第9条下的处理"),
    "rule_source": ("Source of the rule", "规则来源"),
    "instrument_unnamed": ("not named (binding carbon price)", "未注明（强制性碳价）"),
    "instruments_draft": (
        "Art 9 rests on a DRAFT implementing act of {date} ({doc}), not law; the reduction is that "
        "of the actual track (the price paid): the price recognised on other lines is not deducted",
        "第9条依据的是 {date} 的实施条例草案（{doc}），尚非法律；扣减为实际路径（已付碳价）的扣减："
        "其他行上获认可的碳价不予扣减",
    ),
    "carbon_pricing_instrument": ("carbon pricing instrument", "碳定价工具"),
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
    "skip_hidden": (
        "Rows hidden or filtered out in workbooks: left out (--skip-hidden)",
        "工作簿中隐藏或筛选掉的行：已排除（--skip-hidden）",
    ),
    "cbam_factor": (
        "CBAM factor (share of free allocation remaining)",
        "CBAM 系数（剩余免费配额比例）",
    ),
    "cscf": ("Cross-sectoral correction factor (CSCF)", "跨行业修正系数（CSCF）"),
    "cscf_projection": ("{years}: projection, no value set by law", "{years}：预测值，法律未设定"),
    "cscf_law": ("law", "法定"),
    "art9_track": ("Art 9 track", "第9条计算路径"),
    "art9_status": ("Art 9 status", "第9条法律状态"),
    "prices": ("Certificate prices used", "使用的证书价格"),
    "columns_mapped": ("Input columns read as named (--column)", "按指定读取的输入列（--column）"),
    "import_date_estimated": (
        "Import date ESTIMATED (--from-export-date)",
        "进口日期为估算值（--from-export-date）",
    ),
    "export_plus_days": (
        "export date + {days} days of transit, where no import date is given",
        "未给出进口日期时，按出口日期加 {days} 天运输时间估算",
    ),
    "price_override": ("Certificate price given by the user", "用户指定的证书价格"),
    "de_minimis": ("De minimis ({threshold:g} t, Art 2a)", "微量豁免（{threshold:g}吨，第2a条）"),
    "exempt": ("exempt", "豁免"),
    "not_exempt": ("not exempt", "不豁免"),
    "warnings": ("Notes and warnings", "说明与警告"),
    "draft": ("DRAFT rules in force", "采用的草案规则"),
    "version": ("cbam-calc version", "cbam-calc 版本"),
    "reference_sha": ("Reference data SHA-256", "参考数据 SHA-256"),
    "reference_as_of": ("Reference data as of", "参考数据截至"),
    # who and when a report is of (outputs/prepared.py)
    "prepared": ("Prepared", "报告信息"),
    "exporter": ("Exporter", "出口商"),
    "installations": ("Installation(s)", "生产设施"),
    "installations_more": ("and {n} more", "另有 {n} 个"),
    "period_covered": ("Period covered", "涵盖期间"),
    "period_value": (
        "{first} to {last} (import dates; year(s) {years})",
        "{first} 至 {last}（进口日期；{years} 年）",
    ),
    "date_prepared": ("Date prepared", "编制日期"),
    "reference_undated": ("{n} file(s) with no update date: {files}", "{n} 个文件未注明更新日期：{files}"),
    "reference_as_of_hint": ("cbam data lists each table and parameter", "cbam data 列出每个表格和参数"),
    "input_sha": ("Input SHA-256", "输入文件 SHA-256"),
    "encoding": ("Text encoding", "文本编码"),
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
        "… and {n} more: all are in the {sheet} sheet of {report}",
        "……另有 {n} 行：全部列在 {report} 的 {sheet} 工作表中",
    ),
    "more_rejected_no_report": (
        "… and {n} more: add -o report.xlsx to list them all in its {sheet} sheet",
        "……另有 {n} 行：加上 -o report.xlsx，全部列在其 {sheet} 工作表中",
    ),
    "computed_lines": (
        "{lines} lines computed, {rejected} rejected, of {rows} rows read",
        "读取 {rows} 行：已计算 {lines} 行，拒绝 {rejected} 行",
    ),
    # report tables, HTML report and batch (cbam report, cbam batch)
    "lines_short": ("Lines", "行数"),
    "country": ("Country of origin", "原产国"),
    "installation": ("Installation", "生产设施"),
    "importer": ("Importer", "进口商"),
    "member": ("Member", "会员"),
    "year": ("Year", "年份"),
    "rank_cost": ("Rank by levy", "按成本排名"),
    "rank_eur_per_t": ("Rank by EUR/t", "按每吨成本排名"),
    "files_count": ("Files", "文件数"),
    "no_importer": ("(no importer given)", "（未填进口商）"),
    "no_installation": ("(no installation given)", "（未填生产设施）"),
    "by_country": ("By country of origin", "按原产国"),
    "by_importer": ("By importer", "按进口商"),
    "by_installation": ("By installation", "按生产设施"),
    "by_member": ("Members, ranked by levy", "会员（按成本排名）"),
    "by_product": ("Products (CN codes), ranked by levy", "产品（CN 编码，按成本排名）"),
    "by_year": ("By year of import", "按进口年份"),
    "chart_cost_by_cn": ("CBAM cost by CN code, EUR", "各 CN 编码 CBAM 成本（欧元）"),
    "chart_cost_by_country": ("CBAM cost by country of origin, EUR", "各原产国 CBAM 成本（欧元）"),
    "chart_cost_by_importer": ("CBAM cost by importer, EUR", "各进口商 CBAM 成本（欧元）"),
    "chart_cost_by_installation": ("CBAM cost by installation, EUR", "各生产设施 CBAM 成本（欧元）"),
    "chart_cost_by_member": ("CBAM cost by member, EUR", "各会员 CBAM 成本（欧元）"),
    "chart_eur_per_t_by_member": ("EUR per tonne of goods, by member", "各会员每吨产品成本（欧元）"),
    "chart_cost_by_product": ("CBAM cost by product (CN code), EUR", "各产品（CN 编码）CBAM 成本（欧元）"),
    "chart_top": ("the {n} highest of {total}", "前 {n} 项，共 {total} 项"),
    "headline": ("Headline figures", "主要数字"),
    "lines_table": ("Lines", "明细行"),
    # the HTML page is a report, not a data dump: a long table shows its first rows and says where
    # every row is ({command}: how to write that workbook; {sheet}: the sheet's name in the language)
    "html_first_rows": (
        "The first {shown:,} of {total:,} rows are shown here; all of them are in the {sheet} sheet "
        "of the workbook ({command}).",
        "此处显示前 {shown:,} 行，共 {total:,} 行；全部列在工作簿的 {sheet} 工作表中（{command}）。",
    ),
    "html_top_rows": (
        "The {shown:,} of {total:,} with the highest CBAM cost are shown here; all of them are in the "
        "{sheet} sheet of the workbook ({command}).",
        "此处显示 CBAM 成本最高的 {shown:,} 项，共 {total:,} 项；"
        "全部列在工作簿的 {sheet} 工作表中（{command}）。",
    ),
    "html_first_lines": (
        "The first {shown:,} of {total:,} lines are shown here; all of them are in the {sheet} sheet of "
        "the workbook ({command}) and in the table that cbam calc FILE --lines-out lines.csv writes.",
        "此处显示前 {shown:,} 行，共 {total:,} 行；全部列在工作簿的 {sheet} 工作表中（{command}），"
        "也可用 cbam calc 文件 --lines-out lines.csv 写出全部明细行。",
    ),
    "html_more_items": (
        "… and {n:,} more: all of them are in the {sheet} sheet of the workbook ({command}).",
        "……另有 {n:,} 项：全部列在工作簿的 {sheet} 工作表中（{command}）。",
    ),
    "xlsx_command_calc": ("cbam report FILE -o report.xlsx", "cbam report 文件 -o report.xlsx"),
    "xlsx_command_batch": ("cbam batch FOLDER -o batch.xlsx", "cbam batch 文件夹 -o batch.xlsx"),
    "parameters": ("Parameters used, with their sources", "使用的参数及来源"),
    "threshold": ("Threshold, t", "门槛（吨）"),
    "annex_i_mass": ("Annex I goods, t", "附件一货物（吨）"),
    "outcome": ("Outcome", "结果"),
    "batch_title": ("CBAM cost report, consolidated", "CBAM 成本汇总报告"),
    "batch_of": ("{files} files in {where}", "{where} 中的 {files} 个文件"),
    "files": ("Files", "文件"),
    "failed_files": ("Files that could not be computed", "无法计算的文件"),
    "file_status": ("Status", "状态"),
    "status_ok": ("computed", "已计算"),
    "status_failed": ("failed", "失败"),
    "status_duplicate": ("duplicate", "重复"),
    "files_duplicate": ("{n} duplicate(s) of another file, not counted", "{n} 个与其他文件重复，未计入"),
    "message": ("Message", "信息"),
    "files_summary": (
        "{files} files: {ok} computed, {failed} failed; "
        "{lines} lines computed, {rejected} rejected, of {rows} rows read",
        "{files} 个文件：{ok} 个已计算，{failed} 个失败；"
        "读取 {rows} 行，已计算 {lines} 行，拒绝 {rejected} 行",
    ),
    "batch_lines_by_source": (
        "SEE of the lines computed: shipment files {shipment}, communication templates {template} "
        "(from {used} of {given} templates), default values {default}",
        "已计算行的隐含排放数据来源：发货表 {shipment} 行，通报模板 {template} 行"
        "（使用了 {given} 个模板中的 {used} 个），默认值 {default} 行",
    ),
    "batch_template_row": ("Template", "通报模板"),
    "rejected_capped": (
        "At most {cap} rejected rows per file are listed; {total} were rejected in all "
        "(cbam report FILE lists every one).",
        "每个文件最多列出 {cap} 行被拒绝的行；共拒绝 {total} 行（cbam report 文件 可列出全部）。",
    ),
    "importers_exempt": ("importers exempt", "豁免的进口商"),
    "importers_not_exempt": ("not exempt", "不豁免"),
    "top_members": ("Members ranked by levy", "会员按成本排名"),
    "top_products": ("Products ranked by levy", "产品按成本排名"),
    "warning_files": ("{n} file(s)", "{n} 个文件"),
    "sha": ("SHA-256", "SHA-256"),
    "report_of": ("Report of", "报告对象"),
    "de_minimis_off": (
        "not applied (--de-minimis off): every line priced",
        "未适用（--de-minimis off）：所有行均计价",
    ),
    # de minimis is a conditional: a file holds one supplier's share of an importer's imports
    "exempt_if": (
        "exempt if this importer's imports of CBAM goods in {year}, from all suppliers, stay at or "
        "under {threshold:g} t ({scope}: {mass:,.1f} t)",
        "若该进口商{year}年从所有供应商进口的CBAM货物合计不超过{threshold:g}吨，则豁免（{scope}：{mass:,.1f}吨）",
    ),
    "not_exempt_over": (
        "not exempt: {mass:,.1f} t in {scope}, over {threshold:g} t",
        "不豁免：{scope}已有{mass:,.1f}吨，超过{threshold:g}吨",
    ),
    "de_minimis_choice": ("De minimis applied (--de-minimis)", "微量豁免适用方式（--de-minimis）"),
    "de_minimis_mode_on": ("on: each importer's tonnes in this file", "on：按本文件中各进口商的吨数判断"),
    "de_minimis_mode_importer": (
        "importer: each importer's total over every file of the batch (matched by EORI, else by name)",
        "importer：按各进口商在本批次全部文件中的合计判断（按EORI匹配，否则按名称）",
    ),
    "de_minimis_mode_per-file": ("per-file: each file on its own", "per-file：每个文件单独判断"),
    "de_minimis_mode_off": ("off: every line priced", "off：所有行均计价"),
    "scope_file": ("this file", "本文件"),
    "scope_batch": ("this batch", "本批次"),
    "de_minimis_members": ("Members summed", "合计的会员"),
    "eur_per_t_before_exemption": ("EUR per tonne before de minimis", "微量豁免前每吨欧元"),
    "art9_reference_prices": ("Art 9 reference prices P_ref, EUR/tCO2e", "第9条参考价格 P_ref（欧元/tCO2e）"),
    "fx_used": ("Exchange rates used, units per EUR", "使用的汇率（每欧元）"),
    "default_carbon_prices": ("Default carbon prices given", "指定的默认碳价"),
    "benchmark_projection": (
        "Benchmarks after 2030 projected (2028-2030 values) for",
        "2030年后基准值为预测（沿用2028-2030年数值）的年份",
    ),
    # cbam emissions: what was read from installations' communication templates
    "tpl_template": ("communication template v{version}", "通讯模板 v{version}"),
    "tpl_installation": ("Installation", "设施"),
    "tpl_period": ("Reporting period", "报告期"),
    "tpl_no_products": ("no product rows (a blank template)", "无产品行（空白模板）"),
    "tpl_row": ("row", "行"),
    "tpl_cn_code": ("CN code", "CN 编码"),
    "tpl_product": ("product", "产品"),
    "tpl_process": ("process", "生产工艺"),
    "tpl_see_direct": ("SEE direct", "直接 SEE"),
    "tpl_see_indirect": ("SEE indirect", "间接 SEE"),
    "tpl_see_total": ("SEE total", "SEE 合计"),
    "tpl_default_share": ("default share", "默认值占比"),
    "tpl_electricity": ("MWh/t", "电力 MWh/t"),
    "tpl_cp_due": ("CP due", "应付碳价"),
    "tpl_currency": ("currency", "币种"),
    "tpl_rebate": ("rebate", "返还"),
    "tpl_effective_cp": ("effective CP due", "有效应付碳价"),
    "tpl_route": ("route", "路线"),
    "tpl_qualifying": ("qualifying parameters", "限定参数"),
    "tpl_cells": ("cells (sheet {sheet}, in the row shown)", "单元格（工作表 {sheet}，所示行）"),
    "tpl_skipped": ("Skipped", "已跳过"),
    "tpl_failed": ("Not read", "未读取"),
    "tpl_none": ("no communication template found", "未找到通讯模板"),
    "tpl_read": ("{n} template(s) read, {products} product row(s)", "已读取 {n} 个模板，{products} 个产品行"),
    # cbam report --for-importer (outputs/importer_report.py): what the declarant needs from its supplier
    "imp_title": (
        "Embedded emissions of the goods supplied, for the EU declarant",
        "供货货物的隐含排放（供欧盟申报人使用）",
    ),
    "imp_intro": (
        "Per installation and CN code, in the order of the product table of the Commission's communication "
        "template for installations (Summary_Communication); actual and default data on separate rows.",
        "按生产设施和 CN 编码列示，列顺序与欧盟委员会《设施通讯模板》产品表（Summary_Communication）一致；"
        "实际数据与默认值分行列示。",
    ),
    "imp_rows": ("Product rows", "产品行数"),
    "imp_notes": ("Notes", "说明"),
    "imp_sources": ("Legal sources", "法律依据"),
    "imp_installation_unnamed": ("(installation not named)", "（未注明生产设施）"),
    "imp_installation": ("Installation", "生产设施"),
    "imp_route": ("Production route", "生产路线"),
    "imp_data": ("Emissions data (actual or default)", "排放数据（实际或默认）"),
    "imp_quantity": ("Quantity, t (MWh for electricity)", "数量（吨；电力为兆瓦时）"),
    "imp_evidence": ("Carbon price evidence", "碳价证明状态"),
    "imp_embedded": ("Embedded emissions that count, tCO2e", "计入的隐含排放（tCO2e）"),
    "imp_certificates": ("CBAM certificates, tCO2e", "CBAM 证书（tCO2e）"),
    "imp_lines": ("Lines", "行数"),
    "imp_total": ("Total", "合计"),
    # the template's own columns (the English header is the template's, from the data file)
    "imp_cn_code": ("CN Codes", "CN 编码"),
    "imp_cn_name": ("CN Name", "CN 名称"),
    "imp_see_direct": ("SEE (direct)", "单位直接隐含排放（SEE，直接）"),
    "imp_see_indirect": ("SEE (indirect)", "单位间接隐含排放（SEE，间接）"),
    "imp_see_total": ("SEE (total)", "单位隐含排放合计（SEE，合计）"),
    "imp_unit": ("Unit", "单位"),
    "imp_default_share": ("Share of emissions by default value", "按默认值计的排放比例"),
    "imp_cp_instrument": ("Type of instrument (carbon pricing)", "碳定价工具类型"),
    "imp_cp_currency": ("Currency", "币种"),
    "imp_effective_cp_due": (
        "Result: Effective CP due (per produced t or MWh)",
        "结果：有效应付碳价（每吨产品或每兆瓦时）",
    ),
    "imp_data_actual": ("actual", "实际"),
    "imp_data_default": ("default", "默认"),
    "imp_evidence_evidenced": ("evidenced", "已证明"),
    "imp_evidence_not_evidenced": ("not evidenced", "未证明"),
    "imp_evidence_partly": ("partly evidenced", "部分已证明"),
    "imp_evidence_none": ("none", "无"),
    "imp_src_see": ("Embedded emissions, SEE", "隐含排放与单位隐含排放（SEE）"),
    "imp_src_direct_only": ("Annex II goods: direct emissions only", "附件II货物：仅计直接排放"),
    "imp_src_defaults": ("Default values", "默认值"),
    "imp_src_price": ("Carbon price paid (DRAFT)", "已付碳价（草案）"),
    "imp_src_certificates": ("CBAM certificates", "CBAM 证书"),
    "imp_src_template": ("Column order and headers", "列顺序与表头"),
    # by period and actual against default (issue 14: what exporters asked for; outputs.period_saving)
    "ps_by_period": ("Certificates and cost by period", "按期间的证书与成本"),
    "ps_actual_vs_default": (
        "Actual data against default values, by CN code",
        "实际数据与默认值对比（按 CN 编码）",
    ),
    "ps_sheet_period": ("By period", "按期间"),
    "ps_sheet_saving": ("Actual vs default", "实际与默认对比"),
    # sheet names of the calc, batch and importer workbooks (cbam_calc.core.sheets maps each sheet's
    # key to these; By period and Actual vs default are the two above). Excel: 31 characters at
    # most, none of []:*?/\ ; "Run" is the run record's, the same in every language (core/sheets.py)
    "sheet_summary": ("Summary", "摘要"),
    "sheet_lines": ("Lines", "明细行"),
    "sheet_by_sector": ("By sector", "按行业"),
    "sheet_by_cn_code": ("By CN code", "按 CN 编码"),
    "sheet_by_country": ("By country", "按原产国"),
    "sheet_by_importer": ("By importer", "按进口商"),
    "sheet_by_installation": ("By installation", "按生产设施"),
    "sheet_rejected": ("Rejected", "被拒绝的行"),
    "sheet_parameters": ("Parameters", "参数"),
    "sheet_members": ("Members", "会员"),
    "sheet_products": ("Products", "产品"),
    "sheet_de_minimis": ("De minimis", "微量豁免"),
    "sheet_files": ("Files", "文件"),
    "sheet_cover": ("Cover", "封面"),
    "sheet_notes": ("Notes", "说明"),
    "sheet_run": ("Run", "Run"),
    # the first line of cbam calc --check (its differences and notes are English still)
    "check_match": ("{report}: the figures match", "{report}：数据与重新计算的结果一致"),
    "check_no_match": ("{report}: the figures do NOT match", "{report}：数据与重新计算的结果不一致"),
    # the Rejected sheet's column of message codes: "code" in English, as programs read it
    "rejected_code": ("code", "原因代码"),
    "ps_period": ("Period", "期间"),
    "ps_lines": ("Lines", "行数"),
    "ps_certificates": ("Certificates", "证书（tCO2e）"),
    "ps_cost_eur": ("Cost, EUR", "成本（欧元）"),
    "ps_eur_per_certificate": ("EUR per certificate", "每张证书欧元"),
    "ps_price_status": ("Price status", "价格状态"),
    "ps_cost_cny": ("Cost, CNY (display rate)", "成本（人民币，展示汇率）"),
    "ps_display_rate_cny_per_eur": ("DISPLAY rate, CNY per EUR", "展示汇率（人民币/欧元）"),
    "ps_display_rate_status": ("Rate status", "汇率状态"),
    "ps_projection_mark": (" (PROJECTION)", "（预测）"),
    "ps_cn_code": ("CN code", "CN 编码"),
    "ps_description": ("Description", "商品描述"),
    "ps_net_mass_t": ("Net mass, t", "净重（吨）"),
    "ps_default_see_tco2e_per_t": ("Default SEE, tCO2e/t", "默认 SEE（tCO2e/吨）"),
    "ps_actual_see_tco2e_per_t": ("Actual SEE, tCO2e/t", "实际 SEE（tCO2e/吨）"),
    "ps_default_certificates": ("Certificates on default", "按默认值的证书"),
    "ps_default_cost_eur": ("Cost on default, EUR", "按默认值的成本（欧元）"),
    "ps_saving_eur": ("Saving, EUR", "实际数据节省（欧元）"),
    "ps_saving_eur_per_t": ("Saving, EUR/t", "每吨节省（欧元/吨）"),
    "ps_period_method": (
        "2026: the quarter of import at its quarterly price; from 2027: the month of import, each "
        "line at the weekly price of its week, summed (Regulation (EU) 2023/956 Art 21, IR 2025/2548)",
        "2026年：按进口季度及其季度价格；2027年起：按进口月份，每行按其所在周的周价格计算后加总"
        "（Regulation (EU) 2023/956 Art 21，IR 2025/2548：CBAM 条例第21条及证书价格实施条例）",
    ),
    "ps_projection_note": (
        "PROJECTION: a price of these periods is not yet published (or is a user path)",
        "预测：这些期间的价格尚未公布（或为用户提供的价格路径）",
    ),
    "ps_saving_method": (
        "Lines with actual data computed again on the default values they would take (IR 2025/2621 "
        "as amended by IR 2026/1740, mark-up of the year), the Column B benchmark (IR 2025/2620 Eq 6) "
        "and the Art 9 default track (DRAFT); saving = cost on default values - cost, after de minimis",
        "将使用实际数据的行按其本应采用的默认值重新计算（IR 2025/2621，经 IR 2026/1740 修订，含当年加成）、"
        "B 列基准值（IR 2025/2620 Eq 6）及第9条默认路径（草案）；节省 = 按默认值的成本 - 成本（微量豁免后）",
    ),
    "ps_negative": (
        "Negative saving: actual data cost more than default values for {codes}",
        "负节省：{codes} 的实际数据成本高于默认值",
    ),
    # cbam scenario's workbook and text (outputs/scenario_report.py): headers, sheets, charts
    "scen_title": (
        "CBAM scenarios: EU levy and domestic carbon cost",
        "CBAM 情景分析：欧盟碳关税与国内碳成本",
    ),
    "scen_years_of": (
        "{n} scenario(s), years {years}; * = baseline",
        "{n} 个情景，年份 {years}；* = 基准情景",
    ),
    "scen_baseline_mark": ("* = baseline", "* = 基准情景"),
    "scen_scenario": ("Scenario", "情景"),
    "scen_scenarios": ("Scenarios (same figures)", "情景（数字相同者合并）"),
    # cbam scenario's text output (its English as README shows it)
    "scen_txt_scenario": ("Scenario", "情景"),
    "scen_txt_levy": ("EU levy EUR", "欧盟碳关税（欧元）"),
    "scen_txt_domestic": ("domestic EUR", "国内碳成本（欧元）"),
    "scen_txt_total": ("total EUR", "总碳成本（欧元）"),
    "scen_txt_saving": ("saving vs baseline EUR", "相对基准节省（欧元）"),
    "scen_txt_year": ("year", "年份"),
    "scen_txt_be_params": (
        "gap {gap}, CCER {share} {use}, {emissions} emissions, EUA {eua}{under}",
        "配额缺口 {gap}，CCER {share} {use}，{emissions}排放，EUA {eua}{under}",
    ),
    "scen_txt_be_under": (", CBAM factor {name}", "，CBAM 系数 {name}"),
    "scen_scenarios_of": ("Scenario(s)", "适用情景"),
    "scen_description": ("What it assumes", "情景假设"),
    "scen_is_baseline": ("Baseline", "基准情景"),
    "scen_yes": ("yes", "是"),
    "scen_no": ("no", "否"),
    "scen_years": ("Years", "年份"),
    "scen_eu_levy_eur": ("EU CBAM levy, EUR", "欧盟碳关税（欧元）"),
    "scen_eu_levy_eur_per_t": ("EU levy per tonne of goods, EUR/t", "每吨货物欧盟碳关税（欧元/吨）"),
    "scen_domestic_compliance_eur": (
        "Domestic compliance cost (CEA, CCER), EUR",
        "国内履约成本（CEA、CCER，欧元）",
    ),
    "scen_voluntary_ccer_eur": ("CCER retired voluntarily, EUR", "自愿注销的CCER（欧元）"),
    "scen_domestic_cost_eur": ("Domestic carbon cost, EUR", "国内碳成本（欧元）"),
    "scen_total_carbon_cost_eur": ("Total carbon cost, EUR", "总碳成本（欧元）"),
    "scen_saving_vs_baseline_eur": ("Saving against the baseline, EUR", "相对基准情景节省（欧元）"),
    "scen_levy_saving_vs_baseline_eur": (
        "EU levy saved against the baseline, EUR",
        "相对基准情景少缴的欧盟碳关税（欧元）",
    ),
    "scen_ccer_spend_cny": ("CCER spend, CNY", "CCER 支出（元）"),
    "scen_cny_per_eur": ("Exchange rate, CNY per EUR", "汇率（元/欧元）"),
    "scen_levy_avoided_per_kcny": (
        "EU levy avoided per 1,000 CNY of CCER, EUR",
        "每 1,000 元CCER避免的欧盟碳关税（欧元）",
    ),
    "scen_net_saving_per_kcny": ("Net saving per 1,000 CNY of CCER, EUR", "每 1,000 元CCER的净节省（欧元）"),
    "scen_price": ("EU certificate price, EUR/tCO2e", "CBAM 证书价格（欧元/tCO2e）"),
    "scen_price_status": ("Certificate price status", "证书价格状态"),
    "scen_eua_path": ("Certificate price path", "证书价格路径"),
    "scen_eua_reference": ("reference", "参考价格"),
    "scen_schedule": ("CBAM factor schedule", "CBAM 系数方案"),
    "scen_certificates": ("CBAM certificates, tCO2e", "CBAM 证书（tCO2e）"),
    "scen_ccer_share": ("CCER share", "CCER 比例"),
    "scen_ccer_price_cny": ("CCER price, CNY/tCO2e", "CCER 价格（元/tCO2e）"),
    "scen_cea_price_cny": ("CEA price, CNY/tCO2e", "CEA 价格（元/tCO2e）"),
    "scen_ccer_use": ("CCER use", "CCER 用途"),
    "scen_use_compliance": ("compliance", "用于履约"),
    "scen_use_voluntary": ("retired voluntarily", "自愿注销"),
    "scen_instr_rows": (
        "{n} rows by installation and year: all in -o scenario.xlsx / --format json",
        "按生产设施和年份共 {n} 行：全部见 -o scenario.xlsx 或 --format json",
    ),
    "scen_allocation_gap": ("Allocation gap", "配额缺口"),
    "scen_recognition": ("Price paid recognised (Art 9 draft)", "已付碳价获认可（第9条草案）"),
    "scen_default_carbon_price_eur": ("Default carbon price, EUR/tCO2e", "默认碳价（欧元/tCO2e）"),
    "scen_emissions": ("Emissions basis", "排放数据依据"),
    "scen_emissions_declared": ("declared", "申报值"),
    "scen_emissions_default": ("EU default values", "欧盟默认值"),
    "scen_law": ("law", "法定"),
    "scen_break_even_price": ("Break-even CEA price, CNY/tCO2e", "盈亏平衡 CEA 价格（元/tCO2e）"),
    "scen_note": ("Note", "备注"),
    "scen_levy_actual_eur": ("EU levy on verified actual data, EUR", "按核查实际数据的欧盟碳关税（欧元）"),
    "scen_levy_default_eur": ("EU levy on default values, EUR", "按默认值的欧盟碳关税（欧元）"),
    "scen_default_minus_actual_eur": ("What actual data saves, EUR", "实际数据节省（欧元）"),
    "scen_verification_cost_eur": ("Verification cost, EUR", "核查成本（欧元）"),
    "scen_defaults_cost_more": ("Defaults cost more", "默认值成本更高"),
    "scen_parameter": ("Parameter", "参数"),
    "scen_value": ("Value", "值"),
    # the Assumptions sheet's names of the assumptions (English shows the key --format json has)
    "scen_assume_rule_status": ("rule_status", "规则状态"),
    "scen_assume_reference_data_as_of": ("reference_data_as_of", "参考数据截至"),
    "scen_assume_years": ("years", "年份"),
    "scen_assume_cbam_factor_schedules": ("cbam_factor_schedules", "CBAM 系数时间表"),
    "scen_assume_baseline": ("baseline", "基准情景"),
    "scen_assume_certificate_price_paths": ("certificate_price_paths", "证书价格路径"),
    "scen_assume_art9_reference_price_eur_per_tco2e": (
        "art9_reference_price_eur_per_tco2e",
        "第9条参考价格（欧元/tCO2e）",
    ),
    "scen_assume_cny_per_eur": ("cny_per_eur", "汇率（元/欧元）"),
    "scen_assume_reference_cea_price_cny": ("reference_cea_price_cny", "CEA 参考价格（元/tCO2e）"),
    "scen_assume_reference_ccer_price_cny": ("reference_ccer_price_cny", "CCER 参考价格（元/tCO2e）"),
    "scen_assume_ccer_cap_share": ("ccer_cap_share", "CCER 抵销比例上限"),
    "scen_assume_domestic_price_applies_to": ("domestic_price_applies_to", "国内碳价适用范围"),
    "scen_assume_domestic_emission_intensity": ("domestic_emission_intensity", "国内碳价的排放强度"),
    "scen_assume_verification_cost_eur": ("verification_cost_eur", "每年核查成本（欧元）"),
    "scen_assume_installations": ("installations", "生产设施设定"),
    "scen_assume_de_minimis": ("de_minimis", "微量豁免"),
    "scen_assume_ignore_destination": ("ignore_destination", "忽略目的地"),
    "scen_assume_reading": ("reading", "输入读取设置"),
    "scen_assume_templates": ("templates", "通报模板"),
    "scen_assume_instrument_comparison": ("instrument_comparison", "碳定价工具比较"),
    "scen_sheet_overview": ("Overview", "概览"),
    "scen_sheet_levy": ("Levy by year", "各年欧盟碳关税"),
    "scen_sheet_by_year": ("Scenarios by year", "各情景逐年"),
    "scen_sheet_break_even": ("Break-even", "盈亏平衡价格"),
    "scen_sheet_dva": ("Actual vs default", "实际与默认值"),
    "scen_sheet_instruments": ("Instruments", "碳定价工具比较"),
    "scen_sheet_factor": ("CBAM factor", "CBAM系数"),
    "scen_sheet_assumptions": ("Assumptions", "假设条件"),
    "scen_sheet_chart_data": ("Chart data", "图表数据"),
    "scen_sheet_data": ("Data - scenarios", "数据-情景"),
    "scen_data_note": (
        "Full precision of the scenario table: sheet Data - scenarios (keys as in --format json); "
        "the other sheets round for reading",
        "情景表的完整精度见工作表「数据-情景」（键名同 --format json）；其他工作表为便于阅读已取整",
    ),
    "scen_chart_data_note": (
        "The series the charts draw: scenarios with the same figures (to the euro) are drawn once, "
        "their names joined",
        "图表所绘数据：数字相同（精确到欧元）的情景只绘制一次，名称合并显示",
    ),
    "scen_chart_levy": ("EU CBAM levy by year, EUR", "各年欧盟碳关税（欧元）"),
    "scen_chart_levy_some": (
        "EU CBAM levy by year, EUR: {shown} of {total} scenarios (baseline, cheapest, dearest and "
        "between); all are in the tables",
        "各年欧盟碳关税（欧元）：{total} 个情景中的 {shown} 个（基准、最低、最高及其间）；全部见表格",
    ),
    "scen_chart_levy_total": ("EU CBAM levy over the years, EUR", "各年合计欧盟碳关税（欧元）"),
    "scen_chart_domestic_total": ("Domestic carbon cost over the years, EUR", "各年合计国内碳成本（欧元）"),
    "scen_axis_year": ("Year", "年份"),
    "scen_axis_eur": ("EUR", "欧元"),
    # the PNG charts of --png (outputs.scenario_report.chart_figures): figures in thousand EUR
    "scen_png_levy": ("EU CBAM levy by year, thousand EUR", "各年欧盟碳关税（千欧元）"),
    "scen_png_keur": ("thousand EUR", "千欧元"),
    "scen_png_range": ("range of all {n} scenarios", "全部 {n} 个情景的范围"),
    "scen_png_levy_total": ("EU CBAM levy over the years, thousand EUR", "各年合计欧盟碳关税（千欧元）"),
    "scen_png_domestic_total": (
        "Domestic carbon cost over the years, thousand EUR",
        "各年合计国内碳成本（千欧元）",
    ),
    "scen_png_some": ("{shown} of {total} scenarios", "{total} 个情景中的 {shown} 个"),
    "scen_baseline_name": ("baseline: no domestic price, not recognised", "基准：无国内碳价，不予认可"),
    "scen_proposal_status": (
        "{label}: a PROPOSAL, not law, in the scenarios marked [{name}]",
        "{label}：仅为提案，尚非法律，适用于标注 [{name}] 的情景",
    ),
    "scen_be_heading": (
        "Break-even CEA price for zero EU levy, CNY/tCO2e",
        "使欧盟碳关税为零的全国碳市场配额（CEA）盈亏平衡价格（元/tCO2e）",
    ),
    "scen_be_not_reachable": ("not reachable", "无法达到"),
    "scen_be_range_some": (
        "range over {reachable} of {codes} CN codes; the others are on default values or need no allowance",
        "为 {codes} 个 CN 编码中 {reachable} 个的范围；其余使用默认值或无需配额",
    ),
    "scen_be_range": ("range over CN codes", "各 CN 编码的范围"),
    "scen_levy_by_year_text": ("EU levy by year, EUR", "各年欧盟碳关税（欧元）"),
    "scen_first_n": (
        "first {n} scenarios; all in -o scenario.xlsx / --format json",
        "前 {n} 个情景；全部见 -o scenario.xlsx 或 --format json",
    ),
    "scen_crossover": (
        "Defaults cost more than verified actual data from (verification cost {cost} EUR a year):",
        "默认值成本开始高于核查实际数据的年份（核查成本每年 {cost} 欧元）：",
    ),
    "scen_never": ("never", "从不"),
    "scen_factor_by_year": ("CBAM factor by year", "各年CBAM系数"),
}

SECTOR_NAMES: dict[str, tuple[str, str]] = {
    "iron_steel": ("Iron and steel", "钢铁"),
    "aluminium": ("Aluminium", "铝"),
    "cement": ("Cement", "水泥"),
    "fertilisers": ("Fertilisers", "化肥"),
    "hydrogen": ("Hydrogen", "氢"),
    "electricity": ("Electricity", "电力"),
}


# Chinese headers of the computed columns of the Lines sheet (compute.lines.LINE_COLUMNS); the English
# keys stay in --lines-out files, which programs read.
LINE_HEADERS_ZH: dict[str, str] = {
    "row": "行号",
    "cn_code": "CN 编码",
    "description": "商品描述",
    "sector": "行业",
    "country_iso2": "原产国",
    "year": "计算年份",
    "quarter": "进口季度",
    "import_date_used": "计算所用进口日期",
    "net_mass_t": "净重（吨；电力为兆瓦时）",
    "direct_only": "仅计直接排放（附件II货物）",
    "emissions_data": "排放数据（actual 实际 / default 默认）",
    "default_table": "默认值表",
    "default_table_name": "默认值表名称",
    "default_cn_prefix": "默认值所用 CN 标题",
    "default_markup_rate": "默认值加成比例",
    "see_direct_tco2e_per_t": "单位直接隐含排放（tCO2e/吨）",
    "see_indirect_tco2e_per_t": "单位间接隐含排放（tCO2e/吨）",
    "see_tco2e_per_t": "计入的单位隐含排放（tCO2e/吨）",
    "embedded_tco2e": "隐含排放（tCO2e）",
    "benchmark_column": "基准值列（A 实际数据 / B 默认值）",
    "benchmark_route": "基准值生产路线",
    "benchmark_route_basis": "路线选择依据",
    "benchmark_period": "基准值期间",
    "benchmark_projection": "基准值为推算（2030年后）",
    "benchmark_tco2e_per_t": "CBAM 基准值（tCO2e/吨）",
    "cbam_factor": "CBAM 系数",
    "cscf": "跨行业修正系数 CSCF",
    "precursor_sefa_term_tco2e_per_t": "前体免费配额项（tCO2e/吨）",
    "sefa_tco2e_per_t": "单位隐含免费配额（tCO2e/吨）",
    "free_allocation_tco2e": "免费配额调整（tCO2e）",
    "art9_track": "第9条计算路径（草案）",
    "carbon_price_paid_eur_per_t": "实际已付碳价（欧元/吨货物）",
    "carbon_price_unit": "碳定价工具（第9条草案）",
    "carbon_price_mechanism_used": "碳定价机制",
    "carbon_price_treatment": "第9条草案下的处理",
    "carbon_price_recognised_share": "获认可的隐含排放覆盖比例",
    "carbon_price_unrecognised_eur_per_t": "未获认可的已付碳价（欧元/吨货物）",
    "default_carbon_price_eur_per_tco2e": "国家默认碳价（欧元/tCO2e）",
    "reference_price_eur_per_tco2e": "第9条参考价格 P_ref（欧元/tCO2e）",
    "art9_reduction_tco2e": "第9条扣减（tCO2e）",
    "de_minimis_exempt": "50吨微量豁免",
    "certificates": "应缴 CBAM 证书（tCO2e）",
    "price_period": "证书价格期间",
    "price_eur_per_tco2e": "CBAM 证书价格（欧元/tCO2e）",
    "price_status": "价格状态",
    "cost_eur": "CBAM 成本（欧元）",
    "cost_eur_per_t": "每吨 CBAM 成本（欧元/吨）",
    "cost_cny": "CBAM 成本（人民币，展示汇率）",
    "display_rate_cny_per_eur": "展示汇率（人民币/欧元，欧洲央行期间均值，非第9条汇率）",
    "display_rate_status": "展示汇率状态",
    "default_see_tco2e_per_t": "默认值 SEE（含加成，tCO2e/吨）",
    "actual_saving_eur": "实际数据相对默认值的节省（欧元）",
    "actual_saving_eur_per_t": "实际数据每吨节省（欧元/吨）",
    "notes": "备注",
    "emissions_source": "排放数据来源",
    "template_file": "通报模板文件",
    "template_row": "通报模板行",
    "template_use": "通报模板的使用",
    "carbon_price_source": "碳价来源",
}


def line_headers(columns, lang: str) -> list[str]:
    """Headers of the Lines sheet: computed columns in the report's language, input columns as
    given (an input column named like a computed one is shown as 'input: name')."""
    if lang != "zh":
        return [str(c) for c in columns]
    given = {str(c) for c in columns if c not in LINE_HEADERS_ZH}
    out = []
    for c in columns:
        if c in LINE_HEADERS_ZH:
            zh = LINE_HEADERS_ZH[c]
            out.append(f"{zh}（计算）" if zh in given else zh)  # never two columns of one name
        else:
            out.append(str(c).replace("input: ", "输入: ", 1))
    return out


PRICE_STATUS_ZH = {
    "published": "已公布",
    "recomputed": "按拍卖数据重算",
    "recomputed_partial": "按部分拍卖数据重算",
    "projection": "预测",
    "user": "用户指定",
    "actual": "实际",  # a display rate (--currency): the ECB mean of the period itself
}


def price_status(status: str, lang: str) -> str:
    return PRICE_STATUS_ZH.get(status, status) if lang == "zh" else status


# The days of the week (a weekly price's application week, law.prices.describe_period), in Chinese.
WEEKDAYS_ZH = {
    "Monday": "星期一",
    "Tuesday": "星期二",
    "Wednesday": "星期三",
    "Thursday": "星期四",
    "Friday": "星期五",
    "Saturday": "星期六",
    "Sunday": "星期日",
}


def weekday_shown(day: str, lang: str) -> str:
    """A day of the week (its English name, capitalised) in ``lang``."""
    return WEEKDAYS_ZH.get(day, day) if lang == "zh" else day


# The de minimis names of lines without an importer (cbam_calc.law.de_minimis NO_IMPORTER and
# BLANK_IMPORTER), as a Chinese report shows them
IMPORTER_PLACEHOLDERS_ZH = {"(all lines)": "（全部行）", "(no importer)": "（未填进口商）"}


def importer_shown(importer: str, lang: str = "en") -> str:
    """An importer as a report shows it: the names de minimis gives lines without one translated."""
    return IMPORTER_PLACEHOLDERS_ZH.get(importer, importer) if lang == "zh" else importer


def de_minimis_outcome(
    exempt: bool, year: int, threshold: float, mass: float, scope: str, lang: str = "en"
) -> str:
    """What a de minimis row says, as a conditional: the input holds only its suppliers' share of
    the importer's imports ("exempt if ... stay at or under 50 t (this file: 42.8 t)"), or that its
    tonnes already exceed the threshold. ``scope``: ``file`` or ``batch``."""
    where = label(f"scope_{scope}", lang)
    if exempt:
        return label("exempt_if", lang, year=year, threshold=threshold, scope=where, mass=mass)
    return label("not_exempt_over", lang, threshold=threshold, scope=where, mass=mass)


def de_minimis_choice(mode: str, lang: str = "en") -> str:
    """The --de-minimis choice of a run, explained (the assumptions of every output)."""
    key = f"de_minimis_mode_{mode}"
    return label(key, lang) if key in LABELS else mode


def header_key(text: str) -> str:
    """The key behind a header as a report shows it (``text`` itself when it is no label): the
    Chinese Lines header, the Chinese or English label of a renamed table column. A workbook chooses
    each column's number format from the unit in the key, which a translated header has lost."""
    text = str(text).removesuffix("（计算）")
    return _HEADER_KEYS.get(text, text)


def _header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for key, zh in LINE_HEADERS_ZH.items():
        keys.setdefault(zh, key)
    for key, (_, zh) in LABELS.items():
        keys.setdefault(zh, key)
    return keys


# cbam data (outputs/inventory.py): its headings and the names of each file's fields
LABELS.update(
    {
        "inv_kind_law table": ("Law tables (cbam_calc/data)", "法规表格（cbam_calc/data）"),
        "inv_kind_parameter": ("Parameters (cbam_calc/data/parameters)", "参数（cbam_calc/data/parameters）"),
        "inv_kind_market data": (
            "Prices and exchange rates (reference_prices)",
            "价格和汇率（reference_prices）",
        ),
        "inv_sha_all": ("reference data SHA-256 (every file)", "参考数据 SHA-256（全部文件）"),
        "inv_act": ("act", "法规"),
        "inv_source": ("source", "来源"),
        "inv_version": ("version", "版本"),
        "inv_effective": ("effective", "生效"),
        "inv_covers": ("covers", "涵盖"),
        "inv_status": ("status", "状态"),
        "inv_rows": ("rows", "行数"),
        "inv_dated_values": ("dated values", "带日期数值"),
        "inv_updated": ("updated", "更新日期"),
        "inv_superseded_by": ("superseded by", "取代者"),
        "inv_no_rows": ("no data rows", "无数据行"),
    }
)


def label(key: str, lang: str = "en", **fmt: object) -> str:
    en, zh = LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


def sector_name(sector: str, lang: str = "en") -> str:
    en, zh = SECTOR_NAMES.get(sector, (sector, sector))
    return zh if lang == "zh" else en


_HEADER_KEYS = _header_keys()


def sector_shown(sector: str, lang: str = "en") -> str:
    """A sector code inside a message: the code itself in English (``sector iron_steel``, as the
    Lines table holds it), its name in another language."""
    return sector_name(sector, lang) if lang != "en" else sector


# The production routes of IR 2025/2620 Annex by letter (law.free_allocation.ROUTE_LABELS), shown
# in a message by {route:route}.
ROUTE_NAMES: dict[str, tuple[str, str]] = {
    "A": ("grey clinker", "灰熟料"),
    "B": ("white clinker", "白熟料"),
    "C": ("carbon steel, BF-BOF", "碳钢，高炉-转炉（BF-BOF）"),
    "D": ("carbon steel, DRI-EAF", "碳钢，直接还原铁-电炉（DRI-EAF）"),
    "E": ("carbon steel, scrap-EAF", "碳钢，废钢-电炉"),
    "F": ("low-alloy steel, BF-BOF", "低合金钢，高炉-转炉（BF-BOF）"),
    "G": ("low-alloy steel, DRI-EAF", "低合金钢，直接还原铁-电炉（DRI-EAF）"),
    "H": ("low-alloy steel, scrap-EAF", "低合金钢，废钢-电炉"),
    "J": ("high-alloy steel, EAF", "高合金钢，电炉"),
    "K": ("primary aluminium", "原铝"),
    "L": ("secondary aluminium", "再生铝"),
}


def route_name(route: str, lang: str = "en") -> str:
    """The name of a production route letter ('' for none)."""
    en, zh = ROUTE_NAMES.get(route, ("", ""))
    return zh if lang == "zh" else en


# Legal citations stay in English (the acts' titles in the Official Journal); a Chinese report adds a
# gloss naming each act cited, keyed by the act's number as citations write it (long or short form).
ACT_GLOSSES_ZH: tuple[tuple[str, str], ...] = (
    (r"2023/956", "欧盟碳边境调节机制（CBAM）条例"),
    (r"2025/2083", "CBAM 简化修订条例"),
    (r"2025/2620", "CBAM 免费配额调整实施条例"),
    (r"2025/2621", "CBAM 默认值实施条例"),
    (r"2026/1740", "默认值修订实施条例"),
    (r"2025/2548", "CBAM 证书价格实施条例"),
    (r"2003/87/EC", "欧盟排放交易体系（EU ETS）指令"),
    (r"2023/959", "EU ETS 指令修订指令"),
    (r"2026/1862", "跨行业修正系数（CSCF）实施决定"),
    (r"Ares\(2026\)4841230", "第9条境外已付碳价实施条例草案（尚非法律）"),
    (r"952/2013", "欧盟海关法典"),
)


def glossed(citation: str, lang: str = "en") -> str:
    """A legal citation as a report in ``lang`` shows it: as written, and in Chinese followed by
    the gloss of each act it cites, e.g. ``Regulation (EU) 2023/956 Art 9（欧盟碳边境调节机制（CBAM）
    条例）``."""
    import re

    text = str(citation)
    if lang != "zh":
        return text
    found = [zh for pattern, zh in ACT_GLOSSES_ZH if re.search(pattern, text)]
    return f"{text}（{'；'.join(found)}）" if found else text


# Fixed words of the computed columns of the Lines table (compute.lines), by column: a Chinese report
# shows them in Chinese; --lines-out files and English reports keep the words.
LINE_VALUES_ZH: dict[str, dict[str, str]] = {
    "default_table": {"country": "国别表", "other": "其他国家和地区表", "annex_iv": "附件四（最高值）"},
    "emissions_source": {"shipment file": "发货文件", "template": "通报模板", "default value": "默认值"},
    "display_rate_status": {"actual": "实际", "projection": "预测"},  # --currency CNY
}

# zh-inputs: a line's carbon price from its own columns (inputs.template_match SOURCE_SHIPMENT)
LINE_VALUES_ZH["carbon_price_source"] = {"shipment file": "发货文件"}


def line_value(column: str, value: str, lang: str = "en") -> str:
    """A value of a computed column of the Lines table as a report in ``lang`` shows it."""
    if lang != "zh" or not value:
        return value
    if column == "sector":
        return sector_name(value, lang)
    if column == "price_status":
        return price_status(value, lang)
    return LINE_VALUES_ZH.get(column, {}).get(value, value)


# The Parameters table's fixed words in Chinese (compute.summary.parameters_table): its parameter
# names, units and statuses are identifiers programs read in the English table; a Chinese report
# shows them by these names.
PARAMETER_WORDS_ZH: dict[str, dict[str, str]] = {
    "parameter": {
        "CBAM factor": "CBAM 系数",
        "CSCF": "跨行业修正系数 CSCF",
        "default value mark-up": "默认值加成比例",
        "default value rounding": "默认值舍入",
        "de minimis threshold": "微量豁免门槛",
        "CBAM certificate price": "CBAM 证书价格",
        "Art 9 reference price P_ref": "第9条参考价格 P_ref",
        "exchange rate": "汇率",
        "default carbon price": "国家默认碳价",
        "carbon pricing instrument (Art 9)": "碳定价工具（第9条）",
        "offset limit of the mechanism": "碳定价机制的抵销上限",
        "Paris Art 6.2 / 6.4 credit cap": "《巴黎协定》第6.2/6.4条碳信用上限",
        "default value incl. mark-up (counted)": "含加成的默认值（计入）",
        "CBAM benchmark": "CBAM 基准值",
        "reference data as of": "参考数据截至",
    },
    "unit": {
        "ratio": "比例",
        "decimals": "位小数",
        "date": "日期",
        "treatment": "处理方式",
        "share of verified emissions": "占核查排放的比例",
        "share of covered emissions": "占覆盖排放的比例",
        "share of allowances due": "占应缴配额的比例",
    },
    "status": {
        "law": "法定",
        "projection": "预测",
        "published": "已公布",
        "partial": "部分",
        "user": "用户指定",
        "cbam-calc choice": "cbam-calc 的选择",
        "DRAFT": "草案",
        "law of its country": "所在国法律",
        "law (revision pending)": "法定（修订待定）",
        "projection (revision pending)": "预测（修订待定）",
        "recomputed": "按拍卖数据重算",
        "recomputed_partial": "按部分拍卖数据重算",
    },
}


def parameter_word(column: str, value: object, lang: str = "en") -> object:
    """A fixed word of the Parameters table (a parameter's name, unit, status) in ``lang``."""
    if lang != "zh" or not isinstance(value, str):
        return value
    return PARAMETER_WORDS_ZH.get(column, {}).get(value, value)


# The statuses of reference files and of their rows, as cbam data --lang zh shows them: the
# Parameters table's status words, and those only cbam data shows
INVENTORY_STATUS_ZH = {
    **PARAMETER_WORDS_ZH["status"],
    "draft": "草案",
    "proposal": "提案",
    "superseded": "已被取代",
    "observed": "观察值",
    "derived": "推算值",
    "computed": "计算值",
}


def inventory_status(status: str, lang: str) -> str:
    """A status word of cbam data in ``lang``."""
    return INVENTORY_STATUS_ZH.get(status, status) if lang == "zh" else status


# What a file that is no table looks like (inputs.sniff.MAGIC and its other kinds), in Chinese.
FILE_KINDS_ZH: dict[str, str] = {
    "a PDF document": "PDF 文档",
    "a PNG image": "PNG 图片",
    "a JPEG image": "JPEG 图片",
    "a GIF image": "GIF 图片",
    "a TIFF image (a scan?)": "TIFF 图片（扫描件？）",
    "a bitmap image": "位图图片",
    "a gzip archive": "gzip 压缩包",
    "a RAR archive": "RAR 压缩包",
    "a 7-Zip archive": "7-Zip 压缩包",
    "a Rich Text (RTF) document": "RTF 文档",
    "a parquet file": "parquet 文件",
}

# zh-inputs: the other descriptions inputs.sniff gives (E_FILE_EMPTY, E_RENAME_IT, E_LOOKS_LIKE ...)
FILE_KINDS_ZH.update(
    {
        "0 bytes": "0 字节",
        "only blank lines": "只有空行",
        "a damaged zip file (a workbook cut short?)": "损坏的 zip 文件（工作簿不完整？）",
        "an OpenDocument file that is not a spreadsheet": "不是电子表格的 OpenDocument 文件",
        "a Word document (docx)": "Word 文档（docx）",
        "a PowerPoint presentation (pptx)": "PowerPoint 演示文稿（pptx）",
        "a zip archive": "zip 压缩包",
        "an empty zip archive": "空的 zip 压缩包",
        "an Excel workbook (xlsx)": "Excel 工作簿（xlsx）",
        "an Excel workbook (xlsm)": "Excel 工作簿（xlsm）",
        "an Excel workbook (xlsb)": "Excel 工作簿（xlsb）",
        "an OpenDocument spreadsheet (ods)": "OpenDocument 电子表格（ods）",
        "an Excel 97-2003 workbook (xls), or a password-protected workbook": (
            "Excel 97-2003 工作簿（xls）或受密码保护的工作簿"
        ),
        "an Excel 97-2003 workbook (xls)": "Excel 97-2003 工作簿（xls）",
        "a password-protected Excel workbook": "受密码保护的 Excel 工作簿",
        "a bitmap image (BMP)": "位图图片（BMP）",
        "a binary file": "二进制文件",
        "an Excel 2003 XML spreadsheet": "Excel 2003 XML 电子表格",
        "a web page (HTML)": "网页（HTML）",
        "an XML document": "XML 文档",
        "program source code (Python)": "程序源代码（Python）",
        "CSV text": "CSV 文本",
        "plain text": "纯文本",
    }
)


def file_kind(what: str, lang: str = "en") -> str:
    """What a file looks like (inputs.sniff), in ``lang``."""
    return FILE_KINDS_ZH.get(what, what) if lang == "zh" else what


# What a run says it wrote (outputs.runs.Written), in Chinese.
WRITTEN_ZH = {
    "report": "报告",
    "lines": "明细行",
    "workbook": "工作簿",
    "scenario workbook": "情景工作簿",
    "chart": "图表",
    "template": "模板",  # cbam template
    "emissions": "排放数据",  # cbam emissions -o
}


def written_line(what: str, path: str, detail: str, lang: str = "en") -> str:
    """'report written to PATH' in ``lang``."""
    if lang != "zh":
        return f"{what} written to {path}{detail}"
    shown = {"/ (one parquet file per partition)": "/（每个分区一个 parquet 文件）"}.get(detail, detail)
    return f"{WRITTEN_ZH.get(what, what)}已写入 {path}{shown}"


def emissions_source(source: str, lang: str = "en") -> str:
    """Where a line's SEE came from (shipment file, template, default value), in ``lang``."""
    return line_value("emissions_source", source, lang)


# check-zh: a figure of the run record (outputs.run_record FIGURES, a batch's and a scenario
# workbook's), as cbam calc --check names it: its key in English (as the record keeps it), its
# label in Chinese
LABELS.update({"check_scenario_rows": ("Scenario rows", "情景年份行数")})
RECORD_FIGURE_LABELS = {"eu_levy_eur": "scen_eu_levy_eur", "scenario_rows": "check_scenario_rows"}


def record_figure(key: str, lang: str = "en") -> str:
    """A run record's figure ``key`` (cost_eur) as --check names it in ``lang``."""
    if lang == "en":
        return key
    name = RECORD_FIGURE_LABELS.get(key, key)
    return label(name, lang) if name in LABELS else key


# check-zh: what a reference file is (law.inventory.ReferenceFile.kind), in Chinese where
# cbam calc --check names a file that changed (its name is its file's English stem)
REFERENCE_KINDS_ZH = {
    "law table": "法规表",
    "parameter": "参数文件",
    "market data": "市场数据",
    "": "参考数据",  # a file gone since the report: its kind is not known
}


# run-zh: the Run sheet's keys (outputs.run_sheet); the English of each is the key the sheet had
# before it was translated, which cbam calc --check also reads (run_sheet.canonical_key)
LABELS.update(
    {
        "run_title": (
            "cbam-calc run record: what produced this report (cbam {command}; "
            "cbam calc --check reproduces it)",
            "cbam-calc 运行记录：生成本报告所依据的一切（cbam {command}；用 cbam calc --check 可复现本报告）",
        ),
        "run_version": ("cbam-calc version", "cbam-calc 版本"),
        "run_input": ("input", "输入文件"),
        "run_price_path": ("price path", "价格路径文件"),
        "run_carbon_prices": ("carbon prices", "碳价表"),
        "run_template": ("template", "通信模板"),
        "run_evidenced": ("evidenced", "有证明"),
        "run_reference_sha": ("reference data SHA-256", "参考数据 SHA-256"),
        "run_reference_file": ("reference file", "参考文件"),
        "run_lines_sha": ("lines SHA-256", "各行 SHA-256"),
        "run_option": ("option {key}", "选项 {key}"),  # an option a sheet has no name for
        "run_unset": ("null", "（未设定）"),
        "run_none": ("(none)", "（无）"),
        # the options of a record (core.model.CalcOptions; ReadOptions as read_*); a Chinese sheet
        # gives the command-line option beside each (run_sheet.OPTION_FLAGS)
        "run_opt_year": ("option year", "选项：计算年份"),
        "run_opt_price_eur_per_tco2e": ("option price_eur_per_tco2e", "选项：证书价格（欧元/tCO2e）"),
        "run_opt_art9": ("option art9", "选项：第9条扣减"),
        "run_opt_default_carbon_price": ("option default_carbon_price", "选项：国家默认碳价"),
        "run_opt_fx": ("option fx", "选项：年度汇率"),
        "run_opt_de_minimis": ("option de_minimis", "选项：微量豁免"),
        "run_opt_ignore_destination": ("option ignore_destination", "选项：忽略目的地"),
        "run_opt_exporter": ("option exporter", "选项：出口商"),
        "run_opt_currency": ("option currency", "选项：展示币种"),
        "run_opt_read_encoding": ("option read.encoding", "选项：文本编码"),
        "run_opt_read_skip_hidden": ("option read.skip_hidden", "选项：略去隐藏行"),
        "run_opt_read_columns": ("option read.columns", "选项：按指定名称读取的列"),
        "run_opt_read_from_export_date_days": (
            "option read.from_export_date_days",
            "选项：由出口日期估计进口日期",
        ),
    }
)
LABELS.update({"scen_read_as_given": ("as given (no reading option)", "按原样读取（未设读取选项）")})


# the punctuation between a term and its value, around an aside and between items, by language:
# full-width in Chinese (a Chinese text with ASCII ": " and " (...)" reads as typed in haste)
COLONS = {"en": ": ", "zh": "："}
ASIDES = {"en": " ({})", "zh": "（{}）"}
ITEM_SEPARATORS = {"en": "; ", "zh": "；"}


def term(name: object, value: object, lang: str = "en") -> str:
    """'name: value' in ``lang`` ('name：value' in Chinese)."""
    return f"{name}{COLONS.get(lang, COLONS['en'])}{value}"


def aside(text: object, lang: str = "en") -> str:
    """' (text)' in ``lang`` ('（text）' in Chinese); '' for no text."""
    return ASIDES.get(lang, ASIDES["en"]).format(text) if text != "" and text is not None else ""


def heading(text: object, lang: str = "en") -> str:
    """A heading over the lines under it: 'text:' in ``lang`` ('text：' in Chinese)."""
    return f"{text}{COLONS.get(lang, COLONS['en']).rstrip()}"


def separator(lang: str = "en") -> str:
    """What separates the items of a list in ``lang`` ('; ' or '；')."""
    return ITEM_SEPARATORS.get(lang, ITEM_SEPARATORS["en"])


def items(parts, lang: str = "en") -> str:
    """The parts joined as a list in ``lang``."""
    return separator(lang).join(map(str, parts))


LABELS.update(
    {
        "price_for_period": (", for {period}", "，用于 {period}"),  # a price standing in for one period
        "price_for_periods": (", {n} periods", "，用于 {n} 个期间"),
    }
)


# inputs-zh: the kinds of YAML file a user gives (inputs.yaml_safe: {what:file_kind})
FILE_KINDS_ZH.update({"scenario file": "情景文件"})

# inputs-zh: a JSON value's type as Python names it, in a damaged run record (M_RECORD_KEY_TYPE)
JSON_TYPES_ZH = {
    "str": "文本",
    "list": "列表",
    "dict": "映射",
    "int": "整数",
    "float": "数字",
    "bool": "布尔值",
    "NoneType": "空值",
    "missing": "缺失",
}


def json_type(name: str, lang: str = "en") -> str:
    """The type ``name`` of a JSON value (``str``, ``list``, ``missing``) in ``lang``."""
    return JSON_TYPES_ZH.get(name, name) if lang == "zh" else name
