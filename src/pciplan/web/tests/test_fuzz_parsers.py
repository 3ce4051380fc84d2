"""Every input the fuzzers keep (seeds and the inputs that once crashed a parser) replays clean.

The atheris harnesses in ``fuzz/`` (see docs/security.md, "Fuzzing") are imported as plain modules —
atheris is not needed — and each file of ``fuzz/corpus/<harness>/`` goes through the harness's
``TestOneInput``: a parser may return a result or raise its documented error with a Vietnamese message;
anything else fails here, naming the input.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

FUZZ_DIR = Path(__file__).resolve().parents[4] / "fuzz"
HARNESSES = sorted(p.stem for p in FUZZ_DIR.glob("fuzz_*.py"))


def _harness(name: str):
    if str(FUZZ_DIR) not in sys.path:
        sys.path.insert(0, str(FUZZ_DIR))
    if name.startswith("_"):
        return importlib.import_module(name)
    module_name = f"pciplan_fuzz_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, FUZZ_DIR / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


def test_every_harness_has_a_corpus():
    assert set(HARNESSES) >= {"fuzz_plandoc", "fuzz_results", "fuzz_xlsx", "fuzz_surveys", "fuzz_text",
                              "fuzz_report_offline"}
    for name in HARNESSES:
        corpus = FUZZ_DIR / "corpus" / _harness(name).NAME
        assert any(corpus.glob("seed-*")), f"{corpus} has no seeds"
    total = sum(p.stat().st_size for p in (FUZZ_DIR / "corpus").rglob("*") if p.is_file())
    assert total < 1024 * 1024, f"the corpus is {total} bytes; keep it under 1 MB"


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl warns about what it drops from damaged files
@pytest.mark.parametrize("name", HARNESSES)
def test_corpus_replays_without_unexpected_errors(name):
    module = _harness(name)
    files = sorted(p for p in (FUZZ_DIR / "corpus" / module.NAME).iterdir() if p.is_file())
    assert files
    for path in files:
        try:
            module.TestOneInput(path.read_bytes())
        except BaseException as exc:  # noqa: BLE001 - name the input that broke, whatever it raised
            raise AssertionError(f"{name} on {path.relative_to(FUZZ_DIR)}: {type(exc).__name__}: {exc}") from exc


# Values atheris' own FuzzedDataProvider returns for these inputs (atheris 3.0): the pure-Python provider
# the replay uses must read an input exactly as the fuzzer did.
ATHERIS_VECTORS = [
    (b"\xff\x01\x02", [(0, 9)], 2, b"\xff\x01"),
    (b"\xff\x01\x02", [(0, 256)], 256, b"\xff"),
    (b"\xff\x01\x02", [(0, 70000)], 61582, b""),
    (b"\xff\x01\x02", [(5, 300)], 222, b"\xff"),
    (b"\x01\x02\x03\x04", [(0, 70000)], 52911, b"\x01"),
    (b"\x01\x02\x03\x04", [(3, 3)], 3, b"\x01\x02\x03\x04"),
    (b"\x05", [(5, 300)], 10, b""),
    (b"", [(0, 9)], 0, b""),
]


@pytest.mark.parametrize(("data", "ranges", "last", "rest"), ATHERIS_VECTORS)
def test_pure_python_provider_reads_like_atheris(data, ranges, last, rest):
    common = _harness("_common")
    fdp = common.DataProvider(data)
    value = None
    for low, high in ranges:
        value = fdp.ConsumeIntInRange(low, high)
    assert value == last
    assert fdp.ConsumeBytes(100) == rest


def test_seed_encoding_round_trips():
    common = _harness("_common")
    choices = [(1, 0, 2), (4, 0, 5), (300, 0, 70000), (7, 3, 9)]
    fdp = common.DataProvider(common.encode(b"payload", *choices))
    assert [fdp.ConsumeIntInRange(low, high) for _, low, high in choices] == [v for v, _, _ in choices]
    assert fdp.ConsumeBytes(fdp.remaining_bytes()) == b"payload"
