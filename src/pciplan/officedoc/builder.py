"""Build a DOCX in the Vietnamese administrative format (Nghị định 30/2020/NĐ-CP, Phụ lục I).

A4 portrait, margins 20/20/30/15 mm, Times New Roman in every script slot, body 14 pt justified with
a 1,27 cm first-line indent; the header and the closing are borderless two-column tables (66/99 mm of
the 165 mm text width) with their grid widths set; page numbers centred in the top margin from
page 2 on.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from pciplan.lib.dates import format_date, format_document_date
from pciplan.lib.numbers import format_number

from . import _ooxml as ox
from .document import (
    AdminDocument,
    Block,
    Bullet,
    Cell,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    Signer,
    Table,
    TableColumn,
    recipient_lines,
)
from .metrics import text_width_mm
from .numbering import document_number_line, heading_label

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 15.0
HEADER_DISTANCE_MM = 10.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165
LANDSCAPE_TEXT_WIDTH_MM = PAGE_HEIGHT_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 252
HEADER_COLUMNS_MM = (66.0, 99.0)  # 40/60 of the text width

BODY_SIZE = 14
FIRST_LINE_INDENT = Cm(1.27)
BODY_SPACING_PT = 6
LINE_SPACING = 1.15
CLOSING_GAP_PT = 6

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# --------------------------------------------------------------------------------------------- setup
def _new_document(spec: AdminDocument):
    doc = Document()
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    ox.format_rpr(rpr, size=BODY_SIZE, lang="vi-VN")
    for name in ("Normal", "Header", "Footer", "Table Grid"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        ox.format_rpr(style.element.get_or_add_rPr(), size=BODY_SIZE if name == "Normal" else None)

    section = doc.sections[0]
    _page(section, landscape=False)
    section.different_first_page_header_footer = True
    header_paragraph = section.header.paragraphs[0]
    header_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ox.spacing(header_paragraph, line=1.0)
    ox.add_field(header_paragraph, "PAGE", size=13)

    props = doc.core_properties
    props.title = spec.title or f"{spec.doc_type} {spec.summary}".strip()
    props.subject = spec.summary
    props.author = spec.issuing_agency
    props.last_modified_by = spec.issuing_agency
    props.language = "vi-VN"
    props.keywords = spec.symbol
    stamp = dt.datetime(spec.year, spec.month or 1, spec.day or 1)
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    return doc


def _page(section, *, landscape: bool) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(HEADER_DISTANCE_MM)
    section.gutter = Mm(0)


# ------------------------------------------------------------------------------------------- helpers
def _text(paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False,
          underline: bool = False):
    return ox.style_run(paragraph.add_run(text), size=size, bold=bold, italic=italic, underline=underline)


def _runs(paragraph, runs: Sequence[Run], *, size: float, bold: bool = False) -> None:
    for run in runs:
        _text(paragraph, run.text, size=size, bold=bold or run.bold, italic=run.italic,
              underline=run.underline)


def _fit_lines(text: str, avail_mm: float, *, bold: bool, sizes: Sequence[float]) -> tuple[float, list[str]]:
    """Largest size among ``sizes`` at which ``text`` fits on one line; otherwise the largest size and
    the text broken into two lines of balanced width at a space."""
    for size in sizes:
        if text_width_mm(text, size, bold=bold) <= avail_mm:
            return size, [text]
    size = sizes[0]
    words = text.split()
    best: tuple[float, list[str]] | None = None
    for cut in range(1, len(words)):
        lines = [" ".join(words[:cut]), " ".join(words[cut:])]
        widest = max(text_width_mm(line, size, bold=bold) for line in lines)
        if best is None or widest < best[0]:
            best = (widest, lines)
    return size, (best[1] if best else [text])


def _centred(container, lines: Sequence[str], *, size: float, bold: bool = False, italic: bool = False,
             before: float = 0, after: float = 0, first: bool = False):
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ox.spacing(paragraph, before=before, after=after, line=1.0)
    for idx, line in enumerate(lines):
        run = _text(paragraph, line, size=size, bold=bold, italic=italic)
        if idx < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    return paragraph


def _rule(container, length_mm: float, avail_mm: float, *, before: float = 0, after: float = 0):
    """A solid rule ``length_mm`` long, centred in ``avail_mm``: an empty 1 pt paragraph with a top
    border between its indents."""
    paragraph = container.add_paragraph()
    side = max(0.0, (avail_mm - length_mm) / 2)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    paragraph.paragraph_format.first_line_indent = Mm(0)
    ox.spacing(paragraph, before=before, after=after, line=1.0)
    ox.paragraph_mark_size(paragraph, 1)
    ox.paragraph_border(paragraph, "top", size_eighths=6, space_pt=0)
    return paragraph


def _body_paragraph(doc, *, align: str = "justify", indent: bool = True, keep_next: bool = False):
    paragraph = doc.add_paragraph()
    paragraph.alignment = _ALIGN[align]
    paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT if indent else Mm(0)
    ox.spacing(paragraph, before=0, after=BODY_SPACING_PT, line=LINE_SPACING)
    paragraph.paragraph_format.widow_control = True
    if keep_next:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


# -------------------------------------------------------------------------------------------- header
def _header(doc, spec: AdminDocument) -> None:
    left_w, right_w = HEADER_COLUMNS_MM
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    ox.table_layout(table, HEADER_COLUMNS_MM, borders=False, cell_margin_mm=0)
    top_left, top_right = table.rows[0].cells
    bottom_left, bottom_right = table.rows[1].cells
    for cell in (top_left, top_right, bottom_left, bottom_right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP

    # Left: parent agency (regular), issuing agency (bold), short rule.
    agency_lines: list[str] = []
    if spec.parent_agency.strip():
        size, lines = _fit_lines(spec.parent_agency.strip().upper(), left_w - 3, bold=False, sizes=(13, 12))
        _centred(top_left, lines, size=size, first=True)
        agency_lines = lines
    issuing = spec.issuing_agency.strip().upper()
    size, lines = _fit_lines(issuing, left_w - 3, bold=True, sizes=(13, 12))
    _centred(top_left, lines, size=size, bold=True, first=not agency_lines)
    widest = max(text_width_mm(line, size, bold=True) for line in lines)
    _rule(top_left, min(widest * 0.4, left_w - 6), left_w, before=2)  # 1/3–1/2 of the name

    # Right: Quốc hiệu (13 bold), Tiêu ngữ (14 bold) with a rule as long as the line.
    size, lines = _fit_lines(NATIONAL_TITLE, right_w - 1, bold=True, sizes=(13, 12))
    _centred(top_right, lines, size=size, bold=True, first=True)
    _centred(top_right, [MOTTO], size=14, bold=True)
    _rule(top_right, text_width_mm(MOTTO, 14, bold=True), right_w, before=2)

    # Second row: Số on the left, place and date (italic) on the right — level with each other.
    _centred(bottom_left, [document_number_line(spec.number, spec.symbol)], size=13, before=6, first=True)
    if not spec.doc_type.strip() and spec.summary.strip():
        summary = spec.summary.strip()
        if not summary.lower().startswith("v/v"):
            summary = f"V/v {summary}"
        para = _centred(bottom_left, [summary], size=12, before=3)
        para.paragraph_format.left_indent = Mm(2)
        para.paragraph_format.right_indent = Mm(2)
    date_line = format_document_date(spec.place, spec.year, spec.month, spec.day)
    size, lines = _fit_lines(date_line, right_w - 1, bold=False, sizes=(14, 13))
    _centred(bottom_right, lines, size=size, italic=True, before=6, first=True)


def _title(doc, spec: AdminDocument) -> None:
    if not spec.doc_type.strip():
        spacer = doc.add_paragraph()
        ox.spacing(spacer, before=12, after=0, line=1.0)
        return
    type_paragraph = doc.add_paragraph()
    type_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ox.spacing(type_paragraph, before=24, after=0, line=1.0)
    type_paragraph.paragraph_format.keep_with_next = True
    _text(type_paragraph, spec.doc_type.strip().upper(), size=14, bold=True)
    if spec.summary.strip():
        summary = doc.add_paragraph()
        summary.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ox.spacing(summary, before=0, after=0, line=1.0)
        summary.paragraph_format.keep_with_next = True
        summary.paragraph_format.left_indent = Mm(10)
        summary.paragraph_format.right_indent = Mm(10)
        _text(summary, spec.summary.strip(), size=14, bold=True)
        width = min(text_width_mm(spec.summary.strip(), 14, bold=True), TEXT_WIDTH_MM - 20)
        _rule(doc, min(width * 0.4, 60.0), TEXT_WIDTH_MM, before=2, after=14)  # 1/3–1/2 of the line


# ---------------------------------------------------------------------------------------------- body
def _cell_text(value: Any, column: TableColumn, table: Table) -> tuple[str, str]:
    """Text of a cell value and its natural alignment."""
    if value is None:
        return "", "left"
    if isinstance(value, bool):
        return ("x" if value else ""), "center"
    if isinstance(value, int):
        return format_number(value, 0, thousands=column.thousands), "right"
    if isinstance(value, float | Decimal):
        if isinstance(value, float) and math.isnan(value):
            return "—", "right"
        decimals = table.decimals if column.decimals is None else column.decimals
        return format_number(value, decimals, thousands=column.thousands), "right"
    if isinstance(value, dt.datetime):
        return f"{format_date(value.date())} {value:%H:%M}", "center"
    if isinstance(value, dt.date):
        return format_date(value), "center"
    return str(value), "left"


def _column_widths(table: Table, columns: Sequence[TableColumn], avail_mm: float) -> list[float]:
    size = table.font_size
    pad = 4.0
    natural, minimum = [], []
    for idx, column in enumerate(columns):
        header_words = column.title.split() or [""]
        word_min = max(text_width_mm(w, size, bold=True) for w in header_words)
        nat = text_width_mm(column.title, size, bold=True) if len(column.title) <= 12 else word_min
        for row in list(table.rows) + list(table.total_rows):
            if idx >= len(row) or isinstance(row[idx], Cell):
                continue
            text, _ = _cell_text(row[idx], column, table)
            if not text:
                continue
            nat = max(nat, min(text_width_mm(text, size), 90.0))
            word_min = max(word_min, max(text_width_mm(w, size) for w in text.split()))
        natural.append(nat + pad)
        minimum.append(min(word_min, 40.0) + pad)
    fixed = {i: c.width_mm for i, c in enumerate(columns) if c.width_mm}
    free = [i for i in range(len(columns)) if i not in fixed]
    rest = avail_mm - sum(fixed.values())
    widths = [0.0] * len(columns)
    for i, w in fixed.items():
        widths[i] = float(w)
    if free:
        nat = [natural[i] for i in free]
        mins = [minimum[i] for i in free]
        if sum(nat) <= rest:
            got = [n * rest / sum(nat) for n in nat]
        elif sum(mins) < rest:
            span = sum(nat) - sum(mins)
            got = [m + (n - m) * (rest - sum(mins)) / span for n, m in zip(nat, mins, strict=True)]
        else:
            got = [m * rest / sum(mins) for m in mins]
        for i, w in zip(free, got, strict=True):
            widths[i] = w
    elif sum(widths) > 0:
        widths = [w * avail_mm / sum(widths) for w in widths]
    return widths


def _table(doc, table: Table, avail_mm: float) -> None:
    columns = table.column_specs
    if table.title:
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ox.spacing(title, before=6, after=6, line=1.0)
        title.paragraph_format.keep_with_next = True
        _text(title, table.title, size=13, bold=True)
    widths = _column_widths(table, columns, avail_mm)
    body_rows = list(table.rows)
    all_rows = [("header", [c.title for c in columns])]
    all_rows += [("body", r) for r in body_rows] + [("total", r) for r in table.total_rows]
    grid = doc.add_table(rows=len(all_rows), cols=len(columns))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    ox.table_layout(grid, widths, borders=True, cell_margin_mm=1.5)
    size = table.font_size
    for row_idx, (kind, values) in enumerate(all_rows):
        row = grid.rows[row_idx]
        if kind == "header":
            ox.row_header(row)
        else:
            ox.row_cant_split(row)
        col = 0
        for value in values:
            if col >= len(columns):
                break
            spec = value if isinstance(value, Cell) else Cell(value)
            span = max(1, min(spec.colspan, len(columns) - col))
            cell = row.cells[col]
            if span > 1:
                cell = cell.merge(row.cells[col + span - 1])
                ox.cell_span_width(cell, sum(widths[col:col + span]))
            column = columns[col]
            if kind == "header":
                text, natural_align = str(spec.value), "center"
                ox.cell_shading(cell, "F2F2F2")
            else:
                text, natural_align = _cell_text(spec.value, column, table)
            align = spec.align or (column.align if kind != "header" else None) or natural_align
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            paragraph.alignment = _ALIGN[align]
            ox.spacing(paragraph, before=2, after=2, line=1.0)
            _text(paragraph, text, size=size, bold=spec.bold or kind in {"header", "total"}, italic=spec.italic)
            col += span
    if table.note:
        note = doc.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.LEFT
        ox.spacing(note, before=3, after=BODY_SPACING_PT, line=1.0)
        _text(note, table.note, size=12, italic=True)
    else:
        gap = doc.add_paragraph()
        ox.spacing(gap, before=0, after=0, exact=6)
        ox.paragraph_mark_size(gap, 6)


def _image(doc, image: Image, avail_mm: float) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ox.spacing(paragraph, before=6, after=2, line=1.0)
    paragraph.paragraph_format.keep_with_next = bool(image.caption)
    paragraph.add_run().add_picture(io.BytesIO(image.png), width=Mm(min(image.width_mm, avail_mm)))
    if image.caption:
        caption = doc.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ox.spacing(caption, before=0, after=BODY_SPACING_PT, line=1.0)
        _text(caption, image.caption, size=13, italic=True)


def _with_closing_mark(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    if not runs:
        return (Run("./."),)
    last = runs[-1]
    text = last.text.rstrip()
    text = text[:-1] if text.endswith(".") else text
    return (*runs[:-1], Run(text + "./.", bold=last.bold, italic=False, underline=False))


def _body(doc, blocks: Sequence[Block]) -> None:
    counters = [0, 0, 0]
    blocks = list(blocks)
    close_at = len(blocks) - 1 if blocks and isinstance(blocks[-1], Paragraph | Bullet) else None
    landscape = False
    for idx, block in enumerate(blocks):
        if isinstance(block, Table) and block.landscape != landscape:
            landscape = block.landscape
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _page(section, landscape=landscape)
            section.different_first_page_header_footer = False
        elif not isinstance(block, Table) and landscape:
            landscape = False
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _page(section, landscape=False)
            section.different_first_page_header_footer = False
        avail = LANDSCAPE_TEXT_WIDTH_MM if landscape else TEXT_WIDTH_MM
        if isinstance(block, Heading):
            level = block.level
            counters[level - 1] += 1
            for deeper in range(level, 3):
                counters[deeper] = 0
            label = block.number if block.number is not None else heading_label(level, counters[level - 1])
            title = block.text.strip().upper() if level == 1 else block.text.strip()
            paragraph = _body_paragraph(doc, keep_next=not block.tail)
            if level == 1:
                paragraph.paragraph_format.space_before = Pt(6)
            text = f"{label} {title}" if block.numbered and label else title
            _text(paragraph, text, size=BODY_SIZE, bold=True)
            if block.tail:
                tail_runs = (Run(block.tail),) if isinstance(block.tail, str) else tuple(block.tail)
                if idx == close_at:
                    tail_runs = _with_closing_mark(tail_runs)
                _text(paragraph, ": " if not text.endswith(":") else " ", size=BODY_SIZE, bold=True)
                _runs(paragraph, tail_runs, size=BODY_SIZE)
            ox.outline_level(paragraph, level - 1)
        elif isinstance(block, Paragraph):
            runs = _with_closing_mark(block.runs) if idx == close_at else block.runs
            paragraph = _body_paragraph(doc, align=block.align, indent=block.indent)
            _runs(paragraph, runs, size=BODY_SIZE)
        elif isinstance(block, Bullet):
            runs = _with_closing_mark(block.runs) if idx == close_at else block.runs
            paragraph = _body_paragraph(doc)
            _text(paragraph, f"{block.marker} ", size=BODY_SIZE)
            _runs(paragraph, runs, size=BODY_SIZE)
        elif isinstance(block, Table):
            _table(doc, block, avail)
        elif isinstance(block, Image):
            _image(doc, block, avail)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            raise TypeError(f"khối nội dung không hợp lệ: {type(block).__name__}")
    if landscape:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        _page(section, landscape=False)
        section.different_first_page_header_footer = False
    if close_at is None:
        paragraph = _body_paragraph(doc)
        _text(paragraph, "./.", size=BODY_SIZE)


# ------------------------------------------------------------------------------------------- closing
def _signer_block(cell, signer: Signer, *, first: bool, before: float = 0) -> None:
    lines = [line for line in (signer.authority.strip().upper(), signer.title.strip().upper()) if line]
    size, _ = _fit_lines(max(lines, key=len) if lines else "", HEADER_COLUMNS_MM[1] - 2, bold=True,
                         sizes=(14, 13))
    for idx, line in enumerate(lines):
        _centred(cell, [line], size=size, bold=True, first=first and idx == 0, before=before if idx == 0 else 0)
    name = _centred(cell, [signer.name.strip()], size=14, bold=True, before=72, first=first and not lines)
    name.paragraph_format.keep_together = True


def _recipients(cell, spec: AdminDocument, *, first: bool, before: float = 0) -> None:
    lines = recipient_lines(spec.recipients, spec.archive)
    if not lines:
        return
    label = cell.paragraphs[0] if first else cell.add_paragraph()
    label.alignment = WD_ALIGN_PARAGRAPH.LEFT
    ox.spacing(label, before=before, after=0, line=1.0)
    _text(label, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in lines:
        paragraph = cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        ox.spacing(paragraph, before=0, after=0, line=1.0)
        _text(paragraph, line, size=11)


def _closing(doc, spec: AdminDocument) -> None:
    if spec.signer is None and spec.left_signer is None and not spec.recipients:
        return
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    ox.table_layout(table, HEADER_COLUMNS_MM, borders=False, cell_margin_mm=0)
    ox.row_cant_split(table.rows[0])
    left, right = table.rows[0].cells
    left.vertical_alignment = right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    if spec.left_signer is not None:
        _signer_block(left, spec.left_signer, first=True, before=CLOSING_GAP_PT)
        _recipients(left, spec, first=False, before=12)
    else:
        _recipients(left, spec, first=True, before=CLOSING_GAP_PT)
    if spec.signer is not None:
        _signer_block(right, spec.signer, first=True, before=CLOSING_GAP_PT)
    # Keep the last body line on the same page as the signature: Word moves the whole row.
    spacer = doc.paragraphs[-1] if doc.paragraphs else None
    if spacer is not None:
        spacer.paragraph_format.keep_with_next = True


# ---------------------------------------------------------------------------------------------- API
def build_docx(spec: AdminDocument):
    """Build the python-docx ``Document`` of an administrative document.

    Parameters
    ----------
    spec : AdminDocument
        Header values, body blocks, signer and recipients.

    Returns
    -------
    docx.document.Document
        A document ready to save; tweak it further only if you must.

    Examples
    --------
    >>> from pciplan.officedoc import AdminDocument, Heading, Paragraph, Signer
    >>> doc = build_docx(AdminDocument(
    ...     issuing_agency="SỞ KHOA HỌC VÀ CÔNG NGHỆ", parent_agency="UBND TỈNH BẮC GIANG",
    ...     doc_type="KẾ HOẠCH", summary="Nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2020",
    ...     symbol="KH-KHCN", place="Bắc Giang", year=2020, month=8,
    ...     body=[Heading("Mục đích - yêu cầu"), Paragraph("Nội dung.")],
    ...     signer=Signer(title="GIÁM ĐỐC", name="Nguyễn Thanh Bình"), recipients=["UBND tỉnh"],
    ...     archive="VT, KHTC"))
    >>> round(doc.sections[0].left_margin.mm)
    30
    """
    doc = _new_document(spec)
    _header(doc, spec)
    _title(doc, spec)
    _body(doc, spec.body)
    _closing(doc, spec)
    return doc


def render_docx(spec: AdminDocument) -> bytes:
    """The DOCX file of an administrative document, as bytes.

    Examples
    --------
    >>> from pciplan.officedoc import AdminDocument, Paragraph
    >>> data = render_docx(AdminDocument(issuing_agency="SỞ KHOA HỌC VÀ CÔNG NGHỆ", doc_type="BÁO CÁO",
    ...     summary="Kết quả Quý III/2020", symbol="BC-KHCN", place="Bắc Giang", year=2020,
    ...     body=[Paragraph("Nội dung.")]))
    >>> data[:2]
    b'PK'
    """
    buffer = io.BytesIO()
    build_docx(spec).save(buffer)
    return buffer.getvalue()
