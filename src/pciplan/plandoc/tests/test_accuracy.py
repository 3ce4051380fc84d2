"""Precision and recall on targets and deadlines over the reference plan and the synthetic plans.

The expected drafts were written by hand from the texts. Run with ``-s`` to see the figures;
docs/plandoc.md records them.
"""

from __future__ import annotations

import pytest

from pciplan.plandoc import read_plan
from pciplan.plandoc.evaluation import Score, item_matches, score_draft

from .conftest import fixture_pairs

PAIRS = fixture_pairs()


def test_there_are_enough_plans():
    assert len(PAIRS) >= 6
    synthetic = [p for p, _ in PAIRS if p.name.startswith("synthetic-")]
    assert len(synthetic) >= 5
    for path in synthetic:
        assert "SYNTHETIC" in path.read_text(encoding="utf-8").splitlines()[0]


def _measure(pairs) -> tuple[Score, Score]:
    targets, deadlines = Score(), Score()
    for path, expected in pairs:
        draft = read_plan(path).to_dict()
        targets.add(score_draft(path.name, draft, expected, ("overall_targets", "subindex_targets", "indicator_targets")))
        deadlines.add(score_draft(path.name, draft, expected, ("deadlines",)))
    return targets, deadlines


def test_precision_and_recall():
    targets, deadlines = _measure(PAIRS)
    both = Score()
    both.add(targets)
    both.add(deadlines)
    print(f"\nplandoc over {len(PAIRS)} plans: "
          f"targets P={targets.precision:.3f} R={targets.recall:.3f} ({targets.true_positives}/{targets.expected}); "
          f"deadlines P={deadlines.precision:.3f} R={deadlines.recall:.3f} ({deadlines.true_positives}/{deadlines.expected}); "
          f"all P={both.precision:.3f} R={both.recall:.3f}")
    for name, kind, item in both.misses:
        print("  missed", name, kind, item)
    for name, kind, item in both.extras:
        print("  extra ", name, kind, {k: v for k, v in item.items() if k != "text"})
    assert both.precision >= 0.95
    assert both.recall >= 0.9


@pytest.mark.parametrize("path,expected", PAIRS, ids=[p.stem for p, _ in PAIRS])
def test_document_fields(path, expected):
    doc = read_plan(path).to_dict()["document"]
    for key, value in expected["document"].items():
        assert item_matches({key: value}, doc), (key, value, doc.get(key))


@pytest.mark.parametrize("path,expected", [(p, e) for p, e in PAIRS if "baselines" in e],
                         ids=[p.stem for p, e in PAIRS if "baselines" in e])
def test_past_results_are_baselines(path, expected):
    draft = read_plan(path).to_dict()
    for item in expected["baselines"]:
        assert any(item_matches(item, got) for got in draft["baselines"]), item


def test_past_results_never_become_targets():
    path, _ = next((p, e) for p, e in PAIRS if "ket-qua" in p.name)
    draft = read_plan(path)
    scores = {t.score for t in draft.overall_targets} | {t.target_score for t in draft.subindex_targets}
    assert not scores & {68.41, 67.02, 65.8, 6.92, 7.48, 6.88, 6.05}
    assert not [t for t in draft.subindex_targets if t.subindex_code == "time_costs"]  # the cut-off sentence
