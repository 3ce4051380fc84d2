"""Fuzz the small text parsers every form and importer relies on: ``pciplan.lib.numbers.parse_decimal``,
``pciplan.lib.dates.parse_date``, ``pciplan.plans.imports.parse_document_date`` and ``parse_task_date``; and the tolerant matching the plan review screen applies to what a person types
(``pciplan.plandoc.match_subindex``, ``match_group``, ``unit_key``, ``same_unit``), which never raises.

    .venv/bin/python fuzz/fuzz_text.py -runs=10000 fuzz/corpus/text

Expected errors: ``NumberFormatError`` (Vietnamese message) from ``parse_decimal``, whose result is a
finite ``Decimal``; ``ValueError`` from ``parse_date`` (its documented contract: every caller turns it into
its own Vietnamese message); ``DomainError`` (Vietnamese) from ``parse_document_date`` and
``parse_task_date``.

Input layout: the last byte picks the function; the rest is the text (UTF-8, invalid bytes replaced).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import _common

NAME = "text"
_t = None


def load():
    global _t
    if _t is None:
        _common.setup_django()
        from pciplan.lib.dates import parse_date
        from pciplan.lib.errors import DomainError
        from pciplan.lib.numbers import NumberFormatError, parse_decimal
        from pciplan.plandoc import match_group, match_subindex, same_unit, unit_key
        from pciplan.plans.imports import parse_document_date, parse_task_date

        _t = {"parse_decimal": parse_decimal, "NumberFormatError": NumberFormatError, "parse_date": parse_date,
              "parse_document_date": parse_document_date, "parse_task_date": parse_task_date,
              "DomainError": DomainError, "match_subindex": match_subindex, "match_group": match_group,
              "unit_key": unit_key, "same_unit": same_unit}
    return _t


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    t = load()
    fdp = _common.provider(data)
    function = fdp.ConsumeIntInRange(0, 4)
    text = fdp.ConsumeBytes(fdp.remaining_bytes()).decode("utf-8", "replace")
    if function == 0:
        value = _common.expect(lambda: t["parse_decimal"](text), t["NumberFormatError"])
        assert value is None or (isinstance(value, Decimal) and value.is_finite()), value
    elif function == 1:
        try:
            value = t["parse_date"](text)
        except ValueError:
            return
        assert isinstance(value, dt.date)
    elif function == 2:
        value = _common.expect(lambda: t["parse_document_date"](text), t["DomainError"])
        if value is not None:
            year, month, day = value
            assert isinstance(year, int) and (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31)
    elif function == 3:
        value = _common.expect(lambda: t["parse_task_date"](text), t["DomainError"])
        assert value is None or isinstance(value, dt.date)
    else:
        code = t["match_subindex"](text)
        assert code is None or isinstance(code, str)
        t["match_group"](text)
        first, _, second = text.partition("|")
        assert isinstance(t["unit_key"](first), str)
        assert t["same_unit"](first, second) in (True, False)


if __name__ == "__main__":
    _common.main(load, TestOneInput, include=["pciplan"])
