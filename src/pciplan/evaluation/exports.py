"""The evaluation as files: DOCX in the official format (:mod:`pciplan.officedoc`, Nghị định 30/2020) and
XLSX — the consolidated evaluation and one evaluation sheet per unit.

Exporters are registered with :mod:`pciplan.officedoc.exporters`; their ``source`` is an
:class:`EvaluationSource` of plain values (the evaluation dict, remarks, conclusion and header facts),
already fetched and permission-checked by the view.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pciplan.lib.text import fold_key
from pciplan.officedoc import (
    AdminDocument,
    Bullet,
    Cell,
    Column,
    DocumentExporter,
    Heading,
    Image,
    Paragraph,
    Run,
    Sheet,
    Signer,
    Table,
    TableColumn,
    TableExporter,
    register,
)
from pciplan.web import chartcache

from . import charts as evaluation_charts

ROLE_SHORT = {"lead": "Đầu mối", "owner": "Chủ trì", "support": "Phối hợp"}


@dataclass(frozen=True)
class EvaluationSource:
    """Everything a document needs, as plain values."""

    data: dict
    parent_agency: str
    issuing_agency: str
    symbol: str
    place: str
    date: dt.date | None
    signed: bool
    signer: Signer | None
    conclusion: str = ""
    remarks: Mapping[str, str] = field(default_factory=dict)
    unit_key: str | None = None
    charts: bool = True

    @property
    def unit(self) -> dict | None:
        if self.unit_key is None:
            return None
        return next(u for u in self.data["units"] if u["key"] == self.unit_key)


def _num(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _target_cell(t: dict) -> str:
    return t["target_text"]


def _status_cell(t: dict) -> Cell:
    return Cell(t["status_label"], align="center", bold=t["status"] == "not_met")


def _year_caption(data: dict) -> str:
    return f"Nguồn: VCCI, PCI {data['year']}" + (f" ({data['published']['source']})" if data["published"]["source"] else "") \
        + f"; mục tiêu theo Kế hoạch {_ref(data)}."


def _ref(data: dict) -> str:
    """``số …/KH-KHCN`` — the plan's reference inside a sentence."""
    ref = data["plan"]["reference"]
    return "số" + ref[2:] if ref.startswith("Số") else ref


def _baseline_year(data: dict) -> int | None:
    years = [t["baseline_year"] for t in data["targets"] if t.get("baseline_year")]
    return max(set(years), key=years.count) if years else None


# --------------------------------------------------------------------------------------------- DOCX
def _targets_table(data: dict, targets: list[dict], *, title: str, estimates: bool = False) -> Table:
    base = _baseline_year(data)
    columns = [TableColumn("TT", width_mm=9, align="center"), TableColumn("Mục tiêu"),
               TableColumn(f"Năm {base}" if base else "Năm gốc", width_mm=17, align="right"),
               TableColumn("Mục tiêu", width_mm=22, align="right"),
               TableColumn(f"Kết quả {data['year']}", width_mm=18, align="right"),
               TableColumn("So với mục tiêu", width_mm=30), TableColumn("Đánh giá", width_mm=19, align="center")]
    rows = []
    for i, t in enumerate(targets, start=1):
        baseline_text = t["baseline_text"]
        verdict = t["verdict_text"] if t["status"] != "not_measurable" else "chưa có số liệu"
        actual = t["actual_text"]
        if estimates and t.get("estimate"):
            actual = f"{actual} ({t['estimate']['text']}, tham khảo)"
        rows.append([i, t["label"], Cell(baseline_text, align="right"), Cell(_target_cell(t), align="right"),
                     Cell(actual, align="right"), verdict, _status_cell(t)])
    return Table(columns=columns, rows=rows, title=title, font_size=11, note=_year_caption(data))


def _units_table(data: dict, units: list[dict]) -> Table:
    columns = [TableColumn("TT", width_mm=9, align="center"), TableColumn("Phòng, đơn vị"),
               TableColumn("Mục tiêu chủ trì, đầu mối", width_mm=38),
               TableColumn("Nhiệm vụ: đúng hạn / trễ hạn / quá hạn", width_mm=24, align="center"),
               TableColumn("Báo cáo đúng hạn / đến hạn", width_mm=20, align="center"),
               TableColumn("Xếp loại “Hoàn thành xuất sắc”", width_mm=30)]
    rows = []
    for i, u in enumerate(units, start=1):
        owned = _owned_summary(u)
        tasks = u.get("tasks")
        task_text = "—" if not tasks else f"{tasks['on_time']} / {tasks['late']} / {tasks['overdue']}"
        reports = u.get("reports") or {}
        report_text = (f"{reports['on_time']} / {reports['due']}" if reports.get("required")
                       else "không phải gửi" if reports else "—")
        rows.append([i, u["name"] + (" (mẫu)" if u["sample"] else ""), "\n".join(owned) or "Chỉ phối hợp",
                     Cell(task_text, align="center"), Cell(report_text, align="center"),
                     Cell(u["decision_label"], bold=u["excellent_rating_allowed"] is False)])
    return Table(columns=columns, rows=rows, title=f"Kết quả đối với các phòng, đơn vị năm {data['year']}",
                 font_size=11, note="Đúng hạn / trễ hạn / quá hạn: nhiệm vụ có thời hạn, tính đến ngày "
                                    f"{_date_text(data['cutoff'])}.")


def _owned_summary(u: dict) -> list[str]:
    """``Chưa đạt: Dịch vụ hỗ trợ doanh nghiệp`` / ``Chưa có dữ liệu: 3 mục tiêu`` — one line per status."""
    strongest = u["role_by_target"]
    owned = [r for r in u["roles"] if r["role"] in ("lead", "owner") and strongest.get(r["target"]) == r["role"]]
    lines = []
    for status in ("not_met", "not_measurable", "met"):
        group = [r for r in owned if r["status"] == status]
        if not group:
            continue
        what = "; ".join(r["label"] for r in group) if len(group) <= 2 else f"{len(group)} mục tiêu"
        lines.append(f"{group[0]['status_label']}: {what}")
    return lines


def _date_text(iso: str) -> str:
    d = dt.date.fromisoformat(iso[:10])
    return f"{d.day}/{d.month}/{d.year}"


def _published_paragraph(data: dict) -> Paragraph:
    p = data["published"]
    if not p["available"]:
        return Paragraph(f"Chưa có kết quả PCI năm {data['year']} của tỉnh {data['plan']['province']} do VCCI công bố "
                         "trong danh mục; các mục tiêu được đánh giá là chưa có số liệu.")
    parts = [f"Theo kết quả PCI năm {data['year']} do Phòng Thương mại và Công nghiệp Việt Nam (VCCI) công bố, "
             f"tỉnh {data['plan']['province']} đạt "]
    from pciplan.lib.numbers import format_number

    parts.append(f"{format_number(p['total'])} điểm" if p["total"] is not None else "— điểm")
    if p["rank"]:
        parts.append(f", xếp thứ {p['rank']}/{p['of'] or '—'} tỉnh, thành phố")
    parts.append(f", nhóm “{p['group']}”." if p["group"] else "; VCCI chưa công bố nhóm xếp hạng trong số liệu hiện có.")
    return Paragraph("".join(parts))


def _explanations(u: dict, remark: str) -> list:
    blocks: list = [Bullet(line) for line in u["explanation"]]
    blocks.append(Paragraph([Run("Hệ quả đối với người đứng đầu: ", bold=True), Run(_capital(u["consequence_text"]))]))
    if u.get("tasks"):
        t = u["tasks"]
        counts = "; ".join(f"{c['label'].lower()}: {c['n']}" for c in t["counts"]) or "không có nhiệm vụ riêng"
        blocks.append(Paragraph(f"Nhiệm vụ được giao riêng ({t['total']}): {counts}."
                                + (f" Ngoài ra {t['collective_total']} nhiệm vụ giao chung các phòng, đơn vị."
                                   if t["collective_total"] else "")))
    reports = u.get("reports")
    blocks.append(Paragraph(_reports_text(reports)))
    if remark:
        blocks.append(Paragraph([Run("Nhận xét: ", bold=True), Run(remark)]))
    return blocks


def _reports_text(reports: dict | None) -> str:
    if not reports:
        return "Báo cáo định kỳ: chưa có dữ liệu về việc gửi báo cáo."
    if not reports.get("required"):
        return "Báo cáo định kỳ: đơn vị không thuộc diện phải gửi báo cáo theo kế hoạch."
    text = (f"Báo cáo định kỳ: {reports.get('due', 0)} kỳ đã đến hạn; đúng hạn {reports.get('on_time', 0)}, "
            f"trễ hạn {reports.get('late', 0)}, chưa gửi {reports.get('missing', 0)}")
    if reports.get("upcoming"):
        text += f"; {reports['upcoming']} kỳ chưa đến hạn"
    return text + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _chart_image(chart, caption: str) -> list:
    if chart is None:
        return []
    return [Image(chartcache.png(chart, 200, kind="evaluation"), caption=caption)]


def consolidated_document(src: EvaluationSource) -> AdminDocument:
    data = src.data
    year = data["year"]
    overall = [t for t in data["targets"] if t["kind"] in ("rank", "group", "total")]
    subindex = [t for t in data["targets"] if t["kind"] == "subindex"]
    indicators = [t for t in data["targets"] if t["kind"] == "indicator"]
    internal = [u for u in data["units"] if u["internal"]]
    external = [u for u in data["units"] if not u["internal"]]
    c = data["counts"]
    body: list = []
    if not src.signed:
        body.append(Paragraph([Run("(Dự thảo — chưa ký duyệt; số liệu tính đến thời điểm xuất văn bản.)", italic=True)],
                              align="center", indent=False))
    body.append(Paragraph(f"Thực hiện Kế hoạch {_ref(data)} về {_lower_first(data['plan']['title'])}, "
                          f"trên cơ sở kết quả PCI năm {year} do VCCI công bố, {data['plan']['issuer']} đánh giá "
                          "kết quả thực hiện mục tiêu và trách nhiệm của các phòng, đơn vị như sau:"))
    body.append(Heading(f"Kết quả PCI năm {year} và mục tiêu chung"))
    body.append(_published_paragraph(data))
    if overall:
        body.append(_targets_table(data, overall, title="Mục tiêu chung"))
    body.append(Heading("Kết quả thực hiện mục tiêu chỉ số thành phần và chỉ tiêu"))
    body.append(Paragraph(f"Trong {c['total']} mục tiêu của Kế hoạch: {c['met']} đạt, {c['not_met']} chưa đạt, "
                          f"{c['not_measurable']} chưa có số liệu công bố để đánh giá. Mục tiêu được so sánh với "
                          "số liệu công bố (hai chữ số thập phân) đúng như Kế hoạch ghi; số ước tính từ khảo sát "
                          "doanh nghiệp chỉ để tham khảo, không dùng để đánh giá."))
    if subindex:
        body.append(_targets_table(data, subindex, title=f"Mục tiêu các chỉ số thành phần năm {year}"))
    if indicators:
        body.append(_targets_table(data, indicators, title=f"Mục tiêu các chỉ tiêu năm {year}", estimates=True))
    if src.charts:
        body += _chart_image(evaluation_charts.targets_chart_object(data),
                             f"Hình 1. Năm gốc, mục tiêu và kết quả năm {year}")
    body.append(Heading("Kết quả đối với các phòng, đơn vị và trách nhiệm người đứng đầu"))
    for rule in data["rules"]:
        body.append(Paragraph([Run(f"Quy định tại mục {rule['section']} của Kế hoạch: ", bold=True),
                               Run(rule["text"], italic=True)]))
    if internal:
        body.append(_units_table(data, internal))
        for u in internal:
            body.append(Heading(u["name"], level=2))
            body += _explanations(u, src.remarks.get(str(u["org_id"]), ""))
    if external:
        body.append(Heading("Đơn vị đầu mối ngoài Sở (Sở không đánh giá, xếp loại)", level=2))
        for u in external:
            missed = "; ".join(u["missed"])
            owned = ", ".join(r["label"] for r in u["roles"] if r["role"] in ("lead", "owner"))
            body.append(Bullet(f"{u['name']} — đầu mối: {owned or '—'}"
                               + (f"; chưa đạt: {missed}." if missed else "; không có mục tiêu chưa đạt.")))
    body.append(Heading("Nhận xét chung"))
    body.append(Paragraph(src.conclusion or "(Chưa có nhận xét chung.)"))
    return AdminDocument(
        parent_agency=src.parent_agency, issuing_agency=src.issuing_agency, doc_type="BÁO CÁO",
        summary=f"Đánh giá kết quả thực hiện Kế hoạch {_lower_first(data['plan']['title'])}",
        symbol=src.symbol, place=src.place, year=src.date.year if src.date else year + 1,
        month=src.date.month if src.date else None, day=src.date.day if src.date else None,
        body=body, signer=src.signer, recipients=["Lãnh đạo Sở", "Các phòng, đơn vị trực thuộc Sở"],
        archive="VT, KHTC", title=f"Đánh giá kết quả năm {year}",
    )


def unit_document(src: EvaluationSource) -> AdminDocument:
    data, u = src.data, src.unit
    year = data["year"]
    keys = {r["target"] for r in u["roles"]}
    owned_keys = {r["target"] for r in u["roles"] if r["role"] in ("lead", "owner")}
    owned = [t for t in data["targets"] if t["key"] in owned_keys]
    supported = [t for t in data["targets"] if t["key"] in keys - owned_keys]
    body: list = []
    if not src.signed:
        body.append(Paragraph([Run("(Dự thảo — chưa ký duyệt.)", italic=True)], align="center", indent=False))
    body.append(Paragraph([Run("Đơn vị: ", bold=True), Run(u["name"])], indent=False))
    body.append(Paragraph([Run("Kế hoạch: ", bold=True),
                           Run(f"{_ref(data)} — {data['plan']['title']}")], indent=False))
    body.append(Heading("Mục tiêu đơn vị chủ trì, đầu mối"))
    if owned:
        body.append(_targets_table(data, owned, title="", estimates=True))
    else:
        body.append(Paragraph("Đơn vị không chủ trì, không làm đầu mối mục tiêu nào."))
    if supported:
        body.append(Heading("Mục tiêu đơn vị phối hợp"))
        for t in supported:
            body.append(Bullet(f"{t['label']}: {t['margin_text']} — {t['status_label'].lower()}."))
    if src.charts and owned:
        body += _chart_image(evaluation_charts.unit_chart_object(data, u), f"Năm gốc, mục tiêu và kết quả năm {year}")
    body.append(Heading("Nhiệm vụ và báo cáo"))
    tasks = u.get("tasks")
    if tasks:
        counts = "; ".join(f"{c['label'].lower()}: {c['n']}" for c in tasks["counts"]) or "không có"
        body.append(Paragraph(f"Nhiệm vụ được giao riêng ({tasks['total']}): {counts}."))
        for p in tasks["problems"]:
            when = f"hạn {_date_text(p['deadline'])}" if p["deadline"] else ""
            body.append(Bullet(f"{p['label']} ({when}): {p['text']}"))
    body.append(Paragraph(_reports_text(u.get("reports"))))
    body.append(Heading("Áp dụng quy định trách nhiệm"))
    for line in u["explanation"]:
        body.append(Bullet(line))
    body.append(Paragraph([Run("Kết luận: ", bold=True), Run(f"{u['decision_label']}. {_capital(u['consequence_text'])}")]))
    remark = src.remarks.get(str(u["org_id"]), "")
    if remark:
        body.append(Paragraph([Run("Nhận xét: ", bold=True), Run(remark)]))
    left = Signer(title="NGƯỜI ĐỨNG ĐẦU ĐƠN VỊ", name="") if u["internal"] else None
    return AdminDocument(
        parent_agency=src.parent_agency, issuing_agency=src.issuing_agency, doc_type="PHIẾU ĐÁNH GIÁ",
        summary=f"Kết quả thực hiện Kế hoạch nâng cao PCI năm {year} của {u['name']}",
        symbol=src.symbol, place=src.place, year=src.date.year if src.date else year + 1,
        month=src.date.month if src.date else None, day=src.date.day if src.date else None,
        body=body, signer=src.signer, left_signer=left, recipients=[u["name"]], archive="VT, KHTC",
        title=f"Phiếu đánh giá năm {year} — {u['name']}",
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text and not text[:2].isupper() else text


# --------------------------------------------------------------------------------------------- XLSX
def _target_rows(data: dict, targets: Iterable[dict]) -> list[list[Any]]:
    rows = []
    for t in targets:
        group = t["kind"] == "group"
        rows.append([t["label"], t["section"], t["comparator"], t["target"] if group else _num(t["target"]), t["unit"],
                     t["baseline_year"], None if group else _num(t["baseline_value"]),
                     t["actual"] if group else _num(t["actual"]), _num(t["margin"]), _num(t["change"]),
                     t["status_label"], t["margin_text"],
                     (t["estimate"] or {}).get("text", "") if t.get("estimate") else "", t["source"]])
    return rows


def _target_columns(year: int) -> list[Column]:
    return [Column("Mục tiêu", width=44), Column("Mục"), Column("So sánh"), Column("Giá trị mục tiêu", "number"),
            Column("Đơn vị tính"), Column("Năm gốc", "int"), Column("Giá trị năm gốc", "number"),
            Column(f"Kết quả {year}", "number"), Column("Chênh lệch so với mục tiêu", "number"),
            Column("Thay đổi so với năm gốc", "number"), Column("Đánh giá"), Column("Diễn giải", width=50),
            Column("Ước tính khảo sát (tham khảo)", width=30), Column("Nguồn số liệu", width=40)]


def _unit_rows(units: Iterable[dict]) -> list[list[Any]]:
    rows = []
    for u in units:
        tasks = u.get("tasks") or {}
        reports = u.get("reports") or {}
        owned = "; ".join(f"{r['label']} ({r['role_label'].lower()})" for r in u["roles"] if r["role"] in ("lead", "owner"))
        rows.append([u["name"], "Trong Sở" if u["internal"] else "Ngoài Sở", owned or "Chỉ phối hợp",
                     "; ".join(u["missed"]), "; ".join(u["undetermined"]),
                     tasks.get("on_time"), tasks.get("late"), tasks.get("overdue"),
                     reports.get("on_time") if reports.get("required") else None,
                     reports.get("late") if reports.get("required") else None,
                     reports.get("missing") if reports.get("required") else None,
                     {True: "Được xét", False: "Không được", None: "Chưa xác định"}[u["excellent_rating_allowed"]],
                     u["decision_label"], u["consequence_text"]])
    return rows


UNIT_COLUMNS = [Column("Đơn vị", width=40), Column("Thuộc"), Column("Mục tiêu chủ trì, đầu mối", width=40),
                Column("Mục tiêu chịu trách nhiệm chưa đạt", width=36),
                Column("Chưa có số liệu", width=30), Column("Nhiệm vụ đúng hạn", "int"),
                Column("Nhiệm vụ trễ hạn", "int"), Column("Nhiệm vụ quá hạn", "int"),
                Column("Báo cáo đúng hạn", "int"), Column("Báo cáo trễ hạn", "int"), Column("Báo cáo chưa gửi", "int"),
                Column("Xét “Hoàn thành xuất sắc”"), Column("Kết luận", width=30), Column("Hệ quả", width=60)]


def _sheet_title(src: EvaluationSource, what: str) -> list[str]:
    data = src.data
    state = "Đã ký duyệt" if src.signed else "Dự thảo, chưa ký duyệt"
    return [what, f"{data['plan']['issuer']} — Kế hoạch {data['plan']['reference']} ({state})"]


# ------------------------------------------------------------------------------------------ exporters
def _slug(text: str) -> str:
    return re.sub(r"-+", "-", fold_key(text).replace(" ", "-")).strip("-")


@register
class EvaluationDocx(DocumentExporter):
    identifier = "danh-gia-tong-hop-docx"
    verbose_name = "Báo cáo đánh giá kết quả cuối năm (DOCX)"
    description = "Đánh giá tổng hợp: mục tiêu, kết quả công bố, các phòng, đơn vị — thể thức Nghị định 30/2020."

    def document(self, options):
        return consolidated_document(self.source)

    def filename(self, options):
        return f"danh-gia-ket-qua-{self.source.data['year']}-{_slug(self.source.data['plan']['code'])}"


@register
class EvaluationXlsx(TableExporter):
    identifier = "danh-gia-tong-hop-xlsx"
    verbose_name = "Đánh giá kết quả cuối năm (Excel)"

    def sheets(self, options):
        src = self.source
        data = src.data
        yield Sheet("Mục tiêu", _target_columns(data["year"]), _target_rows(data, data["targets"]),
                    title=_sheet_title(src, f"Kết quả thực hiện mục tiêu năm {data['year']}"), note=_year_caption(data))
        yield Sheet("Đơn vị", UNIT_COLUMNS, _unit_rows(data["units"]),
                    title=_sheet_title(src, f"Kết quả đối với các phòng, đơn vị năm {data['year']}"),
                    note="Đơn vị ngoài Sở: Sở không đánh giá, xếp loại; chỉ để tham khảo.")

    def filename(self, options):
        return f"danh-gia-ket-qua-{self.source.data['year']}-{_slug(self.source.data['plan']['code'])}"


@register
class UnitSheetDocx(DocumentExporter):
    identifier = "phieu-danh-gia-don-vi-docx"
    verbose_name = "Phiếu đánh giá đơn vị (DOCX)"

    def document(self, options):
        return unit_document(self.source)

    def filename(self, options):
        u = self.source.unit
        return f"phieu-danh-gia-{self.source.data['year']}-{_slug(u['short_name'] or u['name'])}"


@register
class UnitSheetXlsx(TableExporter):
    identifier = "phieu-danh-gia-don-vi-xlsx"
    verbose_name = "Phiếu đánh giá đơn vị (Excel)"

    def sheets(self, options):
        src = self.source
        data, u = src.data, src.unit
        keys = {r["target"] for r in u["roles"]}
        roles = {r["target"]: r["role_label"] for r in u["roles"]}
        rows = [[roles.get(t["key"], ""), *row] for t, row in
                zip([t for t in data["targets"] if t["key"] in keys],
                    _target_rows(data, [t for t in data["targets"] if t["key"] in keys]), strict=True)]
        yield Sheet("Mục tiêu", [Column("Vai trò"), *_target_columns(data["year"])], rows,
                    title=_sheet_title(src, f"Phiếu đánh giá năm {data['year']} — {u['name']}"),
                    note=_year_caption(data))
        yield Sheet("Kết luận", UNIT_COLUMNS, _unit_rows([u]), title=_sheet_title(src, u["name"]))
        tasks = (u.get("tasks") or {}).get("problems") or []
        yield Sheet("Nhiệm vụ trễ, quá hạn", [Column("Nhiệm vụ", width=70), Column("Mục"), Column("Tình trạng"),
                                              Column("Hạn", "date"), Column("Ngày hoàn thành", "date")],
                    [[p["text"], p["section"], p["label"],
                      dt.date.fromisoformat(p["deadline"]) if p["deadline"] else None,
                      dt.date.fromisoformat(p["completed_on"]) if p["completed_on"] else None] for p in tasks],
                    title=_sheet_title(src, "Nhiệm vụ hoàn thành trễ hạn hoặc quá hạn"))

    def filename(self, options):
        u = self.source.unit
        return f"phieu-danh-gia-{self.source.data['year']}-{_slug(u['short_name'] or u['name'])}"


# ------------------------------------------------------------------------------------- from the model
def _agency_header(plan) -> tuple[str, str]:
    issuer = plan.issuer
    name = issuer.name
    province = plan.province.name
    for suffix in (f" tỉnh {province}", f" thành phố {province}", f" {province}"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    parent = issuer.parent
    parent_text = ""
    if parent is not None:
        parent_text = (parent.short_name or parent.name).replace("Ủy ban nhân dân", "UBND")
    return parent_text.upper(), name.upper()


def _signer(evaluation) -> Signer | None:
    if not evaluation.is_signed:
        return Signer(title="GIÁM ĐỐC", name="")
    title = (evaluation.signer_title or "").strip()
    if title.lower().startswith("phó"):
        return Signer(authority="KT. GIÁM ĐỐC", title=title.upper(), name=evaluation.signer_name)
    return Signer(title=(title or "Giám đốc").upper(), name=evaluation.signer_name)


def source_for(evaluation, data: dict, remarks: Mapping[str, str], conclusion: str, *, unit_key: str | None = None,
               charts: bool = True) -> EvaluationSource:
    plan = evaluation.plan
    parent, agency = _agency_header(plan)
    symbol = plan.symbol.replace("KH-", "BC-", 1) if plan.symbol.startswith("KH-") else f"BC-{plan.symbol}"
    signed_on = evaluation.signed_at.date() if evaluation.signed_at else None
    return EvaluationSource(data=data, parent_agency=parent, issuing_agency=agency, symbol=symbol,
                            place=plan.place or plan.province.name, date=signed_on, signed=evaluation.is_signed,
                            signer=_signer(evaluation), conclusion=conclusion, remarks=dict(remarks),
                            unit_key=unit_key, charts=charts)


def _render(exporter_cls, src, actor, evaluation):
    from pciplan.audit.services import audit_record

    result = exporter_cls(src).render()
    audit_record(actor=actor, obj=evaluation, action="export", root=evaluation.plan,
                 message=f"Xuất {result.filename}")
    return _Download(result.filename, result.content_type, result.data)


@dataclass(frozen=True)
class _Download:
    filename: str
    content_type: str
    content: bytes


def consolidated(evaluation, data, remarks, conclusion, *, fmt: str, actor=None):
    cls = {"docx": EvaluationDocx, "xlsx": EvaluationXlsx}.get(fmt)
    if cls is None:
        from django.http import Http404

        raise Http404
    return _render(cls, source_for(evaluation, data, remarks, conclusion), actor, evaluation)


def unit_sheet(evaluation, data, unit, remark, *, fmt: str, actor=None):
    cls = {"docx": UnitSheetDocx, "xlsx": UnitSheetXlsx}.get(fmt)
    if cls is None:
        from django.http import Http404

        raise Http404
    src = source_for(evaluation, data, {str(unit["org_id"]): remark}, "", unit_key=unit["key"])
    return _render(cls, src, actor, evaluation)
