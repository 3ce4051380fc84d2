"""Reading Vietnamese PCI plans (DOCX, PDF with a text layer, or text) into a reviewable draft.

A pure library: no Django. The entry points:

- :func:`read_plan` — a file path or bytes → :class:`PlanDraft`;
- :func:`parse_plan_text` — text → :class:`PlanDraft`;
- :func:`match_subindex`, :func:`normalize_unit_name`, :func:`unit_key`, :func:`same_unit` — the tolerant
  matching the reader uses, for screens that let a person correct a draft.

Every failure is a :class:`PlanDocError` whose message is Vietnamese. Every extracted field carries
``spans[field] = (start, end)``: offsets into ``draft.text``, the normalised source.
"""

from __future__ import annotations

import os

from .catalog import GROUPS, SUBINDEX_CODES, SUBINDEX_NAMES, match_group, match_subindex
from .errors import PlanDocError
from .extract import parse_plan_text
from .model import (
    Baseline,
    Deadline,
    DocumentInfo,
    DocumentRef,
    IndicatorTarget,
    OverallTarget,
    PlanDraft,
    ReportingDuty,
    SubIndexTarget,
    Task,
    UnitEntry,
    UnitRef,
)
from .sources import extract_text, read_file
from .textnorm import normalize_text
from .units import normalize_unit_name, same_unit, unit_key

__all__ = [
    "GROUPS", "SUBINDEX_CODES", "SUBINDEX_NAMES", "Baseline", "Deadline", "DocumentInfo", "DocumentRef",
    "IndicatorTarget", "OverallTarget", "PlanDocError", "PlanDraft", "ReportingDuty", "SubIndexTarget", "Task",
    "UnitEntry", "UnitRef", "extract_text", "match_group", "match_subindex", "normalize_text",
    "normalize_unit_name", "parse_plan_text", "read_plan", "same_unit", "unit_key",
]


def read_plan(source: str | os.PathLike | bytes, filename: str | None = None) -> PlanDraft:
    """Read a plan from a path or from the bytes of an uploaded file.

    Raises :class:`PlanDocError` for an empty, unreadable or unsupported file, a PDF without a text
    layer, or a document that is not a plan.
    """
    if isinstance(source, bytes | bytearray):
        text, kind = extract_text(bytes(source), filename)
    else:
        text, kind = read_file(source)
    draft = parse_plan_text(text)
    draft.source_format = kind
    if not _looks_like_plan(draft):
        raise PlanDocError("Tài liệu này không giống một kế hoạch: không thấy tiêu đề “KẾ HOẠCH”, mục tiêu, "
                           "nhiệm vụ hay thời hạn nào.", code="not_a_plan")
    return draft


def _looks_like_plan(draft: PlanDraft) -> bool:
    from pciplan.lib.text import fold

    folded = fold(draft.text[:5000])
    found = bool(draft.targets or draft.tasks or draft.deadlines)
    return found or "ke hoach" in folded
