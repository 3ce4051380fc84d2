"""Fuzz the plan-document reader: ``pciplan.plandoc.read_plan`` and ``parse_plan_text``.

    .venv/bin/python fuzz/fuzz_plandoc.py -runs=10000 fuzz/corpus/plandoc

The only expected error is :class:`pciplan.plandoc.PlanDocError` with a Vietnamese message; a draft
that is read must serialise (``to_dict(spans=True)`` → JSON, as the review page keeps it) with every
span inside the text.

Input layout (integers are read from the end, see ``_common.DataProvider``): the last byte picks the
mode — 0 raw bytes of an uploaded file, 1 a DOCX built from ``templates/plan.docx`` with its XML
mutated, 2 text for ``parse_plan_text`` (UTF-8, invalid bytes replaced).
"""

from __future__ import annotations

import json

import _common

NAME = "plandoc"
FILENAMES = ["ke-hoach.docx", "ke-hoach.pdf", "ke-hoach.txt", "ke-hoach.doc", "tep", None]
_t = None


def load():
    global _t
    if _t is None:
        from pciplan.plandoc import PlanDocError, parse_plan_text, read_plan

        _t = {"read_plan": read_plan, "parse_plan_text": parse_plan_text, "error": PlanDocError,
              "docx": _common.read_members(_common.template("plan.docx"))}
    return _t


def _check_span(span, length: int) -> None:
    if isinstance(span, list | tuple) and len(span) == 2 and all(isinstance(v, int) for v in span):
        start, end = span
        assert 0 <= start <= end <= length, f"span {span} outside the text ({length} characters)"
    elif isinstance(span, list | tuple):
        for item in span:
            _check_span(item, length)


def _check_draft(draft) -> None:
    """A draft must serialise as strict JSON (PostgreSQL's jsonb has no NaN/Infinity) with spans in the text."""
    if draft is None:
        return
    out = draft.to_dict(spans=True)
    json.dumps(out, ensure_ascii=False, allow_nan=False)

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "span" and item:
                    _check_span(item, len(draft.text))
                elif key == "spans" and isinstance(item, dict):
                    for span in item.values():
                        _check_span(span, len(draft.text))
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(out)


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    t = load()
    fdp = _common.provider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    if mode == 0:
        filename = _common.pick(fdp, FILENAMES)
        raw = fdp.ConsumeBytes(fdp.remaining_bytes())
        draft = _common.expect(lambda: t["read_plan"](raw, filename), t["error"])
    elif mode == 1:
        raw = _common.mutate_zip(fdp, t["docx"])
        draft = _common.expect(lambda: t["read_plan"](raw, "ke-hoach.docx"), t["error"])
    else:
        text = fdp.ConsumeBytes(fdp.remaining_bytes()).decode("utf-8", "replace")
        draft = _common.expect(lambda: t["parse_plan_text"](text), t["error"])
    _check_draft(draft)


if __name__ == "__main__":
    _common.main(load, TestOneInput, include=["pciplan", "docx", "pypdf"])
