"""The results import: all rows or none, row and column errors, dry run, audit, the page and its access.

Values written here are synthetic (a made-up year 2021 row for two provinces) unless said otherwise, and
live only inside each test's transaction.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from pciplan.audit.models import AuditEntry
from pciplan.catalog.imports import ImportRefused, ResultRow, indicator_value_set, results_apply
from pciplan.catalog.models import EditionYear, Indicator, IndicatorValue, Province, Result, SubIndexScore
from pciplan.lib.errors import DomainError

pytestmark = pytest.mark.django_db

SRC = "https://pcivietnam.vn/bang-xep-hang?year=2021"
YEAR = 2021


def rows(**changes):
    base = [
        ResultRow(row=2, province_slug="bac-giang", total=64.74, rank=31, group="Khá",
                  scores={"entry_costs": 6.76, "informal_charges": 7.74}),
        ResultRow(row=3, province_slug="bac-ninh", total=66.00, rank=20, scores={"entry_costs": 7.0}),
    ]
    for key, value in changes.items():
        index, field = key.split("__")
        base[int(index)] = ResultRow(**{**base[int(index)].__dict__, field: value})
    return base


def _clear():
    Result.objects.filter(year__year=YEAR, province__slug__in=["bac-giang", "bac-ninh"]).delete()


def test_apply_creates_then_updates_then_changes_nothing(personas):
    _clear()
    first = results_apply(actor=personas["coordinator"], year=YEAR, rows=rows(), source_url=SRC)
    assert (first.created, first.updated, first.scores_created) == (2, 0, 3)
    bg = Result.objects.get(year__year=YEAR, province__slug="bac-giang")
    assert (bg.total, bg.rank, bg.group, bg.source_url, bg.precision) == (64.74, 31, "kha", SRC, "2dp")
    again = results_apply(actor=personas["coordinator"], year=YEAR, rows=rows(), source_url=SRC)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = results_apply(actor=personas["coordinator"], year=YEAR, rows=rows(**{"0__scores": {"entry_costs": 6.8}}),
                            source_url=SRC)
    assert (changed.updated, changed.scores_updated) == (1, 1)
    assert SubIndexScore.objects.get(result=bg, subindex__code="entry_costs").score == 6.8
    # A value missing from the file is kept.
    assert SubIndexScore.objects.get(result=bg, subindex__code="informal_charges").score == 7.74
    entry = AuditEntry.objects.filter(action="import", content_type__model="editionyear").order_by("-id").first()
    assert entry.after["source_url"] == SRC and entry.after["scores_updated"] == 1


def test_dry_run_writes_nothing(personas):
    _clear()
    n_audit = AuditEntry.objects.count()
    summary = results_apply(actor=personas["coordinator"], year=YEAR, rows=rows(), source_url=SRC, dry_run=True)
    assert summary.created == 2 and summary.dry_run
    assert not Result.objects.filter(year__year=YEAR, province__slug="bac-giang").exists()
    assert AuditEntry.objects.count() == n_audit


@pytest.mark.parametrize(("changes", "row", "column", "words"), [
    ({"1__province_slug": "khong-co"}, 3, "tỉnh", "không tìm thấy"),
    ({"1__province_slug": "bac-giang"}, 3, "tỉnh", "đã có ở dòng 2"),
    ({"0__total": 164.0}, 2, "tổng điểm", "ngoài 0–100"),
    ({"1__rank": 99}, 3, "thứ hạng", "ngoài 1–63"),
    ({"0__group": "Xuất sắc"}, 2, "nhóm", "không phải nhóm"),
    ({"0__scores": {"entry_costs": 11.0}}, 2, "Chi phí gia nhập thị trường", "ngoài thang 0–10"),
    ({"0__scores": {"khong_co": 5.0}}, 2, "khong_co", "không có trong phương pháp"),
])
def test_every_problem_has_row_and_column_and_nothing_is_written(personas, changes, row, column, words):
    _clear()
    with pytest.raises(ImportRefused) as info:
        results_apply(actor=personas["coordinator"], year=YEAR, rows=rows(**changes), source_url=SRC)
    problems = info.value.problems
    assert any(p.row == row and p.column == column and words in p.message for p in problems), problems
    assert "chưa có dữ liệu nào được ghi" in info.value.message
    assert not Result.objects.filter(year__year=YEAR, province__slug__in=["bac-giang", "bac-ninh"]).exists()


def test_source_is_required_and_a_year_without_method_is_refused(personas):
    with pytest.raises(ImportRefused) as info:
        results_apply(actor=personas["coordinator"], year=YEAR, rows=rows(), source_url="")
    assert "thiếu nguồn" in str(info.value.problems[0])
    with pytest.raises(ImportRefused) as info:
        results_apply(actor=personas["coordinator"], year=1990, rows=rows(), source_url=SRC)
    assert "không có phương pháp PCI" in str(info.value.problems[0])


def test_a_new_year_is_created_under_its_edition(personas):
    EditionYear.objects.filter(year=2030).delete()
    results_apply(actor=personas["coordinator"], year=2030, rows=rows(**{"0__scores": {}, "1__scores": {}}),
                  source_url=SRC)
    year = EditionYear.objects.get(year=2030)
    assert year.edition.code == "pci-2022"
    assert set(year.ranked_provinces.values_list("slug", flat=True)) == {"bac-giang", "bac-ninh"}


def test_indicator_value_with_source(personas):
    indicator = Indicator.objects.filter(year__year=2016, is_percent=True).first() or Indicator.objects.first()
    if indicator is None:
        pytest.fail("the shipped catalog has no indicators")
    province = Province.objects.get(slug="bac-giang")
    value = 45.0
    iv = indicator_value_set(actor=personas["coordinator"], year=indicator.year.year, province=province,
                             code=indicator.code, value=value, source_url=SRC)
    assert (iv.value, iv.source_url) == (value, SRC)
    with pytest.raises(DomainError):
        indicator_value_set(actor=personas["coordinator"], year=indicator.year.year, province=province,
                            code="khong-co", value=value, source_url=SRC)
    with pytest.raises(DomainError):
        indicator_value_set(actor=personas["coordinator"], year=indicator.year.year, province=province,
                            code=indicator.code, value=value, source_url="không phải địa chỉ")
    assert IndicatorValue.objects.filter(indicator=indicator, province=province).count() == 1


# -------------------------------------------------------------------------------------------- page
def test_page_for_coordinators_and_administrators_only(client_for):
    url = reverse("catalog:results_import")
    for persona in ("coordinator", "admin", "province"):
        assert client_for(persona).get(url).status_code == 200, persona
    for persona in ("unit_head", "unit_member", "leader", "auditor", "outsider"):
        assert client_for(persona).get(url).status_code == 403, persona
        assert client_for(persona).post(reverse("catalog:result_enter"), {}).status_code == 403


def test_enter_one_province_with_decimal_comma(client_for):
    _clear()
    c = client_for("coordinator")
    response = c.post(reverse("catalog:result_enter") + f"?nam={YEAR}", {
        "year": YEAR, "province": "bac-giang", "total": "64,74", "rank": "31", "group": "kha",
        "si_entry_costs": "6,76", "si_informal_charges": "7.74", "source_url": SRC})
    assert response.status_code == 302, response.content.decode()[:2000]
    result = Result.objects.get(year__year=YEAR, province__slug="bac-giang")
    assert (result.total, result.rank, result.group) == (64.74, 31, "kha")
    assert SubIndexScore.objects.get(result=result, subindex__code="informal_charges").score == 7.74


def test_bad_input_is_shown_next_to_the_field_and_writes_nothing(client_for):
    _clear()
    c = client_for("coordinator")
    response = c.post(reverse("catalog:result_enter"), {
        "year": YEAR, "province": "bac-giang", "total": "sáu mươi", "rank": "31", "si_entry_costs": "12",
        "source_url": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "không phải là số" in page and "Ghi nguồn số liệu" in page
    assert not Result.objects.filter(year__year=YEAR, province__slug="bac-giang").exists()
    response = c.post(reverse("catalog:result_enter"), {
        "year": YEAR, "province": "bac-giang", "total": "64,74", "si_entry_costs": "12", "source_url": SRC})
    assert response.status_code == 400 and "ngoài thang 0–10" in response.content.decode()
    assert not Result.objects.filter(year__year=YEAR, province__slug="bac-giang").exists()


def test_enter_an_indicator_value_in_percent(client_for):
    indicator = Indicator.objects.filter(is_percent=True).select_related("year").first()
    assert indicator is not None, "the shipped catalog has no percentage indicators"
    c = client_for("coordinator")
    url = reverse("catalog:indicator_enter") + f"?nam={indicator.year.year}"
    response = c.post(url, {"year": indicator.year.year, "province": "bac-giang", "code": indicator.code,
                            "value": "45,2", "source_url": SRC})
    assert response.status_code == 302, response.content.decode()[:1500]
    assert IndicatorValue.objects.get(indicator=indicator, province__slug="bac-giang").value == 45.2
    response = c.post(url, {"year": indicator.year.year, "province": "bac-giang", "code": indicator.code,
                            "value": "145", "source_url": SRC})
    assert response.status_code == 400 and "0–100%" in response.content.decode()


# ------------------------------------------------------------------------------------- file import
CSV_OK = ("Tỉnh,Gia nhập thị trường,Chi phí không chính thức,PCI,Xếp hạng,Nhóm\n"
          "Bac Giang,\"6,76\",\"7,74\",\"64,74\",31,Khá\n"
          "Bắc Ninh,7.00,7.10,66.00,20,Tốt\n")


def test_file_is_checked_shown_then_written(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _clear()
    c = client_for("coordinator")
    upload = SimpleUploadedFile("ket-qua-2021.csv", CSV_OK.encode("utf-8"), content_type="text/csv")
    response = c.post(reverse("catalog:file_preview"), {"year": YEAR, "source_url": SRC, "file": upload})
    page = response.content.decode()
    assert response.status_code == 200, page[:3000]
    assert "chưa ghi gì" in page and "Bắc Giang" in page and "2 tỉnh mới" in page
    assert not Result.objects.filter(year__year=YEAR, province__slug="bac-giang").exists()
    token = c.session["pciplan_results_import"]["token"]
    response = c.post(reverse("catalog:file_confirm"), {"token": token})
    assert response.status_code == 302
    bg = Result.objects.get(year__year=YEAR, province__slug="bac-giang")
    assert (bg.total, bg.rank, bg.group, bg.source_url) == (64.74, 31, "kha", SRC)
    # The same token cannot write twice.
    assert c.post(reverse("catalog:file_confirm"), {"token": token}).status_code == 302
    assert Result.objects.filter(year__year=YEAR, province__slug="bac-giang").count() == 1


def test_file_with_errors_lists_rows_and_columns_and_writes_nothing(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _clear()
    bad = CSV_OK.replace("\"6,76\"", "abc").replace("Bắc Ninh", "Atlantis")
    upload = SimpleUploadedFile("ket-qua-2021.csv", bad.encode("utf-8"), content_type="text/csv")
    response = client_for("coordinator").post(reverse("catalog:file_preview"),
                                              {"year": YEAR, "source_url": SRC, "file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Dòng 2, cột “Gia nhập thị trường”" in page and "Dòng 3" in page and "Atlantis" in page
    assert not Result.objects.filter(year__year=YEAR, province__slug__in=["bac-giang", "bac-ninh"]).exists()


def test_a_file_the_csv_reader_refuses_is_a_listed_problem_not_a_server_error(client_for):
    # Found by fuzzing the results reader (fuzz/corpus/results/crash-csv-cr-inside-a-line): the csv module's
    # own error escaped parse_file; CR line ends are now read, and what csv still refuses is a problem.
    from django.core.files.uploadedfile import SimpleUploadedFile

    _clear()
    c = client_for("coordinator")
    upload = SimpleUploadedFile("ket-qua-2021.csv", CSV_OK.replace("\n", "\r").encode("utf-8"))
    response = c.post(reverse("catalog:file_preview"), {"year": YEAR, "source_url": SRC, "file": upload})
    assert response.status_code == 200 and "2 tỉnh mới" in response.content.decode()
    too_long = CSV_OK + "Bắc Kạn," + "x" * 200_000 + "\n"
    upload = SimpleUploadedFile("ket-qua-2021.csv", too_long.encode("utf-8"))
    response = c.post(reverse("catalog:file_preview"), {"year": YEAR, "source_url": SRC, "file": upload})
    assert response.status_code == 400 and "dòng 4 có một ô dài quá giới hạn" in response.content.decode()
    assert not Result.objects.filter(year__year=YEAR, province__slug__in=["bac-giang", "bac-ninh"]).exists()


def test_file_of_another_year_is_refused(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    table = "Tỉnh,Năm,PCI,Xếp hạng\nBắc Giang,2020,63.98,27\n"
    upload = SimpleUploadedFile("ket-qua.csv", table.encode("utf-8"), content_type="text/csv")
    response = client_for("coordinator").post(reverse("catalog:file_preview"),
                                              {"year": YEAR, "source_url": SRC, "file": upload})
    assert response.status_code == 400
    assert "Năm 2020 khác năm đang nhập (2021)" in response.content.decode()


def test_same_values_from_another_source_change_nothing(personas):
    _clear()
    results_apply(actor=personas["coordinator"], year=YEAR, rows=rows(), source_url=SRC)
    summary = results_apply(actor=personas["coordinator"], year=YEAR, rows=rows(),
                            source_url="https://pcivietnam.vn/ho-so-tinh/bac-giang")
    assert (summary.unchanged, summary.updated) == (2, 0)
    assert Result.objects.get(year__year=YEAR, province__slug="bac-giang").source_url == SRC
    changed = results_apply(actor=personas["coordinator"], year=YEAR, rows=rows(**{"0__rank": 30}),
                            source_url="https://pcivietnam.vn/ho-so-tinh/bac-giang")
    bg = next(c for c in changed.changes if c.province == "Bắc Giang")
    assert ("Thứ hạng", "31", "30") in bg.fields
    assert Result.objects.get(year__year=YEAR, province__slug="bac-giang").source_url.endswith("/bac-giang")
