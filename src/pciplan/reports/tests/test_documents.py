"""The consolidated DOCX read back with python-docx: the Nghị định 30/2020 format, and its content."""

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from pciplan.reports import consolidation, documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def docx_bytes(q3, client_for, demo_day):
    response = client_for("consolidator").get(reverse("reports:consolidated_docx", args=[q3.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-tong-hop-2020-q3.docx"')
    return response.content


def _font(run, style_font="Times New Roman"):
    rpr = run._r.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return {slot: fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} if fonts is not None else {}


def _text(cell):
    return "\n".join(p.text for p in cell.paragraphs)


def test_page_margins_and_fonts(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm), round(section.left_margin.mm),
            round(section.right_margin.mm)) == (20, 20, 30, 15)
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert runs
    for run in runs:
        fonts = _font(run)
        assert set(fonts.values()) == {"Times New Roman"}, (run.text, fonts)
    body = [p for p in doc.paragraphs if p.text.startswith("Thực hiện Kế hoạch")]
    assert body and body[0].runs[0].font.size.pt == 14
    assert body[0].alignment == 3  # justified
    assert round(body[0].paragraph_format.first_line_indent.cm, 2) == 1.27


def test_header_block(docx_bytes, q3):
    doc = Document(io.BytesIO(docx_bytes))
    header = doc.tables[0]
    left, right = _text(header.cell(0, 0)), _text(header.cell(0, 1))
    assert left.splitlines()[0] == "UBND TỈNH BẮC GIANG"
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in left.replace("\n", " ")
    agency_runs = [r for p in header.cell(0, 0).paragraphs for r in p.runs if "SỞ" in r.text]
    assert all(r.bold for r in agency_runs)
    assert right.splitlines()[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    number = _text(header.cell(1, 0))
    assert number.startswith("Số:") and number.endswith("/BC-KHCN") and not any(c.isdigit() for c in number)
    date_line = _text(header.cell(1, 1))
    # The day is blank for the clerk; month and year of the export.
    assert date_line.startswith("Bắc Giang, ngày ") and date_line.endswith("tháng 11 năm 2020")
    assert not any(c.isdigit() for c in date_line.split("tháng")[0])
    assert all(r.italic for p in header.cell(1, 1).paragraphs for r in p.runs if r.text.strip())
    # Column widths set in the grid (LibreOffice would otherwise split 50/50).
    grid = header._tbl.tblGrid.findall(qn("w:gridCol"))
    widths = [int(g.get(qn("w:w"))) for g in grid]
    assert widths[0] < widths[1]


def test_title_sections_and_closing(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("BÁO CÁO")
    title = doc.paragraphs[i]
    assert title.alignment == 1 and title.runs[0].bold and title.runs[0].font.size.pt in (13, 14)
    assert texts[i + 1].startswith("Kết quả thực hiện Kế hoạch nâng cao năng lực cạnh tranh cấp tỉnh (PCI) năm 2020")
    headings = [t for t in texts if t[:3] in ("I. ", "II.", "III", "IV.")]
    assert headings == ["I. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU, NHIỆM VỤ", "II. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ VÀ CHẾ ĐỘ BÁO CÁO",
                        "III. KHÓ KHĂN, VƯỚNG MẮC", "IV. ĐỀ XUẤT, KIẾN NGHỊ"]
    for heading in headings:
        paragraph = doc.paragraphs[texts.index(heading)]
        assert all(r.bold for r in paragraph.runs if r.text.strip())
    assert "1. Chỉ số “Dịch vụ hỗ trợ doanh nghiệp”" in texts or any(
        t.endswith("Chỉ số “Dịch vụ hỗ trợ doanh nghiệp”") for t in texts)
    assert "a) Công việc đã thực hiện" in texts and "b) Kết quả" in texts
    # Sourced values: the 2019 baseline with its source.
    assert any("Năm 2019 đạt 5,43 điểm" in t and "pcivietnam.vn" in t for t in texts)
    # The body ends with ./.
    body_end = [t for t in texts if t.strip()][-1]
    assert body_end.endswith("./.")
    # Chart as an image, and the outcome table.
    assert doc.inline_shapes and len(doc.inline_shapes) >= 1
    outcome = next(t for t in doc.tables if t.cell(0, 0).text == "Đơn vị")
    assert outcome.rows[-1].cells[0].text == "Tổng cộng"
    # Closing: "Nơi nhận:" bold italic 12 pt on the left, signer on the right.
    closing = doc.tables[-1]
    left = closing.cell(0, 0).paragraphs
    assert left[0].text == "Nơi nhận:" and left[0].runs[0].bold and left[0].runs[0].italic
    assert left[0].runs[0].font.size.pt == 12
    lines = [p.text for p in left[1:]]
    assert lines[0] == "- UBND tỉnh (b/c);" and lines[-1] == "- Lưu: VT, KHTC."
    assert all(r.font.size.pt == 11 for p in left[1:] for r in p.runs)
    right = [p.text for p in closing.cell(0, 1).paragraphs if p.text.strip()]
    assert right[0] == "GIÁM ĐỐC" and right[-1] == "Nguyễn Thanh Bình"


def test_edited_text_goes_into_the_document(q3, personas, demo_day):
    report = consolidation.consolidated_for(actor=personas["consolidator"], period=q3, today=demo_day)
    sections = [{"key": s["key"], "title": s["title"], "text": s["text"]} for s in report.sections]
    sections[-2]["text"] = "- Đề nghị UBND tỉnh bố trí kinh phí khảo sát doanh nghiệp (thử nghiệm)."
    report = consolidation.consolidated_save(actor=personas["consolidator"], report=report,
                                             expected_version=report.version, sections=sections,
                                             signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC",
                                             signer_name="Người Ký Thử")
    doc = Document(io.BytesIO(documents.consolidated_docx(report, today=demo_day)))
    texts = [p.text for p in doc.paragraphs]
    assert "- Đề nghị UBND tỉnh bố trí kinh phí khảo sát doanh nghiệp (thử nghiệm)." in texts
    right = [p.text for p in doc.tables[-1].cell(0, 1).paragraphs if p.text.strip()]
    assert right == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Người Ký Thử"]
    from pciplan.lib.errors import DomainError

    with pytest.raises(DomainError):  # a stale editor
        consolidation.consolidated_save(actor=personas["consolidator"], report=report, expected_version=1,
                                        summary="khác")
    with pytest.raises(DomainError):  # a unit cannot edit the agency's report
        consolidation.consolidated_save(actor=personas["unit_head"], report=report, expected_version=report.version,
                                        summary="khác")


def test_annex_xlsx(q3, client_for, demo_day):
    response = client_for("leader").get(reverse("reports:consolidated_annex", args=[q3.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Theo mục tiêu", "Theo đơn vị"]
    rows = list(wb["Theo đơn vị"].iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r[0] == "Đơn vị"))
    units = {r[0]: r for r in rows[header + 1:] if r[0]}
    assert units["Phòng Quản lý Công nghệ và Thị trường công nghệ"][2] == "Đã tiếp nhận"
    assert units["Trung tâm Ứng dụng khoa học và công nghệ"][4] == 1  # one day late
    per_target = list(wb["Theo mục tiêu"].iter_rows(values_only=True))
    head = per_target.index(next(r for r in per_target if r[0] == "Mục tiêu"))
    assert per_target[head][-1] == "Số minh chứng"
    assert sum(r[-1] or 0 for r in per_target[head + 1:] if isinstance(r[-1], int)) >= 1


def test_html_preview(q3, client_for, demo_day):
    html = client_for("consolidator").get(reverse("reports:consolidated_preview", args=[q3.pk])).content.decode()
    for text in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "/BC-KHCN", "I. KẾT QUẢ THỰC HIỆN", "Nơi nhận:",
                 "GIÁM ĐỐC", "Nguyễn Thanh Bình", "<svg"]:
        assert text in html, text
