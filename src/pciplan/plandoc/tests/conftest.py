from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "ke-hoach-pci-2020-so-khcn-bac-giang.txt"


def fixture_pairs(pattern: str = "*.txt") -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8")))
            for p in sorted(FIXTURES.rglob(pattern)) if p.with_suffix(".expected.json").exists()]


@pytest.fixture(scope="session")
def reference_draft():
    from pciplan.plandoc import read_plan

    return read_plan(REFERENCE)
