"""The examples in the plandoc docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["catalog", "textnorm", "units", "extract"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"pciplan.plandoc.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
