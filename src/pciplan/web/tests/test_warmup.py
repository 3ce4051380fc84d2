"""Server start-up (pciplan.ops.warmup): every view imports and every template of the product compiles."""

from __future__ import annotations

import gc
from pathlib import Path

from django.conf import settings

from pciplan.ops.warmup import warm_up


def test_warm_up_compiles_every_template_and_can_leave_the_collector_alone():
    frozen_before = gc.get_freeze_count()
    figures = warm_up(freeze=False)
    folder = Path(settings.TEMPLATES[0]["DIRS"][0])
    assert figures["templates"] == len(list(folder.rglob("*.html")))
    assert gc.get_freeze_count() == frozen_before


def test_the_wsgi_entry_point_warms_up(monkeypatch):
    import importlib
    import sys

    calls = []
    monkeypatch.setattr("pciplan.ops.warmup.warm_up", lambda **kw: calls.append(kw) or {})
    monkeypatch.delitem(sys.modules, "pciplan.wsgi", raising=False)
    monkeypatch.setenv("PCIPLAN_WARMUP", "1")
    module = importlib.import_module("pciplan.wsgi")
    assert callable(module.application) and calls == [{}]
    monkeypatch.delitem(sys.modules, "pciplan.wsgi")
    monkeypatch.setenv("PCIPLAN_WARMUP", "0")
    importlib.import_module("pciplan.wsgi")
    assert calls == [{}]
