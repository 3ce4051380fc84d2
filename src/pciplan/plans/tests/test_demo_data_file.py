"""The demo data set — the reference plan of Sở KH&CN Bắc Giang for PCI 2020 — checked as a file.

Pure: no database. Checks the JSON against the loader's schema, every text against the plan's own
wording (``ke-hoach-pci-2020-so-khcn-bac-giang.txt`` beside it), and the targets' 2019 baselines
against Bắc Giang's published PCI 2019 scores.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import pciplan

DEMO = Path(pciplan.__file__).parent / "plans" / "data" / "demo"
PROVINCES = Path(pciplan.__file__).parent / "data" / "provinces"
PCI_RESULTS = Path(pciplan.__file__).parent / "data" / "pci" / "results.csv"
JSON_FILE = DEMO / "ke-hoach-pci-2020-so-khcn-bac-giang.json"
PLAN_FILE = DEMO / "ke-hoach-pci-2020-so-khcn-bac-giang.txt"

# Bắc Giang, PCI 2019, as published on pcivietnam.vn (copied from the project's reference data
# pci-bac-giang-2006-2022.csv; 2019 is confirmed there by a second source). Used only while the
# package has no copy of the PCI results (src/pciplan/data/pci/results.csv).
BAC_GIANG_2019_URL = "https://www.pcivietnam.vn/ho-so-tinh/bac-giang"
BAC_GIANG_2019 = {
    "entry_costs": "6.78", "land_access": "6.84", "transparency": "6.85", "time_costs": "6.52",
    "informal_charges": "6.06", "policy_bias": "5.45", "proactivity": "6.98", "business_support": "5.43",
    "labor_training": "7.19", "legal_institutions": "6.38", "pci": "64.47", "rank": "40",
}
SUBINDICES = ("entry_costs", "land_access", "transparency", "time_costs", "informal_charges", "policy_bias",
              "proactivity", "business_support", "labor_training", "legal_institutions")

ORG_KEYS = {"code", "name", "short_name", "kind", "parent", "province", "head_name", "head_title",
            "valid_from", "valid_to", "successor", "sample", "aliases", "note"}
PLAN_KEYS = {"code", "issuer", "number", "symbol", "place", "date", "year", "edition", "province", "title",
             "parent_plan", "basis", "purpose", "requirements", "signer", "recipients",
             "electronic_recipients", "status", "targets", "tasks", "reporting_rules", "accountability_rules"}
TARGET_KEYS = {"key", "kind", "subindex", "indicator_code", "label", "comparator", "value", "value_text", "of",
               "unit", "increase", "baseline_year", "baseline_value", "baseline_source", "section", "text",
               "assignments"}
TASK_KEYS = {"key", "section", "text", "targets", "units", "timing", "output"}
REPORTING_KEYS = {"who", "quarters", "annual", "quarter_due_day", "quarter_due_text", "annual_due_month",
                  "annual_due_day", "annual_due_text", "consolidator", "monitor", "upward_recipient", "section",
                  "text"}
ACCOUNTABILITY_KEYS = {"key", "section", "roles", "target_kinds", "targets", "org", "consequence", "year", "text"}
DECIMAL = re.compile(r"^\d+(\.\d+)?$")
SECTION = re.compile(r"^(I|II|III|IV)(\.\d+(\.[a-zđ])?)?$")

REAL_UNITS = {
    "Văn phòng Sở": "bg-so-khcn-vp",
    "Thanh tra Sở": "bg-so-khcn-tt",
    "Phòng Quản lý Công nghệ và Thị trường công nghệ": "bg-so-khcn-qlcn",
    "Trung tâm Ứng dụng khoa học và công nghệ": "bg-so-khcn-ttud",
    "Phòng Kế hoạch Tài chính": "bg-so-khcn-khtc",
}

# (sub-index, section, value, increase, lead agency) exactly as the plan writes them in III.1–III.7.
SUBINDEX_TARGETS = [
    ("entry_costs", "III.1", "7.61", "0.83", "bg-so-khdt", "7,61"),
    ("transparency", "III.2", "7.0", "0.15", "bg-so-tttt", "7,0"),
    ("time_costs", "III.3", "7.08", "0.56", "bg-ttphcc", "7,08"),
    ("informal_charges", "III.4", "6.5", "0.44", "bg-thanh-tra", "6,5"),
    ("policy_bias", "III.5", "6.5", "1.05", "bg-so-khdt", "6,5"),
    ("proactivity", "III.6", "7.34", "0.36", "bg-vp-ubnd", "7,34"),
    ("business_support", "III.7", "6.5", "1.07", "bg-so-khdt", "6,5"),
]


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(JSON_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plan(data) -> dict:
    return data["plan"]


@pytest.fixture(scope="module")
def plan_text() -> str:
    # The plain-text copy marks italics with "*"; the wording is what is left.
    return PLAN_FILE.read_text(encoding="utf-8").replace("*", "")


@pytest.fixture(scope="module")
def orgs(data) -> dict[str, dict]:
    return {o["code"]: o for o in data["organisations"]}


@pytest.fixture(scope="module")
def targets(plan) -> dict[str, dict]:
    return {t["key"]: t for t in plan["targets"]}


def _iso(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _ancestors(orgs: dict[str, dict], code: str) -> list[str]:
    chain = []
    while (code := orgs[code]["parent"]) is not None:
        chain.append(code)
    return chain


def _published_2019() -> tuple[dict[str, Decimal], str]:
    """Bắc Giang's 2019 scores from the package's PCI results when present, else the copy above."""
    if not PCI_RESULTS.exists():
        return {k: Decimal(v) for k, v in BAC_GIANG_2019.items()}, BAC_GIANG_2019_URL
    with PCI_RESULTS.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh)
                if r.get("province_slug") == "bac-giang" and str(r.get("year")) == "2019"]
    if len(rows) == 1 and all(rows[0].get(k) for k in SUBINDICES):  # one wide row per province-year
        row = rows[0]
        values = {k: Decimal(row[k]) for k in SUBINDICES}
        return values, row.get("source_url") or row.get("source") or BAC_GIANG_2019_URL
    key_col = next((c for c in ("subindex", "subindex_key", "key", "measure") if rows and c in rows[0]), None)
    if rows and key_col and "value" in rows[0]:  # long format: one row per sub-index
        values = {r[key_col]: Decimal(r["value"]) for r in rows if r[key_col] in SUBINDICES}
        source = rows[0].get("source_url") or rows[0].get("source") or BAC_GIANG_2019_URL
        return values, source
    pytest.fail(f"{PCI_RESULTS}: no readable Bắc Giang 2019 row — adapt _published_2019 to its columns")


# ------------------------------------------------------------------ schema


def test_top_level_shape(data, plan):
    assert set(data) == {"source", "organisations", "parent_plan", "plan"}
    assert data["source"].startswith("Kế hoạch nâng cao PCI năm 2020 của Sở Khoa học và Công nghệ tỉnh Bắc Giang")
    assert set(plan) == PLAN_KEYS
    text = JSON_FILE.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


def test_organisations_schema(data, orgs):
    seen: set[str] = set()
    assert len(orgs) == len(data["organisations"]), "organisation codes must be unique"
    for org in data["organisations"]:
        assert set(org) == ORG_KEYS, org["code"]
        assert re.fullmatch(r"[a-z0-9-]+", org["code"])
        assert org["kind"] in {"province", "agency", "unit"}
        assert org["name"] and org["short_name"]
        # parents (and successors) come before the organisations that point to them
        assert org["parent"] is None or org["parent"] in seen, org["code"]
        assert org["successor"] is None or org["successor"] in seen, org["code"]
        assert org["province"] in {"bac-giang", "bac-ninh", None}
        assert isinstance(org["sample"], bool) and isinstance(org["aliases"], list)
        start, end = _iso(org["valid_from"]), _iso(org["valid_to"])
        assert start is None or end is None or start <= end
        if org["kind"] == "unit":
            assert orgs[org["parent"]]["kind"] == "agency"
        if org["kind"] == "province":
            assert org["parent"] is None
        if org["successor"]:
            assert org["valid_to"], "a successor needs an end date"
            assert org["note"], "a change of organisation needs its basis in the note"
        seen.add(org["code"])


def test_department_and_its_real_units(orgs):
    dept = orgs["bg-so-khcn"]
    assert dept["name"] == "Sở Khoa học và Công nghệ tỉnh Bắc Giang"
    assert (dept["kind"], dept["parent"], dept["province"]) == ("agency", "bg-ubnd", "bac-giang")
    assert (dept["head_name"], dept["head_title"]) == ("Nguyễn Thanh Bình", "Giám đốc")
    for name, code in REAL_UNITS.items():
        unit = orgs[code]
        assert (unit["name"], unit["kind"], unit["parent"]) == (name, "unit", "bg-so-khcn")
        assert unit["sample"] is False
        assert unit["head_name"] is None, "unit heads are not named in the plan"
    assert "Phòng Quản lý Công nghệ và TTCN" in orgs["bg-so-khcn-qlcn"]["aliases"]
    units = [o for o in orgs.values() if o["parent"] == "bg-so-khcn"]
    samples = [u for u in units if u["sample"]]
    assert len(units) == len(REAL_UNITS) + len(samples) and len(samples) <= 1
    for unit in samples:
        assert "mẫu" in unit["note"].lower() and unit["head_name"] is None


def test_organisation_history(orgs):
    khdt, tttt, tt = orgs["bg-so-khdt"], orgs["bg-so-tttt"], orgs["bg-so-khcn-tt"]
    assert (khdt["valid_to"], khdt["successor"]) == ("2025-02-28", "bg-so-tc")
    assert orgs["bg-so-tc"]["name"] == "Sở Tài chính tỉnh Bắc Giang"
    assert (tttt["valid_to"], tttt["successor"]) == ("2025-02-28", "bg-so-khcn")
    assert tt["valid_to"] == "2025-06-30" and "abolished under the 2025 inspection reform" in tt["note"]
    bg, bn = orgs["bg-ubnd"], orgs["bn-ubnd"]
    assert (bg["kind"], bg["valid_to"], bg["successor"]) == ("province", "2025-06-30", "bn-ubnd")
    assert (bn["kind"], bn["province"], bn["valid_from"]) == ("province", "bac-ninh", "2025-07-01")
    assert "202/2025/QH15" in bg["note"] and "202/2025/QH15" in bn["note"]


def test_plan_header(data, plan, plan_text, orgs):
    parent = data["parent_plan"]
    assert parent["code"] == plan["parent_plan"] == "bg-ubnd-pci-2020"
    assert (parent["issuer"], parent["number"], parent["symbol"]) == ("bg-ubnd", "222", "KH-UBND")
    assert parent["date"] == {"year": 2020, "month": 8, "day": 3}
    assert "Kế hoạch số 222/KH-UBND ngày 03/8/2020" in plan_text
    assert plan["issuer"] == "bg-so-khcn" and orgs[plan["issuer"]]["kind"] == "agency"
    assert (plan["number"], plan["symbol"], plan["place"]) == (None, "KH-KHCN", "Bắc Giang")
    assert "Số: /KH-KHCN" in plan_text and "Bắc Giang, ngày tháng 8 năm 2020" in plan_text
    assert plan["date"] == {"year": 2020, "month": 8, "day": None} and plan["year"] == 2020
    assert (plan["edition"], plan["province"], plan["status"]) == ("pci-2013", "bac-giang", "issued")
    assert plan["title"] == parent["title"] == "Nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2020"
    assert plan["signer"] == {"name": "Nguyễn Thanh Bình", "title": "GIÁM ĐỐC", "authority": None}
    assert plan_text.rstrip().endswith("GIÁM ĐỐC\n\nNguyễn Thanh Bình")
    assert plan["recipients"] == ["Lưu: VT, KHTC."]
    for recipient in plan["electronic_recipients"]:
        assert f"- {recipient}" in plan_text
    flat = " ".join(plan_text.split())
    for field in ("basis", "purpose", "requirements"):
        for paragraph in plan[field].split("\n"):
            assert " ".join(paragraph.split()) in flat, (field, paragraph[:60])
    assert plan["basis"].startswith("Thực hiện Kế hoạch số 222/KH-UBND")


# ------------------------------------------------------------------ targets


def test_targets_schema(plan, plan_text, orgs):
    keys = [t["key"] for t in plan["targets"]]
    assert len(keys) == len(set(keys))
    for t in plan["targets"]:
        assert set(t) == TARGET_KEYS, t["key"]
        assert t["kind"] in {"rank", "group", "total", "subindex", "indicator"}
        assert t["comparator"] in {">=", ">", "<=", "<"}
        assert t["unit"] in {"điểm", "%", "hạng", None}
        assert t["subindex"] is None or t["subindex"] in SUBINDICES
        assert (t["indicator_code"] is not None) == (t["kind"] == "indicator")
        for field in ("value", "increase", "baseline_value"):
            assert t[field] is None or DECIMAL.match(t[field]), (t["key"], field)
        if t["kind"] == "group":
            assert t["value"] is None and t["value_text"]
        else:
            assert t["value"] is not None and t["value_text"] is None
        assert (t["of"] is not None) == (t["kind"] == "rank")
        assert SECTION.match(t["section"]), t["section"]
        for sentence in t["text"].split("\n"):
            assert sentence in plan_text, (t["key"], sentence[:60])
        assert t["assignments"], t["key"]
        for a in t["assignments"]:
            assert set(a) == {"org", "role", "note"} and a["org"] in orgs
            assert a["role"] in {"lead", "owner", "support"}


def test_overall_goal(targets):
    rank, group = targets["rank-2020"], targets["group-2020"]
    assert (rank["kind"], rank["comparator"], rank["value"], rank["of"], rank["unit"]) == (
        "rank", "<=", "30", 63, "hạng")
    assert (group["kind"], group["comparator"], group["value"], group["value_text"]) == ("group", ">=", None, "Khá")
    for t in (rank, group):
        assert t["section"] == "I.1" and "đứng thứ 30/63 tỉnh, thành phố" in t["text"]
        assert "“khá”" in t["text"]


def test_seven_subindex_targets_as_written(targets, orgs):
    subs = {t["subindex"]: t for t in targets.values() if t["kind"] == "subindex"}
    assert len(subs) == 7
    for sub, section, value, increase, lead, written in SUBINDEX_TARGETS:
        t = subs[sub]
        assert (t["section"], t["comparator"], t["value"], t["increase"], t["unit"]) == (
            section, ">=", value, increase, "điểm")
        assert f"đạt từ {written} điểm trở lên" in t["text"]
        assert f"tăng {increase.replace('.', ',')} điểm" in t["text"]
        leads = [a["org"] for a in t["assignments"] if a["role"] == "lead"]
        assert leads == [lead]
        assert "bg-so-khcn" not in [lead, *_ancestors(orgs, lead)], "lead agencies are outside the department"
        supports = {a["org"] for a in t["assignments"] if a["role"] == "support"}
        assert "bg-so-khcn" in supports, "“Các phòng, đơn vị trực thuộc Sở” support every sub-index"
    assert "“Tinh minh bạch”" in subs["transparency"]["text"]


def test_baselines_are_target_minus_increase_and_the_published_2019_scores(targets):
    published, source = _published_2019()
    subs = [t for t in targets.values() if t["kind"] == "subindex"]
    for t in subs:
        baseline = Decimal(t["baseline_value"])
        assert baseline == Decimal(t["value"]) - Decimal(t["increase"]), t["key"]
        assert baseline == published[t["subindex"]], t["key"]
        assert t["baseline_year"] == 2019
        assert t["baseline_source"] == source
    rank = targets["rank-2020"]
    assert (rank["baseline_year"], rank["baseline_value"]) == (2019, BAC_GIANG_2019["rank"])


def test_three_indicator_targets_owned_by_the_technology_unit(targets):
    inds = {t["indicator_code"]: t for t in targets.values() if t["kind"] == "indicator"}
    assert {k: (t["comparator"], t["value"], t["unit"]) for k, t in inds.items()} == {
        "e761_use": (">", "45", "%"), "e761_priv": (">", "70", "%"), "e762_continue": (">", "75", "%")}
    for code, t in inds.items():
        assert t["subindex"] == "business_support" and t["section"] == "II.2"
        assert [(a["org"], a["role"]) for a in t["assignments"]] == [("bg-so-khcn-qlcn", "owner")], code
        assert f"trên {t['value']}%" in t["text"]
    business = targets["si-business_support"]
    owners = [a["org"] for a in business["assignments"] if a["role"] == "owner"]
    assert owners == ["bg-so-khcn-qlcn"]


# ------------------------------------------------------------------ tasks


def test_tasks_schema(plan, orgs, targets):
    keys = [t["key"] for t in plan["tasks"]]
    assert len(keys) == len(set(keys))
    for task in plan["tasks"]:
        assert set(task) == TASK_KEYS, task["key"]
        assert SECTION.match(task["section"]), task["section"]
        assert task["targets"] and all(k in targets for k in task["targets"]), task["key"]
        assert task["units"], f"{task['key']} has no unit"
        for unit in task["units"]:
            assert set(unit) == {"org", "role", "responsible"} and unit["org"] in orgs
            assert unit["role"] in {"owner", "support"}
            assert unit["org"] == "bg-so-khcn" or orgs[unit["org"]]["parent"] == "bg-so-khcn"
            assert not orgs[unit["org"]]["sample"], "tasks go to real units only"
        assert any(u["role"] == "owner" for u in task["units"]), task["key"]
        timing = task["timing"]
        assert timing["kind"] in {"deadline", "recurring", "continuous"}
        if timing["kind"] == "deadline":
            assert set(timing) == {"kind", "date", "qualifier", "text"}
            assert timing["qualifier"] in {"before", "by_end_of_month"}
            date.fromisoformat(timing["date"])
            assert timing["text"] in task["text"]
        elif timing["kind"] == "recurring":
            assert set(timing) == {"kind", "recurrence", "text"}
            assert timing["recurrence"] in {"quarterly", "yearly"}
        else:
            assert set(timing) == {"kind", "text"}
            assert timing["text"] is None or timing["text"] in task["text"]


def test_every_task_text_is_the_plans_own_wording(plan, plan_text):
    for task in plan["tasks"]:
        assert task["text"] == task["text"].strip() and "  " not in task["text"]
        assert task["text"] in plan_text, task["key"]


def test_task_count_per_section(plan):
    counts = Counter(".".join(t["section"].split(".")[:2]) for t in plan["tasks"])
    assert counts == {"III.1": 6, "III.2": 7, "III.3": 7, "III.4": 7, "III.5": 3, "III.6": 7, "III.7": 11,
                      "IV.1": 2, "IV.3": 1}
    # every "+ …" line of section III is a task (one line holds two dated deliverables: two tasks)
    text = PLAN_FILE.read_text(encoding="utf-8")
    section_iii = text[text.index("III. GIẢI PHÁP"):text.index("IV. TỔ CHỨC")]
    plus_lines = [ln for ln in section_iii.splitlines() if ln.startswith("+ ")]
    assert len(plus_lines) == 31
    for ln in plus_lines:
        body = ln[2:].replace("*", "").strip()
        assert any(t["text"] in body or body in t["text"] for t in plan["tasks"]), body[:60]


def test_collective_and_unnamed_paragraphs_go_to_the_department(plan):
    by_section = {}
    for task in plan["tasks"]:
        by_section.setdefault(task["section"], set()).update(u["org"] for u in task["units"])
    assert by_section["III.5.b"] == {"bg-so-khcn"}
    assert by_section["III.6.b"] == {"bg-so-khcn"}
    assert by_section["IV.3"] == {"bg-so-khcn"}
    assert by_section["IV.1"] == {"bg-so-khcn-vp"}


def test_dated_deliverables(plan):
    deadlines = {t["key"]: t for t in plan["tasks"] if t["timing"]["kind"] == "deadline"}
    found = {(t["timing"]["date"], t["timing"]["qualifier"], t["units"][0]["org"]): t["text"]
             for t in deadlines.values()}
    assert len(found) == len(deadlines) == 4
    training = found[("2020-08-15", "before", "bg-so-khcn-vp")]
    assert training.endswith("Thời gian xong trước ngày 15/8/2020.")
    startup = found[("2020-08-31", "by_end_of_month", "bg-so-khcn-qlcn")]
    assert "Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo" in startup
    assert startup.endswith("hoàn thành trong tháng 8/2020") and "tháng 9/2020" not in startup
    sci_firms = found[("2020-09-30", "by_end_of_month", "bg-so-khcn-qlcn")]
    assert sci_firms.startswith("Kế hoạch phát triển doanh nghiệp KH&CN") and "tháng 8/2020" not in sci_firms
    techmart = found[("2020-09-30", "by_end_of_month", "bg-so-khcn-ttud")]
    assert "Techmart Online Bắc Giang" in techmart and techmart.endswith("hoàn thành trong tháng 9/2020.")
    for t in deadlines.values():  # "trong tháng 9/2020" is due on that month's last day
        due = date.fromisoformat(t["timing"]["date"])
        if t["timing"]["qualifier"] == "by_end_of_month":
            assert f"tháng {due.month}/{due.year}" in t["timing"]["text"]
            assert (due + timedelta(days=1)).day == 1


def test_timings_and_outputs(plan):
    tasks = {t["key"]: t for t in plan["tasks"]}
    yearly = {k for k, t in tasks.items() if t["timing"]["kind"] == "recurring"}
    assert all(tasks[k]["timing"]["recurrence"] == "yearly" for k in yearly)
    assert all("hàng năm" in tasks[k]["text"].lower() for k in yearly)
    assert any(t["text"].startswith("Hàng năm báo cáo kế hoạch thanh tra") for k, t in tasks.items() if k in yearly)
    for t in tasks.values():
        if t["timing"]["kind"] == "continuous" and t["timing"]["text"]:
            assert t["timing"]["text"].lower() in {"thường xuyên", "tiếp tục"}
    outputs = " | ".join(t["output"] for t in tasks.values() if t["output"])
    for stated in ("100% TTHC", "không quá một lần/năm", "100% gói thầu"):
        assert stated in outputs
    responsible = {t["key"] for t in tasks.values() if any(u["responsible"] for u in t["units"])}
    assert responsible and all(tasks[k]["units"][0]["org"] == "bg-so-khcn-qlcn" for k in responsible)
    assert all(u["responsible"] == "Trưởng phòng Quản lý Công nghệ và Thị trường công nghệ"
               for k in responsible for u in tasks[k]["units"])


# ------------------------------------------------------------------ rules


def test_reporting_rule(plan, plan_text, orgs):
    (rule,) = plan["reporting_rules"]
    assert set(rule) == REPORTING_KEYS
    assert (rule["who"], rule["quarters"], rule["annual"]) == ("target_owners", [1, 2, 3], True)
    assert (rule["quarter_due_day"], rule["annual_due_month"], rule["annual_due_day"]) == (5, 12, 5)
    assert orgs[rule["consolidator"]]["name"] == "Phòng Kế hoạch Tài chính"
    assert orgs[rule["monitor"]]["name"] == "Văn phòng Sở"
    assert (rule["upward_recipient"], rule["section"]) == ("UBND tỉnh", "IV.2")
    assert rule["text"] in plan_text
    assert rule["quarter_due_text"] in rule["text"] and rule["annual_due_text"] in rule["text"]


def test_accountability_rules(plan, plan_text, targets, orgs):
    rules = {r["section"]: r for r in plan["accountability_rules"]}
    assert set(rules) == {"II.1", "III.7.c"}
    for rule in rules.values():
        assert set(rule) == ACCOUNTABILITY_KEYS
        assert (rule["consequence"], rule["year"]) == ("no_excellent_rating", 2020)
        assert rule["text"] in plan_text and "hoàn thành xuất sắc nhiệm vụ năm 2020" in rule["text"]
        assert all(k in targets for k in rule["targets"])
        assert rule["org"] is None or rule["org"] in orgs
    general, tech = rules["II.1"], rules["III.7.c"]
    assert (general["roles"], general["target_kinds"], general["targets"], general["org"]) == (
        ["lead", "owner"], ["subindex"], [], None)
    assert (tech["roles"], tech["target_kinds"], tech["org"]) == (["owner"], ["indicator"], "bg-so-khcn-qlcn")
    assert sorted(tech["targets"]) == sorted(k for k, t in targets.items() if t["kind"] == "indicator")
    assert tech["text"].startswith("Trưởng phòng Quản lý Công nghệ và Thị trường công nghệ")


# ------------------------------------------------------------------ provinces the demo refers to


def _read(name: str) -> list[dict]:
    with (PROVINCES / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_demo_provinces_exist_in_the_province_lists(data):
    old = {r["slug"]: r for r in _read("provinces_63.csv")}
    new = {r["slug"]: r for r in _read("provinces_34.csv")}
    mapping = _read("province_mapping.csv")
    assert len(old) == 63 and len(new) == 34
    assert sum(r["kind"] == "thành phố trực thuộc trung ương" for r in new.values()) == 6
    assert {r["valid_to"] for r in old.values()} == {"2025-06-30"}
    assert {r["valid_from"] for r in new.values()} == {"2025-07-01"}
    assert {r["old_slug"] for r in mapping} == set(old) and {r["new_slug"] for r in mapping} == set(new)
    assert all("202/2025/QH15" in r["source"] and r["effective_date"] == "2025-07-01" for r in mapping)
    assert [r["new_slug"] for r in mapping if r["old_slug"] == "bac-giang"] == ["bac-ninh"]
    assert "Hòa Bình|Hoà Bình" in old["hoa-binh"]["aliases"]
    assert {"Đăk Lăk", "Đắk Lắk", "Dak Lak"} <= set(old["dak-lak"]["aliases"].split("|"))
    for org in data["organisations"]:
        if org["province"]:
            province = old.get(org["province"]) if org["valid_from"] is None else new.get(org["province"])
            assert province, org["code"]
    if PCI_RESULTS.exists():  # published history joins on the 63 slugs
        with PCI_RESULTS.open(encoding="utf-8") as fh:
            assert {r["province_slug"] for r in csv.DictReader(fh)} <= set(old)
