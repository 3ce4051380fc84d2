"""Importing a plan from its document: upload → review beside the source → create, all or nothing.

The reference plan (Sở KH&CN Bắc Giang, PCI 2020) is turned into a Word file here, from the plan text
shipped with the demo data, and uploaded the way a coordinator would; the created plan is compared with
the figures of the plan's own text (also loaded, by hand, as the demo plan).
"""

from __future__ import annotations

import html
import io
import os
from decimal import Decimal
from html.parser import HTMLParser
from importlib import resources

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pciplan.audit.models import AuditEntry
from pciplan.orgs.models import Organisation
from pciplan.plandoc import PlanDocError, read_plan
from pciplan.plans import import_views, imports
from pciplan.plans.models import (
    Plan,
    PlanStatus,
    ReportingRule,
    Target,
    TargetAssignment,
    Task,
    TaskAssignment,
)

pytestmark = pytest.mark.django_db

REFERENCE_TEXT = "ke-hoach-pci-2020-so-khcn-bac-giang.txt"
SUBINDEX_LEADS = {  # sub-index → (target score as written in the plan, lead agency's code)
    "entry_costs": ("7.61", "bg-so-khdt"), "transparency": ("7.0", "bg-so-tttt"), "time_costs": ("7.08", "bg-ttphcc"),
    "informal_charges": ("6.5", "bg-thanh-tra"), "policy_bias": ("6.5", "bg-so-khdt"),
    "proactivity": ("7.34", "bg-vp-ubnd"), "business_support": ("6.5", "bg-so-khdt"),
}


def reference_text() -> str:
    return resources.files("pciplan.plans.data.demo").joinpath(REFERENCE_TEXT).read_text(encoding="utf-8")


def docx_bytes(text: str) -> bytes:
    """A Word file with one paragraph per line of ``text`` (python-docx)."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def reference_docx() -> bytes:
    return docx_bytes(reference_text())


class _Form(HTMLParser):
    """The fields a browser would send for ``<form id=…>`` (inputs inside ``<template>`` are inert)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.template = form_id, False, 0
        self.fields: list[tuple[str, str]] = []
        self._select = None
        self._options: list[tuple[str, bool]] = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if tag == "template":
            self.template += 1
        if not self.inside or self.template:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self.template -= 1
        if not self.inside or self.template:
            return
        if tag == "select" and self._select is not None:
            chosen = next((v for v, sel in self._options if sel), self._options[0][0] if self._options else "")
            self.fields.append((self._select, chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], html.unescape(self._textarea[1]).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self.inside = False


def form_data(page: str, form_id: str = "import-form") -> dict:
    parser = _Form(form_id)
    parser.feed(page)
    return dict(parser.fields)


def upload(client, content: bytes, name: str = "ke-hoach.docx", **extra):
    f = io.BytesIO(content)
    f.name = name
    return client.post(reverse("plans:import"), {"file": f, **extra})


def counts() -> dict:
    return {m.__name__: m.objects.count() for m in (Plan, Target, TargetAssignment, Task, TaskAssignment,
                                                     ReportingRule, Organisation, AuditEntry)}


def row_fields(data: dict, prefix: str) -> dict:
    return {k[len(prefix) + 1:]: v for k, v in data.items() if k.startswith(prefix + "-")}


def subindex_rows(data: dict) -> dict[str, str]:
    """``{sub-index code: row prefix}`` for the target rows of the form."""
    return {data[f"{k[:-5]}-subindex"]: k[:-5] for k, v in data.items()
            if k.startswith("t-") and k.endswith("-kind") and v == "subindex"}


@pytest.fixture
def coordinator(client_for):
    return client_for("coordinator")


@pytest.fixture
def reviewed(coordinator):
    """The reference plan uploaded as DOCX: ``(client, review URL, review page)``."""
    before = counts()
    response = upload(coordinator, reference_docx())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert counts() == before, "nothing is stored before the plan is created"
    page = coordinator.get(response.url)
    assert page.status_code == 200
    return coordinator, response.url, page.content.decode()


def test_upload_page_for_coordinators_only(client_for):
    page = client_for("coordinator").get(reverse("plans:import"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nhập kế hoạch từ văn bản" in text and "Sở Khoa học và Công nghệ tỉnh Bắc Giang" in text
    assert client_for("admin").get(reverse("plans:import")).status_code == 200
    for persona in ("unit_member", "unit_head", "leader", "auditor", "outsider"):
        client = client_for(persona)
        assert client.get(reverse("plans:import")).status_code == 403, persona
        assert upload(client, reference_docx()).status_code == 403, persona


def test_plan_list_offers_the_import_to_coordinators(client_for):
    assert "Nhập từ văn bản" in client_for("coordinator").get(reverse("plans:list")).content.decode()
    assert "Nhập từ văn bản" not in client_for("unit_member").get(reverse("plans:list")).content.decode()


def test_review_shows_the_seven_targets_beside_the_source(reviewed):
    _, _, page = reviewed
    data = form_data(page)
    rows = subindex_rows(data)
    assert set(rows) == set(SUBINDEX_LEADS)
    for code, prefix in rows.items():
        assert Decimal(data[f"{prefix}-value"].replace(",", ".")) == Decimal(SUBINDEX_LEADS[code][0])
    assert data[rows["entry_costs"] + "-value"] == "7,61"
    assert data[rows["entry_costs"] + "-increase"] == "0,83"
    assert data[rows["entry_costs"] + "-baseline_year"] == "2019"
    # The source text is there, the value highlighted and linked to its input.
    assert 'id="src-scroll"' in page
    assert f'data-f="{rows["entry_costs"]}-value' in page
    assert "đạt từ 7,61 điểm trở lên</mark>" in page
    # Document fields and the plan it implements (the province's 222/KH-UBND, already in the system).
    assert data["doc-symbol"] == "KH-KHCN" and data["doc-year"] == "2020" and data["doc-date"] == "8/2020"
    parent = Plan.objects.get(code="bg-ubnd-pci-2020")
    assert data["doc-parent"] == str(parent.pk)
    # Past results are shown for information: Bắc Giang's published 2019 score (VCCI), and the indicators are
    # matched to the PCI indicator they name (for the year-end evaluation).
    start = page.index(f'id="{rows["entry_costs"]}"')
    assert "Kết quả công bố năm 2019:\n    <strong>6,78 điểm</strong>" in page[start:page.index("</fieldset>", start)]
    indicators = sorted(v for k, v in data.items() if k.endswith("-indicator_code") and v)
    assert indicators == ["e761_priv", "e761_use", "e762_continue"]
    # Every unit is matched to an organisation of the demo: none is left unmatched.
    assert "chưa có trong hệ thống</strong>" not in page
    assert not [k for k, v in data.items() if k.endswith("-ref") and v.startswith("new:")]


def test_create_makes_the_plan_with_its_targets_units_and_tasks(reviewed, demo_plan):
    client, url, page = reviewed
    data = form_data(page)
    data["action"] = "create"
    before = Plan.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    assert Plan.objects.count() == before + 1
    plan = Plan.objects.exclude(pk=demo_plan.pk).latest("pk")
    assert response.url == reverse("plans:detail", args=[plan.pk])
    assert plan.status == PlanStatus.DRAFT and plan.year == 2020 and plan.symbol == "KH-KHCN"
    assert plan.issuer.code == "bg-so-khcn" and plan.parent.code == "bg-ubnd-pci-2020"
    assert (plan.date_year, plan.date_month, plan.date_day) == (2020, 8, None)
    subindex = {t.subindex.code: t for t in plan.targets.filter(kind="subindex").select_related("subindex")
                .prefetch_related("assignments__organisation")}
    assert set(subindex) == set(SUBINDEX_LEADS)
    for code, (value, lead) in SUBINDEX_LEADS.items():
        target = subindex[code]
        assert target.value == Decimal(value), code
        assert [a.organisation.code for a in target.assignments.all() if a.role == "lead"] == [lead], code
    # The same figures as the demo plan typed in by hand from the same document.
    for t in demo_plan.targets.filter(kind="subindex").select_related("subindex"):
        assert (subindex[t.subindex.code].value, subindex[t.subindex.code].increase,
                subindex[t.subindex.code].baseline_year) == (t.value, t.increase, t.baseline_year)
    # Baselines are the published 2019 results with their source (VCCI), not the target minus the increase.
    assert subindex["entry_costs"].baseline_value == Decimal("6.78")
    assert "pcivietnam.vn" in subindex["entry_costs"].baseline_source
    assert subindex["entry_costs"].section == "III.1.a"
    rank = plan.targets.get(kind="rank")
    assert (rank.value, rank.of, rank.comparator) == (30, 63, "<=")
    assert plan.targets.get(kind="group").value_text == "Khá"
    assert sorted(plan.targets.filter(kind="indicator").values_list("value", flat=True)) == [45, 70, 75]
    assert {t.indicator_code: t.indicator.code if t.indicator else None for t in plan.targets.filter(kind="indicator")} == {
        "e761_use": "e761_use", "e761_priv": "e761_priv", "e762_continue": "e762_continue"}
    # Tasks are given to the department's units, and linked to their sub-index.
    assert plan.tasks.count() == 51
    assert not plan.tasks.filter(assignments__isnull=True).exists()
    by_unit = {code: plan.tasks.filter(assignments__organisation__code=code).count()
               for code in ("bg-so-khcn-qlcn", "bg-so-khcn-ttud", "bg-so-khcn-vp", "bg-so-khcn-tt")}
    assert all(n > 0 for n in by_unit.values()), by_unit
    dated = plan.tasks.get(deadline="2020-08-15")
    assert dated.assignments.get().organisation.code == "bg-so-khcn-vp" and dated.section == "IV.1"
    assert plan.tasks.filter(targets__subindex__code="entry_costs").count() >= 4
    rule = plan.reporting_rules.get()
    assert (rule.consolidator.code, rule.quarter_due_day, rule.annual_due_month, rule.annual_due_day) == (
        "bg-so-khcn-khtc", 5, 12, 5)
    # Everything went through the services: audited under the plan, and the import itself recorded.
    entries = AuditEntry.objects.filter(root_id=str(plan.pk), root_type__model="plan")
    assert entries.filter(action="create").count() >= 1 + plan.targets.count() + plan.tasks.count()
    assert entries.filter(action="import", message__contains="ke-hoach.docx").exists()
    # The draft is gone from the session.
    assert client.get(url).status_code == 302


def test_an_invalid_edit_shows_the_message_in_place_and_creates_nothing(reviewed):
    client, url, page = reviewed
    data = form_data(page)
    rows = subindex_rows(data)
    data[rows["entry_costs"] + "-value"] = "abc"
    data[rows["transparency"] + "-value"] = "12"
    data["action"] = "create"
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 400
    assert counts() == before
    text = html.unescape(response.content.decode())
    assert "Chưa tạo kế hoạch — 2 chỗ cần sửa" in text
    for prefix, message in ((rows["entry_costs"], "“abc” không phải là số"),
                            (rows["transparency"], "Điểm chỉ số thành phần phải nằm trong khoảng 1–10")):
        start = text.index(f'id="{prefix}"')
        row = text[start:text.index("</fieldset>", start)]
        assert message in row, prefix
        assert "has-error" in text[start - 80:start]
    # The person's edits are kept on the page (and in the draft), not replaced by the document's values.
    again = form_data(response.content.decode())
    assert again[rows["entry_costs"] + "-value"] == "abc"
    assert form_data(client.get(url).content.decode())[rows["transparency"] + "-value"] == "12"


def test_a_deadline_in_year_0000_is_a_message_on_its_row_not_a_server_error(reviewed):
    # Found by fuzzing parse_task_date (fuzz/corpus/text/crash-task-date-year-0000): "2/0000" reached
    # end_of_month, whose ValueError escaped the import as a server error.
    client, url, page = reviewed
    data = form_data(page)
    task = next(k[:-5] for k in data if k.startswith("k-") and k.endswith("-text"))
    data[task + "-timing"] = "deadline"
    data[task + "-deadline"] = "2/0000"
    data["action"] = "create"
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 400
    assert counts() == before
    text = html.unescape(response.content.decode())
    start = text.index(f'id="{task}"')
    assert "Hạn hoàn thành “2/0000” không phải là ngày" in text[start:text.index("</fieldset>", start)]


def test_a_corrected_value_with_a_decimal_point_is_kept(reviewed, demo_plan):
    client, url, page = reviewed
    data = form_data(page)
    rows = subindex_rows(data)
    data[rows["entry_costs"] + "-value"] = "7.7"
    data[rows["time_costs"] + "-value"] = "7,12"
    data["action"] = "create"
    assert client.post(url, data).status_code == 302
    plan = Plan.objects.exclude(pk=demo_plan.pk).latest("pk")
    assert plan.targets.get(subindex__code="entry_costs").value == Decimal("7.7")
    assert plan.targets.get(subindex__code="entry_costs").baseline_value == Decimal("6.78")  # published, unchanged
    assert plan.targets.get(subindex__code="time_costs").value == Decimal("7.12")


def test_removed_rows_are_not_created_and_rows_can_be_added_without_script(reviewed, demo_plan):
    client, url, page = reviewed
    data = form_data(page)
    rows = subindex_rows(data)
    data[rows["policy_bias"] + "-remove"] = "1"
    data["k-0-remove"] = "1"
    data["action"] = "add-target"
    response = client.post(url, data)
    assert response.status_code == 200
    data = form_data(response.content.decode())
    new = max(int(k.split("-")[1]) for k in data if k.startswith("t-") and k.endswith("-kind"))
    assert data[f"t-{new}-src"] == ""
    data.update({f"t-{new}-kind": "subindex", f"t-{new}-subindex": "labor_training", f"t-{new}-comparator": ">=",
                 f"t-{new}-value": "6,2", f"t-{new}-u-0-ref": f"org:{Organisation.objects.get(code='bg-so-khcn-khtc').pk}",
                 f"t-{new}-u-0-role": "owner", "action": "create"})
    response = client.post(url, data)
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    plan = Plan.objects.exclude(pk=demo_plan.pk).latest("pk")
    codes = set(plan.targets.filter(kind="subindex").values_list("subindex__code", flat=True))
    assert "policy_bias" not in codes and "labor_training" in codes
    added = plan.targets.get(subindex__code="labor_training")
    assert added.value == Decimal("6.2") and added.assignments.get().organisation.code == "bg-so-khcn-khtc"
    assert plan.tasks.count() == 50


def test_a_unit_can_be_added_to_a_task_without_script(reviewed, demo_plan):
    client, url, page = reviewed
    data = form_data(page)
    data["action"] = "add-unit:k-2"
    response = client.post(url, data)
    assert response.status_code == 200
    data = form_data(response.content.decode())
    added = max(int(k.split("-")[3]) for k in data if k.startswith("k-2-u-") and k.endswith("-ref"))
    khtc = Organisation.objects.get(code="bg-so-khcn-khtc")
    data.update({f"k-2-u-{added}-ref": f"org:{khtc.pk}", f"k-2-u-{added}-role": "support", "action": "create"})
    assert client.post(url, data).status_code == 302
    task = Plan.objects.exclude(pk=demo_plan.pk).latest("pk").tasks.get(key="nv-003")
    assert {(a.organisation.code, a.role) for a in task.assignments.all()} >= {("bg-so-khcn-khtc", "support")}


def test_a_task_left_without_a_unit_is_refused(reviewed):
    client, url, page = reviewed
    data = form_data(page)
    for key in [k for k in data if k.startswith("k-3-u-") and k.endswith("-ref")]:
        data[key] = ""
    data["action"] = "create"
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 400 and counts() == before
    text = html.unescape(response.content.decode())
    start = text.index('id="k-3"')
    assert "Nhiệm vụ phải được giao cho ít nhất một đơn vị" in text[start:text.index("</fieldset>", start)]


def test_discarding_the_draft_stores_nothing(reviewed):
    client, url, page = reviewed
    before = counts()
    data = form_data(page)
    data["action"] = "discard"
    response = client.post(url, data)
    assert response.status_code == 302 and counts() == before
    assert client.get(url).status_code == 302
    assert not client.session.get(import_views.SESSION_KEY)


def test_another_person_cannot_open_the_draft(reviewed, client_for):
    _, url, _ = reviewed
    assert client_for("consolidator").get(url).status_code == 302  # not in their session: back to the upload


def _bad_files():
    import pypdf

    blank = io.BytesIO()
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(blank)
    recipe = docx_bytes("Canh chua cá lóc\nNguyên liệu: cá lóc, me, dứa, cà chua, giá, rau thơm.\n"
                        "Cách làm: nấu nước me, cho cá vào, nêm nếm vừa ăn.")
    return [
        ("trong.docx", b"", "Tệp trống"),
        ("ban-quet.pdf", blank.getvalue(), None),
        ("cong-thuc.docx", recipe, None),
        ("ngau-nhien.docx", os.urandom(4096), None),
        ("ngau-nhien.bin", bytes(range(256)) * 8, None),
    ]


@pytest.mark.parametrize("name,content,expected", _bad_files(), ids=lambda v: v if isinstance(v, str) else "")
def test_malformed_files_give_a_clear_message_and_store_nothing(coordinator, name, content, expected):
    if expected is None:
        with pytest.raises(PlanDocError) as err:
            read_plan(content, name)
        expected = str(err.value)
    before = counts()
    response = upload(coordinator, content, name)
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert expected in text
    assert 'id="file-error"' in text and "Traceback" not in text
    assert counts() == before
    assert not coordinator.session.get(import_views.SESSION_KEY)


def test_a_file_over_the_size_limit_is_refused(coordinator, settings):
    settings.PCIPLAN_MAX_UPLOAD_BYTES = 1000
    response = upload(coordinator, reference_docx())
    assert response.status_code == 400
    assert "Tệp quá lớn" in html.unescape(response.content.decode())


def test_an_agency_the_coordinator_does_not_manage_is_refused(coordinator):
    other = Organisation.objects.get(code="bg-so-khdt")
    response = upload(coordinator, reference_docx(), issuer=str(other.pk))
    assert response.status_code == 400  # not among the choices offered
    assert Plan.objects.filter(issuer=other).count() == 0


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_review_page_issues_a_bounded_number_of_queries(reviewed):
    client, url, _ = reviewed
    n = _count_queries(client, url)
    token = url.rstrip("/").rsplit("/", 1)[1]
    session = client.session
    review = session[import_views.SESSION_KEY][token]["review"]
    review["tasks"] = review["tasks"] * 3
    review["targets"] = review["targets"] * 2
    session.save()
    assert _count_queries(client, url) == n
    assert n <= 20, n


# --- the service and the matching, without the pages -----------------------------------------------

@pytest.mark.parametrize("written,code", [
    ("Sở KH&ĐT", "bg-so-khdt"), ("Sở Kế hoạch và Đầu tư", "bg-so-khdt"), ("Phòng Quản lý Công nghệ và TTCN", "bg-so-khcn-qlcn"),
    ("Trưởng phòng Quản lý Công nghệ và Thị trường công nghệ", "bg-so-khcn-qlcn"), ("Văn phòng UBND tỉnh", "bg-vp-ubnd"),
    ("Trung tâm Phục vụ hành chính công tỉnh", "bg-ttphcc"), ("Thanh tra tỉnh", "bg-thanh-tra"), ("Thanh tra Sở", "bg-so-khcn-tt"),
    ("Các phòng, đơn vị trực thuộc Sở", "bg-so-khcn"), ("Phòng Kế hoạch - Tài chính", "bg-so-khcn-khtc"),
    ("Trung tâm Ứng dụng KHCN", "bg-so-khcn-ttud"), ("Phòng Pháp chế", None),
])
def test_units_are_matched_tolerantly(written, code):
    matcher = imports.UnitMatcher(Organisation.objects.get(code="bg-so-khcn"))
    found = matcher.match(written)
    assert (found.code if found else None) == code


def _review(text: str):
    from pciplan.plandoc import parse_plan_text

    issuer = Organisation.objects.get(code="bg-so-khcn")
    return imports.review_from_draft(parse_plan_text(text), issuer=issuer, filename="tong-hop.txt")


SYNTHETIC = """SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 15/KH-KHCN
Bắc Giang, ngày 10 tháng 3 năm 2021
KẾ HOẠCH
Nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2021
(văn bản tổng hợp để kiểm thử)
I. MỤC TIÊU
Đơn vị đầu mối – Phòng Pháp chế: đầu mối chịu trách nhiệm nâng điểm chỉ số thành phần “Tính minh bạch” đạt từ 7,2 điểm trở lên.
II. NHIỆM VỤ
1. Phòng Pháp chế:
- Rà soát, công bố thủ tục hành chính, hoàn thành trước ngày 30/6/2021.
"""


def test_an_unknown_unit_is_created_under_the_agency_when_the_plan_is(personas):
    review = _review(SYNTHETIC)
    assert review["new_units"] == {"Phòng Pháp chế": imports.NEW_UNIT}
    before = Organisation.objects.count()
    plan = imports.plan_import(actor=personas["coordinator"], review=review)
    unit = Organisation.objects.get(name="Phòng Pháp chế")
    assert Organisation.objects.count() == before + 1
    assert unit.kind == "unit" and unit.parent.code == "bg-so-khcn" and unit.province_slug == "bac-giang"
    assert plan.targets.get().assignments.get().organisation == unit
    assert plan.tasks.get().assignments.get().organisation == unit
    assert plan.tasks.get().deadline.isoformat() == "2021-06-30"
    assert AuditEntry.objects.filter(object_id=str(unit.pk), content_type__model="organisation", action="create").exists()


def test_an_unknown_unit_can_be_matched_to_an_existing_one_or_skipped(personas):
    review = _review(SYNTHETIC)
    khtc = Organisation.objects.get(code="bg-so-khcn-khtc")
    review["new_units"] = {"Phòng Pháp chế": f"org:{khtc.pk}"}
    plan = imports.plan_import(actor=personas["coordinator"], review=review)
    assert plan.tasks.get().assignments.get().organisation == khtc
    assert not Organisation.objects.filter(name="Phòng Pháp chế").exists()

    review = _review(SYNTHETIC)
    review["new_units"] = {"Phòng Pháp chế": imports.SKIP}
    before = counts()
    with pytest.raises(imports.ImportRefused) as refused:
        imports.plan_import(actor=personas["coordinator"], review=review)
    assert counts() == before
    assert [(p.section, p.row, p.field) for p in refused.value.problems] == [("tasks", 0, "units")]


def test_every_problem_is_reported_at_once(personas):
    review = _review(SYNTHETIC)
    review["doc"]["date"] = "32/13/2021"
    before = counts()
    with pytest.raises(imports.ImportRefused) as refused:
        imports.plan_import(actor=personas["coordinator"], review=review)
    assert [(p.section, p.field) for p in refused.value.problems] == [("doc", "date")]
    review = _review(SYNTHETIC)
    review["targets"][0]["value"] = "7,2,1"
    review["targets"][0]["baseline_year"] = "năm ngoái"
    review["tasks"][0]["deadline"] = "1/1/2020"
    with pytest.raises(imports.ImportRefused) as refused:
        imports.plan_import(actor=personas["coordinator"], review=review)
    assert {(p.section, p.row, p.field) for p in refused.value.problems} == {
        ("targets", 0, "baseline_year"), ("tasks", 0, "deadline")}
    assert counts() == before


INCREASES = """KẾ HOẠCH
Nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2020 (văn bản tổng hợp để kiểm thử)
I. MỤC TIÊU
Phấn đấu năm 2020 thứ hạng PCI của tỉnh tăng 5 bậc so với năm 2019.
Nâng điểm chỉ số thành phần “Chi phí thời gian” năm 2020 tăng 0,5 điểm so với năm 2019.
"""


def test_a_target_written_as_an_increase_gets_its_value_from_the_published_result():
    rows = {r["kind"]: r for r in _review(INCREASES)["targets"]}
    # Bắc Giang, PCI 2019 (pcivietnam.vn): 40th, "Chi phí thời gian" 6,52 điểm.
    assert (rows["rank"]["value"], rows["rank"]["comparator"]) == ("35", "<=")
    assert rows["subindex"]["value"] == "7,02"
    assert "kết quả công bố năm 2019 (6,52)" in rows["subindex"]["note"]


@pytest.mark.parametrize("wording,code", [
    ("doanh nghiệp từng sử dụng dịch vụ liên quan tới công nghệ", "e761_use"),
    ("doanh nghiệp đã sử dụng nhà cung cấp tư nhân cho dịch vụ liên quan tới công nghệ", "e761_priv"),
    ("doanh nghiệp có ý định tiếp tục sử dụng dịch vụ liên quan tới công nghệ", "e762_continue"),
    ("DN có ý định tiếp tục sử dụng dịch vụ xúc tiến thương mại", "e752_continue"),
    ("tỷ lệ hồ sơ giải quyết đúng hạn", ""),
])
def test_indicators_are_matched_to_the_catalog_only_when_clear(wording, code):
    assert imports.match_indicator(wording, imports.indicator_catalog(2020)) == code
