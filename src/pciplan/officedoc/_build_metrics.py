"""Regenerate ``data/tnr_metrics.json`` — advance widths of Times New Roman for Vietnamese text.

Not imported at run time. Liberation Serif 2 (package ``fonts-liberation2``) is metric-compatible with
Times New Roman, so its advance widths stand in for it. Run once::

    .venv/bin/python -m pciplan.officedoc._build_metrics /usr/share/fonts/truetype/liberation2

The widths let the DOCX builder size the rules under the Tiêu ngữ, the issuing agency and the summary
line, and pick 13 or 12 pt for an agency name that would otherwise wrap.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

STYLES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}


def _characters() -> str:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF)]
    extra = "ĂăĐđĨĩŨũƠơƯư–—‘’“”…•€"
    chars = "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))
    chars += extra + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
    return chars


def build(font_dir: Path) -> dict:
    from matplotlib.ft2font import FT2Font, LoadFlags

    chars = _characters()
    result = {
        "source": "Liberation Serif 2.1.5 (fonts-liberation2), metric-compatible with Times New Roman",
        "units_per_em": 2048,
        "chars": chars,
        "widths": {},
    }
    for style, name in STYLES.items():
        font = FT2Font(str(font_dir / name))
        widths = []
        for ch in chars:
            glyph = font.load_char(ord(ch), flags=LoadFlags.NO_SCALE)
            widths.append(int(glyph.horiAdvance))
        result["widths"][style] = widths
    return result


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    font_dir = Path(argv[0] if argv else "/usr/share/fonts/truetype/liberation2")
    data = build(font_dir)
    out = Path(__file__).with_name("data") / "tnr_metrics.json"
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(data['chars'])} characters)")


if __name__ == "__main__":
    main()
