"""Rebuild the sample input files in ``samples/``: realistic shipments a new user can run at once.

    python scripts/make_samples.py          # rewrites every file in samples/

Every value is written out below (lists of tuples, no random numbers, no clock), so the files are
teaching material that can be read here as well as in Excel, and each run gives the same bytes:
workbook timestamps and zip entry dates are fixed.

All companies, installations, EORI numbers and emission figures are FICTITIOUS and only meant to
be plausible. Actual emissions ("see_direct") are in the range of real installations; where a
complex good is declared with actual data, the precursor's specific embedded free allocation
(IR 2025/2620 Eq 4) is given, computed for 2026 imports from the Column A benchmarks as shown
at the constants below.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from cbam_calc.outputs.input_template import ZH_HEADERS  # the preferred Chinese header of each column

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# Fixed timestamp written into every workbook (docProps/core.xml) and every zip entry.
FIXED_TIME = dt.datetime(2026, 11, 2, 9, 0, 0)


# --- Precursor chain benchmarks, tCO2e per t of precursor, BEFORE the CBAM factor: the engine
# multiplies them by the CBAM factor and CSCF of the year (BM_i, IR 2025/2620 Eq 4), so the
# samples stay right whatever --year is used. Column A benchmarks of IR 2025/2620
# (cbam_calc/data/eu/benchmarks.csv); the precursor chains are simplified, typical ratios.
BM_SLAB_BF_BOF = 1.223  # 0.188 slab, route C + 0.95 t hot metal x 1.089 = 1.2226
BM_HRC_BF_BOF = 1.304  # 0.044 hot rolling + 1.03 t slab x 1.223 = 1.3037
BM_CRC_BF_BOF = 1.435  # 0.079 cold rolling + 1.04 t hot-rolled coil x 1.304 = 1.4352
BM_BILLET_SCRAP_EAF = 0.065  # billet, route E (scrap carries no allocation)
BM_AL_PRIMARY = 1.423  # unwrought aluminium, route K
BM_AL_SECONDARY = 0.091  # unwrought aluminium, route L
BM_CLINKER_GREY = 0.666  # grey clinker, route A
BM_AMMONIA = 1.522  # anhydrous ammonia


# ---------------------------------------------------------------------------- writers
def _fixed_zip(data: bytes) -> bytes:
    """Rewrite an xlsx archive with fixed entry dates and a fixed modified time in core.xml."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                # openpyxl sets 'modified' to the current time on save: pin it.
                body = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    body,
                )
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, body)
    return out.getvalue()


def write_xlsx(
    name: str,
    headers: list[str],
    rows: list[tuple],
    *,
    title: list[str] = (),
    sheet: str = "Shipments",
    text_columns: tuple[str, ...] = (),
    date_columns: tuple[str, ...] = (),
    notes: list[str] = (),
) -> Path:
    """One sheet of shipments (optionally below title lines) and an optional 'Notes' sheet."""
    wb = openpyxl.Workbook()
    wb.properties.creator = "cbam-calc samples (scripts/make_samples.py)"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "cbam-calc"
    ws = wb.active
    ws.title = sheet
    for line in title:
        ws.append([line])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    if title:
        ws.append([])
    ws.append(headers)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(list(row))
    for j, h in enumerate(headers, start=1):
        letter = ws.cell(row=header_row, column=j).column_letter
        longest = max([len(str(h))] + [len(str(r[j - 1])) for r in rows if r[j - 1] is not None])
        ws.column_dimensions[letter].width = min(max(10, longest + 2), 60)
        for i in range(header_row + 1, header_row + 1 + len(rows)):
            cell = ws.cell(row=i, column=j)
            if h in text_columns:
                cell.number_format = "@"  # CN codes stay text: "7208 51 20", not a number
            elif h in date_columns:
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if notes:
        ns = wb.create_sheet("Notes")
        for line in notes:
            ns.append([line])
        ns.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    path = SAMPLES / name
    path.write_bytes(_fixed_zip(buf.getvalue()))
    return path


def write_csv(name: str, headers: list[str], rows: list[tuple]) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headers)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    path = SAMPLES / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def day(text: str) -> dt.datetime:
    """A date cell (openpyxl writes datetimes as Excel dates)."""
    return dt.datetime.strptime(text, "%Y-%m-%d")


# ---------------------------------------------------------------------------- 1. steel, English
# Fictitious EU importers (EORI-like numbers). Acciai Padani imports 42.8 t in 2026: de minimis.
RHEINLAND = "Rheinland Stahlhandel GmbH (DE4721093380000)"
VANDERMEER = "Van der Meer Staal B.V. (NL812345670)"
PADANI = "Acciai Padani S.r.l. (IT01234560987)"

TANGSHAN = "Tangshan Jinhai Iron & Steel Co., Ltd. - No.2 BF-BOF works (Hebei)"
RIZHAO = "Rizhao Donggang Steel Co., Ltd. (Shandong)"
HUAIYANG = "Jiangsu Huaiyang Special Steel Co., Ltd. - scrap EAF plant (Changzhou)"
HAIBIN = "Tianjin Haibin Steel Pipe Co., Ltd."
YONGNIAN = "Handan Yongnian Hengtong Fastener Co., Ltd. (Hebei)"
XINGHE = "Wuxi Xinghe Steel Structure Co., Ltd. (Jiangsu)"

STEEL_HEADERS = [
    "customs_ref",
    "cn_code",
    "product",
    "country",
    "net_mass_t",
    "import_date",
    "see_direct",
    "route",
    "precursor_mass_t_per_t",
    "precursor_benchmark_tco2e_per_t",
    "installation",
    "importer",
]
# customs_ref, cn_code, product, country, net_mass_t, import_date,
#   see_direct (blank = EU default), route, precursor t/t, precursor chain benchmark, installation, importer
STEEL_ROWS = [
    ("26DE0417A1", "7208 39 00", "Hot-rolled coil < 3 mm", "CN", 1248.6, "2026-01-19",
     None, None, None, None, TANGSHAN, RHEINLAND),
    ("26DE0452A1", "7208 51 20", "Heavy plate > 15 mm (S355)", "CN", 864.2, "2026-02-05",
     2.05, "C", 1.03, BM_SLAB_BF_BOF, TANGSHAN, RHEINLAND),
    ("26NL1180B7", "7208 38 00", "Hot-rolled coil 3-4.75 mm", "CN", 2310.0, "2026-03-11",
     None, None, None, None, RIZHAO, VANDERMEER),
    ("26NL1233B7", "7209 16 90", "Cold-rolled coil 1-3 mm", "CN", 412.8, "2026-03-27",
     None, None, None, None, RIZHAO, VANDERMEER),
    ("26DE0610A1", "7209 17 90", "Cold-rolled coil 0.5-1 mm", "CN", 530.4, "2026-05-14",
     2.28, "C", 1.04, BM_HRC_BF_BOF, TANGSHAN, RHEINLAND),
    ("26NL1377B7", "7210 49 00", "Hot-dip galvanised coil", "CN", 655.1, "2026-04-22",
     None, None, None, None, RIZHAO, VANDERMEER),
    ("26DE0688A1", "7210 70 80", "Pre-painted galvanised coil (PPGI)", "CN", 298.7, "2026-06-09",
     None, None, None, None, RIZHAO, RHEINLAND),
    ("26NL1341B7", "7213 91 10", "Wire rod for concrete reinforcement", "CN", 1502.3, "2026-04-02",
     None, None, None, None, HUAIYANG, VANDERMEER),
    ("26NL1502B7", "7213 91 49", "Wire rod, low carbon (SAE1008)", "CN", 720.0, "2026-07-16",
     0.52, "E", 1.03, BM_BILLET_SCRAP_EAF, HUAIYANG, VANDERMEER),
    ("26NL1577B7", "7214 20 00", "Rebar B500B", "CN", 2045.5, "2026-08-03",
     None, None, None, None, HUAIYANG, VANDERMEER),
    ("26DE0655A1", "7216 33 10", "H-beams HEB 160", "CN", 376.9, "2026-05-28",
     None, None, None, None, RIZHAO, RHEINLAND),
    ("26DE0791A1", "7216 33 90", "H-beams HEB 300", "CN", 512.0, "2026-09-15",
     2.12, "C", 1.04, BM_SLAB_BF_BOF, RIZHAO, RHEINLAND),
    ("26DE0702A1", "7304 39 82", "Seamless tubes OD 114.3 mm", "CN", 188.4, "2026-06-30",
     None, None, None, None, HAIBIN, RHEINLAND),
    ("26NL1620B7", "7306 30 77", "Welded tubes OD 60.3 mm", "CN", 246.3, "2026-08-20",
     None, None, None, None, HAIBIN, VANDERMEER),
    ("26IT0233C4", "7306 61 92", "Square hollow sections 40x40x2", "CN", 24.2, "2026-10-06",
     None, None, None, None, HAIBIN, PADANI),
    ("26IT0121C4", "7318 15 88", "Hex bolts 8.8, M12-M24", "CN", 18.6, "2026-03-03",
     None, None, None, None, YONGNIAN, PADANI),
    ("26DE0917A1", "7318 16 92", "Hex nuts M8-M12", "CN", 36.5, "2026-11-12",
     None, None, None, None, YONGNIAN, RHEINLAND),
    ("26NL1788B7", "7308 20 00", "Lattice towers for power lines", "CN", 842.7, "2026-10-21",
     None, None, None, None, XINGHE, VANDERMEER),
    ("26DE0960A1", "7308 90 98", "Steel structure parts (warehouse frame)", "CN", 134.5,
     "2026-11-25", None, None, None, None, XINGHE, RHEINLAND),
    ("26NL1851B7", "7208 51 20", "Heavy plate > 15 mm (S275)", "CN", 960.0, "2026-12-08",
     1.96, "C", 1.03, BM_SLAB_BF_BOF, TANGSHAN, VANDERMEER),
]  # fmt: skip


def make_steel() -> Path:
    rows = [(*r[:5], day(r[5]), *r[6:]) for r in STEEL_ROWS]
    return write_xlsx(
        "shipments_cn_steel.xlsx",
        STEEL_HEADERS,
        rows,
        text_columns=("cn_code", "customs_ref"),
        date_columns=("import_date",),
        notes=[
            "Sample: a Chinese steel exporter's 2026 shipments to three EU importers (fictitious).",
            "Blank see_direct = the EU default value (IR 2025/2621, China table, +10% mark-up in 2026).",
            "Lines with see_direct carry verified actual emissions; route C = BF-BOF, E = scrap EAF.",
            "precursor_* columns: slab or coil used per tonne and its chain benchmark (IR 2025/2620 Eq 4).",
            "Acciai Padani imports 42.8 t in 2026: at most 50 t (de minimis, Art 2a), nothing owed.",
            "Columns customs_ref and product are not used by cbam-calc and are kept in the report.",
            "Run: cbam calc samples/shipments_cn_steel.xlsx -o report.xlsx",
        ],
    )


# ---------------------------------------------------------------------------- 2. aluminium, Chinese
AL_ROTTERDAM = "Alu Trading Rotterdam B.V. (NL859201347)"
AL_SUED = "Metallhandel Süd GmbH (DE5530218840000)"
AL_LEVANTE = "Aluminios Levante S.L. (ESB46123456)"

SMELTER = "内蒙古锡林郭勒华源铝业有限公司 电解铝厂"
RECYCLER = "浙江宁波甬舟再生铝业有限公司"
EXTRUDER = "佛山南海恒昌铝型材有限公司"
ROLLING = "山东滨州宏达铝板带有限公司"
FOIL = "江苏江阴华泰铝箔有限公司"

AL_COLUMNS = [
    "cn_code",
    "product_zh",
    "country",
    "net_mass_t",
    "import_date",
    "see_direct",
    "route",
    "precursor_mass_t_per_t",
    "precursor_benchmark_tco2e_per_t",
    "installation",
    "importer",
]
# cn_code, 品名, 原产国, 净重(吨), 进口日期, 直接排放 (blank = EU default), 生产路线,
#   前体质量, 前体基准值, 生产设施, 进口商
AL_ROWS = [
    ("7601 10 90", "原铝锭 A00", "中国", 520.0, "2026年1月22日",
     1.85, "K", None, None, SMELTER, AL_ROTTERDAM),
    ("7601 20 40", "铝合金圆铸棒 6063", "中国", 980.5, "2026年2月26日",
     None, None, None, None, SMELTER, AL_ROTTERDAM),
    ("7601 20 40", "再生铝合金圆铸棒 6060", "中国", 210.0, "2026年5月8日",
     0.38, "L", None, None, RECYCLER, AL_SUED),
    ("7604 21 00", "铝合金空心型材（门窗）", "中国", 146.3, "2026年3月14日",
     None, None, None, None, EXTRUDER, AL_LEVANTE),
    ("7604 29 90", "铝合金工业型材", "中国", 88.7, "2026年4月9日",
     2.05, "K", 1.04, BM_AL_PRIMARY, EXTRUDER, AL_LEVANTE),
    ("7604 10 90", "纯铝型材", "中国", 62.4, "2026年6月2日",
     None, None, None, None, EXTRUDER, AL_SUED),
    ("7606 12 99", "铝合金厚板 5083 (≥6 mm)", "中国", 318.0, "2026年4月27日",
     None, None, None, None, ROLLING, AL_ROTTERDAM),
    ("7606 11 93", "纯铝板 1050 (3-6 mm)", "中国", 204.6, "2026年7月15日",
     None, None, None, None, ROLLING, AL_SUED),
    ("7606 12 99", "铝合金厚板 6061 (≥6 mm)", "中国", 256.2, "2026年8月19日",
     1.98, "K", 1.05, BM_AL_PRIMARY, ROLLING, AL_ROTTERDAM),
    ("7607 11 90", "铝箔 8011 (0.03 mm)", "中国", 96.8, "2026年9月3日",
     None, None, None, None, FOIL, AL_SUED),
    ("7607 19 90", "涂层铝箔 (0.05 mm)", "中国", 44.5, "2026年10月28日",
     None, None, None, None, FOIL, AL_LEVANTE),
    ("7610 10 00", "铝合金门窗框", "中国", 12.6, "2026年11月11日",
     None, None, None, None, EXTRUDER, AL_LEVANTE),
    ("7610 90 90", "铝合金幕墙结构件", "中国", 35.2, "2026年12月2日",
     None, None, None, None, EXTRUDER, AL_ROTTERDAM),
]  # fmt: skip


def zh_header(name: str) -> str:
    if name == "product_zh":
        return "品名"  # not read by cbam-calc, kept in the report
    return ZH_HEADERS[name]


def make_aluminium_zh() -> Path:
    headers = [zh_header(c) for c in AL_COLUMNS]
    return write_xlsx(
        "shipments_cn_aluminium_zh.xlsx",
        headers,
        AL_ROWS,
        sheet="发货明细",
        text_columns=(zh_header("cn_code"), zh_header("import_date")),
        notes=[
            "样例：中国铝材出口商 2026 年对欧盟发货（公司名称均为虚构）。",
            "直接排放留空 = 欧盟默认值（IR 2025/2621 中国表，2026 年加成 10%）。",
            "生产路线：K = 原铝（电解铝），L = 再生铝；填写实际排放时必须给出路线（7601）。",
            "前体质量 / 前体基准值：每吨产品所用原铝及其基准值，"
            "按当年 CBAM 系数计入免费配额（IR 2025/2620 第4式）。",
            "运行：cbam calc samples/shipments_cn_aluminium_zh.xlsx --lang zh -o 报告.xlsx",
        ],
    )


# ---------------------------------------------------------------------------- 3. cement, csv
CEMENT_HEADERS = [
    "cn_code",
    "country",
    "net_mass_t",
    "import_date",
    "see_direct",
    "see_indirect",
    "route",
    "precursor_mass_t_per_t",
    "precursor_benchmark_tco2e_per_t",
    "installation",
    "importer",
]
DELTA_MISR = "Delta Misr Cement Co. - Beni Suef kiln line 2"
SOKHNA = "Red Sea Portland Cement S.A.E. - Ain Sokhna plant"
ATLAS_SUD = "Cimenterie Atlas Sud - Safi plant"
BAUSTOFFE = "Baustoffe Nord GmbH (DE3390127745000)"
RIBERA = "Cementos Ribera S.A. (ESA28123457)"
PORTUAIRE = "Ciment Portuaire SAS (FR40123456789)"
CEMENT_ROWS = [
    ("2523 10 00", "Egypt", 8250.0, "2026-01-27", None, None, "A", None, None, DELTA_MISR, RIBERA),
    ("2523 10 00", "EG", 1200.0, "2026-03-18", None, None, "B", None, None, SOKHNA, PORTUAIRE),
    ("2523 10 00", "Morocco", 6400.0, "2026-04-21", 0.81, 0.035, "A", None, None, ATLAS_SUD, RIBERA),
    ("2523 29 00", "Egypt", 3150.0, "2026-02-16", None, None, None, None, None, DELTA_MISR, BAUSTOFFE),
    ("2523 29 00", "MA", 4800.0, "2026-05-12", None, None, None, None, None, ATLAS_SUD, PORTUAIRE),
    ("2523 29 00", "Morocco", 2750.0, "2026-06-24", 0.62, 0.055, None, 0.76, BM_CLINKER_GREY,
     ATLAS_SUD, PORTUAIRE),
    ("2523 90 00", "Egypt", 1850.0, "2026-07-08", None, None, "A", None, None, SOKHNA, BAUSTOFFE),
    ("2523 90 00", "Morocco", 2200.0, "2026-08-26", 0.58, 0.05, "A", 0.70, BM_CLINKER_GREY,
     ATLAS_SUD, RIBERA),
    ("2523 90 00", "Morocco", 640.0, "2026-09-30", None, None, "B", None, None, ATLAS_SUD, PORTUAIRE),
    ("2523 29 00", "EG", 3600.0, "2026-10-19", 0.71, 0.06, None, 0.82, BM_CLINKER_GREY,
     DELTA_MISR, BAUSTOFFE),
    ("2523 10 00", "Egypt", 5100.0, "2026-11-23", None, None, "A", None, None, DELTA_MISR, BAUSTOFFE),
    ("2523 29 00", "Morocco", 3300.0, "2026-12-14", None, None, None, None, None, ATLAS_SUD, RIBERA),
]  # fmt: skip


def make_cement() -> Path:
    return write_csv("shipments_cement.csv", CEMENT_HEADERS, CEMENT_ROWS)


# ---------------------------------------------------------------------------- 4. fertilisers, csv
FERT_HEADERS = CEMENT_HEADERS
COUVA = "Couva Nitrogen Ltd - Point Lisas ammonia unit 2"
ARZEW = "Arzew Azote SpA - Arzew complex"
DAMIETTA = "Nile Delta Fertilizer Co. - Damietta urea plant"
VOLGA = "Volzhsky Mineral Fertiliser Plant JSC"
AGROHANDEL = "AgroHandel Hamburg GmbH (DE2208461170000)"
ATLANTIQUE = "Engrais Atlantique SA (FR55321987654)"
ADRIATICO = "Fertilizzanti Adriatico S.p.A. (IT09876540123)"
# Urea: CN 2026 splits 3102 10 10 into 3102 10 12 / 15 / 19 (3102 10 10 is rejected by design).
FERT_ROWS = [
    ("2814 10 00", "Trinidad and Tobago", 4500.0, "2026-01-14", None, None, None, None, None,
     COUVA, AGROHANDEL),
    ("2814 10 00", "TT", 3800.0, "2026-04-07", 1.82, 0.04, None, None, None, COUVA, AGROHANDEL),
    ("2814 10 00", "Algeria", 2600.0, "2026-06-16", None, None, None, None, None, ARZEW, ATLANTIQUE),
    ("2808 00 00", "Egypt", 640.0, "2026-02-24", None, None, None, None, None, DAMIETTA, ADRIATICO),
    ("2808 00 00", "DZ", 420.0, "2026-08-11", 0.86, 0.03, None, 0.28, BM_AMMONIA, ARZEW, ATLANTIQUE),
    ("3102 10 19", "Egypt", 5000.0, "2026-03-09", None, None, None, None, None, DAMIETTA, ADRIATICO),
    ("3102 10 19", "Algeria", 6200.0, "2026-05-19", 1.12, 0.05, None, 0.57, BM_AMMONIA,
     ARZEW, ATLANTIQUE),
    ("3102 10 12", "Egypt", 850.0, "2026-09-22", None, None, None, None, None, DAMIETTA, AGROHANDEL),
    ("3102 30 90", "Russia", 3300.0, "2026-04-28", None, None, None, None, None, VOLGA, ADRIATICO),
    ("3102 30 90", "RU", 1750.0, "2026-10-13", None, None, None, None, None, VOLGA, AGROHANDEL),
    ("3105 20 10", "Russia", 2400.0, "2026-07-21", None, None, None, None, None, VOLGA, ATLANTIQUE),
    ("3105 20 10", "Egypt", 1100.0, "2026-11-17", None, None, None, None, None, DAMIETTA, ADRIATICO),
]  # fmt: skip


def make_fertilisers() -> Path:
    return write_csv("shipments_fertilisers.csv", FERT_HEADERS, FERT_ROWS)


# ---------------------------------------------------------------------------- 5. actual vs default
MIXED_HEADERS = [
    "pair",
    "data",
    "cn_code",
    "product",
    "country",
    "net_mass_t",
    "quarter",
    "see_direct",
    "route",
    "precursor_mass_t_per_t",
    "precursor_benchmark_tco2e_per_t",
    "installation",
    "importer",
]
CONSULT_IMPORTER = "Rheinland Stahlhandel GmbH (DE4721093380000)"
# Each good once with the installation's verified actual emissions and once with the EU default
# value; same mass, quarter, route and installation, so only the data source differs.
MIXED_GOODS = [
    # pair, cn_code, product, mass, quarter, actual SEE, route, precursor t/t, precursor benchmark,
    # installation
    ("P1", "7208 39 00", "Hot-rolled coil < 3 mm", 1000.0, "2026Q1", 2.08, "C", 1.03,
     BM_SLAB_BF_BOF, TANGSHAN),
    ("P2", "7209 17 90", "Cold-rolled coil 0.5-1 mm", 500.0, "2026Q2", 2.25, "C", 1.04,
     BM_HRC_BF_BOF, TANGSHAN),
    ("P3", "7210 49 00", "Hot-dip galvanised coil", 500.0, "2026Q2", 2.35, "C", 1.03,
     BM_CRC_BF_BOF, RIZHAO),
    ("P4", "7214 20 00", "Rebar B500B (scrap EAF)", 1000.0, "2026Q3", 0.58, "E", 1.03,
     BM_BILLET_SCRAP_EAF, HUAIYANG),
    ("P5", "7601 10 90", "Primary aluminium ingot", 300.0, "2026Q3", 1.85, "K", None, None,
     "Inner Mongolia Xilingol Huayuan Aluminium Co., Ltd. - smelter"),
    ("P6", "7604 29 90", "Aluminium alloy profiles", 200.0, "2026Q4", 2.05, "K", 1.04,
     BM_AL_PRIMARY, "Foshan Nanhai Hengchang Aluminium Profile Co., Ltd."),
    ("P7", "7606 12 99", "Aluminium alloy plate >= 6 mm", 200.0, "2026Q4", 1.98, "K", 1.05,
     BM_AL_PRIMARY, "Shandong Binzhou Hongda Aluminium Strip Co., Ltd."),
]  # fmt: skip


def mixed_rows() -> list[tuple]:
    rows = []
    for pair, cn, product, mass, quarter, see, route, pm, ps, inst in MIXED_GOODS:
        good = (cn, product, "CN", mass, quarter)
        rows.append((pair, "actual", *good, see, route, pm, ps, inst, CONSULT_IMPORTER))
        rows.append((pair, "default", *good, None, route, None, None, inst, CONSULT_IMPORTER))
    return rows


def make_mixed() -> Path:
    return write_xlsx(
        "shipments_mixed_actual_default.xlsx",
        MIXED_HEADERS,
        mixed_rows(),
        title=[
            "CBAM 2026: actual verified emissions versus EU default values (illustrative)",
            "Each pair declares the same goods twice: 'actual' with the installation's verified "
            "data, 'default' with see_direct blank. Compare embedded_tco2e and cost_eur per pair.",
        ],
        sheet="Comparison",
        text_columns=("cn_code",),
        notes=[
            "The header sits in row 4 below two title lines: cbam-calc finds it by its column names.",
            "Quarter column instead of a date: the 2026 certificate price is the quarter's average.",
            "Default lines keep the route: with default data the route given selects the Column B",
            "benchmark (IR 2025/2620 point 5), so a scrap-EAF mill on defaults gets the small EAF benchmark",
            "but the China default value of a BF-BOF mix: the costliest combination (pair P4).",
            "Run: cbam calc samples/shipments_mixed_actual_default.xlsx --lines-out lines.csv",
        ],
    )


# ---------------------------------------------------------------------------- 6. Art 9, CNETS
ART9_HEADERS = [
    "cn_code",
    "country",
    "net_mass_t",
    "import_date",
    "see_direct",
    "route",
    "precursor_mass_t_per_t",
    "precursor_benchmark_tco2e_per_t",
    "installation",
    "importer",
    "carbon_price_paid",
    "carbon_price_currency",
    "carbon_price_basis",
    "carbon_price_rebate",
    "carbon_price_free_share",
    "carbon_price_evidenced",
]
# CNETS: CEA price 60-100 CNY/tCO2e; steel and aluminium smelting entered in the 2024 compliance
# year with allocation close to verified emissions, hence free shares of 0.90-0.99. Every line has
# actual emissions: the actual track of the Art 9 draft needs them.
ART9_ROWS = [
    ("7208 39 00", "CN", 1150.0, "2026-02-12", 2.10, "C", 1.03, BM_SLAB_BF_BOF, TANGSHAN,
     RHEINLAND, 72.0, "CNY", "per_tco2e", 0.0, 0.97, "yes"),
    ("7208 51 20", "CN", 820.0, "2026-03-30", 2.02, "C", 1.03, BM_SLAB_BF_BOF, TANGSHAN,
     RHEINLAND, 72.0, "CNY", "per_tco2e", 0.8, 0.95, "yes"),
    ("7209 17 90", "CN", 460.5, "2026-05-06", 2.26, "C", 1.04, BM_HRC_BF_BOF, TANGSHAN,
     VANDERMEER, 85.0, "CNY", "per_tco2e", 0.0, 0.96, "yes"),
    ("7210 49 00", "CN", 380.0, "2026-06-18", 2.34, "C", 1.03, BM_CRC_BF_BOF, RIZHAO,
     VANDERMEER, 85.0, "CNY", "per_tco2e", 1.5, 0.93, "yes"),
    ("7214 20 00", "CN", 1600.0, "2026-07-22", 0.55, "E", 1.03, BM_BILLET_SCRAP_EAF, HUAIYANG,
     VANDERMEER, 90.0, "CNY", "per_tco2e", 0.0, 0.90, "yes"),
    # the free allocation share is claimed but the installation cannot evidence it: no deduction
    ("7216 33 90", "CN", 540.0, "2026-09-09", 2.15, "C", 1.04, BM_SLAB_BF_BOF, RIZHAO,
     RHEINLAND, 95.0, "CNY", "per_tco2e", 0.0, 0.99, "no"),
    ("7601 10 90", "CN", 700.0, "2026-04-14", 1.78, "K", None, None,
     "Inner Mongolia Xilingol Huayuan Aluminium Co., Ltd. - smelter", AL_ROTTERDAM,
     68.0, "CNY", "per_tco2e", 0.0, 0.98, "yes"),
    ("7601 20 40", "CN", 450.0, "2026-08-05", 1.92, "K", None, None,
     "Inner Mongolia Xilingol Huayuan Aluminium Co., Ltd. - smelter", AL_SUED,
     68.0, "CNY", "per_tco2e", 0.5, 0.95, "yes"),
    ("7606 12 99", "CN", 220.0, "2026-10-15", 2.01, "K", 1.05, BM_AL_PRIMARY,
     "Shandong Binzhou Hongda Aluminium Strip Co., Ltd.", AL_ROTTERDAM,
     98.0, "CNY", "per_tco2e", 0.0, 0.92, "yes"),
    ("7604 29 90", "CN", 130.0, "2026-11-24", 0.42, "L", 1.04, BM_AL_SECONDARY,
     "Zhejiang Ningbo Yongzhou Recycled Aluminium Co., Ltd.", AL_LEVANTE,
     60.0, "CNY", "per_tco2e", 0.0, 0.94, "yes"),
]  # fmt: skip
ART9_NOT_EVIDENCED_ROW = 7  # spreadsheet row of the 'evidenced = no' line (header = row 1)


def make_art9() -> Path:
    rows = [(*r[:3], day(r[3]), *r[4:]) for r in ART9_ROWS]
    return write_xlsx(
        "shipments_art9_cnets.xlsx",
        ART9_HEADERS,
        rows,
        text_columns=("cn_code",),
        date_columns=("import_date",),
        notes=[
            "Art 9 (DRAFT implementing regulation of 13.05.2026): carbon price paid in China (CNETS).",
            "carbon_price_paid: CEA price in CNY per tCO2e; carbon_price_free_share: share covered by free",
            "allocation at home; carbon_price_rebate: compensation received, CNY per tCO2e.",
            "Effective price = price x (1 - free share) - rebate, per tCO2e x SEE, converted at the yearly",
            "ECB rate; reduction = effective EUR per t / P_ref x mass. Row 7 is not evidenced: no reduction.",
            "Run: cbam calc samples/shipments_art9_cnets.xlsx   (compare with --art9 off)",
        ],
    )


# ---------------------------------------------------------------------------- 7. errors, csv
ERR_HEADERS = [
    "cn_code",
    "country",
    "net_mass_t",
    "import_date",
    "see_direct",
    "route",
    "installation",
    "importer",
    "carbon_price_paid",
    "carbon_price_currency",
    "carbon_price_basis",
    "note",
]
# The 'note' column is not read by cbam-calc: it says what each row demonstrates.
ERR_ROWS = [
    ("7208 39 00", "CN", 412.5, "2026-02-10", None, None, TANGSHAN, RHEINLAND, None, None, None,
     "fine: hot-rolled coil, default value"),
    ("7323 93 00", "CN", 18.0, "2026-02-12", None, None, "Ningbo kitchenware works", RHEINLAND,
     None, None, None, "mistake: stainless kitchenware is not a CBAM good"),
    ("3102 10 10", "Egypt", 500.0, "2026-03-02", None, None, DAMIETTA, AGROHANDEL, None, None, None,
     "mistake: CN 2025 urea code, split in CN 2026"),
    ("7214200", "CN", 250.0, "2026-03-05", None, None, HUAIYANG, VANDERMEER, None, None, None,
     "mistake: CN code with 7 digits"),
    ("7601 10 90", "CN", 120.0, "2026-03-19", 1.85, "K", SMELTER, AL_ROTTERDAM, None, None, None,
     "fine: primary aluminium, actual data with route K"),
    ("7216 33 10", "Chian", 96.0, "2026-04-01", None, None, RIZHAO, RHEINLAND, None, None, None,
     "mistake: misspelt country"),
    ("7601 10 90", "Norway", 300.0, "2026-04-14", None, None, "Karmoy smelter", AL_ROTTERDAM,
     None, None, None, "mistake: Norway is in Annex III, CBAM does not apply"),
    ("7209 16 90", "CN", -18.4, "2026-04-20", None, None, RIZHAO, VANDERMEER, None, None, None,
     "mistake: negative mass"),
    ("2523 29 00", "Egypt", 2600.0, "2026-05-06", None, None, DELTA_MISR, BAUSTOFFE, None, None, None,
     "fine: grey Portland cement, default value"),
    ("7306 30 77", "CN", "TBC", "2026-05-11", None, None, HAIBIN, VANDERMEER, None, None, None,
     "mistake: mass not a number"),
    ("7213 91 10", "CN", 640.0, "2025-12-18", None, None, HUAIYANG, VANDERMEER, None, None, None,
     "mistake: imported in 2025, before the definitive period"),
    ("7210 49 00", "CN", 210.0, "03/04/2026", None, None, RIZHAO, RHEINLAND, None, None, None,
     "mistake: 3 April or 4 March? write 2026-04-03"),
    ("3102 10 19", "Egypt", 1800.0, "2026-06-15", None, None, DAMIETTA, AGROHANDEL, None, None, None,
     "fine: granular urea, CN 2026 code, default value"),
    ("2523 10 00", "Egypt", 4000.0, "2026-06-22", None, None, DELTA_MISR, BAUSTOFFE, None, None, None,
     "mistake: clinker without route A (grey) or B (white)"),
    ("7207 11 14", "CN", 1500.0, "2026-07-07", 1.95, None, TANGSHAN, RHEINLAND, None, None, None,
     "mistake: actual data for slabs without the production route"),
    ("7214 20 00", "CN", 880.0, "2026-07-28", None, None, HUAIYANG, VANDERMEER, None, None, None,
     "fine: rebar, default value"),
    ("7208 51 20", "CN", 350.0, "2026-08-04", 2.05, "C", TANGSHAN, RHEINLAND, 80.0, None,
     "per_tco2e", "mistake: carbon price paid without its currency"),
    ("7606 12 99", "CN", 150.0, "2026-09-09", None, None, ROLLING, AL_SUED, None, None, None,
     "fine: aluminium plate, default value"),
]  # fmt: skip


def make_errors() -> Path:
    return write_csv("shipments_with_errors.csv", ERR_HEADERS, ERR_ROWS)


# ---------------------------------------------------------------------------- 8. EUA price path
EUA_PATH = [
    ("2027", 80.0),
    ("2028", 86.0),
    ("2029", 92.0),
    ("2030", 99.0),
    ("2031", 106.0),
    ("2032", 114.0),
    ("2033", 122.0),
    ("2034", 130.0),
]


def make_eua_path() -> Path:
    source = "illustrative path for the README, not a forecast"
    rows = [(period, f"{price:.2f}", "projection", source) for period, price in EUA_PATH]
    return write_csv("eua_path.csv", ["period", "price_eur_per_tco2e", "status", "source"], rows)


# ---------------------------------------------------------------------------- 10. association
# An industry association runs `cbam batch samples/association` over its members' files. Each
# member sends its own file, with its own columns, header language and format; one file in a
# subfolder (members who joined late); one file that cannot be read at all (a PDF saved under a
# .xlsx name) to show that the batch reports it and computes the rest. Fictitious companies.
ASSOCIATION = SAMPLES / "association"
QIANAN = "Hebei Jinhai Plate Co., Ltd. - Qian'an BF-BOF works"
XINGTAI = "Hebei Jinhai Long Products Co., Ltd. - Xingtai rolling mill"
HENGCHANG = "佛山南海恒昌铝型材有限公司"
JIANGBEI = "Wuhu Jiangbei Cement Co., Ltd. - kiln line 3"
LUBEI_UREA = "山东鲁北化肥有限公司 尿素装置"
LUBEI_NPK = "山东鲁北化肥有限公司 复合肥车间"
VENETA = "Ferramenta Veneta S.r.l. (IT09876540321)"

JINHAI_HEADERS = [
    "cn_code",
    "product",
    "country",
    "net_mass_t",
    "import_date",
    "see_direct",
    "route",
    "precursor_mass_t_per_t",
    "precursor_benchmark_tco2e_per_t",
    "installation",
    "importer",
]
JINHAI_ROWS = [
    ("7208 51 20", "Heavy plate > 15 mm (S355)", "CN", 1450.0, "2026-01-22",
     None, None, None, None, QIANAN, RHEINLAND),
    ("7208 39 00", "Hot-rolled coil < 3 mm", "CN", 980.0, "2026-02-17",
     2.06, "C", 1.03, BM_SLAB_BF_BOF, QIANAN, VANDERMEER),
    ("7209 16 90", "Cold-rolled coil 1-3 mm", "CN", 520.5, "2026-04-09",
     None, None, None, None, QIANAN, VANDERMEER),
    ("7210 49 00", "Hot-dip galvanised coil", "CN", 760.0, "2026-05-20",
     None, None, None, None, QIANAN, RHEINLAND),
    ("7214 20 00", "Rebar B500B", "CN", 1820.0, "2026-07-01",
     None, None, None, None, XINGTAI, VANDERMEER),
    ("7216 33 10", "H-beams HEB 160", "CN", 410.0, "2026-08-12",
     None, None, None, None, XINGTAI, RHEINLAND),
    ("7213 91 10", "Wire rod for concrete reinforcement", "CN", 1100.0, "2026-10-05",
     None, None, None, None, XINGTAI, VANDERMEER),
    ("7208 51 20", "Heavy plate > 15 mm (S275)", "CN", 890.0, "2026-11-18",
     2.04, "C", 1.03, BM_SLAB_BF_BOF, QIANAN, RHEINLAND),
]  # fmt: skip

HENGCHANG_ROWS = [
    ("7604 21 00", "铝合金空心型材（门窗）", "中国", 186.0, "2026年1月28日",
     None, None, None, None, HENGCHANG, AL_ROTTERDAM),
    ("7604 29 90", "铝合金工业型材", "中国", 240.5, "2026年3月10日",
     2.05, "K", 1.04, BM_AL_PRIMARY, HENGCHANG, AL_SUED),
    ("7604 29 90", "铝合金工业型材（再生铝）", "中国", 95.0, "2026年5月6日",
     0.45, "L", 1.04, BM_AL_SECONDARY, HENGCHANG, AL_SUED),
    ("7610 10 00", "铝合金门窗框", "中国", 62.3, "2026年6月18日",
     None, None, None, None, HENGCHANG, AL_ROTTERDAM),
    ("7610 90 90", "铝合金幕墙结构件", "中国", 128.7, "2026年9月2日",
     None, None, None, None, HENGCHANG, AL_LEVANTE),
    ("7604 21 00", "铝合金空心型材（门窗）", "中国", 154.0, "2026年11月24日",
     None, None, None, None, HENGCHANG, AL_ROTTERDAM),
]  # fmt: skip

# The last row declares clinker without its route (grey A or white B): rejected, on purpose.
JIANGBEI_ROWS = [
    ("2523 10 00", "CN", 12000.0, "2026-02-09", None, None, "A", None, None, JIANGBEI, RIBERA),
    ("2523 29 00", "China", 8500.0, "2026-04-15", None, None, None, None, None, JIANGBEI, BAUSTOFFE),
    ("2523 29 00", "CN", 6200.0, "2026-06-23", 0.74, 0.06, None, 0.80, BM_CLINKER_GREY, JIANGBEI, RIBERA),
    ("2523 90 00", "CN", 3400.0, "2026-08-19", None, None, "A", None, None, JIANGBEI, BAUSTOFFE),
    ("2523 10 00", "CN", 9000.0, "2026-10-27", None, None, None, None, None, JIANGBEI, RIBERA),
]  # fmt: skip

LUBEI_COLUMNS = [
    "cn_code",
    "country",
    "net_mass_t",
    "import_date",
    "see_direct",
    "see_indirect",
    "precursor_mass_t_per_t",
    "precursor_benchmark_tco2e_per_t",
    "installation",
    "importer",
]
LUBEI_ROWS = [
    ("3102 10 19", "中国", 6500.0, "2026/3/4", None, None, None, None, LUBEI_UREA, AGROHANDEL),
    ("3102 30 90", "中国", 2800.0, "2026/5/12", None, None, None, None, LUBEI_NPK, ADRIATICO),
    ("3105 20 10", "中国", 3600.0, "2026/7/7", None, None, None, None, LUBEI_NPK, ATLANTIQUE),
    ("3102 10 19", "中国", 4200.0, "2026/9/15", 1.15, 0.05, 0.57, BM_AMMONIA, LUBEI_UREA, AGROHANDEL),
    ("3105 20 10", "中国", 1500.0, "2026/11/3", None, None, None, None, LUBEI_NPK, ADRIATICO),
]  # fmt: skip

# A small member: 18.5 t of fasteners in 2026 to one importer, at most 50 t (de minimis, Art 2a).
YONGXIN_HEADERS = ["cn_code", "product", "country", "net_mass_kg", "import_date", "importer"]
YONGXIN_ROWS = [
    ("7318 15 88", "Hex bolts 8.8 M10", "CN", 8200, "2026-02-26", VENETA),
    ("7318 16 92", "Hex nuts M10", "CN", 4300, "2026-06-11", VENETA),
    ("7318 15 88", "Hex bolts 10.9 M16", "CN", 6000, "2026-10-20", VENETA),
]  # fmt: skip

BROKEN_MEMBER = b"%PDF-1.4\n% a member's PDF export, saved under a .xlsx name: not a workbook\n%%EOF\n"


def make_association() -> Path:
    (ASSOCIATION / "newly_joined").mkdir(parents=True, exist_ok=True)
    write_xlsx(
        "association/hebei_jinhai_steel.xlsx",
        JINHAI_HEADERS,
        [(*r[:4], day(r[4]), *r[5:]) for r in JINHAI_ROWS],
        text_columns=("cn_code",),
        date_columns=("import_date",),
    )
    write_xlsx(
        "association/foshan_hengchang_aluminium.xlsx",
        [zh_header(c) for c in AL_COLUMNS],
        HENGCHANG_ROWS,
        sheet="发货明细",
        text_columns=(zh_header("cn_code"), zh_header("import_date")),
    )
    write_csv("association/wuhu_jiangbei_cement.csv", CEMENT_HEADERS, JIANGBEI_ROWS)
    write_csv("association/shandong_lubei_fertiliser.csv", [ZH_HEADERS[c] for c in LUBEI_COLUMNS], LUBEI_ROWS)
    write_csv("association/newly_joined/ningbo_yongxin_fasteners.csv", YONGXIN_HEADERS, YONGXIN_ROWS)
    (ASSOCIATION / "broken_member.xlsx").write_bytes(BROKEN_MEMBER)
    return ASSOCIATION


# ---------------------------------------------------------------------------- 11. templates
# The Commission's five filled examples of the communication template for installations (fictional
# installations, reporting period 2023), as the slim copies of tests/data/templates/ that
# scripts/slim_templates.py wrote: the three sheets cbam-calc reads, byte for byte, 188 KB each
# instead of 1.3 MB. (c) European Union, CC BY 4.0: TEMPLATES_SOURCES says so beside them.
TEMPLATES = SAMPLES / "templates"
TEMPLATE_COPIES = ROOT / "tests" / "data" / "templates"
TEMPLATE_EXAMPLES = [
    "1 CBAM SEE V2.1_Example Cement_final.xlsx",
    "2 CBAM SEE V2.1_Example Steel 1 Blast furnace_final.xlsx",
    "4 CBAM SEE V2.1_Example Steel 3 Screws and nuts_final.xlsx",
    "5 CBAM SEE V2.1_Example Fertilizer_final.xlsx",
    "6 CBAM SEE V2.1_Example Aluminium_final.xlsx",
]
TEMPLATES_SOURCES = """# Communication templates of five installations (the Commission's filled examples)

(c) European Union. The CBAM communication template for installations and the Commission's filled
examples, developed for the European Commission by Umweltbundesamt GmbH, reused under the Creative
Commons Attribution 4.0 International licence (CC BY 4.0,
https://creativecommons.org/licenses/by/4.0/). Official download: the Commission's CBAM page,
Communication-template-examples.zip (template version 2.1).

**Changes made**: slim copies written by `scripts/slim_templates.py` (the same files as
`tests/data/templates/`). Each keeps the three sheets cbam-calc reads (Summary_Products,
Summary_Communication, VersionDocumentation) byte for byte, with the values Excel cached for their
formulas; the 16 other sheets, the defined names and the calculation chain are left out, so the
copies open in Excel but their input sheets are gone. 188 KB each instead of 1.3 MB.

| file | installation (fictional) | country | products (CN) | original SHA-256 |
|---|---|---|---|---|
| 1 CBAM SEE V2.1_Example Cement_final.xlsx | Example Cement Producer | TR | 2523 29 00 | 63654a982a50ab5d988c3487621f670963716dda37cc8afa2cfab19692b1cff5 |
| 2 CBAM SEE V2.1_Example Steel 1 Blast furnace_final.xlsx | Example Blast Steelworks | CN | 7208 10 00, 7212 20 00, 7213 91 20, 7302 10 28 | 51645dac9442237bf3d202321d2ee38e978f526538d36f445ed28eae8725684d |
| 4 CBAM SEE V2.1_Example Steel 3 Screws and nuts_final.xlsx | Example Screw Production Plant | US | 7318 15 42, 7318 15 35 | 47512690d157640ba3828e65fab20f34725dc8aef72406073ca31d5bcbb6fd93 |
| 5 CBAM SEE V2.1_Example Fertilizer_final.xlsx | Example Fertiliser Producer | VN | 3105 20 10 | c6cdda6446660d77c24520dea51b48ba2d87a1e4442f81f2d53a3922c8edbbd5 |
| 6 CBAM SEE V2.1_Example Aluminium_final.xlsx | Example Aluminium Producer | US | 7601 10 10, 7605 19 00 | ed1cae42965d25347197b4f282950b93fd21c22f2f06b20ab1bbb0c9a6bfbbf5 |

Their reporting period is 2023: for 2026 imports cbam-calc warns that the period is not the year
of import (imports of a year use the installation's latest completed period) and uses them.
`../shipments_templates_zh.xlsx` ships these installations' products.
"""  # noqa: E501 (a Markdown table)

# A Chinese trading house's 2026 shipments, Chinese headers: the example installations' products
# (installation names as their templates give them), one product of the steelworks its template
# does not list, one cement line whose own verified SEE win over the template, and lines of other
# installations (or none named) on default values. Masses and dates fictitious.
TPL_HEADERS = ["报关单号", "商品编码", "品名", "原产国", "净重(吨)", "进口日期", "生产设施", "进口商",
               "直接排放", "间接排放"]  # fmt: skip
NORDSEE = "Nordsee Stahlimport GmbH (DE6612093371000)"
LAGUNARE = "Lagunare Metalli S.p.A. (IT04567890123)"
BOUWSTOF = "Bouwstof Import B.V. (NL861234567)"
BLAST = "Example Blast Steelworks"
SCREWS = "Example Screw Production Plant"
CEMENT_PRODUCER = "Example Cement Producer"
FERTILISER_PRODUCER = "Example Fertiliser Producer"
ALUMINIUM_PRODUCER = "Example Aluminium Producer"
SHAZHOU = "江苏沙洲钢铁有限公司 二号高炉"
ANADOLU = "Anadolu Çimento Fabrikası - Bartın plant"
TPL_ROWS = [
    ("2026-HK-0101", "7208 10 00", "热轧花纹卷", "中国", 1250.0, "2026-02-10", BLAST, NORDSEE, None, None),
    ("2026-HK-0102", "7212 20 00", "电镀锌窄带钢", "中国", 320.5, "2026-03-18", BLAST, NORDSEE, None, None),
    ("2026-HK-0117", "7213 91 20", "盘条", "中国", 860.0, "2026-05-06", BLAST, LAGUNARE, None, None),
    ("2026-HK-0131", "7302 10 28", "钢轨", "中国", 540.0, "2026-07-21", BLAST, LAGUNARE, None, None),
    ("2026-HK-0125", "7210 49 00", "热镀锌板卷", "中国", 410.0, "2026-06-02", BLAST, NORDSEE, None, None),
    ("2026-HK-0112", "7318 15 42", "碳钢螺钉", "美国", 24.6, "2026-04-14", SCREWS, LAGUNARE, None, None),
    ("2026-HK-0144", "7318 15 35", "高合金钢螺钉", "美国", 8.2, "2026-09-08", SCREWS, LAGUNARE, None, None),
    ("2026-HK-0108", "2523 29 00", "普通硅酸盐水泥", "土耳其", 12000.0, "2026-03-03", CEMENT_PRODUCER,
     BOUWSTOF, None, None),
    ("2026-HK-0152", "2523 29 00", "普通硅酸盐水泥", "土耳其", 9500.0, "2026-10-12", CEMENT_PRODUCER,
     BOUWSTOF, 0.762, 0.118),
    ("2026-HK-0121", "3105 20 10", "NPK复合肥 15-15-15", "越南", 3500.0, "2026-05-26",
     FERTILISER_PRODUCER, BOUWSTOF, None, None),
    ("2026-HK-0105", "7601 10 10", "原铝扁锭", "美国", 480.0, "2026-02-24", ALUMINIUM_PRODUCER,
     NORDSEE, None, None),
    ("2026-HK-0138", "7605 19 00", "铝线", "美国", 95.0, "2026-08-11", ALUMINIUM_PRODUCER, NORDSEE,
     None, None),
    ("2026-HK-0114", "7208 39 00", "热轧薄板卷", "中国", 980.0, "2026-04-01", SHAZHOU, NORDSEE, None, None),
    ("2026-HK-0128", "7214 20 00", "螺纹钢", "中国", 1500.0, "2026-06-15", SHAZHOU, LAGUNARE, None, None),
    ("2026-HK-0133", "7604 29 10", "铝型材", "中国", 210.0, "2026-07-07", EXTRUDER, LAGUNARE, None, None),
    ("2026-HK-0149", "2523 29 00", "普通硅酸盐水泥", "土耳其", 6000.0, "2026-09-22", ANADOLU, BOUWSTOF,
     None, None),
    ("2026-HK-0160", "7308 90 98", "钢结构件", "中国", 65.0, "2026-11-17", None, NORDSEE, None, None),
]  # fmt: skip


def make_templates() -> Path:
    TEMPLATES.mkdir(exist_ok=True)
    for name in TEMPLATE_EXAMPLES:
        (TEMPLATES / name).write_bytes((TEMPLATE_COPIES / name).read_bytes())
    (TEMPLATES / "SOURCES.md").write_text(TEMPLATES_SOURCES, encoding="utf-8")
    return TEMPLATES


def make_templates_shipments() -> Path:
    return write_xlsx(
        "shipments_templates_zh.xlsx",
        TPL_HEADERS,
        [(*r[:5], day(r[5]), *r[6:]) for r in TPL_ROWS],
        sheet="发货明细",
        text_columns=("报关单号", "商品编码"),
        date_columns=("进口日期",),
        notes=[
            "样例：一家贸易公司 2026 年对欧盟发货（数量、日期和进口商均为虚构）。",
            "生产设施名称与 samples/templates/ 中各设施的通报模板（欧盟委员会的填写示例）一致：",
            "这些行采用模板中的实际排放（SEE）；模板未列出的产品（第6行 7210 49 00）",
            "和其他生产设施的行采用欧盟默认值。",
            "第10行自带经核查的直接/间接排放：发货表中的数值优先于模板。",
            "运行：cbam emissions samples/templates/",
            "      cbam calc samples/shipments_templates_zh.xlsx --emissions samples/templates/",
        ],
    )


# ---------------------------------------------------------------------------- 8b. carbon prices
# The carbon-prices table of the steel sample (inputs/carbon_prices.py), Chinese headers: one row per
# instrument an installation pays through. CEA at its close of 19 Nov 2025 (66.86 CNY, RULES.md
# "China: CNETS and CCER"), CCER at the Fudan index mid price of August 2025 (79.91 CNY/tCO2e,
# shared/data/prices/observed.csv); shares, free allocation and the voluntary CCER are fictitious.
CP_HEADERS = [
    "生产设施",
    "年份",
    "工具类型",
    "碳定价机制",
    "碳定价工具",
    "用途",
    "覆盖比例",
    "碳价",
    "计价基础",
    "币种",
    "免费配额比例",
    "已证明",
]
CP_ROWS = [
    (TANGSHAN, 2026, "全国碳排放权交易体系", "全国碳市场", "碳排放配额", "履约", "95%", 66.86,
     "每吨二氧化碳当量", "人民币", "90%", "是"),
    (TANGSHAN, 2026, "全国碳排放权交易体系", "全国碳市场", "CCER", "履约", "5%", 79.91,
     "每吨二氧化碳当量", "人民币", None, "是"),
    (RIZHAO, 2026, None, None, "CCER", "自愿", "5%", 79.91,
     "每吨二氧化碳当量", "人民币", None, "是"),
]  # fmt: skip


def make_carbon_prices_zh() -> Path:
    return write_xlsx(
        "carbon_prices_zh.xlsx",
        CP_HEADERS,
        CP_ROWS,
        sheet="碳价",
        title=["碳价表：生产设施通过的每种碳定价工具一行（配合 shipments_cn_steel.xlsx）"],
        notes=[
            "唐山：全国碳市场配额（CEA）覆盖95%的排放，其中90%为免费配额；另以CCER履约清缴5%（上限5%）。",
            "日照：CCER自愿注销5%：自愿抵销不减少CBAM费用（第9条草案）。",
            "运行：cbam calc samples/shipments_cn_steel.xlsx --carbon-prices samples/carbon_prices_zh.xlsx",
        ],
    )


# ---------------------------------------------------------------------------- 9. README
README_FILES = [
    # file, what it shows, how to run it
    ("shipments_cn_steel.xlsx",
     "A Chinese steel exporter, 20 lines, English headers: coil, plate, wire rod, rebar, sections, "
     "tubes, fasteners, structures; mostly EU default values, four lines with verified actual data "
     "(BF-BOF route C, one scrap-EAF route E); one importer under 50 t (de minimis).",
     "`cbam calc samples/shipments_cn_steel.xlsx -o report.xlsx`"),
    ("shipments_cn_aluminium_zh.xlsx",
     "A Chinese aluminium exporter, 13 lines, Chinese headers (商品编码, 净重(吨) ...) and dates "
     "written 2026年3月14日; primary (K) and secondary (L) actual data mixed with defaults.",
     "`cbam calc samples/shipments_cn_aluminium_zh.xlsx --lang zh`"),
    ("shipments_cement.csv",
     "Clinker, grey Portland and other hydraulic cements from Egypt and Morocco, 12 lines; route A/B "
     "where the law needs it; actual lines give direct and indirect emissions (both count for cement).",
     "`cbam calc samples/shipments_cement.csv`"),
    ("shipments_fertilisers.csv",
     "Ammonia, nitric acid, urea (CN 2026 codes 3102 10 12 / 19), ammonium nitrate and NPK from "
     "Trinidad and Tobago, Algeria, Egypt and Russia, 12 lines; default and actual data.",
     "`cbam calc samples/shipments_fertilisers.csv`"),
    ("shipments_mixed_actual_default.xlsx",
     "The same Chinese steel and aluminium goods declared twice (pairs P1-P7): verified actual data "
     "versus default values; two title lines above the header, a quarter column instead of dates.",
     "`cbam calc samples/shipments_mixed_actual_default.xlsx --lines-out lines.csv`"),
    ("shipments_art9_cnets.xlsx",
     "Art 9 (draft): CNETS allowance price paid in CNY per tCO2e, free allocation shares 0.90-0.99, "
     "rebates, one line not evidenced (row 7); every line has actual emissions.",
     "`cbam calc samples/shipments_art9_cnets.xlsx` (then add `--art9 off`)"),
    ("shipments_with_errors.csv",
     "18 rows: 6 fine, 12 with one typical mistake each (CN outside CBAM, split urea code, 7-digit "
     "CN, misspelt country, Norway, negative or non-numeric mass, 2025 date, ambiguous date, clinker "
     "or actual slab without route, carbon price without currency); the `note` column says which.",
     "`cbam calc samples/shipments_with_errors.csv -o report.xlsx` (see the Rejected sheet)"),
    ("eua_path.csv",
     "An illustrative certificate price path 2027-2034 (80 to 130 EUR/tCO2e), status `projection`: "
     "not a forecast. Each year's figure covers the application weeks of the weekly price (Tuesday "
     "to Monday) that start in that year: Monday 2029-01-01 takes 2028's 86, Monday 2029-12-31 "
     "2029's 92.",
     "Python: `calculate(file, CalcOptions(year=2030), "
     "price_path=pandas.read_csv(\"samples/eua_path.csv\"))`"),
    ("association/",
     "An industry association's members, one file each: Hebei steel (xlsx, English headers), Foshan "
     "aluminium (xlsx, Chinese headers), Wuhu cement (csv; one clinker line without its route is "
     "rejected), Shandong fertilisers (csv, Chinese headers), and in `newly_joined/` a small fastener "
     "maker in kg (18.5 t: de minimis); `broken_member.xlsx` is not a workbook and is reported, not "
     "computed.",
     "`cbam batch samples/association -o association.xlsx --html association.html`"),
    ("templates/",
     "The communication templates of five installations: the Commission's filled examples (cement "
     "TR, blast-furnace steel CN, screws and nuts US, NPK fertiliser VN, aluminium US; fictional, "
     "reporting period 2023), slim copies, (c) European Union, CC BY 4.0 (`templates/SOURCES.md`).",
     "`cbam emissions samples/templates/`"),
    ("carbon_prices_zh.xlsx",
     "Art 9 (draft): the carbon-prices table of the steel sample, Chinese headers (生产设施, 碳定价工具, "
     "用途, 覆盖比例, 碳价 ...), one row per instrument: Tangshan pays CNETS allowances (CEA) for 95 % "
     "of its emissions (90 % of them free) and surrenders CCER for compliance for 5 %; Rizhao retires "
     "CCER voluntarily (which reduces nothing).",
     "`cbam calc samples/shipments_cn_steel.xlsx --carbon-prices samples/carbon_prices_zh.xlsx`"),
    ("shipments_templates_zh.xlsx",
     "A trading house's 17 lines, Chinese headers (生产设施 names the installation as its template "
     "does): 10 lines of the five installations' products, which take their SEE from `templates/`; one "
     "product no template lists (row 6) and one cement line with its own verified SEE (row 10, the "
     "shipment file wins); 5 lines of other installations, or none named, on default values.",
     "`cbam calc samples/shipments_templates_zh.xlsx --emissions samples/templates/` (and `cbam "
     "scenario ... --emissions samples/templates/`)"),
]  # fmt: skip


def make_readme() -> Path:
    lines = [
        "# Sample input files",
        "",
        "Rebuilt by `python scripts/make_samples.py` (same bytes each run). All companies, "
        "installations, EORI numbers and emission figures are fictitious; CN codes, countries and "
        "rules are real. Precursor chain benchmarks (`precursor_benchmark_tco2e_per_t`) are sums of "
        "IR 2025/2620 Column A values along simplified chains; the engine applies the CBAM factor of "
        "the year to them.",
        "",
        "| file | what it shows | run it |",
        "|---|---|---|",
        *(f"| `{f}` | {what} | {how} |" for f, what, how in README_FILES),
        "",
        "One line in detail: `cbam explain samples/shipments_cn_steel.xlsx --line 3`.",
        "",
    ]
    path = SAMPLES / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main() -> None:
    SAMPLES.mkdir(exist_ok=True)
    for make in (
        make_steel,
        make_aluminium_zh,
        make_cement,
        make_fertilisers,
        make_mixed,
        make_art9,
        make_errors,
        make_eua_path,
        make_association,
        make_templates,
        make_templates_shipments,
        make_carbon_prices_zh,
        make_readme,
    ):
        print(make().relative_to(ROOT))


if __name__ == "__main__":
    main()
