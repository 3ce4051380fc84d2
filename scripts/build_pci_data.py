"""Generate the PCI data files shipped in ``src/pciplan/data/pci`` from the reference data.

Run once, by hand, when the reference data change; the output is committed and the package never reads
the reference folder at run time::

    .venv/bin/python scripts/build_pci_data.py [--source /work/shared/data] [--skip-calibration]

Inputs (``--source``): VCCI's PCI data workbooks 2013–2016 (``pci-vcci-2013-2016/xlsx``) and the
indicator dictionary built from them, Bắc Giang's 2006–2022 scores and the 2020 ranking table from
pcivietnam.vn. Every output row keeps the URL it came from.

Outputs (``src/pciplan/data/pci``): ``editions/*.json``, ``years.csv``, ``group_cutoffs.csv``,
``results.csv``, ``indicators.csv``, ``indicator_values.csv``. See that folder's README.md.

The rescaling bounds written for 2016 in ``indicators.csv`` are calibrated on 2013–2015 data only
(:func:`pciplan.engine.calibrate.calibrate_benchmarks`); docs/engine.md explains how and how well they
reproduce the published 2016 sub-index scores.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pciplan.engine.calibrate import calibrate_benchmarks  # noqa: E402
from pciplan.engine.provinces import ProvinceMatcher  # noqa: E402
from pciplan.lib.text import nfc  # noqa: E402

OUT = ROOT / "src" / "pciplan" / "data" / "pci"
CODES = [
    "entry_costs", "land_access", "transparency", "time_costs", "informal_charges",
    "policy_bias", "proactivity", "business_support", "labor_training", "legal_institutions",
]
WORKBOOK_YEARS = (2013, 2014, 2015, 2016)
# Published sub-indices the 2016 bounds are fitted to (2013 used other indicator sets and bounds: it only
# supplies the records the benchmarks must contain).
CALIBRATION_YEARS = (2014, 2015)
HISTORY_YEARS = (2013, 2014, 2015)
WORKBOOK_COMMIT = "be581b8"
WORKBOOK_URL = "https://github.com/mdtrinh/vietnamdata/blob/{commit}/data-raw/PCI/PCI_{year}.xlsx"
WORKBOOK_NOTE = ("VCCI PCI data workbook (scraped from pcivietnam.org by the R package vietnamdata), "
                 "full precision")
PRE_2013_NOTE = "methodology before 2013"
GROUPS = ["Rất tốt", "Tốt", "Khá", "Trung bình", "Tương đối thấp", "Thấp"]
GROUPS_EN = ["Excellent", "High", "Mid-high", "Mid-low", "Low", "Very low"]
SUBINDEX_SHEET_ORDER = CODES  # the ten sub-index sheets follow the column order


# --------------------------------------------------------------------------------------------- editions

SUBINDEX_TEXT = {
    "entry_costs": ("Chi phí gia nhập thị trường", "Entry costs",
                    ["Gia nhập thị trường", "Chi phí gia nhập", "Chỉ số gia nhập thị trường"]),
    "land_access": ("Tiếp cận đất đai", "Land access and security of tenure",
                    ["Tiếp cận đất đai và sự ổn định trong sử dụng đất", "Đất đai"]),
    "transparency": ("Tính minh bạch", "Transparency",
                     ["Tính minh bạch và tiếp cận thông tin", "Minh bạch"]),
    "time_costs": ("Chi phí thời gian", "Time costs",
                   ["Chi phí thời gian để thực hiện các quy định của Nhà nước",
                    "Chi phí thời gian thực hiện các quy định"]),
    "informal_charges": ("Chi phí không chính thức", "Informal charges", ["Chi phí phi chính thức"]),
    "policy_bias": ("Cạnh tranh bình đẳng", "Policy bias",
                    ["Môi trường cạnh tranh bình đẳng", "Bình đẳng", "Equitable competition"]),
    "proactivity": ("Tính năng động", "Proactivity of provincial leadership",
                    ["Tính năng động và tiên phong của lãnh đạo tỉnh",
                     "Tính năng động và tiên phong của chính quyền tỉnh", "Năng động"]),
    "business_support": ("Dịch vụ hỗ trợ doanh nghiệp", "Business support services",
                         ["Hỗ trợ doanh nghiệp", "Dịch vụ hỗ trợ DN", "Chính sách hỗ trợ doanh nghiệp"]),
    "labor_training": ("Đào tạo lao động", "Labor training", ["Đào tạo nguồn nhân lực", "Lao động"]),
    "legal_institutions": ("Thiết chế pháp lý", "Legal institutions",
                           ["Thiết chế pháp lý và an ninh trật tự", "Thiết chế pháp lý và ANTT",
                            "Thiết chế pháp lý & an ninh trật tự"]),
}
# The 2021 revision renamed sub-index 8 and 10; pci-2022 uses the new names, the old ones become aliases.
RENAMED_2021 = {
    "business_support": ("Chính sách hỗ trợ doanh nghiệp", "Business support policy"),
    "legal_institutions": ("Thiết chế pháp lý và an ninh trật tự", "Legal institutions and law and order"),
}
WEIGHTS = {
    "pci-2013": [5, 5, 20, 5, 10, 5, 5, 20, 20, 5],
    "pci-2022": [5, 10, 5, 5, 15, 10, 15, 15, 10, 10],
}


def _aggregation(code: str) -> dict:
    if code == "legal_institutions":
        return {"method": "group_weights", "group_by": "source_type",
                "group_weights_percent": {"survey": 60, "hard": 40},
                "rescale": "1 + 9·(x − L)/(U − L), direction applied, clamped to [1, 10]",
                "note": "60% khảo sát doanh nghiệp, 40% số liệu tòa án (thống kê cứng)."}
    if code in {"business_support", "labor_training"}:
        return {"method": "mean", "rescale": "1 + 9·(x − L)/(U − L), direction applied, clamped to [1, 10]",
                "note": ("Trung bình các chỉ tiêu đã chuẩn hóa; điểm công bố không hoàn toàn tuyến tính theo "
                         "các chỉ tiêu trong bảng dữ liệu (xem docs/engine.md).")}
    return {"method": "mean", "rescale": "1 + 9·(x − L)/(U − L), direction applied, clamped to [1, 10]"}


def edition_json(code: str) -> dict:
    subindices = []
    for number, (sub, weight) in enumerate(zip(CODES, WEIGHTS[code], strict=True), start=1):
        name_vi, name_en, aliases = SUBINDEX_TEXT[sub]
        aliases = list(aliases)
        if code == "pci-2022" and sub in RENAMED_2021:
            aliases = [name_vi, *[a for a in aliases if a != RENAMED_2021[sub][0]]]
            name_vi, name_en = RENAMED_2021[sub]
        subindices.append({"code": sub, "number": number, "name_vi": name_vi, "name_en": name_en,
                           "weight_percent": weight, "aliases": aliases, "aggregation": _aggregation(sub)})
    common = {
        "index": "PCI", "scale_min": 1, "scale_max": 10, "total_multiplier": 10,
    }
    if code == "pci-2013":
        return {
            "code": code, "name_vi": "PCI — phương pháp 2013 (áp dụng 2013–2021)",
            "name_en": "PCI — 2013 methodology (2013–2021)", **common,
            "first_year": 2013, "last_year": 2021, "subindices": subindices,
            "source": {
                "publisher": "VCCI — Phòng Thương mại và Công nghiệp Việt Nam (pcivietnam.vn)",
                "urls": [WORKBOOK_URL.format(commit=WORKBOOK_COMMIT, year=y) for y in WORKBOOK_YEARS]
                + ["https://pcivietnam.vn"],
            },
            "notes": ("PCI = 10 × Σ wᵢ·sᵢ. Trọng số 5/5/20/5/10/5/5/20/20/5 (%) tái tạo toàn bộ 252 tổng điểm "
                      "công bố 2013–2016 (63 tỉnh × 4 năm) từ điểm chỉ số thành phần đủ độ chính xác trong các "
                      "bảng dữ liệu VCCI, sai lệch dưới 0,00001. Weights reproduce all 252 published "
                      "2013–2016 totals from the full-precision sub-index scores in VCCI's workbooks."),
        }
    return {
        "code": code, "name_vi": "PCI — phương pháp 2022 (từ PCI 2022)",
        "name_en": "PCI — 2022 methodology (from PCI 2022)", **common,
        "first_year": 2022, "last_year": None, "subindices": subindices,
        "source": {
            "publisher": "VCCI — Phòng Thương mại và Công nghiệp Việt Nam (pcivietnam.vn)",
            "urls": ["https://pcivietnam.vn/bang-xep-hang", "https://www.pcivietnam.vn/ho-so-tinh/bac-giang"],
        },
        "notes": ("Trọng số 5/10/5/5/15/10/15/15/10/10 (%) được suy ra từ điểm PCI 2022 đã công bố: đó là véc-tơ "
                  "trọng số duy nhất theo bước 5% khớp tổng điểm của bảy tỉnh; chưa tìm thấy văn bản VCCI công "
                  "bố trực tiếp các trọng số này. Lần sửa đổi 2021 đổi tên chỉ số 8 thành “Chính sách hỗ trợ "
                  "doanh nghiệp” và chỉ số 10 còn được gọi là “Thiết chế pháp lý và an ninh trật tự”. "
                  "Weights derived from published PCI 2022 scores (the only 5%-step vector that fits seven "
                  "provinces); VCCI's own statement of them was not found."),
    }


def ddci_example_json() -> dict:
    subs = [
        ("transparency", "Tính minh bạch và tiếp cận thông tin", "Transparency and access to information", 15,
         ["Tính minh bạch", "Minh bạch"]),
        ("proactivity", "Tính năng động và hiệu lực chỉ đạo", "Proactivity and leadership", 15,
         ["Tính năng động", "Năng động"]),
        ("time_costs", "Chi phí thời gian", "Time costs", 15, ["Thời gian"]),
        ("informal_charges", "Chi phí không chính thức", "Informal charges", 10, []),
        ("policy_bias", "Cạnh tranh bình đẳng", "Equal treatment", 10, ["Bình đẳng"]),
        ("business_support", "Hỗ trợ doanh nghiệp", "Business support", 15, ["Dịch vụ hỗ trợ doanh nghiệp"]),
        ("legal_institutions", "Thiết chế pháp lý", "Legal institutions", 10, []),
        ("leadership", "Vai trò người đứng đầu", "Role of the head of the department", 10,
         ["Người đứng đầu"]),
    ]
    return {
        "code": "ddci-example", "name_vi": "VÍ DỤ — khung DDCI minh họa (trọng số tự đặt)",
        "name_en": "EXAMPLE — illustrative DDCI framework (made-up weights)", "index": "DDCI",
        "is_example": True, "first_year": 2020, "last_year": None,
        "scale_min": 1, "scale_max": 10, "total_multiplier": 10,
        "subindices": [
            {"code": c, "number": i, "name_vi": vi, "name_en": en, "weight_percent": w, "aliases": al,
             "aggregation": {"method": "mean"}}
            for i, (c, vi, en, w, al) in enumerate(subs, start=1)
        ],
        "source": {"publisher": "pciplan (ví dụ)", "urls": []},
        "notes": ("ĐÂY LÀ VÍ DỤ. Khung DDCI (Chỉ số năng lực cạnh tranh cấp sở, ban, ngành và địa phương) "
                  "minh họa cách một tỉnh chấm điểm các sở theo chỉ số thành phần riêng. Tên chỉ số và trọng số "
                  "do pciplan tự đặt để minh họa, KHÔNG do tỉnh hay cơ quan nào công bố; mỗi tỉnh tự ban hành "
                  "khung DDCI của mình. THIS IS AN EXAMPLE with made-up weights, not published by anyone."),
    }


# -------------------------------------------------------------------------------------------- workbooks

def _read_workbook(path: Path):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, data_only=True, read_only=False)


def read_workbooks(source: Path, matcher: ProvinceMatcher):
    """Return (summary rows, sub-index scores, indicator values) from the four workbooks."""
    summary, scores, values = [], [], []
    for year in WORKBOOK_YEARS:
        wb = _read_workbook(source / "pci-vcci-2013-2016" / "xlsx" / f"PCI_{year}.xlsx")
        ws = wb["Summary_VN"]
        rows = list(ws.iter_rows(min_row=2, max_row=64, max_col=27, values_only=True))
        for r in rows:
            slug = matcher.slug(r[21])
            if slug is None:
                raise SystemExit(f"{year}: unknown province in Summary_VN: {r[21]!r}")
            summary.append({"year": year, "slug": slug, "name_in_sheet": r[21], "pci": float(r[22]),
                            "rank": int(r[23]), "group": nfc(str(r[24]))})
            for k, code in enumerate(CODES):
                s_slug = matcher.slug(r[1 + 2 * k])
                if s_slug is None:
                    raise SystemExit(f"{year}: unknown province {r[1 + 2 * k]!r}")
                scores.append({"year": year, "slug": s_slug, "code": code, "score": float(r[2 + 2 * k]),
                               "sheet": "Summary_VN"})
        for code, ws in zip(SUBINDEX_SHEET_ORDER, wb.worksheets[2:12], strict=True):
            rows = list(ws.iter_rows(min_row=1, max_row=66, max_col=40, values_only=True))
            header = rows[2]
            labels = rows[0]
            si = next(i for i, c in enumerate(header) if isinstance(c, str) and c.startswith("sub"))
            columns = [(i, c.strip(), labels[i]) for i, c in enumerate(header) if i > si and isinstance(c, str)]
            for r in rows[3:66]:
                slug = matcher.slug(r[1])
                if slug is None:
                    raise SystemExit(f"{year} {ws.title}: unknown province {r[1]!r}")
                scores.append({"year": year, "slug": slug, "code": code, "score": float(r[si]), "sheet": ws.title})
                for i, ind, _label in columns:
                    if r[i] is None:
                        continue
                    values.append({"year": year, "slug": slug, "subindex_code": code, "code": ind,
                                   "value": float(r[i])})
    return pd.DataFrame(summary), pd.DataFrame(scores), pd.DataFrame(values)


# ------------------------------------------------------------------------------------------------ build

def _fmt(x, digits: int | None = None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        if digits is not None:
            return f"{x:.{digits}f}"
        return repr(float(x))
    return str(x)


def write_csv(path: Path, header: list[str], rows: list[dict]):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: _fmt(row.get(k)) for k in header})


def build(source: Path, calibrate: bool = True):
    matcher = ProvinceMatcher.default()
    (OUT / "editions").mkdir(parents=True, exist_ok=True)
    for code in ("pci-2013", "pci-2022"):
        (OUT / "editions" / f"{code}.json").write_text(
            json.dumps(edition_json(code), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (OUT / "editions" / "ddci-example.json").write_text(
        json.dumps(ddci_example_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    summary, scores, values = read_workbooks(source, matcher)
    names = dict(zip(matcher.provinces.slug, matcher.provinces.name, strict=True))

    # The sub-index sheets and Summary_VN must agree exactly (same float32 values, different spellings).
    piv = scores.pivot_table(index=["year", "slug", "code"], columns="sheet", values="score", aggfunc="first")
    sheet_cols = [c for c in piv.columns if c != "Summary_VN"]
    other = piv[sheet_cols].bfill(axis=1).iloc[:, 0]
    diff = (piv["Summary_VN"] - other).abs().max()
    if not diff < 1e-9:
        raise SystemExit(f"Summary_VN and sub-index sheets disagree by {diff}")
    full = piv["Summary_VN"].unstack("code")[CODES]

    # ---- results.csv
    results = []
    wb_url = {y: WORKBOOK_URL.format(commit=WORKBOOK_COMMIT, year=y) for y in WORKBOOK_YEARS}
    for rec in summary.sort_values(["year", "rank", "slug"]).itertuples():
        sub = full.loc[(rec.year, rec.slug)]
        row = {"year": rec.year, "province_slug": rec.slug, "province_name": names[rec.slug],
               "pci": rec.pci, "rank": rec.rank, "group": rec.group, "precision": "full",
               "source_url": wb_url[rec.year], "methodology_note": ""}
        row.update({c: float(sub[c]) for c in CODES})
        results.append(row)
    bg = pd.read_csv(source / "pci-bac-giang-2006-2022.csv")
    t20 = pd.read_csv(source / "pci-2020-totals-63provinces.csv")
    for rec in bg.itertuples():
        if rec.year in WORKBOOK_YEARS:
            continue  # covered at full precision
        row = {"year": int(rec.year), "province_slug": rec.slug, "province_name": names[rec.slug],
               "pci": float(rec.pci), "rank": int(rec.rank), "group": "", "precision": "2dp",
               "source_url": rec.source_url,
               "methodology_note": PRE_2013_NOTE + (f"; {rec.note}" if isinstance(rec.note, str) else "")
               if rec.year < 2013 else ""}
        for c in CODES:
            v = getattr(rec, c)
            row[c] = None if pd.isna(v) else float(v)
        if rec.year == 2020:
            match = t20[t20.slug == rec.slug].iloc[0]
            assert abs(match.pci - rec.pci) < 1e-9 and int(match["rank"]) == int(rec.rank)
            row["methodology_note"] = ("tổng điểm và thứ hạng trùng với bảng xếp hạng PCI 2020: "
                                       + str(match.source_url))
        results.append(row)
    for rec in t20.itertuples():
        if rec.slug == "bac-giang":
            continue
        slug = matcher.slug(rec.province)
        assert slug == rec.slug, (rec.province, slug)
        results.append({"year": 2020, "province_slug": rec.slug, "province_name": names[rec.slug],
                        "pci": float(rec.pci), "rank": int(rec.rank), "group": "", "precision": "2dp",
                        "source_url": rec.source_url,
                        "methodology_note": "chỉ có tổng điểm và thứ hạng (bảng xếp hạng); không có điểm chỉ số thành phần"})
    results.sort(key=lambda r: (r["year"], r["rank"], r["province_slug"]))
    header = ["year", "province_slug", "province_name", *CODES, "pci", "rank", "group", "precision",
              "source_url", "methodology_note"]
    write_csv(OUT / "results.csv", header, results)

    # ---- group_cutoffs.csv (derived from the published tiers, 2013–2016)
    cut_rows = []
    for year in WORKBOOK_YEARS:
        s = summary[summary.year == year]
        order = {g: i for i, g in enumerate(GROUPS)}
        if set(s.group) - set(GROUPS):
            raise SystemExit(f"{year}: unknown groups {set(s.group) - set(GROUPS)}")
        for g in GROUPS[:-1]:
            members = s[s.group == g]
            below = s[s.group.map(order) > order[g]]
            if members.empty:
                continue
            lo, hi_below = members.pci.min(), below.pci.max()
            if not lo > hi_below:
                raise SystemExit(f"{year}: group {g} overlaps the next one")
            cut_rows.append({"year": year, "group": g, "group_en": GROUPS_EN[order[g]], "min_score": lo,
                             "next_group_max": hi_below, "n_provinces": len(members),
                             "source_url": wb_url[year],
                             "note": ("suy ra từ nhóm xếp hạng đã công bố: điểm thấp nhất của nhóm; ngưỡng thật "
                                      "nằm giữa next_group_max và min_score (VCCI không công bố ngưỡng)")})
        last = s[s.group == GROUPS[-1]]
        cut_rows.append({"year": year, "group": GROUPS[-1], "group_en": GROUPS_EN[-1], "min_score": None,
                         "next_group_max": None, "n_provinces": len(last), "source_url": wb_url[year],
                         "note": "nhóm thấp nhất: mọi điểm dưới ngưỡng nhóm Tương đối thấp"})
    write_csv(OUT / "group_cutoffs.csv", ["year", "group", "group_en", "min_score", "next_group_max",
                                          "n_provinces", "source_url", "note"], cut_rows)

    # ---- years.csv
    year_rows = []
    for year in range(2006, 2026):
        edition = "pci-2013" if 2013 <= year <= 2021 else ("pci-2022" if year >= 2022 else "")
        row = {"year": year, "edition": edition, "n_ranked": None, "published_top": None,
               "survey_firms": None, "methodology_note": "", "source_url": "https://pcivietnam.vn"}
        if year < 2013:
            row["methodology_note"] = PRE_2013_NOTE + "; số tỉnh được xếp hạng chưa có trong nguồn của dự án"
            row["source_url"] = "https://www.pcivietnam.vn/ho-so-tinh/bac-giang"
        elif year <= 2024:
            row["n_ranked"] = 63
        else:
            row["n_ranked"] = 34
            row["methodology_note"] = ("34 tỉnh, thành phố sau sắp xếp từ 1/7/2025 (Nghị quyết 202/2025/QH15); "
                                       "lịch sử giữ theo 63 tỉnh cũ")
        if year >= 2023:
            row["published_top"] = 30
            row["methodology_note"] = "; ".join(filter(None, [
                "VCCI chỉ công bố điểm và thứ hạng của 30 tỉnh đứng đầu", row["methodology_note"]]))
        if year in WORKBOOK_YEARS:
            row["source_url"] = wb_url[year]
        if year == 2020:
            row["survey_firms"] = 12295
            row["source_url"] = str(t20.source_url.iloc[0])
        year_rows.append(row)
    write_csv(OUT / "years.csv", ["year", "edition", "n_ranked", "published_top", "survey_firms",
                                  "methodology_note", "source_url"], year_rows)

    # ---- indicators.csv and indicator_values.csv
    dic = pd.read_csv(source / "pci-vcci-2013-2016" / "pci_indicator_dictionary_2013_2016.csv")
    values = values.merge(dic[["year", "code", "subindex_key"]].rename(columns={"subindex_key": "dict_sub"}),
                          on=["year", "code"], how="left")
    missing = values[values.dict_sub.isna()][["year", "code"]].drop_duplicates()
    if not missing.empty:
        raise SystemExit(f"indicators missing from the dictionary: {missing.to_dict('records')}")
    ranges = values.groupby("code").value.agg(["min", "max"])
    ind_rows = []
    for rec in dic.itertuples():
        label = str(rec.label_vi).strip()
        lo, hi = ranges.loc[rec.code, "min"], ranges.loc[rec.code, "max"]
        looks_percent = "%" in label or label.lower().startswith(("tỉ lệ", "tỷ lệ"))
        is_share = looks_percent and lo >= 0 and hi <= 1 and rec.code != "private_cases"
        ind_rows.append({"year": int(rec.year), "subindex_code": rec.subindex_key, "number": int(rec.indicator_no),
                         "code": rec.code, "label_vi": label,
                         "direction": 1 if rec.direction_derived == "+" else -1,
                         "source_type": rec.source_type_guess, "is_percent": is_share,
                         "source_url": wb_url[int(rec.year)]})
    ind = pd.DataFrame(ind_rows)
    share = {(r.year, r.code) for r in ind.itertuples() if r.is_percent}
    values["value100"] = [v * 100.0 if (y, c) in share else v
                          for y, c, v in zip(values.year, values.code, values.value, strict=True)]

    bounds = {}
    if calibrate:
        bounds = calibrate_2016(values, full, ind)
    for r in ind_rows:
        b = bounds.get((r["year"], r["code"]))
        if b:
            r.update(b)
    write_csv(OUT / "indicators.csv",
              ["year", "subindex_code", "number", "code", "label_vi", "direction", "source_type", "is_percent",
               "lower_bound", "upper_bound", "weight", "bounds_rule", "bounds_note", "source_url"], ind_rows)
    val_rows = [{"year": y, "province_slug": s, "code": c, "value": v, "source_url": wb_url[y]}
                for y, s, c, v in zip(values.year, values.slug, values.code, values.value100, strict=True)]
    val_rows.sort(key=lambda r: (r["year"], r["code"], r["province_slug"]))
    write_csv(OUT / "indicator_values.csv", ["year", "province_slug", "code", "value", "source_url"], val_rows)
    print(f"results: {len(results)} rows; indicators: {len(ind_rows)}; values: {len(val_rows)}; "
          f"cut-offs: {len(cut_rows)}")


def calibrate_2016(values: pd.DataFrame, full: pd.DataFrame, ind: pd.DataFrame) -> dict:
    """Calibrate the 2016 indicators' weights and bounds on 2013–2015 data only."""
    out = {}
    note = ("calibrated on 2013–2015 only: exact fit of the published 2014–2015 sub-indices, benchmarks at "
            "the records observed since {base} unless the published scores need them wider; see docs/engine.md")
    for sub in CODES:
        codes16 = list(ind[(ind.year == 2016) & (ind.subindex_code == sub)].sort_values("number").code)
        direction = ind[(ind.year == 2016) & (ind.subindex_code == sub)].set_index("code").direction[codes16]
        years = {}
        for y in CALIBRATION_YEARS:
            v = values[(values.year == y) & (values.subindex_code == sub)]
            wide = v.pivot(index="slug", columns="code", values="value100")
            if not set(codes16) <= set(wide.columns):
                continue
            years[y] = (wide[codes16].to_numpy(float), full.loc[y].loc[wide.index, sub].to_numpy(float))
        history = {}
        for y in HISTORY_YEARS:
            v = values[(values.year == y) & values.code.isin(codes16)]
            wide = v.pivot(index="slug", columns="code", values="value100").reindex(columns=codes16)
            history[y] = wide.to_numpy(float)
        cal = calibrate_benchmarks(years, history, direction=direction.to_numpy(int), codes=codes16)
        for j, code in enumerate(codes16):
            out[(2016, code)] = {
                "lower_bound": float(cal.lower[j]), "upper_bound": float(cal.upper[j]),
                "weight": float(cal.weights[j]), "bounds_rule": cal.rules[j],
                "bounds_note": note.format(base=cal.history_start),
            }
        print(f"{sub:20s} calibration residual {cal.fit_residual:.4f} (history from {cal.history_start})")
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", type=Path, default=Path("/work/shared/data"))
    p.add_argument("--skip-calibration", action="store_true")
    a = p.parse_args(argv)
    np.seterr(all="ignore")
    build(a.source, calibrate=not a.skip_calibration)


if __name__ == "__main__":
    main()
