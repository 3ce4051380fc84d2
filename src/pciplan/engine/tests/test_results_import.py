"""Parsing published results tables: CSV and XLSX, tolerant names, row/column errors in Vietnamese."""

from __future__ import annotations

import io

import openpyxl
import pytest

from pciplan.engine.data import SUBINDEX_CODES, load_results
from pciplan.engine.errors import InputError
from pciplan.engine.results import ResultsImportError, parse_results, parse_results_table, read_table

VI_HEADERS = ["Tỉnh/Thành phố", "Năm", "Gia nhập thị trường", "Tiếp cận đất đai", "Tính minh bạch",
              "Chi phí thời gian", "Chi phí không chính thức", "Cạnh tranh bình đẳng", "Tính năng động",
              "Hỗ trợ doanh nghiệp", "Đào tạo lao động", "Thiết chế pháp lý", "PCI 2016", "Xếp hạng", "Nhóm"]


def _published_2016_rows(names=None):
    r = load_results(2016).sort_values("rank")
    rows = []
    for rec in r.itertuples():
        name = (names or {}).get(rec.province_slug, rec.province_name)
        rows.append([name, 2016, *[round(getattr(rec, c), 2) for c in SUBINDEX_CODES], round(rec.pci, 2),
                     int(rec.rank), rec.group])
    return rows


def _csv(rows, headers=VI_HEADERS, sep=","):
    out = io.StringIO()
    import csv

    w = csv.writer(out, delimiter=sep)
    w.writerow(headers)
    w.writerows(rows)
    return out.getvalue()


def _xlsx(rows, headers=VI_HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_whole_2016_table_in_both_formats_with_workbook_spellings():
    spellings = {"tp-ho-chi-minh": "Tp.HCM", "thua-thien-hue": "TT-Huế", "dak-lak": "Đăk Lăk",
                 "ba-ria-vung-tau": "BRVT", "ha-noi": "Thành phố Hà Nội", "bac-giang": "Tinh Bac Giang"}
    rows = _published_2016_rows(spellings)
    for data, name in [(_csv(rows).encode("utf-8-sig"), "kq.csv"), (_xlsx(rows), "kq.xlsx"),
                       (_csv(rows, sep=";").encode("utf-8"), "kq.csv")]:
        res = parse_results_table(data, filename=name)
        assert res.ok, res.errors
        assert len(res.rows) == 63 and res.edition.code == "pci-2013"
        by_slug = {r.province_slug: r for r in res.rows}
        assert set(by_slug) == set(load_results(2016).province_slug)
        assert by_slug["tp-ho-chi-minh"].province_name == "Tp.HCM"
        assert by_slug["da-nang"].rank == 1 and by_slug["da-nang"].group == "Rất tốt"
        # ranks stay as published even where rounded totals tie (Bắc Giang 33 behind Bình Thuận 32)
        assert by_slug["bac-giang"].rank == 33 and by_slug["binh-thuan"].rank == 32
        # 2-decimal sub-indices recompute the total to within 0,05: no warnings about totals
        assert not [w for w in res.warnings if "lệch" in w.message]


def test_decimal_comma_and_english_headers():
    text = ("province;year;entry_costs;land_access;transparency;time_costs;informal_charges;policy_bias;"
            "proactivity;business_support;labor_training;legal_institutions;pci;rank\n"
            "Bắc Giang;2019;6,78;6,84;6,85;6,52;6,06;5,45;6,98;5,43;7,19;6,38;64,47;40\n")
    (row,) = parse_results(text.encode("utf-8"))
    assert row.scores["entry_costs"] == 6.78 and row.total == 64.47 and row.rank == 40 and row.year == 2019
    assert abs(row.recomputed_total - 64.475) < 1e-9


def test_totals_only_table_2020():
    r = load_results(2020)
    text = "Tỉnh,Điểm PCI,Xếp hạng\n" + "".join(f"{n},{p},{k}\n" for n, p, k in zip(r.province_name, r.pci, r["rank"],
                                                                                     strict=True))
    rows = parse_results(text, year=2020)
    assert len(rows) == 63 and all(not r.scores for r in rows)
    assert {r.province_slug: r.rank for r in rows}["bac-giang"] == 27


def test_every_error_has_row_column_and_vietnamese_message():
    rows = _published_2016_rows()[:5]
    rows[0][2] = "bảy"  # non-numeric cell, spreadsheet row 2
    rows[1][0] = "Tỉnh Mới"  # unknown province, row 3
    rows[2][5] = 10.5  # out of 1–10, row 4
    rows[3][13] = 64  # rank beyond 63, row 5
    rows[4][0] = rows[3][0]  # duplicate province, row 6
    res = parse_results_table(_csv(rows), year=2016)
    assert not res.ok
    found = {(i.row, i.column): i.message for i in res.errors}
    assert found[(2, "Gia nhập thị trường")] == "Ô không phải là số: “bảy”."
    assert found[(3, "Tỉnh/Thành phố")] == "Không nhận ra tỉnh “Tỉnh Mới”."
    assert found[(4, "Chi phí thời gian")] == "Điểm phải từ 1 đến 10; nhận được 10,5."
    assert found[(5, "Xếp hạng")] == "Thứ hạng phải từ 1 đến 63; nhận được 64."
    assert "đã có ở dòng 5" in found[(6, "Tỉnh/Thành phố")]
    assert str(res.errors[0]).startswith("Dòng 2, cột “Gia nhập thị trường”: ")
    with pytest.raises(ResultsImportError) as exc:
        parse_results(_csv(rows), year=2016)
    assert len(exc.value.problems) == len(res.errors) and "chưa có dữ liệu nào được ghi" in exc.value.message


def test_recomputed_total_far_from_published_is_flagged_never_changed():
    rows = _published_2016_rows()[:1]
    rows[0][12] = round(rows[0][12] + 0.2, 2)
    res = parse_results_table(_csv(rows))
    assert res.ok
    (warning,) = [w for w in res.warnings if "lệch" in w.message]
    assert warning.row == 2 and warning.column == "PCI 2016"
    assert res.rows[0].total == rows[0][12]  # kept as published


def test_mapping_for_new_names_and_year_mismatch():
    text = "Tỉnh,Năm,PCI,Xếp hạng\nKinh Bắc,2020,63.98,27\n"
    assert not parse_results_table(text).ok
    (row,) = parse_results(text, mapping={"Kinh Bắc": "bac-giang"})
    assert row.province_slug == "bac-giang"
    res = parse_results_table(text, year=2019, mapping={"Kinh Bắc": "bac-giang"})
    assert [i.message for i in res.errors] == ["Năm 2020 khác năm đang nhập (2019)."]


@pytest.mark.parametrize("data, message", [
    (b"", "Tệp trống."),
    ("Tỉnh,PCI\nBắc Giang,60\n", "Thiếu năm"),
    ("Năm,PCI\n2020,60\n", "Thiếu cột tỉnh"),
    ("Tỉnh,Năm,Ghi chú\nBắc Giang,2020,x\n", "Không có cột điểm nào"),
    ("Tỉnh,Năm,PCI\nBắc Giang,2010,50\n", "trước 2013"),
    ("Tỉnh,Năm,PCI,Xếp hạng\nBắc Giang,2020,150,1\n", "Tổng điểm phải từ 10 đến 100"),
    ("Tỉnh,Năm,PCI,Xếp hạng\nBắc Giang,2020,60,2.5\n", "Thứ hạng phải là số nguyên"),
    ("Tỉnh,Năm,PCI,Nhóm\nBắc Giang,2020,60,Xuất sắc\n", "Nhóm “Xuất sắc” không hợp lệ"),
    (b"PK\x03\x04not really a workbook", "Không đọc được tệp Excel"),
])
def test_bad_tables(data, message):
    res = parse_results_table(data, filename="x.xlsx" if isinstance(data, bytes) and data.startswith(b"PK") else None)
    assert not res.ok
    assert any(message in str(i) for i in res.errors), res.errors


def test_unknown_columns_are_reported_not_fatal():
    res = parse_results_table("Tỉnh,Năm,PCI,Ghi chú\nBắc Giang,2020,63.98,xx\n")
    assert res.ok and any(i.column == "Ghi chú" and "bỏ qua" in i.message for i in res.warnings)


def test_2025_results_use_the_34_provinces():
    (row,) = parse_results("Tỉnh,Năm,PCI,Xếp hạng\nBắc Ninh,2025,70,5\n")
    assert row.province_slug == "bac-ninh" and row.rank == 5
    res = parse_results_table("Tỉnh,Năm,PCI,Xếp hạng\nBắc Ninh,2025,70,40\n")
    assert [i.message for i in res.errors] == ["Thứ hạng phải từ 1 đến 34; nhận được 40."]


def test_csv_with_carriage_return_line_ends_is_read():
    # Found by fuzzing (fuzz/corpus/results/crash-csv-cr-inside-a-line): a CR inside a line (or CR-only line
    # ends, as old Excel for Mac writes) made the csv module raise, which reached the page as a server error.
    res = parse_results_table("Tỉnh;Năm;PCI\rBắc Giang;2020;63,98\rKhánh Hòa;2020;63,98\r".encode())
    assert res.ok and [r.province_slug for r in res.rows] == ["bac-giang", "khanh-hoa"]
    res = parse_results_table(b"Province;Year;PCI;Rank;Group\nBac \xff\xff\rGiang;2019;64,47;30;\n")
    assert not res.ok and any("Giang" in str(i) for i in res.errors)


def test_a_csv_cell_over_the_size_limit_is_an_input_error_with_its_row():
    with pytest.raises(InputError, match="dòng 2 có một ô dài quá giới hạn"):
        read_table("Tỉnh;PCI\nBắc Giang;" + "x" * 200_000 + "\n")
    res = parse_results_table("Tỉnh;PCI\nBắc Giang;" + "x" * 200_000 + "\n", year=2020)
    assert not res.ok and "dòng 2" in str(res.errors[0])


def test_a_workbook_that_unpacks_to_too_much_is_an_error_not_a_long_read():
    from pciplan.officedoc.tests.test_xlsx import with_filler

    res = parse_results_table(with_filler(_xlsx(_published_2016_rows()[:3]), "xl/worksheets/sheet9.xml", 110))
    assert not res.ok and "quá giới hạn 100 MB" in str(res.errors[0])


@pytest.mark.parametrize("table", [
    "Tỉnh,Năm,PCI\nBắc Giang,{big},60\n",
    "Tỉnh,Năm,PCI,Xếp hạng\nBắc Giang,2020,60,{big}\n",
    "Tỉnh,Năm,PCI\nBắc Giang,2020,{big}\n",
])
def test_a_number_too_large_for_a_float_is_a_cell_error(table):
    # Found while writing the fuzz harness for this reader (fuzz/corpus/results/crash-year-with-400-digits):
    # 400 digits make float() infinite and int() of it raised OverflowError out of parse_results_table,
    # which promises never to raise for bad content.
    res = parse_results_table(table.format(big="9" * 400))
    assert not res.ok and all(issue.row == 2 or "Thiếu năm" in issue.message for issue in res.errors)
