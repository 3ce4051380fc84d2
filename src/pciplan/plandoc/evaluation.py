"""Scoring a draft against a hand-written expected draft: precision and recall on targets and deadlines.

An expected file lists, per kind, the items a reader finds in the plan, each with only the keys that
matter; an extracted item matches an expected one when every key given agrees (numbers exactly, unit
names by their normalised key, indicator texts by their folded words). Each expected item matches at
most one extracted item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pciplan.lib.text import fold_key

from .units import unit_key

TARGET_KINDS = ("overall_targets", "subindex_targets", "indicator_targets")
SCORED_KINDS = (*TARGET_KINDS, "deadlines")


def _same(key: str, want: Any, got: Any) -> bool:
    if key in ("lead_unit", "recipient"):
        return (want is None and got is None) or (want is not None and got is not None and unit_key(want) == unit_key(got))
    if key in ("owner_units", "supporting_units", "reporters"):
        return sorted(unit_key(n) for n in want or []) == sorted(unit_key(n) for n in got or [])
    if key == "text":
        return fold_key(want) == fold_key(got)
    if key in ("issuer", "signer", "place"):
        return (want is None and got is None) or (want is not None and got is not None and fold_key(want) == fold_key(got))
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(want, bool):
        return abs(float(want) - float(got)) < 1e-9
    return want == got


def item_matches(expected: dict, got: dict) -> bool:
    return all(_same(k, v, got.get(k)) for k, v in expected.items() if not k.startswith("_"))


@dataclass
class Score:
    true_positives: int = 0
    extracted: int = 0
    expected: int = 0
    misses: list[tuple[str, str, dict]] = field(default_factory=list)
    extras: list[tuple[str, str, dict]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    def add(self, other: Score) -> None:
        self.true_positives += other.true_positives
        self.extracted += other.extracted
        self.expected += other.expected
        self.misses += other.misses
        self.extras += other.extras


def score_draft(name: str, draft: dict, expected: dict, kinds: tuple[str, ...] = SCORED_KINDS) -> Score:
    """Match a draft's ``to_dict()`` against an expected file's items."""
    total = Score()
    for kind in kinds:
        if kind not in expected:
            continue
        want = list(expected[kind])
        got = list(draft.get(kind) or [])
        used: set[int] = set()
        tp = 0
        for w in want:
            hit = next((i for i, g in enumerate(got) if i not in used and item_matches(w, g)), None)
            if hit is None:
                total.misses.append((name, kind, w))
            else:
                used.add(hit)
                tp += 1
        for i, g in enumerate(got):
            if i not in used:
                total.extras.append((name, kind, {k: v for k, v in g.items() if v not in (None, [], "")}))
        total.add(Score(tp, len(got), len(want)))
    return total
