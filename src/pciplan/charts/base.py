"""The :class:`Chart` value: a drawing recipe rendered on demand to SVG (screen) or PNG (paper).

Figures are made with :class:`matplotlib.figure.Figure` and the Agg canvas, never through
``pyplot``: nothing is registered globally, so no figure can leak. Style settings apply only inside
the render (``rc_context``); rcParams are process-wide, but every chart sets the same ones.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .style import RC, TEXT, wrap

MM_PER_INCH = 25.4
#: Default width: 160 mm, the width of a chart in a DOCX (text width 165 mm).
WIDTH_IN = 160 / MM_PER_INCH


@dataclass(frozen=True)
class ChartTable:
    """The chart's data as a small table of formatted strings, for readers who read rather than look.

    Examples
    --------
    >>> ChartTable(("Năm", "PCI"), (("2020", "63,98"),)).rows[0][1]
    '63,98'
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """A chart: Vietnamese title, alt text, data table and a drawing function.

    Call :meth:`svg` for a page (an inline ``<svg>`` with ``<title>``/``<desc>``, no XML prolog) and
    :meth:`png` for a document (:class:`pciplan.officedoc.Image` takes the bytes).

    Attributes
    ----------
    title : str
        Vietnamese title, with the year.
    alt : str
        Vietnamese description of the data, numbers included (``alt``/``aria-label``).
    table : ChartTable
        The same data as formatted strings.
    size : tuple of float
        Width and height in inches.
    """

    title: str
    alt: str
    table: ChartTable
    draw: Callable[[Figure], None] = field(repr=False)
    size: tuple[float, float] = (WIDTH_IN, 3.6)
    source: str = ""

    def figure(self) -> Figure:
        """A new figure drawn with the product style (not registered with pyplot)."""
        with matplotlib.rc_context(RC):
            return self._figure()

    def _figure(self) -> Figure:
        fig = Figure(figsize=self.size, layout="constrained")
        FigureCanvasAgg(fig)
        fig.suptitle(wrap(self.title, 60), fontsize=11, fontweight="bold", color=TEXT)
        self.draw(fig)
        _stack_footer(fig, self.source, self.size[1])
        return fig

    def png(self, dpi: int = 200) -> bytes:
        """PNG bytes at ``dpi`` (200 for paper; the width is 160 mm)."""
        buffer = io.BytesIO()
        with matplotlib.rc_context(RC):
            fig = self._figure()
            fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    def svg(self) -> str:
        """An inline SVG element with ``role="img"``, ``<title>`` and ``<desc>`` (the alt text).

        Text is drawn as paths so it looks the same in every browser; the title and the description
        carry the words for search and screen readers.
        """
        buffer = io.BytesIO()
        with matplotlib.rc_context(RC):
            fig = self._figure()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        return _accessible_svg(buffer.getvalue().decode("utf-8"), self.title, self.alt)

    def data_uri(self) -> str:
        """The PNG as a ``data:`` URI (150 dpi), for e-mails."""
        import base64

        return "data:image/png;base64," + base64.b64encode(self.png(150)).decode("ascii")


def _stack_footer(fig: Figure, source: str, height_in: float) -> None:
    """Place the figure legend (if any) at the bottom, the source footnote under it, and make the
    constrained layout keep the axes above both."""
    y = 0.03
    if source:
        lines = wrap(source, int(fig.get_figwidth() * 17)).count("\n") + 1  # ~17 characters an inch at 7,5 pt
        fig.text(0.01, y / height_in, wrap(source, int(fig.get_figwidth() * 17)), fontsize=7.5, color="#555555",
                 style="italic", ha="left", va="bottom", linespacing=1.2)
        y += 0.08 + 0.13 * lines
    else:
        y += 0.02
    renderer = fig.canvas.get_renderer()
    for legend in fig.legends:
        legend.set_bbox_to_anchor((0.5, y / height_in), transform=fig.transFigure)
        y += legend.get_window_extent(renderer).height / fig.dpi + 0.06
    bottom = y / height_in
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'(href=")#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")


def _accessible_svg(svg: str, title: str, alt: str) -> str:
    """Inline-ready SVG: no XML prolog; ids prefixed with a per-chart id (several charts on one page
    stay valid); matplotlib's global ``*{…}`` style scoped to the chart; ``role="img"`` with
    ``<title>`` and ``<desc>``."""
    svg = _PROLOG.sub("", svg, count=1)
    uid = "c" + hashlib.sha1(f"{title}\n{alt}".encode()).hexdigest()[:8]
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{uid}-{m.group(1)}"', svg)
    svg = _HREF.sub(lambda m: f'{m.group(1)}#{uid}-{m.group(2)}"' if m.group(2) in ids else m.group(0), svg)
    svg = _URL.sub(lambda m: f"url(#{uid}-{m.group(1)})" if m.group(1) in ids else m.group(0), svg)
    svg = svg.replace("<style type=\"text/css\">*{", f'<style type="text/css">svg.{uid} *{{', 1)

    def opening(match: re.Match) -> str:
        attrs = match.group(1)
        return (f'<svg{attrs} class="pciplan-chart {uid}" role="img" aria-labelledby="{uid}-t {uid}-d">'
                f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(alt)}</desc>')

    return _SVG_OPEN.sub(opening, svg, count=1)


def join(parts: Sequence[str], sep: str = "; ") -> str:
    return sep.join(p for p in parts if p)
