"""Instruments as data: the shipped ones map the right VCCI indicators; XLSForm export and import are
inverse; KoboToolbox/ODK accept the export; a malformed file gives a clear message and changes nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from pciplan.lib.errors import DomainError
from pciplan.surveys.instrument import clean_answers, normalise_spec, shipped_specs
from pciplan.surveys.xlsform import export_xlsform, import_xlsform


def _spec(code):
    return next(s for s in shipped_specs() if s["code"] == code)


def test_technology_instrument_measures_the_reference_plan_indicators():
    spec = _spec("pci-dich-vu-cong-nghe")
    measures = {m["key"]: m for m in spec["measures"]}
    assert measures["e761_use"]["indicator_code"] == "e761_use" and measures["e761_use"]["universe"] is None
    # "used a private provider" and "intend to continue" are shares of the firms that used the service
    for key in ("e761_priv", "e762_continue"):
        assert measures[key]["universe"] == {"question": "cn_su_dung", "values": ["co"]}
    assert measures["e761_priv"]["success"] == ["tu_nhan"]
    assert measures["e762_continue"]["indicator_aliases"] == ["e765_continue"]  # VCCI's 2013 code
    segments = {q["segment"] for q in spec["questions"] if q["segment"]}
    assert segments == {"size", "sector", "district", "ownership"}


def test_general_template_covers_the_seven_business_support_services():
    spec = _spec("pci-dich-vu-ho-tro-doanh-nghiep")
    codes = {m["indicator_code"] for m in spec["measures"]}
    expected = {f"e7{s}1_{k}" for s in "1245678" for k in ("use", "priv")}
    expected |= {"e712_continue", "e722_continue", "e742_continue", "e752_continue", "e762_continue",
                 "e775_continue", "e785_continue"}
    assert codes == expected
    assert len(spec["measures"]) == 21


def test_labels_are_vcci_labels():
    # Labels copied from VCCI's 2016 workbook (indicator dictionary).
    spec = _spec("pci-dich-vu-cong-nghe")
    labels = {m["key"]: m["label"] for m in spec["measures"]}
    assert labels["e761_use"] == "DN đã từng sử dụng dịch vụ liên quan đến công nghệ (%)"


@pytest.mark.parametrize("code", ["pci-dich-vu-cong-nghe", "pci-dich-vu-ho-tro-doanh-nghiep"])
def test_xlsform_round_trip_gives_the_same_instrument(code):
    spec = _spec(code)
    data = export_xlsform(spec)
    assert import_xlsform(data) == spec
    # and a second round trip is stable byte for byte in content
    assert import_xlsform(export_xlsform(import_xlsform(data))) == spec


def test_export_is_a_valid_xlsform_for_kobo_and_odk(tmp_path):
    pyxform = pytest.importorskip("pyxform.xls2xform")
    path = tmp_path / "form.xlsx"
    path.write_bytes(export_xlsform(_spec("pci-dich-vu-cong-nghe")))
    result = pyxform.convert(xlsform=str(path), validate=False)
    assert "<h:title>Khảo sát doanh nghiệp về dịch vụ liên quan tới công nghệ</h:title>" in result.xform
    assert "selected( /data/cn_nha_cung_cap" not in result.xform  # single choice uses "="
    assert "relevant=\" /data/cn_su_dung  = 'co'\"" in result.xform


def _workbook_bytes(build) -> bytes:
    wb = Workbook()
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_accepts_a_form_made_in_kobo_with_groups_and_metadata():
    def build(wb):
        s = wb.active
        s.title = "survey"
        s.append(["type", "name", "label::Vietnamese (vi)", "required", "relevant"])
        s.append(["start", "start", None, None, None])
        s.append(["begin_group", "g", "Nhóm", None, None])
        s.append(["select_one yn", "dung", "Đã dùng dịch vụ?", "TRUE", None])
        s.append(["select_multiple ncc", "ncc", "Nhà cung cấp", "false", "${dung}='co'"])
        s.append(["end_group", None, None, None, None])
        c = wb.create_sheet("choices")
        c.append(["list_name", "name", "label::Vietnamese (vi)"])
        c.append(["yn", "co", "Có"])
        c.append(["yn", "khong", "Không"])
        c.append(["ncc", "tu_nhan", "Tư nhân"])
        st = wb.create_sheet("settings")
        st.append(["form_title", "form_id"])
        st.append(["Biểu mẫu thử", "Bieu_Mau_1"])

    spec = import_xlsform(_workbook_bytes(build))
    assert [q["name"] for q in spec["questions"]] == ["dung", "ncc"]
    assert spec["questions"][0]["required"] and spec["questions"][1]["relevant"] == {"question": "dung", "values": ["co"]}
    assert spec["code"] == "bieu_mau_1" and spec["measures"] == []


@pytest.mark.parametrize(("build", "message"), [
    (lambda wb: setattr(wb.active, "title", "cau_hoi"), "trang tính “survey”"),
    (lambda wb: (setattr(wb.active, "title", "survey"), wb.active.append(["type", "name", "label"]),
                 wb.active.append(["geopoint", "vi_tri", "Vị trí"])), "geopoint"),
    (lambda wb: (setattr(wb.active, "title", "survey"), wb.active.append(["type", "name", "label"]),
                 wb.active.append(["select_one khong_co", "q", "Câu"])), "khong_co"),
    (lambda wb: (setattr(wb.active, "title", "survey"), wb.active.append(["type", "name", "label", "relevant"]),
                 wb.active.append(["text", "a", "A", None]),
                 wb.active.append(["text", "b", "B", "${a} > 3"])), "chưa được hỗ trợ"),
    (lambda wb: (setattr(wb.active, "title", "survey"), wb.active.append(["type", "name", "label"]),
                 wb.active.append(["text", "tên có dấu", "A"])), "chữ cái không dấu"),
])
def test_malformed_xlsform_gives_a_clear_message(build, message):
    with pytest.raises(DomainError) as exc:
        import_xlsform(_workbook_bytes(build))
    assert message in exc.value.message


def test_a_number_answer_too_large_is_refused():
    # Found by fuzzing the survey import (fuzz/corpus/surveys/crash-decimal-answer-with-400-digits): 400 digits
    # made a decimal answer a float infinity, which the answers' JSON column cannot store.
    spec = normalise_spec({"code": "so-lieu", "title": "Số liệu", "questions": [
        {"name": "so_lao_dong", "type": "integer", "label": "Số lao động"},
        {"name": "doanh_thu", "type": "decimal", "label": "Doanh thu"}]})
    _, errors = clean_answers(spec, {"so_lao_dong": "9" * 400, "doanh_thu": "9" * 400})
    assert set(errors) == {"so_lao_dong", "doanh_thu"} and all("Số quá lớn" in e for e in errors.values())
    clean, errors = clean_answers(spec, {"so_lao_dong": "250", "doanh_thu": "1.234,5"})
    assert not errors and clean == {"so_lao_dong": 250, "doanh_thu": 1234.5}


def test_a_damaged_sheet_of_an_xlsform_gets_a_clear_message():
    # Found by fuzzing (fuzz/corpus/surveys/crash-xlsform-*): read-only workbooks parse a sheet only when its
    # rows are read, which happened outside the error handling, so the XML parser's error escaped.
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(export_xlsform(_spec("pci-dich-vu-cong-nghe")))) as src, \
            zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info, content[:300] + b"\x01" if info.filename == "xl/worksheets/sheet1.xml" else content)
    with pytest.raises(DomainError, match="Không đọc được trang tính “survey”"):
        import_xlsform(out.getvalue())


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read():
    from pciplan.officedoc.tests.test_xlsx import with_filler
    from pciplan.surveys.imports import read_table

    bomb = with_filler(export_xlsform(_spec("pci-dich-vu-cong-nghe")), "xl/worksheets/sheet9.xml", 110)
    for read in (import_xlsform, lambda data: read_table(data, "phieu.xlsx")):
        with pytest.raises(DomainError, match="quá giới hạn 100 MB"):
            read(bomb)


def test_not_an_excel_file():
    for data in (b"", b"type,name,label\ntext,a,A\n", b"PK\x03\x04broken"):
        with pytest.raises(DomainError) as exc:
            import_xlsform(data)
        assert "Excel" in exc.value.message


def test_spec_checks_measures():
    spec = _spec("pci-dich-vu-cong-nghe")
    bad = dict(spec, measures=[dict(spec["measures"][1], success=["ca_hai"])])
    with pytest.raises(DomainError, match="ca_hai"):
        normalise_spec(bad)
    bad = dict(spec, measures=[dict(spec["measures"][1], question="khong_co")])
    with pytest.raises(DomainError, match="khong_co"):
        normalise_spec(bad)


def test_answers_follow_skip_logic_and_accept_labels():
    spec = _spec("pci-dich-vu-cong-nghe")
    base = {"quy_mo": "Dưới 10 người", "nganh": "thuong_mai_dich_vu", "huyen": "viet_yen", "so_huu": "tnhh",
            "cn_nhu_cau": "Chưa có nhu cầu"}
    clean, errors = clean_answers(spec, {**base, "cn_su_dung": "Không", "cn_nha_cung_cap": ["tu_nhan"],
                                         "cn_tiep_tuc": "co"})
    assert not errors
    assert clean["quy_mo"] == "duoi_10" and clean["cn_su_dung"] == "khong"
    assert "cn_nha_cung_cap" not in clean and "cn_tiep_tuc" not in clean  # did not apply: dropped
    clean, errors = clean_answers(spec, {**base, "cn_su_dung": "co"})
    assert set(errors) == {"cn_nha_cung_cap", "cn_tiep_tuc"}  # required once they apply
    clean, errors = clean_answers(spec, {**base, "cn_su_dung": "co", "cn_nha_cung_cap": "tu_nhan nha_nuoc",
                                         "cn_tiep_tuc": "có", "cn_nhu_cau": "Sở hữu trí tuệ (nhãn hiệu, sáng chế, "
                                         "kiểu dáng), Tiêu chuẩn, đo lường, chất lượng"})
    assert not errors
    assert clean["cn_nha_cung_cap"] == ["nha_nuoc", "tu_nhan"]
    assert clean["cn_nhu_cau"] == ["so_huu_tri_tue", "tieu_chuan_chat_luong"]
    _, errors = clean_answers(spec, {**base, "cn_su_dung": "co", "cn_nha_cung_cap": "Tư nhân, Ngân hàng",
                                     "cn_tiep_tuc": "co"})
    assert "cn_nha_cung_cap" in errors


# ------------------------------------------------------------------------------------------------ database
def test_shipped_instruments_are_loaded_and_read_back_identically(tech_instrument):
    from pciplan.surveys.services import instrument_spec

    assert instrument_spec(tech_instrument) == _spec("pci-dich-vu-cong-nghe")
    assert tech_instrument.is_template and tech_instrument.owner is None


def test_xlsform_import_creates_the_same_instrument_and_a_bad_file_changes_nothing(personas, tech_instrument):
    from pciplan.audit.models import AuditEntry
    from pciplan.surveys import services
    from pciplan.surveys.models import Instrument, Question

    spec = services.instrument_spec(tech_instrument)
    wb = load_workbook(io.BytesIO(export_xlsform(spec)))
    wb["settings"]["C2"] = "2021.1"
    out = io.BytesIO()
    wb.save(out)
    created = services.instrument_import_xlsform(actor=personas["unit_head"], data=out.getvalue(),
                                                 owner=personas["unit_head"].organisation)
    assert services.instrument_spec(created) == dict(spec, version="2021.1")
    counts = (Instrument.objects.count(), Question.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError, match="phiên bản"):  # the same version again
        services.instrument_import_xlsform(actor=personas["unit_head"], data=out.getvalue())
    with pytest.raises(DomainError):
        services.instrument_import_xlsform(actor=personas["unit_head"], data=b"not a workbook")
    assert (Instrument.objects.count(), Question.objects.count(), AuditEntry.objects.count()) == counts
