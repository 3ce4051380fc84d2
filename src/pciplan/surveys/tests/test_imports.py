"""Importing responses: the KoboToolbox and Google Forms fixtures (synthetic answers in the real export
formats) import; a bad row gives row-level errors and nothing is written; a file is not imported twice."""

from __future__ import annotations

import pytest

from pciplan.lib.errors import DomainError
from pciplan.surveys import imports, services
from pciplan.surveys.models import ImportBatch, Response, SurveyEstimate

from .conftest import FIXTURES


def _import(survey, user, name, data=None, mapping=None):
    data = data if data is not None else (FIXTURES / name).read_bytes()
    spec = services.instrument_spec(survey.instrument)
    table = imports.read_table(data, name)
    mapping = mapping or imports.guess_mapping(spec, table)
    result = imports.check_rows(spec, table, mapping)
    if result.errors:
        return table, result
    services.responses_import(actor=user, survey=survey, rows=result.rows, filename=name, file_sha256=table.sha256,
                              fmt=table.fmt, mapping=mapping)
    return table, result


def test_kobo_export_imports(new_survey, personas):
    survey = new_survey()
    table, result = _import(survey, personas["unit_member"], "kobo_dich_vu_cong_nghe.xlsx")
    assert table.fmt == "kobo" and not result.errors
    assert survey.responses.count() == 40
    # the space-separated multiple choice was read, not the 0/1 option columns
    mapping = ImportBatch.objects.get(survey=survey).mapping
    assert mapping["cn_nha_cung_cap"] == "cn_nha_cung_cap" and mapping["quy_mo"] == "ho_so_doanh_nghiep/quy_mo"
    assert mapping["_date"] == "_submission_time"
    users = [r for r in survey.responses.all() if r.answers["cn_su_dung"] == "co"]
    assert users and all(isinstance(r.answers["cn_nha_cung_cap"], list) for r in users)
    assert all("cn_nha_cung_cap" not in r.answers for r in survey.responses.all() if r.answers["cn_su_dung"] == "khong")
    use = SurveyEstimate.objects.get(survey=survey, measure__key="e761_use", segment="")
    assert use.n == 40 and use.value == pytest.approx(100 * len(users) / 40)


def test_google_forms_export_imports_by_label(new_survey, personas):
    survey = new_survey()
    table, result = _import(survey, personas["unit_member"], "google_forms_dich_vu_cong_nghe.csv")
    assert table.fmt == "google" and not result.errors
    assert survey.responses.count() == 25
    first = survey.responses.order_by("id").first()
    assert first.submitted_on.isoformat() == "2020-10-02"  # "02/10/2020" is day-first
    assert first.answers["cn_nhu_cau"] == ["so_huu_tri_tue", "tieu_chuan_chat_luong", "tu_van_danh_gia", "khoi_nghiep"]


def _edited_google_csv(edits: dict[tuple[int, int], str]) -> bytes:
    """The Google fixture with some cells replaced: {(row number in the file, column index): text}."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO((FIXTURES / "google_forms_dich_vu_cong_nghe.csv").read_text(encoding="utf-8"))))
    for (row, col), text in edits.items():
        rows[row - 1][col] = text
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(new_survey, personas):
    survey = new_survey()
    data = _edited_google_csv({(4, 4): "Công ty nước ngoài", (6, 5): "Có lẽ", (7, 0): "hôm qua"})
    before = (Response.objects.count(), ImportBatch.objects.count())
    _table, result = _import(survey, personas["unit_member"], "google.csv", data=data)
    found = {(e.row, e.column): e.message for e in result.errors}
    assert set(found) == {(4, "Loại hình doanh nghiệp"),
                          (6, "Trong hai năm qua, doanh nghiệp đã từng sử dụng dịch vụ liên quan tới công nghệ chưa?"),
                          (7, "Dấu thời gian")}
    assert "Công ty nước ngoài" in found[(4, "Loại hình doanh nghiệp")]
    assert (Response.objects.count(), ImportBatch.objects.count()) == before


def test_import_is_all_or_nothing_through_the_page(new_survey, client_for):
    survey = new_survey()
    client = client_for("unit_member")
    bad = _edited_google_csv({(11, 3): "Quận Hoàn Kiếm"})
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(f"/khao-sat/{survey.pk}/nhap/", {"file": SimpleUploadedFile("phieu.csv", bad)})
    assert page.status_code == 200 and "Ghép cột" in page.content.decode()
    spec = services.instrument_spec(survey.instrument)
    mapping = imports.guess_mapping(spec, imports.read_table(bad, "phieu.csv"))
    data = {"confirm": "1", **{f"col_{k}": v for k, v in mapping.items()}}
    page = client.post(f"/khao-sat/{survey.pk}/nhap/", data)
    body = page.content.decode()
    assert page.status_code == 400 and "không có dòng nào được nhập" in body
    assert "Quận" in body and ">11<" in body  # the row number as in the file
    assert survey.responses.count() == 0
    # the right file goes through and is not imported twice
    good = SimpleUploadedFile("phieu.csv", (FIXTURES / "google_forms_dich_vu_cong_nghe.csv").read_bytes())
    client.post(f"/khao-sat/{survey.pk}/nhap/", {"file": good})
    page = client.post(f"/khao-sat/{survey.pk}/nhap/", data)
    assert page.status_code == 302 and survey.responses.count() == 25
    again = SimpleUploadedFile("lai.csv", (FIXTURES / "google_forms_dich_vu_cong_nghe.csv").read_bytes())
    client.post(f"/khao-sat/{survey.pk}/nhap/", {"file": again})
    page = client.post(f"/khao-sat/{survey.pk}/nhap/", data)
    assert page.status_code == 400 and "đã được nhập" in page.content.decode()
    assert survey.responses.count() == 25


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "x.csv", "trống"),
    (b"\xff\xfe\x00a\x00b", "x.csv", "UTF-8"),
    (b"PK\x03\x04garbage", "x.xlsx", "Excel"),
    (b"not excel", "x.xlsx", "Excel"),
])
def test_malformed_files(data, name, message):
    with pytest.raises(DomainError) as exc:
        imports.read_table(data, name)
    assert message in exc.value.message


def test_csv_with_carriage_returns_is_read_and_an_overlong_cell_is_refused():
    # Found by fuzzing (fuzz/corpus/surveys/crash-csv-cr-*): a CR inside a line (or CR-only line ends, as old
    # Excel for Mac writes) made the csv module raise past the import page.
    table = imports.read_table("Tên,Số lao động\rCông ty A,12\rCông ty B\r,40\n".encode(), "phieu.csv")
    assert table.header == ["Tên", "Số lao động"] and table.rows[0] == ["Công ty A", "12"]
    with pytest.raises(DomainError, match="dòng 2 có một ô dài quá giới hạn"):
        imports.read_table(("Tên,Số lao động\nCông ty A," + "9" * 200_000 + "\n").encode(), "phieu.csv")


def test_weights_column_and_unmapped_required_question(new_survey, personas):
    survey = new_survey()
    spec = services.instrument_spec(survey.instrument)
    csv = (b"quy_mo,nganh,huyen,so_huu,cn_su_dung,cn_nhu_cau,trong_so\n"
           b"duoi_10,thuong_mai_dich_vu,viet_yen,tnhh,co,khong_co,\"2,5\"\n"
           b"10_49,thuong_mai_dich_vu,viet_yen,tnhh,khong,chuyen_doi_so,1\n")
    table = imports.read_table(csv, "w.csv")
    mapping = imports.guess_mapping(spec, table)
    assert mapping["_weight"] == "trong_so"
    result = imports.check_rows(spec, table, mapping)
    # the firm that used the service must also say which provider (required once it applies)
    assert {e.column for e in result.errors} == {"cn_nha_cung_cap", "cn_tiep_tuc"}
    with pytest.raises(DomainError, match="bắt buộc"):
        imports.check_rows(spec, table, {**mapping, "quy_mo": ""})


def test_a_weight_too_large_for_a_float_is_a_row_error():
    # Found while writing the fuzz harness for this reader (fuzz/corpus/surveys/crash-weight-with-400-digits):
    # 400 digits parse as a float infinity, which was accepted as a weight and made every estimate NaN.
    from pciplan.surveys.instrument import shipped_specs

    spec = next(s for s in shipped_specs() if s["code"] == "pci-dich-vu-cong-nghe")
    csv = ("quy_mo,nganh,huyen,so_huu,cn_su_dung,cn_nhu_cau,trong_so\n"
           f"duoi_10,thuong_mai_dich_vu,viet_yen,tnhh,khong,chuyen_doi_so,{'9' * 400}\n").encode()
    table = imports.read_table(csv, "w.csv")
    result = imports.check_rows(spec, table, imports.guess_mapping(spec, table))
    assert [(e.row, e.column) for e in result.errors] == [(2, "trong_so")]  # so nothing is imported
    assert "số quá lớn" in result.errors[0].message


def test_the_waiting_upload_goes_through_the_storage_backend(new_survey, client_for, settings):
    """Between the upload and the confirmation the file is in the storage backend (any server can finish
    the import), and it is removed once imported."""
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    survey = new_survey()
    client = client_for("unit_member")
    good = (FIXTURES / "google_forms_dich_vu_cong_nghe.csv").read_bytes()
    client.post(f"/khao-sat/{survey.pk}/nhap/", {"file": SimpleUploadedFile("phieu.csv", good)})
    _, waiting = default_storage.listdir("pending/survey-imports")
    assert len(waiting) == 1
    assert default_storage.open(f"pending/survey-imports/{waiting[0]}").read() == good
    spec = services.instrument_spec(survey.instrument)
    mapping = imports.guess_mapping(spec, imports.read_table(good, "phieu.csv"))
    page = client.post(f"/khao-sat/{survey.pk}/nhap/", {"confirm": "1", **{f"col_{k}": v for k, v in mapping.items()}})
    assert page.status_code == 302 and survey.responses.count() == 25
    assert default_storage.listdir("pending/survey-imports")[1] == []
