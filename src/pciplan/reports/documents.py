"""Files of the reporting cycle, through :mod:`pciplan.officedoc` and :mod:`pciplan.charts`:

* the consolidated report as a DOCX in the Nghị định 30/2020 format (header block, blank number and day
  for the clerk, Roman-numeral sections, a chart of task outcomes, "Nơi nhận", signature block);
* its XLSX annex (per target: target, tasks, status, evidence count; per unit: sending status);
* the board as an XLSX table ("Xuất Excel").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pciplan.charts.results import status_bars, status_chart
from pciplan.lib.dates import format_date
from pciplan.lib.text import fold_key
from pciplan.officedoc import (
    AdminDocument,
    Bullet,
    Cell,
    Column,
    Heading,
    Image,
    Paragraph,
    Sheet,
    Signer,
    Table,
    TableColumn,
    render_docx,
    write_xlsx,
)
from pciplan.plans.models import Target, Task
from pciplan.plans.outcomes import OUTCOME_LABELS
from pciplan.web import chartcache

from . import selectors
from .consolidation import (
    OUTCOMES_KEY,
    agency_title,
    document_symbol,
    parent_title,
    split_lines,
    target_phrase,
)
from .models import ConsolidatedReport, Period

SHORT_OUTCOME = {
    "done_on_time": "HT đúng hạn", "done_late": "HT quá hạn", "in_progress_on_time": "Đang TH trong hạn",
    "overdue": "Quá hạn chưa HT", "continuous": "Thường xuyên", "recurring": "Định kỳ",
}


def _outcome_counts(board: selectors.Board) -> dict:
    return {"counts": [(OUTCOME_LABELS[o], board.total.counts.get(o, 0)) for o in selectors.OUTCOME_ORDER],
            "title": "Kết quả thực hiện nhiệm vụ", "period": board.period.label, "unit": "nhiệm vụ",
            "source": f"Số liệu tính đến ngày {format_date(board.asof)}; nguồn: báo cáo của các phòng, đơn vị."}


def outcome_chart(board: selectors.Board):
    """The outcome chart of the consolidated report (drawn: PNG in the document, SVG in its preview)."""
    return status_chart(**_outcome_counts(board))


def outcome_bars(board: selectors.Board):
    """The same figures as HTML bars for the live board (changes with every report; nothing to draw)."""
    return status_bars(**_outcome_counts(board))


def outcome_table(board: selectors.Board, *, font_size: float = 11) -> Table:
    columns = [TableColumn("Đơn vị", width_mm=44), TableColumn("Tổng số", thousands=False)]
    columns += [TableColumn(SHORT_OUTCOME[o], thousands=False) for o in selectors.OUTCOME_ORDER]
    rows = []
    for row in board.rows:
        if not row.counts.total:
            continue
        rows.append([row.unit.short_name or row.unit.name, row.counts.total,
                     *[row.counts.counts.get(o, 0) for o in selectors.OUTCOME_ORDER]])
    if board.shared.total:
        rows.append(["Nhiệm vụ chung của các phòng, đơn vị", board.shared.total,
                     *[board.shared.counts.get(o, 0) for o in selectors.OUTCOME_ORDER]])
    total = [Cell("Tổng cộng", bold=True), board.total.total, *[board.total.counts.get(o, 0) for o in selectors.OUTCOME_ORDER]]
    return Table(columns, rows, title=f"Kết quả thực hiện nhiệm vụ theo đơn vị (tính đến ngày {format_date(board.asof)})",
                 total_rows=[total], font_size=font_size, decimals=0,
                 note="HT: hoàn thành; TH: thực hiện. Nhiệm vụ thường xuyên, định kỳ không tính quá hạn.")


def _blocks(text: str):
    for kind, line in split_lines(text):
        if kind == "p":
            yield Paragraph(line)
        else:
            yield Bullet(line, marker=kind)


def consolidated_document(report: ConsolidatedReport, *, today: dt.date, board: selectors.Board | None = None,
                          chart_png: bytes | None = None) -> AdminDocument:
    period = report.period
    plan = period.plan
    board = board or selectors.board(period, today)
    body = []
    if report.opening.strip():
        body.extend(_blocks(report.opening))
    for section in report.sections:
        level = int(section.get("level", 1))
        if section.get("numbered", True):
            body.append(Heading(section["title"], level=level))
        else:
            body.append(Paragraph(section["title"] + ":", indent=True))
        body.extend(_blocks(section.get("text", "")))
        if section["key"] == OUTCOMES_KEY:
            body.append(outcome_table(board))
            png = chart_png if chart_png is not None else chartcache.png(outcome_chart(board), 200, kind="board")
            body.append(Image(png, caption=f"Hình 1. Kết quả thực hiện nhiệm vụ — {period.label}", width_mm=150))
    return AdminDocument(
        parent_agency=parent_title(plan.issuer), issuing_agency=agency_title(plan.issuer).upper(), doc_type="BÁO CÁO",
        summary=report.summary, symbol=document_symbol(plan), place=plan.place or "", year=today.year,
        month=today.month, day=None, number=None, body=body,
        signer=Signer(authority=report.signer_authority, title=report.signer_title or "GIÁM ĐỐC",
                      name=report.signer_name),
        recipients=report.recipients, archive=report.archive or "VT",
        title=f"Báo cáo {report.summary}")


def consolidated_docx(report: ConsolidatedReport, *, today: dt.date) -> bytes:
    return render_docx(consolidated_document(report, today=today))


def annex_sheets(period: Period, today: dt.date) -> list[Sheet]:
    """Per target: target, tasks, status (outcome), evidence count; per unit: sending status."""
    board = selectors.board(period, today)
    versions = selectors.accepted_versions(period)
    evidence_by_task: dict[int, int] = defaultdict(int)
    reported_by_task: dict[int, list[str]] = defaultdict(list)
    for version in versions:
        for item in version.content.get("tasks", []):
            evidence_by_task[item["task_id"]] += len(item.get("evidence_ids", []))
            if any(item.get(k) for k in ("done_text", "results")):
                reported_by_task[item["task_id"]].append(version.report.unit.short_name or version.report.unit.name)
    from pciplan.plans.outcomes import task_outcome

    targets = list(Target.objects.filter(plan=period.plan).order_by("order", "id"))
    tasks = list(Task.objects.filter(plan=period.plan).prefetch_related("targets", "assignments__organisation")
                 .order_by("order", "id"))
    rows = []
    for target in targets:
        for task in tasks:
            if target not in task.targets.all():
                continue
            outcome = task_outcome(timing=task.timing, status=task.status, deadline=task.deadline,
                                   completed_on=task.completed_on, cutoff=board.asof)
            units = "; ".join(a.organisation.short_name or a.organisation.name for a in task.assignments.all())
            rows.append([target.label, target_phrase(target), task.section, task.text, units,
                         task.deadline if task.deadline else task.get_timing_display(), OUTCOME_LABELS[outcome],
                         "; ".join(reported_by_task.get(task.pk, [])), evidence_by_task.get(task.pk, 0)])
    per_target = Sheet(
        "Theo mục tiêu",
        [Column("Mục tiêu", width=36), Column("Mục tiêu cần đạt", width=18), Column("Mục", width=8),
         Column("Nhiệm vụ", width=60), Column("Đơn vị thực hiện", width=24), Column("Thời hạn", width=12),
         Column("Tình trạng", width=22), Column("Đơn vị đã báo cáo", width=24), Column("Số minh chứng", "int")],
        rows, title=[f"PHỤ LỤC: KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO MỤC TIÊU — {period.label.upper()}",
                     f"{plan_line(period)}; tình trạng tính đến ngày {format_date(board.asof)}."],
        note="Nguồn: báo cáo đã tiếp nhận của các phòng, đơn vị; tình trạng nhiệm vụ tính từ thời hạn, ngày hoàn "
             "thành và ngày chốt số liệu.", landscape=True)
    per_unit = Sheet(
        "Theo đơn vị",
        [Column("Đơn vị", width=40), Column("Bắt buộc báo cáo", width=12), Column("Tình trạng báo cáo", width=30),
         Column("Ngày gửi lần đầu", "date"), Column("Số ngày muộn", "int"), Column("Số lần gửi", "int"),
         *[Column(SHORT_OUTCOME[o], "int") for o in selectors.OUTCOME_ORDER]],
        [[r.unit.name, "Có" if r.required else "Không", r.state_label,
          r.report.first_sent_at.date() if r.report and r.report.first_sent_at else None,
          r.late_days or 0, r.report.sent_count if r.report else 0,
          *[r.counts.counts.get(o, 0) for o in selectors.OUTCOME_ORDER]] for r in board.rows],
        title=[f"PHỤ LỤC: TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ — {period.label.upper()}",
               f"Hạn gửi: hết ngày {format_date(period.due_date)}; nơi nhận: {period.consolidator.name}."],
        landscape=True)
    return [per_target, per_unit]


def plan_line(period: Period) -> str:
    plan = period.plan
    return f"Kế hoạch {plan.reference} — {plan.title}"


def annex_xlsx(period: Period, today: dt.date) -> bytes:
    return write_xlsx(annex_sheets(period, today), title=f"Phụ lục báo cáo tổng hợp {period.label}")


def board_xlsx(board: selectors.Board) -> bytes:
    period = board.period
    sheet = Sheet(
        "Theo dõi báo cáo",
        [Column("Đơn vị", width=40), Column("Bắt buộc", width=10), Column("Tình trạng", width=30),
         Column("Gửi lần cuối", "date"), Column("Số ngày muộn", "int"),
         *[Column(OUTCOME_LABELS[o], "int") for o in selectors.OUTCOME_ORDER]],
        [[r.unit.name, "Có" if r.required else "Không", r.state_label,
          r.report.last_sent_at.date() if r.report and r.report.last_sent_at else None, r.late_days or 0,
          *[r.counts.counts.get(o, 0) for o in selectors.OUTCOME_ORDER]] for r in board.rows],
        title=[f"THEO DÕI BÁO CÁO {period.label.upper()}", f"{plan_line(period)}; hạn gửi hết ngày "
               f"{format_date(period.due_date)}; số liệu đến {format_date(board.asof)}."],
        landscape=True)
    return write_xlsx(sheet, title=f"Theo dõi báo cáo {period.label}")


def filename(period: Period, what: str, ext: str) -> str:
    return f"{fold_key(what).replace(' ', '-')}-{period.code.lower()}.{ext}"
