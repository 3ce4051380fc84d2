"""Fuzz the survey file readers: ``pciplan.surveys.imports.read_table`` (then ``guess_mapping`` and
``check_rows`` against a shipped question set, as the import page does) and
``pciplan.surveys.xlsform.import_xlsform``.

    .venv/bin/python fuzz/fuzz_surveys.py -runs=10000 fuzz/corpus/surveys

Expected: a result or ``DomainError`` with a Vietnamese message; every row error has a Vietnamese
message; when there is no error (rows are imported only then), every weight is finite and positive and
the answers are strict JSON. Besides the two shipped question sets, one with integer, decimal and text
questions.

Input layout (integers from the end): mode (0 answers file as raw bytes, 1 ``templates/answers.xlsx``
mutated, 2 XLSForm as raw bytes, 3 ``templates/xlsform.xlsx`` mutated), then for the answers file the
file name and the question set; the rest is the file.
"""

from __future__ import annotations

import json
import math

import _common

NAME = "surveys"
FILENAMES = ["phieu.csv", "phieu.xlsx", "phieu.xls", "phieu", ""]
_t = None


def load():
    global _t
    if _t is None:
        from pciplan.lib.errors import DomainError
        from pciplan.surveys import imports, xlsform
        from pciplan.surveys.instrument import normalise_spec, shipped_specs

        numbers = normalise_spec({
            "code": "fuzz-so-lieu", "title": "Số liệu doanh nghiệp", "questions": [
                {"name": "so_lao_dong", "type": "integer", "label": "Số lao động", "required": True},
                {"name": "doanh_thu", "type": "decimal", "label": "Doanh thu (tỷ đồng)"},
                {"name": "ghi_chu", "type": "text", "label": "Ghi chú"}]})
        _t = {"imports": imports, "xlsform": xlsform, "error": DomainError, "specs": [*shipped_specs(), numbers],
              "answers": _common.read_members(_common.template("answers.xlsx")),
              "form": _common.read_members(_common.template("xlsform.xlsx"))}
    return _t


def _answers(t, raw: bytes, filename: str, spec: dict) -> None:
    imports = t["imports"]
    table = _common.expect(lambda: imports.read_table(raw, filename), t["error"])
    if table is None:
        return
    mapping = imports.guess_mapping(spec, table)
    checked = _common.expect(lambda: imports.check_rows(spec, table, mapping), t["error"])
    if checked is None:
        return
    for error in checked.errors:
        assert _common.is_vietnamese(error.message), f"row error without a Vietnamese message: {error}"
    if not checked.errors:  # rows are imported only when no row has an error
        for row in checked.rows:
            assert math.isfinite(row.weight) and row.weight > 0, f"weight {row.weight!r}"
            json.dumps(row.answers, allow_nan=False)  # stored in a JSONField: PostgreSQL's jsonb has no NaN/Infinity


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    t = load()
    fdp = _common.provider(data)
    mode = fdp.ConsumeIntInRange(0, 3)
    if mode <= 1:
        filename = _common.pick(fdp, FILENAMES)
        spec = _common.pick(fdp, t["specs"])
        if mode == 0:
            raw = fdp.ConsumeBytes(fdp.remaining_bytes())
        else:
            raw, filename = _common.mutate_zip(fdp, t["answers"]), "phieu.xlsx"
        _answers(t, raw, filename, spec)
    else:
        raw = fdp.ConsumeBytes(fdp.remaining_bytes()) if mode == 2 else _common.mutate_zip(fdp, t["form"])
        _common.expect(lambda: t["xlsform"].import_xlsform(raw), t["error"])


if __name__ == "__main__":
    _common.main(load, TestOneInput, include=["pciplan", "openpyxl"])
