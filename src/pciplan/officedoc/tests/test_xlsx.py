"""Excel tables: written with Vietnamese-friendly formats and read back with row numbers."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pciplan.officedoc import Column, Sheet, SheetFormatError, read_sheet, write_xlsx

# Real figures: PCI 2020 totals and ranks, https://pcivietnam.vn/bang-xep-hang?cpi_cat_id=PCI_Score&year=2020
PCI_2020 = [("Quảng Ninh", 75.09, 1), ("Đồng Tháp", 72.81, 2), ("Bắc Giang", 63.98, 27), ("Khánh Hòa", 63.98, 28)]

COLUMNS = [Column("Tỉnh, thành phố"), Column("Điểm PCI", "number"), Column("Hạng", "int"),
           Column("Ngày công bố", "date")]


def _book(**kwargs):
    sheet = Sheet("PCI 2020", COLUMNS,
                  [(name, score, rank, dt.date(2021, 5, 12)) for name, score, rank in PCI_2020],
                  title=["Chỉ số PCI năm 2020", "63 tỉnh, thành phố"], note="Nguồn: VCCI, PCI 2020.", **kwargs)
    return write_xlsx(sheet)


def test_layout_title_header_freeze_formats():
    wb = load_workbook(io.BytesIO(_book()))
    ws = wb["PCI 2020"]
    assert ws["A1"].value == "Chỉ số PCI năm 2020" and ws["A1"].font.b
    assert "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[4]]
    assert header == ["Tỉnh, thành phố", "Điểm PCI", "Hạng", "Ngày công bố"]
    assert all(c.font.b for c in ws[4])
    assert ws["A4"].fill.fgColor.rgb.endswith("D9D9D9")
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:D8"
    assert ws["B5"].value == 75.09 and ws["B5"].number_format == "#,##0.00"
    assert ws["C5"].number_format == "#,##0"
    assert ws["D5"].number_format == "dd/mm/yyyy" and ws["D5"].is_date
    assert ws.column_dimensions["A"].width >= len("Tỉnh, thành phố") * 0.6
    assert ws["A10"].value == "Nguồn: VCCI, PCI 2020." and ws["A10"].font.i
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_title_rows == "$4:$4"


def test_round_trip_with_row_numbers():
    table = read_sheet(_book(), stop_at_blank=True)
    assert table.header_row == 4
    assert table.headers == ["Tỉnh, thành phố", "Điểm PCI", "Hạng", "Ngày công bố"]
    assert [r.number for r in table.rows] == [5, 6, 7, 8]
    bac_giang = table.rows[2]
    assert bac_giang.get("tinh, thanh pho") == "Bắc Giang"
    assert bac_giang.values["Điểm PCI"] == 63.98 and bac_giang.values["Hạng"] == 27
    assert bac_giang.values["Ngày công bố"] == dt.date(2021, 5, 12)
    assert table.column_letter("hang") == "C"


def test_notes_are_rows_unless_reading_stops_at_blank():
    table = read_sheet(_book())
    assert table.rows[-1].number == 10 and table.rows[-1].values["Tỉnh, thành phố"] == "Nguồn: VCCI, PCI 2020."


def test_header_found_by_expected_names_ignoring_diacritics():
    table = read_sheet(_book(), headers=["tinh, thanh pho", "DIEM PCI"])
    assert table.header_row == 4
    with pytest.raises(SheetFormatError, match="dòng 4\\) thiếu cột: “Mã tỉnh”"):
        read_sheet(_book(), headers=["Tỉnh, thành phố", "Mã tỉnh"])
    with pytest.raises(SheetFormatError, match="Không tìm thấy dòng tiêu đề"):
        read_sheet(_book(), headers=["Mã tỉnh"])


def test_several_sheets_mapping_rows_decimal_percent_and_clean_names():
    first = Sheet("Tổng hợp", [Column("Đơn vị", key="unit"), Column("Tỷ lệ", "percent", decimals=1, key="share")],
                  [{"unit": "Văn phòng Sở", "share": Decimal("85.5")}])
    second = Sheet("Quý III/2020: chi tiết [nháp]", ["Việc"], [("Tập huấn",)])
    third = Sheet("Tổng hợp", ["X"], [])
    data = write_xlsx([first, second, third], title="Báo cáo")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Tổng hợp", "Quý III-2020- chi tiết -nháp-", "Tổng hợp (2)"]
    ws = wb["Tổng hợp"]
    assert ws["B2"].value == 85.5 and ws["B2"].number_format == '0.0"%"'
    assert read_sheet(data, "tong hop (2)").rows == []
    assert read_sheet(data, 1).rows[0].values == {"Việc": "Tập huấn"}
    with pytest.raises(SheetFormatError, match="không có trang tính"):
        read_sheet(data, "Không có")


def test_reader_normalises_text_and_skips_blank_rows():
    decomposed = "Ti\u0301nh minh ba\u0323ch"
    data = write_xlsx(Sheet("A", ["Mã", "Tên"], [("  A1 ", decomposed), (None, None), ("A2", "")]))
    rows = read_sheet(data).rows
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].values == {"Mã": "A1", "Tên": "Tính minh bạch"}
    assert rows[1].values["Tên"] is None


def test_not_an_excel_file_gets_a_vietnamese_message():
    with pytest.raises(SheetFormatError, match="Không đọc được tệp Excel"):
        read_sheet(b"day khong phai la tep excel")


def test_decimal_comma_is_left_to_excel_localisation():
    # The value stays a number: Vietnamese Excel shows 63,98 through the format, never a text "63,98".
    wb = load_workbook(io.BytesIO(_book()))
    cell = wb["PCI 2020"]["B7"]
    assert isinstance(cell.value, float) and cell.number_format == "#,##0.00"


def _with_sheet_xml(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info, change(content) if info.filename == "xl/worksheets/sheet1.xml" else content)
    return out.getvalue()


@pytest.mark.parametrize("change", [
    lambda xml: xml[: len(xml) // 2] + b"<c r=\"B9\"\x01",  # XML cut off with a stray byte: ParseError
    lambda xml: xml.replace(b"<pane ", b"<pane tll=\"1\" "),  # an attribute openpyxl does not know: TypeError
])
def test_a_damaged_sheet_gets_a_vietnamese_message_naming_it(change):
    # Found by fuzzing (fuzz/corpus/xlsx/crash-*): read-only workbooks parse a sheet only while its rows are
    # read, which was outside the error handling, so the XML parser's own error escaped.
    with pytest.raises(SheetFormatError, match="Không đọc được trang tính “PCI 2020”"):
        read_sheet(_with_sheet_xml(_book(), change))


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl warns about the names of the missing sheets
def test_a_workbook_without_worksheets_gets_a_vietnamese_message():
    # Found by fuzzing (fuzz/corpus/xlsx/crash-workbook-without-worksheets): wb.worksheets[0] raised IndexError.
    import re

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_book())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info, re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", content)
                         if info.filename == "xl/workbook.xml" else content)
    with pytest.raises(SheetFormatError, match="không có trang tính nào"):
        read_sheet(out.getvalue())


def with_filler(data: bytes, name: str, megabytes: int) -> bytes:
    """``data`` (a ZIP package) with one more member of ``megabytes`` MB of spaces: a "ZIP bomb" of ~1 KB/MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open(name, "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(b" " * (1024 * 1024))
    return out.getvalue()


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read():
    # A 110 KB upload that unpacks to 110 MB: refused from the sizes the package declares (zipfile never
    # unpacks past them), before openpyxl reads a row. A real sheet of that size took ~20 s per 50 MB.
    bomb = with_filler(_book(), "xl/worksheets/sheet9.xml", 110)
    assert len(bomb) < 200_000
    with pytest.raises(SheetFormatError, match="khi giải nén lớn tới 110 MB, quá giới hạn 100 MB"):
        read_sheet(bomb)
    assert read_sheet(with_filler(_book(), "xl/media/image1.bin", 5)).rows  # a normal package still reads
