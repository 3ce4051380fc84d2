"""Fuzz the published-results readers: ``pciplan.engine.results`` and the results import page's
``pciplan.catalog.import_views.parse_file``.

    .venv/bin/python fuzz/fuzz_results.py -runs=10000 fuzz/corpus/results

Expected: ``parse_results_table`` never raises for bad content (problems are its ``errors``, each with a
Vietnamese message); ``read_table`` raises only ``InputError``; ``parse_results`` only
``ResultsImportError``/``InputError``; ``parse_file`` only ``ImportRefused`` (a ``DomainError``). Every
value read is finite (PostgreSQL and the charts refuse NaN and infinity).

Input layout (integers from the end): mode (0 raw bytes, 1 ``templates/results.xlsx`` with its XML
mutated), the function, the file name, the year; the rest is the file.
"""

from __future__ import annotations

import math

import _common

NAME = "results"
FILENAMES = ["ket-qua.csv", "ket-qua.xlsx", "ket-qua.txt", None]
YEARS = [None, 2016, 2020, 2025, 2006, 2012]
_t = None


def load():
    global _t
    if _t is None:
        _common.setup_django()
        from pciplan.catalog import import_views
        from pciplan.catalog.imports import ImportRefused
        from pciplan.engine import results
        from pciplan.engine.errors import InputError

        _t = {"results": results, "parse_file": import_views.parse_file, "ImportRefused": ImportRefused,
              "InputError": InputError, "xlsx": _common.read_members(_common.template("results.xlsx"))}
    return _t


def _finite(*values) -> None:
    for value in values:
        if value is not None:
            assert math.isfinite(value), f"value {value!r} is not finite"


def _check_rows(rows) -> None:
    for row in rows or ():
        _finite(row.total, getattr(row, "recomputed_total", None), *row.scores.values())
        year = getattr(row, "year", None)
        assert year is None or 2005 <= year <= 2100, year


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    t = load()
    results = t["results"]
    fdp = _common.provider(data)
    mode = fdp.ConsumeIntInRange(0, 1)
    function = fdp.ConsumeIntInRange(0, 3)
    filename = _common.pick(fdp, FILENAMES)
    year = _common.pick(fdp, YEARS)
    if mode == 0:
        raw = fdp.ConsumeBytes(fdp.remaining_bytes())
    else:
        raw = _common.mutate_zip(fdp, t["xlsx"])
        filename = "ket-qua.xlsx"
    if function == 0:
        parsed = results.parse_results_table(raw, filename=filename, year=year)
        for issue in (*parsed.errors, *parsed.warnings):
            assert _common.is_vietnamese(str(issue)), f"issue without a Vietnamese message: {issue}"
        _check_rows(parsed.rows)
    elif function == 1:
        rows = _common.expect(lambda: results.read_table(raw, filename=filename), t["InputError"])
        assert rows is None or all(isinstance(r, list) for r in rows)
    elif function == 2:
        _check_rows(_common.expect(lambda: results.parse_results(raw, filename=filename, year=year),
                                   t["InputError"]))
    else:
        _check_rows(_common.expect(lambda: t["parse_file"](raw, filename=filename or "ket-qua.csv",
                                                          year=year or 2020, source_url=""),
                                   t["ImportRefused"]))


if __name__ == "__main__":
    _common.main(load, TestOneInput, include=["pciplan", "openpyxl"])
