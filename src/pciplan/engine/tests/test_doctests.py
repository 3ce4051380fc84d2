"""Run the examples in the engine's docstrings (every public function has one)."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = ["calibrate", "cli", "data", "editions", "errors", "provinces", "results", "scoring", "solver",
           "uncertainty", "whatif"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"pciplan.engine.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_have_examples(name):
    module = importlib.import_module(f"pciplan.engine.{name}")
    missing = []
    for attr in getattr(module, "__all__", []):
        obj = getattr(module, attr)
        if inspect.isfunction(obj) and obj.__module__ == module.__name__ and ">>>" not in (obj.__doc__ or ""):
            missing.append(attr)
    assert not missing, f"public functions without a runnable example: {missing}"
