"""Fuzz the generic Excel reader ``pciplan.officedoc.xlsx.read_sheet``.

    .venv/bin/python fuzz/fuzz_xlsx.py -runs=10000 fuzz/corpus/xlsx

Expected: a :class:`SheetData` whose row numbers and column letters are consistent, or
``SheetFormatError`` with a Vietnamese message.

Input layout (integers from the end): mode (0 raw bytes, 1 ``templates/table.xlsx`` with its XML
mutated), which sheet, which headers, which header row, stop at blank; the rest is the file.
"""

from __future__ import annotations

import _common

NAME = "xlsx"
SHEETS = [None, 0, 1, 5, "Danh mục", "danh muc", "Nhiệm vụ"]
HEADERS = [(), ("Mã", "Tên"), ("ma", "ten", "Điểm"), ("Không có",)]
HEADER_ROWS = [None, 1, 3, 4, 40, 0]
_t = None


def load():
    global _t
    if _t is None:
        from pciplan.officedoc.xlsx import SheetFormatError, read_sheet

        _t = {"read_sheet": read_sheet, "error": SheetFormatError,
              "xlsx": _common.read_members(_common.template("table.xlsx"))}
    return _t


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    t = load()
    fdp = _common.provider(data)
    mode = fdp.ConsumeIntInRange(0, 1)
    sheet = _common.pick(fdp, SHEETS)
    headers = _common.pick(fdp, HEADERS)
    header_row = _common.pick(fdp, HEADER_ROWS)
    stop_at_blank = bool(fdp.ConsumeIntInRange(0, 1))
    raw = fdp.ConsumeBytes(fdp.remaining_bytes()) if mode == 0 else _common.mutate_zip(fdp, t["xlsx"])
    table = _common.expect(lambda: t["read_sheet"](raw, sheet, header_row=header_row, headers=headers,
                                                   stop_at_blank=stop_at_blank), t["error"])
    if table is None:
        return
    assert all(row.number > table.header_row for row in table.rows)
    for name in table.headers:
        table.column_letter(name)
        for row in table.rows:
            row.get(name)


if __name__ == "__main__":
    _common.main(load, TestOneInput, include=["pciplan", "openpyxl"])
