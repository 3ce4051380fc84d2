"""Reading responses collected elsewhere: a KoboToolbox/ODK export (XLSX), a Google Forms export (CSV or
XLSX), or any table with one row per firm.

Nothing here writes: :func:`read_table` turns the file into a header and rows, :func:`guess_mapping`
proposes which column answers which question, and :func:`check_rows` checks every row against the
instrument and returns either the clean rows or every row-level error (row number, column, message) —
the service then writes all rows or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from dataclasses import dataclass, field

from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import NumberFormatError, parse_decimal
from pciplan.lib.text import fold

from .instrument import clean_answers

WEIGHT = "_weight"
DATE = "_date"
KOBO_MARKERS = {"_uuid", "_submission_time", "_id", "_index", "__version__"}
GOOGLE_TIMESTAMPS = {"timestamp", "dau thoi gian"}
WEIGHT_NAMES = {"weight", "trong so", "_weight", "trong_so", "w"}
MAX_ROWS = 20000


@dataclass
class Table:
    header: list[str]
    rows: list[list[object]]  # cell values, row 2 of the file is rows[0]
    fmt: str  # kobo / google / table
    sha256: str = ""


@dataclass
class CheckedRow:
    answers: dict
    weight: float = 1.0
    submitted_on: dt.date | None = None


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class CheckResult:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _detect(header: list[str]) -> str:
    names = {h.strip() for h in header}
    if names & KOBO_MARKERS:
        return "kobo"
    if header and fold(header[0]) in GOOGLE_TIMESTAMPS:
        return "google"
    return "table"


def read_table(data: bytes, filename: str) -> Table:
    """The file's first sheet (XLSX) or its rows (CSV) as strings and dates."""
    if not data:
        raise DomainError("Tệp trống.")
    digest = hashlib.sha256(data).hexdigest()
    name = (filename or "").lower()
    if zipfile.is_zipfile(io.BytesIO(data)):
        from openpyxl import load_workbook

        from pciplan.officedoc.xlsx import check_unpacked_size

        if problem := check_unpacked_size(data):  # a "ZIP bomb"
            raise DomainError(problem)
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            ws = wb.worksheets[0]
            raw = [list(r) for r in ws.iter_rows(values_only=True)]
        except Exception:  # a damaged workbook raises many kinds of errors
            raise DomainError("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx.")
    elif name.endswith((".xlsx", ".xls", ".xlsm")):
        raise DomainError("Tệp Excel bị hỏng hoặc là định dạng .xls cũ: hãy lưu lại dưới dạng .xlsx hoặc CSV.")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError("Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: Lưu thành → CSV UTF-8).")
        if "\x00" in text:
            raise DomainError("Tệp không phải là bảng tính CSV hoặc XLSX.")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        # newline="": the csv module reads the line ends itself, so CR-only line ends (old Excel for Mac)
        # and a stray CR inside a line are read rather than refused.
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        try:
            raw = list(reader)
        except csv.Error as exc:
            problem = ("một ô dài quá giới hạn (hơn 131.072 ký tự)" if "field larger" in str(exc)
                       else "nội dung không đúng định dạng CSV")
            raise DomainError(f"Không đọc được tệp CSV: dòng {reader.line_num} có {problem}.")
    raw = [r for r in raw if any(c not in (None, "") for c in r)]
    if not raw:
        raise DomainError("Tệp không có dữ liệu.")
    header = ["" if h is None else str(h).strip() for h in raw[0]]
    if not any(header):
        raise DomainError("Dòng đầu tiên của tệp phải là tên cột.")
    rows = raw[1:]
    if len(rows) > MAX_ROWS:
        raise DomainError(f"Tệp có {len(rows)} dòng, vượt quá giới hạn {MAX_ROWS} dòng mỗi lần nhập.")
    width = len(header)
    rows = [list(r[:width]) + [None] * (width - len(r)) for r in rows]
    return Table(header=header, rows=rows, fmt=_detect(header), sha256=digest)


def guess_mapping(spec: dict, table: Table) -> dict[str, str]:
    """Question name → column header, by name (Kobo: the last part of ``group/name``) or by label (Google)."""
    mapping: dict[str, str] = {}
    taken = set()
    for q in spec["questions"]:
        if q["type"] == "note":
            continue
        found = ""
        for h in table.header:
            if h in taken or not h:
                continue
            last = h.split("/")[-1]
            if h == q["name"] or (last == q["name"] and h.count("/") and not _is_option_column(h, spec)):
                found = h
                break
        if not found:
            label = fold(q["label"])
            found = next((h for h in table.header if h not in taken and h and fold(h) == label), "")
        if found:
            mapping[q["name"]] = found
            taken.add(found)
    mapping[WEIGHT] = next((h for h in table.header if fold(h) in WEIGHT_NAMES), "")
    mapping[DATE] = next((h for h in table.header if h == "_submission_time" or fold(h) in GOOGLE_TIMESTAMPS), "")
    return mapping


def _is_option_column(header: str, spec: dict) -> bool:
    """Kobo writes a 0/1 column ``question/option`` for every option of a multiple choice."""
    parts = header.split("/")
    if len(parts) < 2:
        return False
    parent, option = parts[-2], parts[-1]
    return any(q["name"] == parent and q["type"] == "select_multiple" and option in {v for v, _ in q["choices"]}
               for q in spec["questions"])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})")


def parse_when(value, *, month_first: bool = False) -> dt.date:
    """A submission date from a date cell, ISO text (Kobo) or a day-first (Vietnamese) timestamp."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    m = _ISO.match(text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = _YMD_SLASH.match(text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = _DMY.match(text)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        day, month = (b, a) if month_first else (a, b)
        return dt.date(year, month, day)
    raise ValueError(text)


def check_rows(spec: dict, table: Table, mapping: dict[str, str]) -> CheckResult:
    """Check every row; collect every error (row number as in the file, column header, message)."""
    headers = {h: i for i, h in enumerate(table.header) if h}
    unknown = [col for col in mapping.values() if col and col not in headers]
    if unknown:
        raise DomainError(f"Cột không có trong tệp: {', '.join(unknown)}.")
    mapped = {name: col for name, col in mapping.items() if col and not name.startswith("_")}
    if not mapped:
        raise DomainError("Chưa ghép được cột nào với câu hỏi của bộ câu hỏi. Kiểm tra dòng tên cột hoặc chọn cột "
                          "cho từng câu hỏi.")
    missing = [q["name"] for q in spec["questions"] if q["required"] and not q["relevant"] and q["name"] not in mapped]
    if missing:
        raise DomainError(f"Chưa ghép cột cho câu hỏi bắt buộc: {', '.join(missing)}.")
    month_first = fold(mapping.get(DATE) or "") == "timestamp"
    result = CheckResult()
    for offset, row in enumerate(table.rows):
        number = offset + 2
        raw = {name: _cell_text(row[headers[col]]) for name, col in mapped.items()}
        answers, errors = clean_answers(spec, raw)
        for name, message in errors.items():
            result.errors.append(RowError(number, mapped.get(name, name), message))
        weight = 1.0
        if mapping.get(WEIGHT):
            text = _cell_text(row[headers[mapping[WEIGHT]]])
            try:
                weight = float(parse_decimal(text))
                if not math.isfinite(weight):  # 309 digits and more: an infinite weight would make every estimate NaN
                    raise NumberFormatError("số quá lớn")
                if weight <= 0:
                    raise NumberFormatError("phải lớn hơn 0")
            except NumberFormatError as exc:
                result.errors.append(RowError(number, mapping[WEIGHT], f"Trọng số “{text}” không hợp lệ: {exc}."))
        submitted = None
        if mapping.get(DATE):
            cell = row[headers[mapping[DATE]]]
            if cell not in (None, ""):
                try:
                    submitted = parse_when(cell, month_first=month_first)
                except ValueError:
                    result.errors.append(RowError(number, mapping[DATE], f"Ngày “{_cell_text(cell)}” không đọc được."))
        if not errors:
            result.rows.append(CheckedRow(answers, weight, submitted))
    return result
