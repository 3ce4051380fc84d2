"""Command-line engine: ``pciplan score``, ``pciplan whatif``, ``pciplan solve`` (no database needed).

Each ``*_main(argv)`` returns an exit code: 0 success, 1 bad data or impossible request, 2 bad usage.
Messages go to stderr in Vietnamese, never as a traceback. ``--json`` prints machine-readable output.

Contract of ``pciplan score FILE.csv --edition EDITION --json``: the CSV has a ``province`` column, an
optional ``year`` column (ranks are computed within each year) and the ten sub-index columns (codes
such as ``entry_costs`` or Vietnamese names); the output is, in input order,
``[{"province": str, "year": int|null, "total": number (2 decimals), "rank": int, "group": str|null}]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from pciplan.lib.numbers import NumberFormatError, format_number, format_signed, parse_decimal
from pciplan.lib.text import fold_key

from .data import load_group_cutoffs
from .editions import EditionSpec, edition_for_year, load_edition
from .errors import EngineError, InputError, Issue
from .results import read_table
from .scoring import round_total, score_table
from .solver import solve_target
from .whatif import what_if

__all__ = ["score_main", "solve_main", "whatif_main"]

DEFAULT_PROVINCE = "Bắc Giang"
DEFAULT_BASE_YEAR = 2019
DEFAULT_FIELD_YEAR = 2020
DEFAULT_TARGET_RANK = 30  # the reference plan: "đứng thứ 30/63"


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _Usage(message)


def _run(func, argv, prog):
    try:
        return func(list(argv or []))
    except _Usage as exc:
        print(f"pciplan {prog}: lỗi cú pháp: {exc}\nXem: pciplan {prog} --help", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except EngineError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 1
    except (OSError, UnicodeError) as exc:
        print(f"Lỗi đọc tệp: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # last resort: still no traceback for the user
        print(f"Lỗi không mong đợi ({exc.__class__.__name__}): {exc}", file=sys.stderr)
        return 3


def _pairs(items: list[str] | None, what: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items or []:
        key, sep, value = item.rpartition("=")
        if not sep or not key.strip():
            raise _Usage(f"{what} phải có dạng TÊN=GIÁ_TRỊ (ví dụ entry_costs=7,61); nhận được “{item}”")
        try:
            out[key.strip()] = float(parse_decimal(value))
        except NumberFormatError as exc:
            raise InputError(f"{what} “{key.strip()}”: {exc}")
    return out


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, default=lambda o: o.item() if hasattr(o, "item") else str(o))


def _table(rows: list[list[str]], header: list[str], align: str) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]

    def fmt(row):
        return "  ".join(str(c).ljust(w) if a == "l" else str(c).rjust(w)
                         for c, w, a in zip(row, widths, align, strict=True))

    return "\n".join([fmt(header), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)])


# ------------------------------------------------------------------------------------------------ score

def _read_scores(path: Path, edition: EditionSpec | None) -> tuple[pd.DataFrame, EditionSpec, list[Issue]]:
    if not path.exists():
        raise InputError(f"Không tìm thấy tệp “{path}”.")
    table = read_table(path.read_bytes(), filename=path.name)
    if not table or not any(c not in (None, "") for c in table[0]):
        raise InputError("Tệp không có dòng tiêu đề.")
    headers = ["" if h is None else str(h).strip() for h in table[0]]
    keys = [fold_key(h) for h in headers]
    prov_col = next((i for i, k in enumerate(keys) if k in {"province", "tinh", "tinh thanh pho", "don vi", "ten"}), None)
    if prov_col is None:
        raise InputError("Thiếu cột “province” (tên tỉnh hoặc đơn vị).")
    year_col = next((i for i, k in enumerate(keys) if k in {"year", "nam"}), None)
    issues: list[Issue] = []
    years: list[int | None] = []
    for n, row in enumerate(table[1:], start=2):
        cell = row[year_col] if year_col is not None and year_col < len(row) else None
        if cell in (None, ""):
            years.append(None)
            continue
        try:
            value = float(parse_decimal(str(cell)))
            if value != int(value):
                raise NumberFormatError("năm")
            years.append(int(value))
        except NumberFormatError:
            issues.append(Issue(n, headers[year_col], f"Năm không hợp lệ: “{cell}”."))
            years.append(None)
    if edition is None:
        known = sorted({y for y in years if y is not None})
        if not known:
            raise InputError("Chọn phiên bản phương pháp bằng --edition (ví dụ --edition pci-2013).")
        specs = {edition_for_year(y).code for y in known}
        if len(specs) > 1:
            raise InputError("Các năm trong tệp thuộc nhiều phiên bản (" + ", ".join(sorted(specs)) +
                             "); chọn một phiên bản bằng --edition.")
        edition = load_edition(specs.pop())
    columns: dict[str, int] = {}
    for i, h in enumerate(headers):
        if i in (prov_col, year_col) or not h:
            continue
        sub = edition.find(h) or edition.find(h.replace("_", " "))
        if sub is not None and sub.code not in columns:
            columns[sub.code] = i
    missing = [c for c in edition.codes if c not in columns]
    if missing:
        raise InputError("Thiếu cột chỉ số thành phần: " + ", ".join(missing) + ".")
    records = []
    for n, row in enumerate(table[1:], start=2):
        if all(c in (None, "") for c in row):
            continue
        name = row[prov_col] if prov_col < len(row) else None
        if name in (None, ""):
            issues.append(Issue(n, headers[prov_col], "Thiếu tên tỉnh/đơn vị."))
        rec = {"province": "" if name is None else str(name).strip(), "year": years[n - 2]}
        for code, i in columns.items():
            cell = row[i] if i < len(row) else None
            try:
                value = float(parse_decimal(cell)) if not isinstance(cell, int | float) else float(cell)
            except NumberFormatError:
                issues.append(Issue(n, headers[i], f"Ô không phải là số: “{'' if cell is None else cell}”."))
                value = float("nan")
            if not np.isnan(value) and not edition.scale_min <= value <= edition.scale_max:
                issues.append(Issue(n, headers[i], f"Điểm phải từ {format_number(edition.scale_min, strip=True)} đến "
                                                   f"{format_number(edition.scale_max, strip=True)}; nhận được "
                                                   f"{format_number(value, 4, strip=True)}."))
            rec[code] = value
        records.append(rec)
    if not records and not issues:
        issues.append(Issue(None, None, "Tệp không có dòng dữ liệu nào."))
    return pd.DataFrame(records), edition, issues


def _score(argv):
    p = _Parser(prog="pciplan score", description="Tính tổng điểm, thứ hạng và nhóm từ điểm chỉ số thành phần.")
    p.add_argument("file", help="tệp CSV/XLSX: cột province, year (không bắt buộc) và các chỉ số thành phần")
    p.add_argument("--edition", help="phiên bản phương pháp (pci-2013, pci-2022, ddci-example); mặc định theo năm")
    p.add_argument("--weights", help="trọng số khác, cách nhau bởi dấu chấm phẩy, tổng 100 hoặc 1 (ví dụ 5;5;20;…)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    a = p.parse_args(argv)
    edition = load_edition(a.edition) if a.edition else None
    frame, edition, issues = _read_scores(Path(a.file), edition)
    if issues:
        raise _DataProblems(issues)
    edition = _with_weights(edition, a.weights)
    cutoffs = {}
    if "year" in frame and frame["year"].notna().any():
        for y in sorted({int(v) for v in frame["year"].dropna()}):
            try:
                same = edition_for_year(y).code == edition.code
            except EngineError:
                same = False
            cut = load_group_cutoffs(y) if same else None
            if cut is not None and len(cut):
                cutoffs[y] = cut
    frame["year"] = frame["year"].astype("object").where(frame["year"].notna(), None)
    result = score_table(frame, edition, cutoffs=cutoffs)
    records = result.records()
    if a.json:
        print(_dump(records))
        return 0
    rows = [[r["province"], "" if r["year"] is None else str(r["year"]), format_number(r["total"]), str(r["rank"]),
             r["group"] or "—"] for r in records]
    print(f"Phiên bản: {edition.code} — {edition.name_vi}")
    print(_table(rows, ["Tỉnh/đơn vị", "Năm", "Tổng điểm", "Hạng", "Nhóm"], "llrrl"))
    if not cutoffs:
        print("Nhóm xếp hạng: chỉ có ngưỡng cho 2013–2016 (suy ra từ nhóm đã công bố).")
    return 0


class _DataProblems(EngineError):
    def __init__(self, issues):
        self.issues = list(issues)
        super().__init__(f"Tệp có {len(self.issues)} lỗi:\n" + "\n".join(f"  - {i}" for i in self.issues))


def score_main(argv=None) -> int:
    """``pciplan score FILE --edition EDITION [--json]``.

    Examples
    --------
    >>> import tempfile, os
    >>> from pciplan.engine.editions import load_edition
    >>> codes = load_edition("pci-2013").codes
    >>> path = os.path.join(tempfile.mkdtemp(), "scores.csv")
    >>> with open(path, "w", encoding="utf-8") as fh:
    ...     _ = fh.write("province,year," + ",".join(codes) + "\\n")
    ...     _ = fh.write("Bắc Giang,2019," + ",".join(["6.5"] * 10) + "\\n")
    >>> score_main([path, "--edition", "pci-2013", "--json"])
    [
     {
      "province": "Bắc Giang",
      "year": 2019,
      "total": 65.0,
      "rank": 1,
      "group": null
     }
    ]
    0
    """
    return _run(_score, argv, "score")


# ------------------------------------------------------------------------------------------------ what-if

def _with_weights(edition: EditionSpec | None, text: str | None) -> EditionSpec | None:
    if not text:
        return edition
    parts = [x for x in text.replace("\t", ";").split(";") if x.strip()]
    if len(parts) == 1 and parts[0].count(",") > 1:
        parts = parts[0].split(",")
    try:
        values = [float(parse_decimal(x)) for x in parts]
    except NumberFormatError as exc:
        raise InputError(f"--weights: {exc}")
    return edition.with_weights(values)


def _common(p: argparse.ArgumentParser):
    p.add_argument("--province", default=DEFAULT_PROVINCE, help=f"tỉnh (mặc định {DEFAULT_PROVINCE})")
    p.add_argument("--year", type=int, default=DEFAULT_BASE_YEAR,
                   help=f"năm lấy điểm xuất phát (mặc định {DEFAULT_BASE_YEAR})")
    p.add_argument("--field-year", type=int, default=DEFAULT_FIELD_YEAR,
                   help=f"năm của các tỉnh để so hạng (mặc định {DEFAULT_FIELD_YEAR})")
    p.add_argument("--edition", help="phiên bản (trọng số) dùng để tính; mặc định theo năm so hạng")
    p.add_argument("--weights", help="trọng số khác, cách nhau bởi dấu chấm phẩy, tổng 100 hoặc 1")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")


def _edition_arg(a) -> EditionSpec | None:
    edition = load_edition(a.edition) if a.edition else None
    if a.weights:
        edition = _with_weights(edition or edition_for_year(a.field_year or a.year), a.weights)
    return edition


def _whatif(argv):
    p = _Parser(prog="pciplan whatif",
                description="Nếu điểm chỉ số thành phần thay đổi thì tổng điểm, thứ hạng, nhóm thay đổi thế nào.")
    _common(p)
    p.add_argument("--set", action="append", metavar="CHỈ_SỐ=ĐIỂM", help="đặt điểm mới, ví dụ entry_costs=7,61")
    p.add_argument("--add", action="append", metavar="CHỈ_SỐ=MỨC_TĂNG", help="cộng thêm, ví dụ transparency=0,15")
    p.add_argument("--indicator", action="append", metavar="MÃ_CHỈ_TIÊU=GIÁ_TRỊ",
                   help="giá trị chỉ tiêu mới (phần trăm 0–100), ví dụ e761_use=45")
    a = p.parse_args(argv)
    edition = _edition_arg(a)
    r = what_if(a.province, base_year=a.year, field_year=a.field_year, edition=edition,
                set_scores=_pairs(a.set, "--set"), add_scores=_pairs(a.add, "--add"),
                indicator_values=_pairs(a.indicator, "--indicator"))
    if a.json:
        print(_dump(r.to_dict()))
        return 0
    print(f"{r.province_name} — điểm năm {r.spec.base_year}, xếp hạng so với các tỉnh năm {r.spec.field_year} "
          f"(phiên bản {r.edition.code})")
    rows = [[t.name_vi, f"{format_number(t.weight_percent, 0)}%", format_number(t.before), format_number(t.after),
             format_signed(t.change), format_signed(t.points_change)] for t in r.table.itertuples()]
    print(_table(rows, ["Chỉ số thành phần", "Trọng số", "Trước", "Sau", "Thay đổi", "Điểm PCI"], "lrrrrr"))
    print(f"Tổng điểm: {format_number(round_total(r.total_before))} → {format_number(round_total(r.total_after))} "
          f"({format_signed(r.total_change)})")
    print(f"Thứ hạng: {r.rank_before} → {r.rank_after} / {r.n_ranked}")
    print(f"Nhóm: {r.group_before or '—'} → {r.group_after or '—'}")
    for note in r.notes:
        print(f"Ghi chú: {note}")
    return 0


def whatif_main(argv=None) -> int:
    """``pciplan whatif [--province P] [--year Y] [--field-year F] [--set C=V] [--add C=D] [--json]``.

    Examples
    --------
    >>> code = whatif_main(["--set", "entry_costs=7,61", "--json"])  # doctest: +ELLIPSIS
    {...
     "total_before": 64.48,
     "total_after": 64.89,
    ...
     "rank_before": 23,
     "rank_after": 18,
    ...}
    >>> code
    0
    """
    return _run(_whatif, argv, "whatif")


# ------------------------------------------------------------------------------------------------ solve

def _solve(argv):
    p = _Parser(prog="pciplan solve",
                description="Mức tăng điểm chỉ số thành phần nhỏ nhất để đạt thứ hạng hoặc nhóm mục tiêu.")
    _common(p)
    target = p.add_mutually_exclusive_group()
    target.add_argument("--target-rank", type=int, help=f"thứ hạng mục tiêu (mặc định {DEFAULT_TARGET_RANK})")
    target.add_argument("--target-group", help="nhóm mục tiêu (Rất tốt, Tốt, Khá …) — chỉ năm có ngưỡng nhóm")
    p.add_argument("--difficulty", action="append", metavar="CHỈ_SỐ=HỆ_SỐ", help="độ khó (chi phí mỗi điểm), mặc định 1")
    p.add_argument("--cap", action="append", metavar="CHỈ_SỐ=ĐIỂM", help="mức trần của chỉ số thành phần")
    p.add_argument("--continuous", action="store_true", help="không làm tròn mức tăng theo bước 0,01")
    a = p.parse_args(argv)
    if a.target_rank is None and a.target_group is None:
        a.target_rank = DEFAULT_TARGET_RANK
    edition = _edition_arg(a)
    r = solve_target(a.province, target_rank=a.target_rank, target_group=a.target_group, base_year=a.year,
                     field_year=a.field_year, edition=edition, difficulty=_pairs(a.difficulty, "--difficulty"),
                     caps=_pairs(a.cap, "--cap"), step=None if a.continuous else 0.01)
    if a.json:
        print(_dump(r.to_dict()))
        return 0 if r.status != "infeasible" else 1
    print(r.message if r.status != "infeasible" else f"Không khả thi: {r.message}")
    rows = [[t.name_vi, f"{format_number(t.weight_percent, 0)}%", format_number(t.before), format_number(t.cap),
             format_signed(t.increase), format_number(t.after), format_signed(t.points)] for t in r.table.itertuples()]
    print(_table(rows, ["Chỉ số thành phần", "Trọng số", "Hiện tại", "Trần", "Tăng", "Sau", "Điểm PCI"], "lrrrrrr"))
    print(f"Tổng điểm: {format_number(round_total(r.total_before))} → {format_number(round_total(r.total_after))}; "
          f"thứ hạng {r.rank_before} → {r.rank_after}")
    print(f"Ghi chú: {r.spec.caps_note}.")
    for note in r.notes:
        print(f"Ghi chú: {note}")
    return 0 if r.status != "infeasible" else 1


def solve_main(argv=None) -> int:
    """``pciplan solve [--target-rank N | --target-group G] [--difficulty C=X] [--cap C=X] [--json]``.

    Examples
    --------
    >>> solve_main(["--target-rank", "99"])
    1
    """
    return _run(_solve, argv, "solve")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(score_main(sys.argv[1:]))
