"""Plain values describing an administrative document (Nghị định 30/2020/NĐ-CP).

A document is an :class:`AdminDocument` whose body is a sequence of blocks — :class:`Heading`,
:class:`Paragraph`, :class:`Bullet`, :class:`Table`, :class:`Image`, :class:`PageBreak`. The builder in
:mod:`pciplan.officedoc.builder` turns it into a DOCX.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Run:
    """A piece of text with its own weight or slant inside a paragraph.

    Examples
    --------
    >>> Run("hoàn thành trong tháng 9/2020", italic=True).italic
    True
    """

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


_MARKUP = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")


def runs_from_markup(text: str) -> tuple[Run, ...]:
    """Split light markup into runs: ``**bold**`` and ``*italic*``.

    Examples
    --------
    >>> runs_from_markup("Tập huấn, *xong trước ngày 15/8/2020*.")
    (Run(text='Tập huấn, ', bold=False, italic=False, underline=False), Run(text='xong trước ngày 15/8/2020', bold=False, italic=True, underline=False), Run(text='.', bold=False, italic=False, underline=False))
    """
    runs: list[Run] = []
    for part in _MARKUP.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            runs.append(Run(part[2:-2], bold=True))
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            runs.append(Run(part[1:-1], italic=True))
        else:
            runs.append(Run(part))
    return tuple(runs)


def _as_runs(content: str | Run | Sequence[Run]) -> tuple[Run, ...]:
    if isinstance(content, str):
        return (Run(content),)
    if isinstance(content, Run):
        return (content,)
    return tuple(content)


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: 14 pt, justified, first line indented 1,27 cm.

    ``content`` is plain text or a sequence of :class:`Run`. Use :meth:`markup` for ``*italic*``.

    Examples
    --------
    >>> Paragraph("Thực hiện Kế hoạch số 222/KH-UBND ngày 03/8/2020 của UBND tỉnh …").runs[0].bold
    False
    """

    content: str | Run | Sequence[Run]
    align: Align = "justify"
    indent: bool = True

    @property
    def runs(self) -> tuple[Run, ...]:
        return _as_runs(self.content)

    @classmethod
    def markup(cls, text: str, **kwargs: Any) -> Paragraph:
        """Paragraph from light markup: ``**bold**``, ``*italic*``."""
        return cls(runs_from_markup(text), **kwargs)


@dataclass(frozen=True)
class Bullet:
    """A line that starts with ``- `` (``marker="-"``) or ``+ `` (``marker="+"``).

    Examples
    --------
    >>> Bullet("Tổ chức các lớp tập huấn cho các doanh nghiệp.", marker="+").marker
    '+'
    """

    content: str | Run | Sequence[Run]
    marker: Literal["-", "+"] = "-"

    @property
    def runs(self) -> tuple[Run, ...]:
        return _as_runs(self.content)

    @classmethod
    def markup(cls, text: str, **kwargs: Any) -> Bullet:
        """Bullet from light markup: ``**bold**``, ``*italic*``."""
        return cls(runs_from_markup(text), **kwargs)


@dataclass(frozen=True)
class Heading:
    """A section heading, numbered automatically: level 1 ``I. TITLE`` (upper case), level 2
    ``1. Title``, level 3 ``a) Title`` (Vietnamese alphabet: a, b, c, d, đ, e, g …).

    ``number`` overrides the automatic label (e.g. ``"2.1."``); ``numbered=False`` prints no label.
    ``tail`` is run-in text in regular weight after the title, on the same line
    (``c) Trách nhiệm: Trưởng phòng …``).

    Examples
    --------
    >>> Heading("Mục đích - yêu cầu").level
    1
    """

    text: str
    level: Literal[1, 2, 3] = 1
    number: str | None = None
    numbered: bool = True
    tail: str | Sequence[Run] = ""


@dataclass(frozen=True)
class Cell:
    """A table cell with its own formatting or spanning several columns.

    Examples
    --------
    >>> Cell("I. Chỉ số thành phần", colspan=4, bold=True).colspan
    4
    """

    value: Any
    colspan: int = 1
    bold: bool = False
    italic: bool = False
    align: Align | None = None


@dataclass(frozen=True)
class TableColumn:
    """A table column: header, width in mm (optional), alignment and decimals for numbers.

    Numbers are right-aligned and shown with decimal comma (``7,61``); integers get a thousands
    dot (``1.250``) unless ``thousands=False`` — use it for years and codes.

    Examples
    --------
    >>> TableColumn("Năm", thousands=False).thousands
    False
    """

    title: str
    width_mm: float | None = None
    align: Align | None = None
    decimals: int | None = None
    thousands: bool = True


@dataclass(frozen=True)
class Table:
    """A table with a header row (repeated on every page), body rows and optional total rows.

    Cells take ``str``, ``int``, ``float``, ``Decimal``, ``date`` or ``None`` (blank) values, or a
    :class:`Cell`. ``landscape=True`` puts the table on its own landscape pages.

    Examples
    --------
    >>> t = Table(["TT", "Chỉ số", "Điểm 2019"], [[1, "Gia nhập thị trường", 6.78]],
    ...           note="Nguồn: VCCI, PCI 2019.")
    >>> len(t.columns)
    3
    """

    columns: Sequence[str | TableColumn]
    rows: Sequence[Sequence[Any]]
    title: str = ""
    note: str = ""
    total_rows: Sequence[Sequence[Any]] = ()
    landscape: bool = False
    font_size: float = 12
    decimals: int = 2

    @property
    def column_specs(self) -> tuple[TableColumn, ...]:
        return tuple(c if isinstance(c, TableColumn) else TableColumn(str(c)) for c in self.columns)


@dataclass(frozen=True)
class Image:
    """A PNG image (e.g. a chart from :mod:`pciplan.charts`) centred, with an italic caption below.

    Examples
    --------
    >>> Image(b"...", caption="Hình 1. Chỉ số thành phần PCI 2020").width_mm
    160.0
    """

    png: bytes
    caption: str = ""
    width_mm: float = 160.0


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


Block = Heading | Paragraph | Bullet | Table | Image | PageBreak


@dataclass(frozen=True)
class Signer:
    """The signer block: authority (``KT. GIÁM ĐỐC``, ``TM. ỦY BAN NHÂN DÂN``; blank when the head
    signs), title (``PHÓ GIÁM ĐỐC``) and name (bold, under the space for signature and seal).

    Examples
    --------
    >>> Signer(authority="KT. GIÁM ĐỐC", title="PHÓ GIÁM ĐỐC", name="Nguyễn Văn A").title
    'PHÓ GIÁM ĐỐC'
    """

    title: str
    name: str = ""
    authority: str = ""


@dataclass(frozen=True)
class AdminDocument:
    """An administrative document: header, type, summary, body, signer and recipients.

    Parameters
    ----------
    issuing_agency : str
        ``"SỞ KHOA HỌC VÀ CÔNG NGHỆ"`` (printed upper case, bold).
    doc_type : str
        ``"KẾ HOẠCH"``, ``"BÁO CÁO"``, ``"PHIẾU ĐÁNH GIÁ"``; blank for an official letter (công văn),
        whose summary then goes under the number as ``V/v …``.
    summary : str
        The trích yếu, e.g. ``"Nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2020"``.
    symbol : str
        The code after the number: ``"KH-KHCN"``, ``"BC-KHCN"``.
    place : str
        ``"Bắc Giang"``.
    year, month, day : int
        The date; ``month`` and ``day`` may be ``None`` to leave a blank for the clerk.
    parent_agency : str
        ``"UBND TỈNH BẮC GIANG"`` (regular, upper case); blank when there is none.
    number : int or str or None
        ``5`` → ``Số: 05/…``; ``None`` leaves ``Số:        /…`` for the clerk.
    body : sequence of blocks
        The content; the last paragraph gets the closing ``./.``.
    signer : Signer or None
        Signer on the right of the closing.
    recipients : sequence of str
        ``"UBND tỉnh"``… printed ``- UBND tỉnh;`` one a line, under ``Nơi nhận:``.
    archive : str
        Last recipient line, ``"VT, KHTC"`` → ``- Lưu: VT, KHTC.``
    left_signer : Signer or None
        A second signer on the left (evaluation sheets: the person rated); recipients go under it.
    title : str
        Optional document title for the file properties (defaults to type + summary).

    Examples
    --------
    >>> doc = AdminDocument(
    ...     parent_agency="UBND TỈNH BẮC GIANG", issuing_agency="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    ...     doc_type="BÁO CÁO", summary="Kết quả thực hiện Kế hoạch nâng cao PCI Quý III/2020",
    ...     symbol="BC-KHCN", place="Bắc Giang", year=2020, month=10,
    ...     body=[Heading("Kết quả thực hiện"), Paragraph("…")],
    ...     signer=Signer(authority="KT. GIÁM ĐỐC", title="PHÓ GIÁM ĐỐC", name="Nguyễn Văn A"),
    ...     recipients=["UBND tỉnh", "Sở Kế hoạch và Đầu tư"], archive="VT, KHTC")
    >>> doc.number is None
    True
    """

    issuing_agency: str
    doc_type: str
    summary: str
    symbol: str
    place: str
    year: int
    month: int | None = None
    day: int | None = None
    parent_agency: str = ""
    number: int | str | None = None
    body: Sequence[Block] = field(default_factory=tuple)
    signer: Signer | None = None
    recipients: Sequence[str] = field(default_factory=tuple)
    archive: str = "VT"
    left_signer: Signer | None = None
    title: str = ""


def recipient_lines(recipients: Sequence[str], archive: str) -> list[str]:
    """The lines under ``Nơi nhận:``: ``- X;`` one a line, the last ``- Lưu: VT, KHTC.``.

    Leading dashes and trailing ``;``/``.`` in the input are tolerated.

    Examples
    --------
    >>> recipient_lines(["UBND tỉnh", "- Lãnh đạo Sở;"], "VT, KHTC")
    ['- UBND tỉnh;', '- Lãnh đạo Sở;', '- Lưu: VT, KHTC.']
    """
    lines = []
    for raw in recipients:
        text = raw.strip().lstrip("-–+ ").rstrip(";.,").strip()
        if text:
            lines.append(f"- {text};")
    archive_text = (archive or "").strip().lstrip("-– ").rstrip(";.").strip()
    if archive_text.lower().startswith("lưu"):
        archive_text = archive_text[3:].lstrip(": ").strip()
    if archive_text:
        lines.append(f"- Lưu: {archive_text}.")
    return lines
