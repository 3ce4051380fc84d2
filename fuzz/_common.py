"""What every harness shares: Django set-up, the data provider, the check of what a parser may raise,
ZIP re-packing for mutating the XML inside DOCX/XLSX, and the atheris entry point.

atheris is imported only by :func:`main` (when a harness runs as a script), so the harnesses'
``TestOneInput`` functions can be imported and replayed by pytest without atheris installed.
"""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

FUZZ_DIR = Path(__file__).resolve().parent
CORPUS_DIR = FUZZ_DIR / "corpus"
TEMPLATE_DIR = FUZZ_DIR / "templates"

# A message counts as Vietnamese when it has at least one letter only Vietnamese uses here.
_VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]",
                         re.IGNORECASE)


def setup_django() -> None:
    """``django.setup()`` with the project's settings, once."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pciplan.settings")
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()


class DataProvider:
    """The part of ``atheris.FuzzedDataProvider`` the harnesses use, in pure Python.

    Same semantics as atheris (libFuzzer's provider): integers are read from the *end* of the input,
    most significant byte first, taking only as many bytes as the range needs; bytes are read from the
    front. So an input replays identically with or without atheris (checked against atheris' own
    results in ``test_fuzz_parsers.py``).
    """

    def __init__(self, data: bytes):
        self._data = bytes(data)
        self._start = 0
        self._end = len(self._data)

    def remaining_bytes(self) -> int:
        return self._end - self._start

    def ConsumeIntInRange(self, low: int, high: int) -> int:  # noqa: N802 - atheris' name
        if low > high:
            raise ValueError("low > high")
        span = high - low
        result, offset = 0, 0
        while offset < 64 and (span >> offset) > 0 and self._end > self._start:
            self._end -= 1
            result = (result << 8) | self._data[self._end]
            offset += 8
        if span != 2**64 - 1:
            result %= span + 1
        return low + result

    def ConsumeBytes(self, count: int) -> bytes:  # noqa: N802 - atheris' name
        count = max(0, min(count, self.remaining_bytes()))
        out = self._data[self._start:self._start + count]
        self._start += count
        return out


def encode(payload: bytes, *choices: tuple[int, int, int]) -> bytes:
    """The input that makes a provider return ``choices`` (``(value, low, high)``, in the order they are
    consumed) from ``ConsumeIntInRange`` and then ``payload`` from ``ConsumeBytes``: for writing seeds."""
    tail = b""
    for value, low, high in choices:
        span, size = high - low, 0
        while size < 8 and (span >> (8 * size)) > 0:
            size += 1
        tail = (value - low).to_bytes(size, "little") + tail
    return bytes(payload) + tail


def provider(data: bytes):
    """atheris' provider while fuzzing (atheris already imported), else the identical pure-Python one."""
    atheris = sys.modules.get("atheris")
    if atheris is not None:
        return atheris.FuzzedDataProvider(data)
    return DataProvider(data)


def pick(fdp, options: list):
    """One of ``options`` chosen by the input."""
    return options[fdp.ConsumeIntInRange(0, len(options) - 1)]


def expect(call: Callable[[], object], *errors: type[BaseException]):
    """Run ``call``; return its result, or ``None`` when it raised one of the documented ``errors`` with a
    Vietnamese message. Any other exception propagates: for the fuzzer and the replay test it is a bug."""
    try:
        return call()
    except errors as exc:
        for message in [str(exc), *(str(p) for p in getattr(exc, "problems", None) or ())]:
            if not _VIETNAMESE.search(message):
                raise AssertionError(f"{type(exc).__name__} without a Vietnamese message: {message!r}") from exc
        return None


def is_vietnamese(message: str) -> bool:
    return bool(_VIETNAMESE.search(message or ""))


# ----------------------------------------------------------------------------------- ZIP mutation
def read_members(data: bytes) -> list[tuple[str, bytes]]:
    """Members of a template ZIP (DOCX/XLSX), in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def write_members(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A valid ZIP of ``members`` (fixed timestamps, so the same input gives the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


def mutate_zip(fdp, members: list[tuple[str, bytes]]) -> bytes:
    """A valid ZIP whose XML is changed by the input, so the fuzzer gets past the ZIP layer.

    The input picks a member and a way: splice its bytes into the member at a position (keeping the rest
    of the XML, so the parser gets deep), replace the member with its bytes, drop the member, or add its
    bytes as a second member of the same name's folder.
    """
    index = fdp.ConsumeIntInRange(0, len(members) - 1)
    how = fdp.ConsumeIntInRange(0, 7)
    name, content = members[index]
    out = list(members)
    if how <= 4:  # splice (most useful: the XML stays mostly well-formed)
        at = fdp.ConsumeIntInRange(0, len(content))
        cut = fdp.ConsumeIntInRange(0, 255)
        out[index] = (name, content[:at] + fdp.ConsumeBytes(fdp.remaining_bytes()) + content[at + cut:])
    elif how == 5:
        out[index] = (name, fdp.ConsumeBytes(fdp.remaining_bytes()))
    elif how == 6:
        del out[index]
    else:
        folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
        out.append((folder + "fuzz.xml", fdp.ConsumeBytes(fdp.remaining_bytes())))
    return write_members(out)


def template(name: str) -> bytes:
    return (TEMPLATE_DIR / name).read_bytes()


# ------------------------------------------------------------------------------------- entry point
def main(load: Callable[[], object], test_one_input: Callable[[bytes], None],
         include: Iterable[str] = ("pciplan",)) -> None:
    """Instrument the parsers (and the libraries named in ``include``) as they are imported, then fuzz."""
    import atheris

    # Let the fuzzer see the parsers' startswith/endswith tests. (atheris' "RegEx" hook is left off: its
    # pattern proxies break Django's and the standard library's own compiled patterns.)
    atheris.enabled_hooks.add("str")
    with atheris.instrument_imports(include=list(include)):
        load()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
