"""The DOCX builder against Nghị định 30/2020/NĐ-CP, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from pciplan.officedoc import (
    AdminDocument,
    Bullet,
    Cell,
    Heading,
    Image,
    Paragraph,
    Run,
    Signer,
    Table,
    TableColumn,
    render_docx,
)
from pciplan.officedoc._ooxml import _ORDER
from pciplan.officedoc.examples import TARGETS_2020, example_report
from pciplan.officedoc.metrics import text_width_mm

W = qn


def _png(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid grey PNG (synthetic)."""
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _spec(**overrides) -> AdminDocument:
    values = {
        "parent_agency": "UBND TỈNH BẮC GIANG",
        "issuing_agency": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "doc_type": "KẾ HOẠCH",
        "summary": "Nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2020",
        "symbol": "KH-KHCN",
        "number": 5,
        "place": "Bắc Giang",
        "year": 2020,
        "month": 8,
        "day": 5,
        "body": [
            Paragraph("Thực hiện Kế hoạch số 222/KH-UBND ngày 03/8/2020 của UBND tỉnh, Sở Khoa học và Công "
                      "nghệ xây dựng kế hoạch thực hiện như sau:"),
            Heading("Mục đích - yêu cầu"),
            Heading("Mục đích", level=2),
            Paragraph("Góp phần thực hiện hiệu quả Nghị quyết số 02/NQ-CP ngày 01/01/2020 của Chính phủ."),
            Heading("Yêu cầu", level=2),
            Bullet("Phân công nhiệm vụ cụ thể."),
            Bullet("Tổ chức các lớp tập huấn cho các doanh nghiệp.", marker="+"),
            Heading("Nhiệm vụ"),
            Heading("Nhiệm vụ chung", level=2),
            *[Heading(f"Điểm {i}", level=3) for i in range(1, 8)],
            Heading("Trách nhiệm", level=3, tail="Trưởng phòng chịu trách nhiệm tham mưu."),
            Paragraph.markup("Báo cáo năm (*trước ngày 05/12 hàng năm*) gửi Phòng Kế hoạch Tài chính."),
        ],
        "signer": Signer(authority="KT. GIÁM ĐỐC", title="PHÓ GIÁM ĐỐC", name="Nguyễn Văn A"),
        "recipients": ["UBND tỉnh", "Sở Kế hoạch và Đầu tư;", "- Lãnh đạo Sở"],
        "archive": "VT, KHTC",
    }
    values.update(overrides)
    return AdminDocument(**values)


def _open(spec: AdminDocument):
    return Document(io.BytesIO(render_docx(spec)))


@pytest.fixture(scope="module")
def doc():
    return _open(_spec())


def _runs_of(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


def _size(run) -> float:
    return run.font.size.pt


def _header_cells(doc):
    table = doc.tables[0]
    return table.rows[0].cells[0], table.rows[0].cells[1], table.rows[1].cells[0], table.rows[1].cells[1]


def _body_paragraphs(doc):
    return [p for p in doc.paragraphs if p.text.strip()]


# ------------------------------------------------------------------------------------------ the page
def test_page_is_a4_portrait_with_the_decree_margins(doc):
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15


def test_times_new_roman_in_every_script_slot_and_black(doc):
    defaults = doc.styles.element.find(W("w:docDefaults")).find(W("w:rPrDefault")).find(W("w:rPr"))
    fonts = defaults.find(W("w:rFonts"))
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(W(f"w:{slot}")) == "Times New Roman"
        assert fonts.get(W(f"w:{slot}Theme")) is None
    runs = doc.element.body.iter(W("w:r"))
    checked = 0
    for run in runs:
        if not "".join(t.text or "" for t in run.iter(W("w:t"))).strip():
            continue
        rpr = run.find(W("w:rPr"))
        rfonts = rpr.find(W("w:rFonts"))
        assert rfonts.get(W("w:eastAsia")) == "Times New Roman"
        assert rfonts.get(W("w:cs")) == "Times New Roman"
        assert rfonts.get(W("w:ascii")) == "Times New Roman"
        assert rpr.find(W("w:color")).get(W("w:val")) == "000000"
        checked += 1
    assert checked > 30


def test_page_numbers_in_the_top_margin_not_on_page_one(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text.strip() == ""
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text for t in header._p.iter(W("w:instrText"))]
    assert instructions == [" PAGE "]
    assert round(section.header_distance.mm) < round(section.top_margin.mm)


# ---------------------------------------------------------------------------------------- the header
def test_header_is_a_borderless_two_column_table_with_grid_widths(doc):
    table = doc.tables[0]
    grid = [int(c.get(W("w:w"))) for c in table._tbl.tblGrid.findall(W("w:gridCol"))]
    assert [round(w / 1440 * 25.4) for w in grid] == [66, 99]  # 40/60 of 165 mm
    assert table._tbl.tblPr.find(W("w:tblLayout")).get(W("w:type")) == "fixed"
    borders = table._tbl.tblPr.find(W("w:tblBorders"))
    assert {b.get(W("w:val")) for b in borders} == {"nil"}


def test_header_texts_and_styles(doc):
    top_left, top_right, bottom_left, bottom_right = _header_cells(doc)
    parent, issuing = [p for p in top_left.paragraphs if p.text.strip()]
    assert parent.text == "UBND TỈNH BẮC GIANG"
    assert _size(parent.runs[0]) == 13 and not parent.runs[0].bold
    assert issuing.text.replace("\n", " ") == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert all(r.bold for r in _runs_of(issuing)) and _size(issuing.runs[0]) in (12, 13)

    national, motto = [p for p in top_right.paragraphs if p.text.strip()]
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert national.runs[0].bold and _size(national.runs[0]) == 13
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert motto.runs[0].bold and _size(motto.runs[0]) == 14

    number = bottom_left.paragraphs[0]
    assert number.text == "Số: 05/KH-KHCN" and _size(number.runs[0]) == 13
    date = bottom_right.paragraphs[0]
    assert date.text == "Bắc Giang, ngày 05 tháng 8 năm 2020"
    assert date.runs[0].italic and _size(date.runs[0]) == 14


def _rule_after(cell, text):
    paragraphs = cell.paragraphs
    idx = next(i for i, p in enumerate(paragraphs) if p.text.replace("\n", " ") == text)
    rule = paragraphs[idx + 1]
    border = rule._p.pPr.find(W("w:pBdr"))
    assert rule.text == "" and border is not None
    assert border.find(W("w:top")).get(W("w:val")) == "single"
    return rule


def test_motto_rule_as_long_as_the_line_and_agency_rule_short(doc):
    top_left, top_right, _, _ = _header_cells(doc)
    rule = _rule_after(top_right, "Độc lập - Tự do - Hạnh phúc")
    fmt = rule.paragraph_format
    length = 99 - fmt.left_indent.mm - fmt.right_indent.mm
    assert length == pytest.approx(text_width_mm("Độc lập - Tự do - Hạnh phúc", 14, bold=True), abs=0.5)
    assert fmt.left_indent.mm == pytest.approx(fmt.right_indent.mm, abs=0.1)

    agency = _rule_after(top_left, "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    fmt = agency.paragraph_format
    length = 66 - fmt.left_indent.mm - fmt.right_indent.mm
    widest = max(text_width_mm(line, 13, bold=True) for line in ("SỞ KHOA HỌC", "VÀ CÔNG NGHỆ"))
    assert widest / 3 - 1 <= length <= widest / 2 + 1


def test_blank_number_and_blank_day_are_left_for_the_clerk():
    doc = _open(_spec(number=None, symbol="BC-KHCN", day=None, month=None, year=2021))
    _, _, bottom_left, bottom_right = _header_cells(doc)
    assert bottom_left.paragraphs[0].text.startswith("Số:    ")
    assert bottom_left.paragraphs[0].text.endswith("/BC-KHCN")
    assert bottom_right.paragraphs[0].text == "Bắc Giang, ngày      tháng      năm 2021"


def test_month_padding_follows_the_decree():
    doc = _open(_spec(year=2021, month=1, day=5))
    assert _header_cells(doc)[3].paragraphs[0].text == "Bắc Giang, ngày 05 tháng 01 năm 2021"


def test_agency_that_fits_stays_on_one_line_at_13_pt():
    doc = _open(_spec(issuing_agency="SỞ TƯ PHÁP"))
    top_left = _header_cells(doc)[0]
    issuing = [p for p in top_left.paragraphs if p.text.strip()][1]
    assert issuing.text == "SỞ TƯ PHÁP" and _size(issuing.runs[0]) == 13


# ------------------------------------------------------------------------------ type, summary, body
def test_type_and_summary_centred_bold_with_a_short_rule(doc):
    paragraphs = doc.paragraphs
    idx = next(i for i, p in enumerate(paragraphs) if p.text == "KẾ HOẠCH")
    kind, summary, rule = paragraphs[idx], paragraphs[idx + 1], paragraphs[idx + 2]
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER and kind.runs[0].bold and _size(kind.runs[0]) == 14
    assert summary.text == "Nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2020"
    assert summary.alignment == WD_ALIGN_PARAGRAPH.CENTER and summary.runs[0].bold
    assert rule._p.pPr.find(W("w:pBdr")) is not None
    width = 165 - rule.paragraph_format.left_indent.mm - rule.paragraph_format.right_indent.mm
    full = text_width_mm(summary.text, 14, bold=True)
    assert 20 <= width <= full / 2 + 1


def test_body_paragraphs_14pt_justified_indented_spaced(doc):
    body = next(p for p in doc.paragraphs if p.text.startswith("Thực hiện Kế hoạch số 222"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent == Cm(1.27)
    spacing = (body.paragraph_format.space_before or Pt(0)) + (body.paragraph_format.space_after or Pt(0))
    assert spacing >= Pt(6)
    assert 1.0 <= body.paragraph_format.line_spacing <= 1.5
    assert all(_size(r) == 14 for r in body.runs)


def test_sections_are_numbered_roman_arabic_and_vietnamese_letters(doc):
    texts = [p.text for p in _body_paragraphs(doc)]
    assert "I. MỤC ĐÍCH - YÊU CẦU" in texts
    assert "II. NHIỆM VỤ" in texts
    assert "1. Mục đích" in texts and "2. Yêu cầu" in texts
    assert "1. Nhiệm vụ chung" in texts  # level 2 restarts under a new part
    letters = [t.split(")")[0] for t in texts if t[:2].endswith(")")]
    assert letters == ["a", "b", "c", "d", "đ", "e", "g", "h"]
    heading = next(p for p in doc.paragraphs if p.text == "I. MỤC ĐÍCH - YÊU CẦU")
    assert all(r.bold for r in heading.runs)
    assert heading._p.pPr.find(W("w:outlineLvl")).get(W("w:val")) == "0"


def test_run_in_heading_and_markup(doc):
    tail = next(p for p in doc.paragraphs if p.text.startswith("h) Trách nhiệm"))
    assert tail.text == "h) Trách nhiệm: Trưởng phòng chịu trách nhiệm tham mưu."
    assert tail.runs[0].bold and not tail.runs[-1].bold
    marked = next(p for p in doc.paragraphs if p.text.startswith("Báo cáo năm"))
    italic = [r.text for r in marked.runs if r.italic]
    assert italic == ["trước ngày 05/12 hàng năm"]


def test_bullets_keep_their_markers(doc):
    texts = [p.text for p in doc.paragraphs]
    assert "- Phân công nhiệm vụ cụ thể." in texts
    assert "+ Tổ chức các lớp tập huấn cho các doanh nghiệp." in texts


def test_body_ends_with_the_closing_mark_once(doc):
    body = _body_paragraphs(doc)
    last = body[-1]
    assert last.text == "Báo cáo năm (trước ngày 05/12 hàng năm) gửi Phòng Kế hoạch Tài chính./."
    assert sum(p.text.count("./.") for p in doc.paragraphs) == 1


def test_closing_mark_after_a_final_table():
    doc = _open(_spec(body=[Paragraph("Nội dung."), Table(["A", "B"], [["x", 1.5]])]))
    assert [p.text for p in _body_paragraphs(doc)][-1] == "./."


# ------------------------------------------------------------------------------------------ closing
def test_signer_block_and_recipients(doc):
    closing = doc.tables[-1]
    left, right = closing.rows[0].cells
    lines = [p for p in right.paragraphs if p.text.strip()]
    assert [p.text for p in lines] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    assert all(r.bold for p in lines for r in p.runs)
    assert lines[2].paragraph_format.space_before >= Pt(48)  # room for signature and seal

    label, *recipients = [p for p in left.paragraphs if p.text.strip()]
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold and label.runs[0].italic and _size(label.runs[0]) == 12
    assert [p.text for p in recipients] == [
        "- UBND tỉnh;", "- Sở Kế hoạch và Đầu tư;", "- Lãnh đạo Sở;", "- Lưu: VT, KHTC.",
    ]
    assert all(_size(p.runs[0]) == 11 for p in recipients)
    grid = [round(int(c.get(W("w:w"))) / 1440 * 25.4) for c in closing._tbl.tblGrid.findall(W("w:gridCol"))]
    assert grid == [66, 99]


def test_official_letter_puts_the_summary_under_the_number():
    doc = _open(_spec(doc_type="", summary="Báo cáo kết quả thực hiện PCI Quý III/2020"))
    bottom_left = _header_cells(doc)[2]
    texts = [p.text for p in bottom_left.paragraphs]
    assert texts == ["Số: 05/KH-KHCN", "V/v Báo cáo kết quả thực hiện PCI Quý III/2020"]
    assert "KẾ HOẠCH" not in [p.text for p in doc.paragraphs]


# ------------------------------------------------------------------------------------ tables, images
def test_table_header_numbers_and_totals():
    rows = [[i, name, before, target, actual] for i, (name, before, target, actual) in enumerate(TARGETS_2020, 1)]
    table = Table(
        [TableColumn("TT", align="center"), "Chỉ số thành phần", "Điểm 2019", "Mục tiêu 2020", "Điểm 2020"],
        rows, total_rows=[[Cell("Tổng điểm PCI", colspan=2), 64.47, None, 63.98]],
        title="Mục tiêu năm 2020", note="Nguồn: VCCI.",
    )
    doc = _open(_spec(body=[table, Paragraph("Kết thúc.")]))
    grid = doc.tables[1]
    header = grid.rows[0]
    assert header._tr.trPr.find(W("w:tblHeader")) is not None
    assert [c.text for c in header.cells] == ["TT", "Chỉ số thành phần", "Điểm 2019", "Mục tiêu 2020", "Điểm 2020"]
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
    first = grid.rows[1].cells
    assert [c.text for c in first] == ["1", "Chi phí gia nhập thị trường", "6,78", "7,61", "6,99"]
    assert first[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert first[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    total = grid.rows[-1]
    assert total.cells[0].text == "Tổng điểm PCI" and total.cells[2].text == "64,47"
    assert total.cells[0].paragraphs[0].runs[0].bold
    widths = [int(c.get(W("w:w"))) for c in grid._tbl.tblGrid.findall(W("w:gridCol"))]
    assert sum(widths) / 1440 * 25.4 == pytest.approx(165, abs=0.5)
    assert "Nguồn: VCCI." in [p.text for p in doc.paragraphs]


def test_cell_values_years_dates_and_missing():
    table = Table([TableColumn("Năm", thousands=False), "Ngày", "Số tiền", "Ghi chú"],
                  [[2020, dt.date(2020, 8, 15), 1250000, None]])
    doc = _open(_spec(body=[table]))
    assert [c.text for c in doc.tables[1].rows[1].cells] == ["2020", "15/8/2020", "1.250.000", ""]


def test_wide_table_gets_landscape_pages_then_portrait_again():
    columns = [f"Cột {i}" for i in range(12)]
    doc = _open(_spec(body=[
        Paragraph("Trước bảng."),
        Table(columns, [[i * 1.5 for i in range(12)]], landscape=True),
        Paragraph("Sau bảng."),
    ]))
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    wide = doc.sections[1]
    assert round(wide.page_width.mm) == 297 and round(wide.left_margin.mm) == 30
    assert not wide.different_first_page_header_footer  # page number shown on the landscape page
    assert wide.header.is_linked_to_previous
    grid = [int(c.get(W("w:w"))) for c in doc.tables[1]._tbl.tblGrid.findall(W("w:gridCol"))]
    assert sum(grid) / 1440 * 25.4 == pytest.approx(252, abs=0.5)


def test_image_with_caption():
    doc = _open(_spec(body=[Image(_png(), caption="Hình 1. Biểu đồ", width_mm=200), Paragraph("Hết.")]))
    shapes = doc.inline_shapes
    assert len(shapes) == 1
    assert shapes[0].width <= Mm(165) + 10
    caption = next(p for p in doc.paragraphs if p.text == "Hình 1. Biểu đồ")
    assert caption.runs[0].italic and caption.alignment == WD_ALIGN_PARAGRAPH.CENTER


# ------------------------------------------------------------------------------------- well-formed
def test_property_elements_are_in_schema_order():
    doc = _open(example_report(_png()))
    for container, order in _ORDER.items():
        rank = {W(tag): i for i, tag in enumerate(order)}
        for element in doc.element.body.iter(W(container)):
            positions = [rank.get(child.tag, -1) for child in element]
            assert -1 not in positions, (container, [c.tag for c in element])
            assert positions == sorted(positions), (container, [c.tag for c in element])


def test_example_report_numbers_match_the_published_figures():
    doc = _open(example_report())
    table = doc.tables[1]
    entry = [c.text for c in table.rows[1].cells]
    # Reference plan: 6,78 + 0,83 = 7,61; VCCI PCI 2020: 6,99.
    assert entry == ["1", "Chi phí gia nhập thị trường", "6,78", "7,61", "6,99", "-0,62", "Chưa đạt"]
    results = [table.rows[i].cells[-1].text for i in range(1, 8)]
    assert results.count("Đạt") == 2 and results.count("Chưa đạt") == 5
    assert doc.core_properties.author == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert doc.core_properties.language == "vi-VN"


def test_runs_keep_the_text_given():
    doc = _open(_spec(body=[Paragraph([Run("Đậm", bold=True), Run(" và "), Run("nghiêng", italic=True)])]))
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("Đậm"))
    assert paragraph.text == "Đậm và nghiêng./."
    assert paragraph.runs[0].bold and paragraph.runs[-1].italic is not True  # the mark is upright


def test_evaluation_sheet_with_two_signers():
    doc = _open(_spec(
        doc_type="PHIẾU ĐÁNH GIÁ", summary="Kết quả thực hiện nhiệm vụ PCI năm 2020 của cá nhân",
        left_signer=Signer(title="NGƯỜI TỰ ĐÁNH GIÁ", name="Nguyễn Văn C"),
        signer=Signer(title="THỦ TRƯỞNG ĐƠN VỊ", name="Nguyễn Văn A"),
        recipients=[], archive="",
    ))
    left, right = doc.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text.strip()] == ["NGƯỜI TỰ ĐÁNH GIÁ", "Nguyễn Văn C"]
    assert [p.text for p in right.paragraphs if p.text.strip()] == ["THỦ TRƯỞNG ĐƠN VỊ", "Nguyễn Văn A"]
    assert "Nơi nhận:" not in [p.text for p in left.paragraphs]
