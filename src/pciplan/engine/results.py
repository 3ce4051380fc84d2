"""Parse a published results table (CSV or XLSX bytes) into validated rows — pure, no database.

A table has one row per province: the province, optionally the year, the sub-index scores, the total
and the rank (and optionally the group). Column headers are recognised in Vietnamese or English,
with or without diacritics ("Tỉnh", "Năm", "Gia nhập thị trường", "Tính minh bạch", "PCI 2020",
"Xếp hạng" …); cells accept "7,61" and "7.61". Every problem is reported with its row (as numbered
in the spreadsheet, the header being row 1), its column and a Vietnamese message. The caller writes
to the database only when there are no errors.

Published values are kept as published: the total and the rank are never recomputed over. A total
that differs by more than :data:`TOTAL_TOLERANCE` from the one recomputed from the sub-indices is
flagged as a warning.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pciplan.lib.numbers import NumberFormatError, format_number, parse_decimal
from pciplan.lib.text import fold_key, nfc

from .data import load_years
from .editions import EditionSpec, edition_for_year, load_edition
from .errors import EditionError, InputError, Issue
from .provinces import ProvinceMatcher

__all__ = [
    "GROUPS",
    "ParseResult",
    "ParsedRow",
    "ResultsImportError",
    "TOTAL_TOLERANCE",
    "parse_results",
    "parse_results_table",
    "read_table",
]

TOTAL_TOLERANCE = 0.05
GROUPS = ("Rất tốt", "Tốt", "Khá", "Trung bình", "Tương đối thấp", "Thấp")
_GROUP_KEYS = {fold_key(g): g for g in GROUPS} | {
    "excellent": "Rất tốt", "high": "Tốt", "mid high": "Khá", "mid low": "Trung bình", "low": "Tương đối thấp",
    "very low": "Thấp",
}
_PROVINCE = {"province", "tinh", "tinh thanh pho", "tinh thanh", "tinh tp", "dia phuong", "ten tinh", "ten",
             "don vi", "tinh thanh pho truc thuoc trung uong"}
_YEAR = {"year", "nam", "nam pci", "ky"}
_TOTAL = {"pci", "total", "tong diem", "diem pci", "chi so pci", "tong", "tong diem pci", "diem", "ddci",
          "diem tong hop"}
_RANK = {"rank", "xep hang", "thu hang", "hang", "xep hang pci", "thu tu xep hang"}
_GROUP = {"group", "nhom", "nhom xep hang", "xep nhom", "tier"}


class ResultsImportError(InputError):
    """The table has errors; ``problems`` lists them (row, column, message), ``message`` sums up."""

    def __init__(self, problems):
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"Bảng kết quả có {n} lỗi; chưa có dữ liệu nào được ghi. Sửa tệp rồi nhập lại.")


@dataclass(frozen=True)
class ParsedRow:
    """One province's published result as read from the table (values as published)."""

    row: int
    province_slug: str
    province_name: str
    year: int | None
    total: float | None
    rank: int | None
    group: str = ""
    scores: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    recomputed_total: float | None = None
    source_url: str = ""


@dataclass(frozen=True)
class ParseResult:
    """Rows, errors and warnings of a parsed table, and how its columns were understood."""

    rows: tuple[ParsedRow, ...]
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]
    edition: EditionSpec | None
    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(data: bytes | str, *, filename: str | None = None, format: str | None = None) -> list[list]:
    """Rows of cells (header first) from CSV or XLSX content.

    CSV: UTF-8 (with or without BOM) or Windows-1258, delimiter ``,`` ``;`` or tab. XLSX: the first
    sheet, values as stored.

    Raises
    ------
    InputError
        If the content cannot be read.

    Examples
    --------
    >>> read_table("Tỉnh;PCI\\nBắc Giang;64,47\\n")
    [['Tỉnh', 'PCI'], ['Bắc Giang', '64,47']]
    """
    fmt = (format or (filename or "").rsplit(".", 1)[-1] if (format or filename) else "").lower()
    if isinstance(data, bytes) and data[:2] == b"PK" and fmt != "csv":
        fmt = "xlsx"
    if fmt == "xlsx":
        from pciplan.officedoc.xlsx import check_unpacked_size

        if isinstance(data, bytes) and (problem := check_unpacked_size(data)):  # a "ZIP bomb"
            raise InputError(problem)
        try:
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            ws = wb.worksheets[0]
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            wb.close()
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise InputError(f"Không đọc được tệp Excel: {exc.__class__.__name__}.")
        return rows
    if isinstance(data, bytes):
        for encoding in ("utf-8-sig", "cp1258"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - cp1258 decodes almost anything
            raise InputError("Không đọc được tệp CSV: mã hóa ký tự không phải UTF-8.")
    else:
        text = data
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("Tệp trống.")
    first = text.splitlines()[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    # newline="": the csv module reads the line ends itself, so a file saved with CR-only line ends (old
    # Excel for Mac) or a stray CR inside a line is read rather than refused.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        problem = ("một ô dài quá giới hạn (hơn 131.072 ký tự)" if "field larger" in str(exc)
                   else "nội dung không đúng định dạng CSV")
        raise InputError(f"Không đọc được tệp CSV: dòng {reader.line_num} có {problem}.")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def _number(value) -> float:
    if isinstance(value, bool):
        raise NumberFormatError("không phải là số")
    if isinstance(value, int | float):
        if not math.isfinite(float(value)):
            raise NumberFormatError("không phải là số hữu hạn")
        return float(value)
    number = float(parse_decimal(str(value)))
    if not math.isfinite(number):  # 309 digits and more: int() of it would raise OverflowError
        raise NumberFormatError("số quá lớn")
    return number


def _classify(headers: list, edition: EditionSpec | None) -> tuple[dict[int, str], list[Issue]]:
    fields: dict[int, str] = {}
    issues: list[Issue] = []
    for i, header in enumerate(headers):
        text = "" if header is None else nfc(str(header))
        key = fold_key(text)
        if not key:
            continue
        name = None
        if key in _PROVINCE:
            name = "province"
        elif key in _YEAR:
            name = "year"
        elif key in _RANK or key.startswith("xep hang"):
            name = "rank"
        elif key in _GROUP:
            name = "group"
        elif key in _TOTAL or (key.startswith(("pci ", "tong diem ", "ddci ")) and key.split()[-1].isdigit()):
            name = "total"
        elif edition is not None:
            sub = edition.find(text)
            if sub is None and "_" in text:
                sub = edition.find(text.replace("_", " "))
            if sub is not None:
                name = "sub:" + sub.code
        if name is None:
            issues.append(Issue(1, text, "Không nhận ra cột này; cột được bỏ qua."))
            continue
        if name in fields.values():
            issues.append(Issue(1, text, "Cột bị lặp; chỉ dùng cột đầu tiên."))
            continue
        fields[i] = name
    return fields, issues


def parse_results_table(data: bytes | str, *, filename: str | None = None, format: str | None = None,
                        year: int | None = None, edition: EditionSpec | str | None = None,
                        mapping: Mapping[str, str] | None = None, matcher: ProvinceMatcher | None = None,
                        n_ranked: int | None = None, tolerance: float = TOTAL_TOLERANCE,
                        source_url: str = "") -> ParseResult:
    """Read and validate a results table; never raises for bad content (problems are in ``errors``).

    Parameters
    ----------
    data : bytes or str
        CSV or XLSX content.
    year : int, optional
        The year being imported; required unless the table has a year column.
    edition : EditionSpec or str, optional
        Default: the edition of the year.
    mapping : mapping of str to str, optional
        Extra province names (old/new names) → slug.
    n_ranked : int, optional
        Number of ranked provinces (default: from the shipped year table, else 63).
    tolerance : float
        Largest accepted gap between the published and the recomputed total before a warning.

    Examples
    --------
    >>> table = ("Tỉnh,Năm,Gia nhập thị trường,Tiếp cận đất đai,Tính minh bạch,Chi phí thời gian,"
    ...          "Chi phí không chính thức,Cạnh tranh bình đẳng,Tính năng động,Hỗ trợ doanh nghiệp,"
    ...          "Đào tạo lao động,Thiết chế pháp lý,PCI,Xếp hạng\\n"
    ...          "Bac Giang,2019,\\"6,78\\",6.84,6.85,6.52,6.06,5.45,6.98,5.43,7.19,6.38,\\"64,47\\",40\\n"
    ...          "TP. HCM,2019,abc,6.84,6.85,6.52,6.06,5.45,6.98,5.43,7.19,11,64.00,70\\n")
    >>> res = parse_results_table(table)
    >>> res.ok, res.rows[0].province_slug, res.rows[0].scores["entry_costs"], res.rows[0].rank
    (False, 'bac-giang', 6.78, 40)
    >>> for issue in res.errors: print(issue)
    Dòng 3, cột “Gia nhập thị trường”: Ô không phải là số: “abc”.
    Dòng 3, cột “Thiết chế pháp lý”: Điểm phải từ 1 đến 10; nhận được 11.
    Dòng 3, cột “Xếp hạng”: Thứ hạng phải từ 1 đến 63; nhận được 70.
    """
    errors: list[Issue] = []
    warnings: list[Issue] = []
    try:
        table = read_table(data, filename=filename, format=format)
    except InputError as exc:
        return ParseResult((), (Issue(None, None, exc.message),), (), None)
    while table and all(_blank(c) for c in table[0]):
        table = table[1:]
    if not table:
        return ParseResult((), (Issue(None, None, "Tệp không có dòng tiêu đề."),), (), None)
    headers = [None if c is None else str(c).strip() for c in table[0]]
    # Edition: given, or from the year argument, or from the first year cell.
    if isinstance(edition, str):
        try:
            edition = load_edition(edition)
        except EditionError as exc:
            return ParseResult((), (Issue(None, None, exc.message),), (), None)
    probe_fields, _ = _classify(headers, None)
    year_col = next((i for i, f in probe_fields.items() if f == "year"), None)
    guess_year = year
    if guess_year is None and year_col is not None:
        for r in table[1:]:
            try:
                guess_year = int(_number(r[year_col]))
                break
            except (NumberFormatError, ValueError, IndexError, TypeError):
                continue
    if edition is None and guess_year is not None:
        try:
            edition = edition_for_year(guess_year)
        except EditionError as exc:
            return ParseResult((), (Issue(None, None, exc.message),), (), None)
    if edition is None:
        return ParseResult((), (Issue(None, None, "Thiếu năm: thêm cột “Năm” vào bảng hoặc chọn năm khi nhập."),),
                           (), None)
    fields, header_issues = _classify(headers, edition)
    warnings.extend(header_issues)
    names = {v: headers[k] for k, v in fields.items()}
    if "province" not in fields.values():
        errors.append(Issue(1, None, "Thiếu cột tỉnh (ví dụ “Tỉnh”)."))
    if "year" not in fields.values() and year is None:
        errors.append(Issue(1, None, "Thiếu năm: thêm cột “Năm” vào bảng hoặc chọn năm khi nhập."))
    if not any(f.startswith("sub:") or f == "total" for f in fields.values()):
        errors.append(Issue(1, None, "Không có cột điểm nào (chỉ số thành phần hoặc tổng điểm PCI)."))
    if errors:
        return ParseResult((), tuple(errors), tuple(warnings), edition, MappingProxyType(names))
    if matcher is None:
        matcher = ProvinceMatcher.default(include_new=bool(guess_year and guess_year >= 2025), mapping=mapping)
    years_table = load_years()
    lo, hi = edition.scale_min, edition.scale_max
    t_lo, t_hi = lo * edition.total_multiplier, hi * edition.total_multiplier
    rows: list[ParsedRow] = []
    seen: dict[tuple, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if all(_blank(c) for c in cells):
            continue
        row_errors: list[Issue] = []
        values: dict[str, object] = {}
        for i, name in fields.items():
            values[name] = cells[i] if i < len(cells) else None
        # province
        raw_province = values.get("province")
        slug = None
        if _blank(raw_province):
            row_errors.append(Issue(number, names["province"], "Thiếu tên tỉnh."))
        else:
            slug = matcher.slug(str(raw_province))
            if slug is None:
                row_errors.append(Issue(number, names["province"], f"Không nhận ra tỉnh “{nfc(str(raw_province))}”."))
        # year
        row_year = year
        if "year" in fields.values() and not _blank(values.get("year")):
            try:
                y = _number(values["year"])
                if y != int(y) or not 2005 <= y <= 2100:
                    raise NumberFormatError("năm")
                row_year = int(y)
                if year is not None and row_year != year:
                    row_errors.append(Issue(number, names["year"], f"Năm {row_year} khác năm đang nhập ({year})."))
                elif not edition.covers(row_year):
                    row_errors.append(Issue(number, names["year"],
                                            f"Năm {row_year} không thuộc phiên bản {edition.code}."))
            except (NumberFormatError, ValueError):
                row_errors.append(Issue(number, names["year"], f"Năm không hợp lệ: “{values['year']}”."))
                row_year = None
        elif row_year is None:
            row_errors.append(Issue(number, names.get("year"), "Thiếu năm."))
        # scores
        scores: dict[str, float] = {}
        for name, cell in values.items():
            if not name.startswith("sub:") or _blank(cell):
                continue
            try:
                v = _number(cell)
            except (NumberFormatError, ValueError):
                row_errors.append(Issue(number, names[name], f"Ô không phải là số: “{cell}”."))
                continue
            if not lo <= v <= hi:
                row_errors.append(Issue(number, names[name], f"Điểm phải từ {format_number(lo, strip=True)} đến "
                                                             f"{format_number(hi, strip=True)}; nhận được "
                                                             f"{format_number(v, 4, strip=True)}."))
                continue
            scores[name[4:]] = v
        total = None
        if "total" in values and not _blank(values["total"]):
            try:
                total = _number(values["total"])
                if not t_lo <= total <= t_hi:
                    row_errors.append(Issue(number, names["total"], f"Tổng điểm phải từ {format_number(t_lo, strip=True)} "
                                                                    f"đến {format_number(t_hi, strip=True)}; nhận được "
                                                                    f"{format_number(total, 4, strip=True)}."))
                    total = None
            except (NumberFormatError, ValueError):
                row_errors.append(Issue(number, names["total"], f"Ô không phải là số: “{values['total']}”."))
        rank = None
        limit = n_ranked
        if limit is None and row_year is not None:
            match = years_table[years_table.year == row_year]
            limit = int(match.n_ranked.iloc[0]) if len(match) and not match.n_ranked.isna().iloc[0] else None
        limit = limit or 63
        if "rank" in values and not _blank(values["rank"]):
            try:
                r = _number(values["rank"])
                if r != int(r):
                    raise NumberFormatError("hạng")
                rank = int(r)
                if not 1 <= rank <= limit:
                    row_errors.append(Issue(number, names["rank"], f"Thứ hạng phải từ 1 đến {limit}; nhận được {rank}."))
                    rank = None
            except (NumberFormatError, ValueError):
                row_errors.append(Issue(number, names["rank"], f"Thứ hạng phải là số nguyên; nhận được “{values['rank']}”."))
        group = ""
        if "group" in values and not _blank(values["group"]):
            group = _GROUP_KEYS.get(fold_key(str(values["group"])), "")
            if not group:
                row_errors.append(Issue(number, names["group"], f"Nhóm “{values['group']}” không hợp lệ; các nhóm: "
                                                                + ", ".join(GROUPS) + "."))
        if not scores and total is None and not row_errors:
            row_errors.append(Issue(number, None, "Dòng không có điểm nào."))
        if slug is not None and row_year is not None:
            key = (slug, row_year)
            if key in seen:
                row_errors.append(Issue(number, names["province"],
                                        f"Tỉnh {matcher.name(slug)} năm {row_year} đã có ở dòng {seen[key]}."))
            else:
                seen[key] = number
        recomputed = None
        if len(scores) == len(edition.codes):
            recomputed = edition.total_multiplier * sum(scores[c] * w for c, w in zip(edition.codes, edition.weights,
                                                                                       strict=True))
            if total is not None and abs(recomputed - total) > tolerance + 1e-9:
                warnings.append(Issue(number, names.get("total"),
                                      f"Tổng điểm tính lại từ các chỉ số thành phần ({format_number(recomputed)}) lệch "
                                      f"tổng công bố ({format_number(total)}) {format_number(abs(recomputed - total))} "
                                      f"điểm (quá {format_number(tolerance)}); giữ số công bố, hãy kiểm tra lại."))
        elif scores and len(scores) < len(edition.codes):
            warnings.append(Issue(number, None, f"Chỉ có {len(scores)}/{len(edition.codes)} điểm chỉ số thành phần."))
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(ParsedRow(
            row=number, province_slug=slug, province_name=nfc(str(raw_province)), year=row_year, total=total,
            rank=rank, group=group, scores=MappingProxyType(scores), recomputed_total=recomputed,
            source_url=source_url,
        ))
    if not rows and not errors:
        errors.append(Issue(None, None, "Bảng không có dòng dữ liệu nào."))
    return ParseResult(tuple(rows), tuple(errors), tuple(warnings), edition, MappingProxyType(names))


def parse_results(data: bytes | str, *, filename: str | None = None, year: int | None = None,
                  **options) -> tuple[ParsedRow, ...]:
    """Parsed rows, or :class:`ResultsImportError` listing every problem (for the import page).

    Examples
    --------
    >>> rows = parse_results("Tỉnh,PCI,Xếp hạng\\nBắc Giang,63.98,27\\nKhánh Hòa,63.98,27\\n", year=2020)
    >>> [(r.province_slug, r.total, r.rank) for r in rows]
    [('bac-giang', 63.98, 27), ('khanh-hoa', 63.98, 27)]
    >>> parse_results("Tỉnh,PCI\\nAtlantis,60\\n", year=2020)
    Traceback (most recent call last):
    ...
    pciplan.engine.results.ResultsImportError: Bảng kết quả có 1 lỗi; chưa có dữ liệu nào được ghi. Sửa tệp rồi nhập lại.
    """
    result = parse_results_table(data, filename=filename, year=year, **options)
    if result.errors:
        raise ResultsImportError(result.errors)
    return result.rows
