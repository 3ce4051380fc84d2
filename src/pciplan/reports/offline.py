"""The offline path: download a draft pre-filled as XLSX, fill it in Excel, upload it back.

The upload is read, checked cell by cell (messages name the sheet, row and column), and compared with the
draft; the person sees exactly what will change before anything is written, and only changed cells are
saved (:func:`pciplan.reports.services.report_save`, with the usual version check).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from pciplan.lib.dates import format_date
from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import format_number
from pciplan.lib.text import fold_key
from pciplan.officedoc import Column, Sheet, SheetFormatError, read_sheet, write_xlsx
from pciplan.plans.models import TaskStatus

from . import selectors, services
from .models import UnitReport

TASK_SHEET = "Nhiệm vụ"
VALUE_SHEET = "Chỉ tiêu"
GENERAL_SHEET = "Tình hình chung"
CODE = "Mã dòng (không sửa)"

TASK_COLUMNS = [
    (CODE, None), ("STT", None), ("Nhiệm vụ", None), ("Thời hạn", None),
    ("Tình trạng", "status"), ("Tiến độ (%)", "progress"), ("Ngày hoàn thành", "completed_on"),
    ("Công việc đã thực hiện", "done_text"), ("Kết quả đạt được", "results"),
    ("Khó khăn, vướng mắc", "difficulties"), ("Đề xuất, kiến nghị", "proposals"),
]
VALUE_COLUMNS = [
    (CODE, None), ("Chỉ tiêu", None), ("Mục tiêu", None), ("Giá trị đo được", "value"),
    ("Cách đo, nguồn số liệu", "method"), ("Liên kết nguồn", "source_url"), ("Ngày đo", "measured_on"),
]
GENERAL_COLUMNS = [(CODE, None), ("Mục", None), ("Nội dung", "text")]
GENERAL_ROWS = [("summary", "Tình hình chung"), ("difficulties", "Khó khăn, vướng mắc chung"),
                ("proposals", "Đề xuất, kiến nghị chung")]
STATUS_BY_LABEL = {fold_key(str(s.label)): s.value for s in TaskStatus}
STATUS_BY_LABEL.update({fold_key(s.value): s.value for s in TaskStatus})
STATUS_BY_LABEL.update({"hoan thanh": TaskStatus.DONE, "dang thuc hien": TaskStatus.IN_PROGRESS})


def _timing(task) -> str:
    if task.timing == "deadline":
        return format_date(task.deadline)
    return task.get_timing_display()


def workbook(report: UnitReport) -> bytes:
    """The draft as an XLSX file: one sheet of tasks, one of indicators, one of general text."""
    detail = selectors.report_detail(report)
    period = report.period
    prefix = f"R{report.pk}"
    head = [f"BÁO CÁO KẾT QUẢ THỰC HIỆN {period.plan.reference.upper()} — {period.label.upper()}",
            f"Đơn vị: {report.unit.name}. Hạn gửi: hết ngày {format_date(period.due_date)}. "
            f"Tải về lúc dự thảo ở lần lưu {report.version}.",
            "Điền các cột từ “Tình trạng” trở đi; không sửa cột “Mã dòng”. Tình trạng ghi một trong: "
            + ", ".join(str(s.label) for s in TaskStatus) + ". Ngày ghi dd/mm/yyyy."]
    task_rows = [[f"{prefix}-NV{e.pk}", i, e.task.text, _timing(e.task), e.get_status_display(), e.progress,
                  e.completed_on, e.done_text, e.results, e.difficulties, e.proposals]
                 for i, e in enumerate(detail["entries"], start=1)]
    value_rows = [[f"{prefix}-CT{v.pk}", v.target.label,
                   f"{v.target.get_comparator_display()} {format_number(v.target.value, 2, strip=True)}{v.target.unit}",
                   float(v.value) if v.value is not None else None, v.method, v.source_url, v.measured_on]
                  for v in detail["values"]]
    general_rows = [[f"{prefix}-{key}", label, getattr(report, key)] for key, label in GENERAL_ROWS]
    general_rows.append([f"{prefix}-version", "Lần lưu khi tải về (không sửa)", str(report.version)])
    kinds = {"Tiến độ (%)": "int", "Ngày hoàn thành": "date", "Ngày đo": "date", "STT": "int"}
    widths = {"Nhiệm vụ": 50, "Công việc đã thực hiện": 45, "Kết quả đạt được": 40, "Khó khăn, vướng mắc": 30,
              "Đề xuất, kiến nghị": 30, CODE: 16, "Chỉ tiêu": 45, "Cách đo, nguồn số liệu": 45, "Nội dung": 90,
              "Mục": 28, "Liên kết nguồn": 40}

    def cols(spec):
        return [Column(title, kind=kinds.get(title, "number" if title == "Giá trị đo được" else "text"),
                       width=widths.get(title)) for title, _ in spec]

    sheets = [Sheet(TASK_SHEET, cols(TASK_COLUMNS), task_rows, title=head, landscape=True),
              Sheet(VALUE_SHEET, cols(VALUE_COLUMNS), value_rows, title=head[:2], landscape=True),
              Sheet(GENERAL_SHEET, cols(GENERAL_COLUMNS), general_rows, title=head[:2])]
    return write_xlsx(sheets, title=f"Báo cáo {period.label} — {report.unit.name}")


@dataclass
class Change:
    sheet: str
    row: int
    what: str
    field: str
    old: str
    new: str


@dataclass
class ImportPreview:
    base_version: int | None
    current_version: int
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)

    @property
    def stale(self) -> bool:
        return self.base_version is not None and self.base_version != self.current_version

    def payload(self) -> dict:
        """JSON for the session, applied on confirmation."""
        def plain(d):
            return {str(k): {f: _json(v) for f, v in changes.items()} for k, changes in d.items()}
        return {"version": self.current_version, "fields": {k: _json(v) for k, v in self.fields.items()},
                "entries": plain(self.entries), "values": plain(self.values)}


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _show(value) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_number(value, 4, strip=True)
    if value in TaskStatus.values:
        return str(TaskStatus(value).label)
    return str(value)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read(data: bytes, sheet: str, spec, errors: list[str]):
    try:
        return read_sheet(data, sheet, headers=[title for title, _ in spec])
    except SheetFormatError as exc:
        errors.append(f"Trang “{sheet}”: {exc}")
        return None


def parse(report: UnitReport, data: bytes) -> ImportPreview:
    """Read an uploaded workbook against the draft: what would change, or what is wrong (never writes)."""
    if not data.startswith(b"PK"):
        raise DomainError("Tệp tải lên không phải là tệp Excel (.xlsx) tải về từ báo cáo này.", field="file")
    detail = selectors.report_detail(report)
    entries = {e.pk: e for e in detail["entries"]}
    values = {v.pk: v for v in detail["values"]}
    prefix = f"R{report.pk}-"
    preview = ImportPreview(base_version=None, current_version=report.version)
    errors = preview.errors

    def check_code(code, sheet, row, kind):
        code = _cell_text(code).strip()
        if not code.startswith(prefix):
            errors.append(f"Trang “{sheet}”, dòng {row}: mã dòng “{code or '(trống)'}” không thuộc báo cáo này "
                          "(tệp của báo cáo khác, hoặc cột Mã dòng đã bị sửa).")
            return None
        rest = code[len(prefix):]
        if kind and rest.startswith(kind) and rest[len(kind):].isdigit():
            return int(rest[len(kind):])
        if not kind:
            return rest
        errors.append(f"Trang “{sheet}”, dòng {row}: mã dòng “{code}” không hợp lệ.")
        return None

    general = _read(data, GENERAL_SHEET, GENERAL_COLUMNS, errors)
    if general:
        for row in general.rows:
            key = check_code(row.get(CODE), GENERAL_SHEET, row.number, "")
            if key == "version":
                with contextlib.suppress(ValueError):
                    preview.base_version = int(_cell_text(row.get("Nội dung")))
            elif key in dict(GENERAL_ROWS):
                new = services._text(_cell_text(row.get("Nội dung")), dict(GENERAL_ROWS)[key])
                if new != getattr(report, key):
                    preview.fields[key] = new
                    preview.changes.append(Change(GENERAL_SHEET, row.number, dict(GENERAL_ROWS)[key], "Nội dung",
                                                  _show(getattr(report, key)), _show(new)))
            elif key is not None:
                errors.append(f"Trang “{GENERAL_SHEET}”, dòng {row.number}: mục “{key}” không có trong báo cáo.")

    tasks = _read(data, TASK_SHEET, TASK_COLUMNS, errors)
    if tasks:
        seen = set()
        for row in tasks.rows:
            pk = check_code(row.get(CODE), TASK_SHEET, row.number, "NV")
            if pk is None:
                continue
            entry = entries.get(pk)
            if entry is None or pk in seen:
                errors.append(f"Trang “{TASK_SHEET}”, dòng {row.number}: nhiệm vụ không có trong báo cáo hoặc bị lặp.")
                continue
            seen.add(pk)
            raw = {}
            for title, name in TASK_COLUMNS:
                if name is None:
                    continue
                cell = row.get(title)
                if name == "status":
                    label = fold_key(_cell_text(cell))
                    if label not in STATUS_BY_LABEL:
                        errors.append(f"Trang “{TASK_SHEET}”, dòng {row.number}, cột {tasks.column_letter(title)}: "
                                      f"tình trạng “{_cell_text(cell)}” không hợp lệ (ghi: "
                                      + ", ".join(str(s.label) for s in TaskStatus) + ").")
                        raw = None
                        break
                    raw[name] = STATUS_BY_LABEL[label]
                elif name == "completed_on":
                    raw[name] = cell if isinstance(cell, dt.date) else _cell_text(cell)
                else:
                    raw[name] = _cell_text(cell)
            if raw is None:
                continue
            try:
                clean = services._clean_entry(entry, raw, report.period.plan)
            except DomainError as exc:
                errors.append(f"Trang “{TASK_SHEET}”, dòng {row.number}: {exc.message}")
                continue
            diff = {k: v for k, v in clean.items() if services._norm(getattr(entry, k)) != services._norm(v)}
            if diff:
                preview.entries[pk] = diff
                for k, v in diff.items():
                    preview.changes.append(Change(TASK_SHEET, row.number, entry.task.text[:90], services.ENTRY_LABELS[k],
                                                  _show(getattr(entry, k)), _show(v)))

    sheet_values = _read(data, VALUE_SHEET, VALUE_COLUMNS, errors) if values else None
    if sheet_values:
        for row in sheet_values.rows:
            pk = check_code(row.get(CODE), VALUE_SHEET, row.number, "CT")
            if pk is None:
                continue
            item = values.get(pk)
            if item is None:
                errors.append(f"Trang “{VALUE_SHEET}”, dòng {row.number}: chỉ tiêu không có trong báo cáo.")
                continue
            raw = {}
            for title, name in VALUE_COLUMNS:
                if name is None:
                    continue
                cell = row.get(title)
                if name == "value":
                    raw[name] = cell if isinstance(cell, int | float) and not isinstance(cell, bool) else _cell_text(cell)
                elif name == "measured_on":
                    raw[name] = cell if isinstance(cell, dt.date) else _cell_text(cell)
                else:
                    raw[name] = _cell_text(cell)
            try:
                clean = services._clean_value(item, raw)
            except DomainError as exc:
                errors.append(f"Trang “{VALUE_SHEET}”, dòng {row.number}: {exc.message}")
                continue
            diff = {k: v for k, v in clean.items() if services._norm(getattr(item, k)) != services._norm(v)}
            if diff:
                preview.values[pk] = diff
                for k, v in diff.items():
                    preview.changes.append(Change(VALUE_SHEET, row.number, item.target.label[:90], services.VALUE_LABELS[k],
                                                  _show(getattr(item, k)), _show(v)))
    return preview


def apply(*, actor, report: UnitReport, payload: dict, filename: str = "") -> UnitReport:
    """Write a confirmed preview (the payload kept in the session)."""
    return services.report_save(actor=actor, report=report, expected_version=payload["version"],
                                fields=payload["fields"], entries=payload["entries"], values=payload["values"],
                                message=f"Nhập nội dung từ tệp Excel {filename}".strip())
