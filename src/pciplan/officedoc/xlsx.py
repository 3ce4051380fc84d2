"""Excel tables: "Xuất Excel" of any page table and of report annexes, and reading a sheet back.

Numbers are written as numbers with formats such as ``#,##0.00``: Excel shows them in the reader's
locale, so a Vietnamese Excel shows ``1.234,50``. Dates are real dates formatted ``dd/mm/yyyy``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pciplan.lib.numbers import format_number
from pciplan.lib.text import fold_key, nfc

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Kind = Literal["text", "int", "number", "percent", "date", "datetime"]

FONT_NAME = "Times New Roman"
HEADER_FILL = "D9D9D9"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def number_format(kind: Kind, decimals: int = 2) -> str:
    """Excel number format for a column kind.

    Examples
    --------
    >>> number_format("number", 2), number_format("int"), number_format("percent", 1)
    ('#,##0.00', '#,##0', '0.0"%"')
    >>> number_format("date")
    'dd/mm/yyyy'
    """
    if kind == "int":
        return "#,##0"
    if kind == "number":
        return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if kind == "percent":
        return "0" + ("." + "0" * decimals if decimals > 0 else "") + '"%"'
    if kind == "date":
        return "dd/mm/yyyy"
    if kind == "datetime":
        return "dd/mm/yyyy hh:mm"
    return "General"


@dataclass(frozen=True)
class Column:
    """A column of an Excel sheet.

    Parameters
    ----------
    title : str
        Header text (Vietnamese).
    kind : {"text", "int", "number", "percent", "date", "datetime"}
        ``percent`` holds values on the 0–100 scale (85.5 → ``85,5%``).
    decimals : int
        Decimals shown for ``number`` and ``percent``.
    width : float, optional
        Width in Excel character units; estimated from the content when omitted.
    key : str, optional
        Key to read from mapping rows; defaults to ``title``.

    Examples
    --------
    >>> Column("Điểm 2020", kind="number").decimals
    2
    """

    title: str
    kind: Kind = "text"
    decimals: int = 2
    width: float | None = None
    key: str | None = None


@dataclass(frozen=True)
class Sheet:
    """A sheet: title lines, one header row, rows, total rows, note lines (source).

    ``rows`` are sequences in column order or mappings keyed by ``Column.key``/``title``.

    Examples
    --------
    >>> Sheet("PCI 2020", [Column("Tỉnh"), Column("PCI", "number")], [("Bắc Giang", 63.98)],
    ...       title="Chỉ số PCI năm 2020", note="Nguồn: VCCI, PCI 2020.").name
    'PCI 2020'
    """

    name: str
    columns: Sequence[Column | str]
    rows: Iterable[Sequence[Any] | Mapping[str, Any]]
    title: str | Sequence[str] = ()
    note: str | Sequence[str] = ()
    total_rows: Sequence[Sequence[Any]] = ()
    freeze_first_column: bool = False
    landscape: bool | None = None

    @property
    def column_specs(self) -> tuple[Column, ...]:
        return tuple(c if isinstance(c, Column) else Column(str(c)) for c in self.columns)


def _lines(value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    return [v for v in value if v]


def _sheet_name(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", nfc(name) or "Trang").strip("'")[:31] or "Trang"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def _cell_value(value: Any, column: Column) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if column.kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return nfc(value) if "\n" not in value else value
    return value


def _display_len(value: Any, column: Column) -> int:
    if value is None:
        return 0
    if column.kind in {"date"} or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return 10
    if column.kind == "datetime" or isinstance(value, dt.datetime):
        return 16
    if isinstance(value, int | float) and not isinstance(value, bool):
        return len(f"{value:,.{column.decimals}f}") + 1
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    columns = sheet.column_specs
    ncols = max(len(columns), 1)
    font = Font(name=FONT_NAME, size=12)
    row_no = 1
    for idx, line in enumerate(_lines(sheet.title)):
        cell = ws.cell(row=row_no, column=1, value=nfc(line))
        cell.font = Font(name=FONT_NAME, size=14 if idx == 0 else 12, bold=idx == 0, italic=idx > 0)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if ncols > 1:
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
        row_no += 1
    if row_no > 1:
        row_no += 1  # one blank row between the title and the header
    header_row = row_no
    header_font = Font(name=FONT_NAME, size=12, bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for col_idx, column in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=col_idx, value=nfc(column.title))
        cell.font = header_font
        cell.fill = fill
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [max((len(w) for w in c.title.split()), default=4) + 2 for c in columns]
    row_no = header_row + 1
    formats = [number_format(c.kind, c.decimals) for c in columns]

    def put_row(values: Sequence[Any], *, bold: bool) -> None:
        nonlocal row_no
        for col_idx, column in enumerate(columns, start=1):
            value = values[col_idx - 1] if col_idx - 1 < len(values) else None
            value = _cell_value(value, column)
            cell = ws.cell(row=row_no, column=col_idx, value=value)
            cell.font = Font(name=FONT_NAME, size=12, bold=bold) if bold else font
            cell.border = _BORDER
            if column.kind != "text" and not isinstance(value, str):
                cell.number_format = formats[col_idx - 1]
            wrap = isinstance(value, str) and (len(value) > 50 or "\n" in value)
            horizontal = "center" if column.kind in {"date", "datetime"} else None
            cell.alignment = Alignment(vertical="top", wrap_text=wrap, horizontal=horizontal)
            widths[col_idx - 1] = max(widths[col_idx - 1], min(_display_len(value, column) + 2, 60))
        row_no += 1

    for raw in sheet.rows:
        if isinstance(raw, Mapping):
            values = [raw.get(c.key or c.title) for c in columns]
        else:
            values = list(raw)
        put_row(values, bold=False)
    for raw in sheet.total_rows:
        put_row(list(raw), bold=True)
    last_data_row = row_no - 1
    notes = _lines(sheet.note)
    if notes:
        row_no += 1
        for line in notes:
            cell = ws.cell(row=row_no, column=1, value=nfc(line))
            cell.font = Font(name=FONT_NAME, size=11, italic=True)
            row_no += 1

    for col_idx, column in enumerate(columns, start=1):
        width = column.width if column.width else max(8, min(widths[col_idx - 1], 60))
        ws.column_dimensions[get_column_letter(col_idx)].width = width
    ws.row_dimensions[header_row].height = None
    freeze_col = "B" if sheet.freeze_first_column else "A"
    ws.freeze_panes = f"{freeze_col}{header_row + 1}"
    if last_data_row > header_row:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{last_data_row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    landscape = sheet.landscape if sheet.landscape is not None else ncols > 6
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = 30 / 25.4
    ws.page_margins.right = 15 / 25.4
    ws.page_margins.top = 20 / 25.4
    ws.page_margins.bottom = 20 / 25.4


def write_xlsx(sheets: Sheet | Sequence[Sheet], *, title: str = "", creator: str = "pciplan") -> bytes:
    """Write one or more sheets to an XLSX file.

    Parameters
    ----------
    sheets : Sheet or sequence of Sheet
        The sheets, in order. Sheet names are cut to 31 characters, cleaned of ``[]:*?/\\`` and made
        unique.
    title, creator : str
        Workbook properties.

    Returns
    -------
    bytes
        The XLSX file.

    Examples
    --------
    >>> import datetime as dt
    >>> data = write_xlsx(Sheet("Báo cáo", [Column("Đơn vị"), Column("Ngày gửi", "date")],
    ...                         [("Văn phòng Sở", dt.date(2020, 10, 5))]))
    >>> read_sheet(data).rows[0].values["Ngày gửi"]
    datetime.date(2020, 10, 5)
    """
    if isinstance(sheets, Sheet):
        sheets = [sheets]
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_name(sheet.name, used))
        _write_sheet(ws, sheet)
    if not wb.worksheets:
        wb.create_sheet("Trang 1")
    wb.properties.creator = creator
    wb.properties.title = title or (sheets[0].name if sheets else "")
    wb.properties.language = "vi-VN"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -------------------------------------------------------------------------------------------- reader
class SheetFormatError(ValueError):
    """The workbook or sheet cannot be read as a table (message in Vietnamese)."""


MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def unpacked_size(data: bytes) -> int:
    """Bytes the members of a ZIP package (XLSX, DOCX) declare they unpack to; 0 when it is no readable ZIP.

    :mod:`zipfile` never unpacks a member past its declared size, so this bounds what reading the package
    costs: a small upload that unpacks to gigabytes (a "ZIP bomb") can be refused before it is read.

    >>> unpacked_size(write_xlsx(Sheet("A", ["Mã"], [("A1",)]))) < 20_000
    True
    >>> unpacked_size(b"day khong phai la zip")
    0
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except Exception:  # not a ZIP, or a damaged one: the reader reports it
        return 0


def check_unpacked_size(data: bytes, what: str = "Tệp Excel") -> str | None:
    """A Vietnamese message when ``data`` unpacks to more than :data:`MAX_UNPACKED_BYTES`, else ``None``."""
    size = unpacked_size(data)
    if size <= MAX_UNPACKED_BYTES:
        return None
    mb = 1024 * 1024
    return (f"{what} khi giải nén lớn tới {format_number(size // mb, 0)} MB, quá giới hạn {MAX_UNPACKED_BYTES // mb} MB: "
            "tệp bị hỏng hoặc không phải là bảng tính thông thường.")


@dataclass(frozen=True)
class SheetRow:
    """One data row: its Excel row number (for messages like "dòng 12") and values by header.

    Examples
    --------
    >>> row = SheetRow(12, {"Mã chỉ tiêu": "A1", "Điểm": 7.61})
    >>> row.get("ma chi tieu"), row.number
    ('A1', 12)
    """

    number: int
    values: dict[str, Any]

    def get(self, header: str, default: Any = None) -> Any:
        """Value under ``header``, matched ignoring case and diacritics."""
        if header in self.values:
            return self.values[header]
        key = fold_key(header)
        for name, value in self.values.items():
            if fold_key(name) == key:
                return value
        return default


@dataclass(frozen=True)
class SheetData:
    """A sheet read back: name, header texts, the header's row number, data rows and column letters."""

    name: str
    headers: list[str]
    header_row: int
    rows: list[SheetRow]
    letters: dict[str, str] = field(default_factory=dict)

    def column_letter(self, header: str) -> str:
        """Excel column letter of ``header`` (for messages like "cột C"), matched tolerantly."""
        key = fold_key(header)
        for name, letter in self.letters.items():
            if fold_key(name) == key:
                return letter
        raise KeyError(header)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        text = nfc(value)
        return text or None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def read_sheet(source: bytes | str | Path | BinaryIO, sheet: str | int | None = None, *,
               header_row: int | None = None, headers: Sequence[str] = (),
               stop_at_blank: bool = False) -> SheetData:
    """Read a sheet into rows keyed by header, keeping each row's Excel row number.

    Parameters
    ----------
    source : bytes, path or binary file
        The XLSX file.
    sheet : str or int, optional
        Sheet name or 0-based index; the first sheet by default.
    header_row : int, optional
        1-based row number of the header. Otherwise the first row (of the first 30) holding all of
        ``headers`` (matched ignoring case and diacritics), or, without ``headers``, the first row
        with the most filled cells, all of them text.
    headers : sequence of str
        Headers the importer needs; a missing one raises :class:`SheetFormatError`.
    stop_at_blank : bool
        Stop at the first empty row after the data (use it to skip notes under a table); by default
        empty rows are skipped and reading goes on.

    Returns
    -------
    SheetData
        Strings in NFC, stripped (empty → ``None``); dates at midnight as ``date``.

    Examples
    --------
    >>> data = write_xlsx(Sheet("A", ["Mã", "Tên"], [("A1", "Tính minh bạch")], title="Danh mục"))
    >>> table = read_sheet(data, headers=["ma", "ten"])
    >>> table.header_row, table.rows[0].number, table.rows[0].get("Tên")
    (3, 4, 'Tính minh bạch')
    """
    if isinstance(source, bytes | bytearray) and (problem := check_unpacked_size(bytes(source))):
        raise SheetFormatError(problem)
    try:
        if isinstance(source, bytes | bytearray):
            source = io.BytesIO(source)
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not XLSX
        raise SheetFormatError(f"Không đọc được tệp Excel (.xlsx): {exc}") from exc
    try:
        if not wb.worksheets:  # only chart sheets, or a workbook.xml that lists none
            raise SheetFormatError("Tệp Excel không có trang tính nào.")
        if sheet is None:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            try:
                ws = wb.worksheets[sheet]
            except IndexError:
                raise SheetFormatError(f"Tệp không có trang tính thứ {sheet + 1}.")
        else:
            names = {fold_key(n): n for n in wb.sheetnames}
            name = sheet if sheet in wb.sheetnames else names.get(fold_key(sheet))
            if name is None:
                raise SheetFormatError(f"Tệp không có trang tính “{sheet}”.")
            ws = wb[name]
        title = ws.title
        try:
            # Read-only workbooks parse a sheet's XML only now, so a damaged sheet fails here.
            rows = [[_clean(v) for v in row] for row in ws.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl and the XML parser raise many kinds for a damaged sheet
            raise SheetFormatError(f"Không đọc được trang tính “{title}”: nội dung trang bị hỏng hoặc không đúng "
                                   f"định dạng .xlsx ({type(exc).__name__}).") from exc
    finally:
        wb.close()

    wanted = [fold_key(h) for h in headers]
    if header_row is None:
        header_row = _find_header(rows, wanted, headers)
    if header_row < 1 or header_row > len(rows):
        raise SheetFormatError(f"Không có dòng tiêu đề ở dòng {header_row}.")
    raw_headers = rows[header_row - 1]
    columns: list[tuple[int, str]] = []
    seen: set[str] = set()
    for idx, value in enumerate(raw_headers):
        if value is None:
            continue
        name = str(value)
        base, n = name, 2
        while name in seen:
            name = f"{base} ({n})"
            n += 1
        seen.add(name)
        columns.append((idx, name))
    present = {fold_key(name) for _, name in columns}
    missing = [h for h, key in zip(headers, wanted, strict=True) if key not in present]
    if missing:
        raise SheetFormatError(
            f"Dòng tiêu đề (dòng {header_row}) thiếu cột: " + ", ".join(f"“{m}”" for m in missing) + "."
        )
    data: list[SheetRow] = []
    for offset, row in enumerate(rows[header_row:], start=header_row + 1):
        values = {name: (row[idx] if idx < len(row) else None) for idx, name in columns}
        if all(v is None for v in values.values()):
            if stop_at_blank and data:
                break
            continue
        data.append(SheetRow(offset, values))
    letters = {name: get_column_letter(idx + 1) for idx, name in columns}
    return SheetData(title, [name for _, name in columns], header_row, data, letters)


def _find_header(rows: list[list[Any]], wanted: list[str], headers: Sequence[str] = ()) -> int:
    head = rows[:30]
    if wanted:
        best_row, best_hits = 0, 0
        for number, row in enumerate(head, start=1):
            keys = {fold_key(str(v)) for v in row if v is not None}
            hits = sum(w in keys for w in wanted)
            if hits > best_hits:
                best_row, best_hits = number, hits
        if best_hits == 0:
            raise SheetFormatError("Không tìm thấy dòng tiêu đề (cần các cột: "
                                   + ", ".join(f"“{h}”" for h in headers) + ") trong 30 dòng đầu.")
        return best_row  # missing columns are reported by the caller
    counts = [sum(v is not None for v in row) for row in head]
    if not counts or max(counts) == 0:
        raise SheetFormatError("Trang tính trống.")
    best = max(counts)
    for number, (row, count) in enumerate(zip(head, counts, strict=True), start=1):
        if count == best and all(isinstance(v, str) for v in row if v is not None):
            return number
    for number, count in enumerate(counts, start=1):
        if count == best:
            return number
    return 1
