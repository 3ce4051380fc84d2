"""Drafts edited by two people, evidence uploads, and the offline XLSX round trip."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from pciplan.reports import services
from pciplan.reports.models import Evidence, ReportIndicatorValue, ReportTaskEntry, UnitReport

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% synthetic test file\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _entry(report):
    return (ReportTaskEntry.objects.filter(report=report, task__assignments__organisation=report.unit)
            .select_related("task").order_by("order").first())


def test_two_people_editing_one_draft_second_save_is_refused_and_nothing_lost(draft, personas, client_for, demo_day):
    entry = _entry(draft)
    opened = draft.version  # both open the page at this version
    first = client_for("unit_member")
    second = client_for("unit_head")
    response = first.post(reverse("reports:save", args=[draft.pk]), {
        "version": opened, f"e{entry.pk}-done_text": "Nội dung của người thứ nhất (thử nghiệm).", "action": "save"})
    assert response.status_code == 302
    mine = "Nội dung của người thứ hai, không được mất (thử nghiệm)."
    response = second.post(reverse("reports:save", args=[draft.pk]), {
        "version": opened, f"e{entry.pk}-done_text": mine, "summary": "Tổng quan của người thứ hai", "action": "save"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "vừa được" in html and personas["unit_member"].full_name in html  # who saved, clearly
    assert mine in html and "Tổng quan của người thứ hai" in html            # what the second typed is still there
    assert "Nội dung của người thứ nhất (thử nghiệm)." in html              # and what is saved is shown beside it
    entry.refresh_from_db()
    assert entry.done_text == "Nội dung của người thứ nhất (thử nghiệm)."
    # Saving again from the re-shown form (which carries the new version) goes through.
    current = UnitReport.objects.get(pk=draft.pk).version
    response = second.post(reverse("reports:save", args=[draft.pk]), {
        "version": current, f"e{entry.pk}-done_text": mine, "action": "save"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.done_text == mine


def test_concurrent_service_saves(draft, personas, demo_day):
    entry = _entry(draft)
    version = draft.version
    services.report_save(actor=personas["unit_member"], report=draft, expected_version=version,
                         entries={entry.pk: {"results": "A"}})
    with pytest.raises(services.ConcurrentEditError):
        services.report_save(actor=personas["unit_head"], report=draft, expected_version=version,
                             entries={entry.pk: {"results": "B"}})
    entry.refresh_from_db()
    assert entry.results == "A"


def test_a_spoofed_file_type_is_rejected(draft, client_for, demo_day):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("unit_member")
    url = reverse("reports:evidence_add", args=[draft.pk])
    before = Evidence.objects.count()
    for name, data in [("bien-ban.pdf", b"MZ\x90\x00" + b"\x00" * 200), ("anh.png", b"<html>x</html>"),
                       ("bang.xlsx", PDF)]:
        response = client.post(url, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")}, follow=True)
        assert "không phải là" in response.content.decode() or "nhưng nội dung là" in response.content.decode()
    assert Evidence.objects.count() == before


def test_evidence_is_stored_privately_and_served_as_an_attachment(draft, client_for, personas, settings, tmp_path,
                                                                     demo_day):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    entry = _entry(draft)
    response = client_for("unit_member").post(reverse("reports:evidence_add", args=[draft.pk]), {
        "file": SimpleUploadedFile("to-trinh.pdf", PDF, content_type="text/html"), "title": "Tờ trình (thử nghiệm)",
        "ref": f"task-{entry.task_id}"})
    assert response.status_code == 302
    evidence = Evidence.objects.get(report=draft, original_name="to-trinh.pdf")
    assert evidence.content_type == "application/pdf" and evidence.task_id == entry.task_id
    assert default_storage.exists(evidence.file.name) and evidence.file.name.startswith(f"reports/{draft.pk}/")
    response = client_for("consolidator").get(reverse("reports:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    # Another unit cannot fetch it, nor guess it.
    assert client_for("other_unit").get(reverse("reports:evidence", args=[evidence.pk])).status_code == 404
    assert client_for("outsider").get(reverse("reports:evidence", args=[evidence.pk])).status_code == 404
    # Removing a draft's evidence removes its file.
    client_for("unit_member").post(reverse("reports:evidence_delete", args=[evidence.pk]))
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_upload_size_limit(draft, client_for, settings, demo_day):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PCIPLAN_MAX_UPLOAD_BYTES = 100
    response = client_for("unit_member").post(reverse("reports:evidence_add", args=[draft.pk]), {
        "file": SimpleUploadedFile("lon.pdf", PDF * 10)}, follow=True)
    assert "vượt mức" in response.content.decode()


def test_a_link_as_evidence(draft, personas, demo_day):
    evidence = services.evidence_add_link(actor=personas["unit_member"], report=draft,
                                          url="https://bacgiang.gov.vn/", title="Trang đăng tải (thử nghiệm)")
    assert evidence.kind == "link"
    from pciplan.lib.errors import DomainError

    with pytest.raises(DomainError):
        services.evidence_add_link(actor=personas["unit_member"], report=draft, url="javascript:alert(1)")


def _snapshot(report):
    entries = {e.pk: tuple(getattr(e, f) for f in services.ENTRY_FIELDS) for e in ReportTaskEntry.objects.filter(report=report)}
    values = {v.pk: tuple(getattr(v, f) for f in services.VALUE_FIELDS)
              for v in ReportIndicatorValue.objects.filter(report=report)}
    report = UnitReport.objects.get(pk=report.pk)
    return entries, values, tuple(getattr(report, f) for f in services.REPORT_FIELDS)


def test_xlsx_round_trip_changes_exactly_what_was_edited(draft, client_for, demo_day):
    client = client_for("unit_member")
    data = client.get(reverse("reports:workbook", args=[draft.pk])).content
    # Untouched, the file changes nothing.
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("reports:import", args=[draft.pk]), {"file": SimpleUploadedFile("bc.xlsx", data)})
    assert "không khác gì" in response.content.decode()
    before = _snapshot(draft)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Nhiệm vụ"]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if r[0].value and str(r[0].value).startswith("Mã dòng"))
    columns = {c.value: c.column for c in header}
    row = header[0].row + 1
    code = ws.cell(row=row, column=columns["Mã dòng (không sửa)"]).value
    ws.cell(row=row, column=columns["Khó khăn, vướng mắc"]).value = "Thiếu kinh phí khảo sát (thử nghiệm)"
    wb["Chỉ tiêu"].cell(row=5, column=4).value = 44.5  # header on row 4 (two title lines, one blank)
    out = io.BytesIO()
    wb.save(out)
    response = client.post(reverse("reports:import", args=[draft.pk]),
                           {"file": SimpleUploadedFile("bc.xlsx", out.getvalue())})
    html = response.content.decode()
    assert response.status_code == 200 and "2 ô sẽ thay đổi" in html, html[html.find("Xem trước:"):][:3000]
    assert _snapshot(draft) == before  # the preview writes nothing
    assert client.post(reverse("reports:import_confirm", args=[draft.pk])).status_code == 302
    after = _snapshot(draft)
    entry_id = int(code.rsplit("NV", 1)[1])
    changed_entries = {k for k in before[0] if before[0][k] != after[0][k]}
    changed_values = {k for k in before[1] if before[1][k] != after[1][k]}
    assert changed_entries == {entry_id} and after[2] == before[2]
    assert len(changed_values) == 1
    fields = dict(zip(services.ENTRY_FIELDS, after[0][entry_id], strict=True))
    old = dict(zip(services.ENTRY_FIELDS, before[0][entry_id], strict=True))
    assert {k for k in fields if fields[k] != old[k]} == {"difficulties"}
    assert fields["difficulties"] == "Thiếu kinh phí khảo sát (thử nghiệm)"
    (value,) = [after[1][k] for k in changed_values]
    assert str(value[0]) == "44.5000"


def test_xlsx_errors_name_the_row_and_write_nothing(draft, client_for, demo_day):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("unit_member")
    data = client.get(reverse("reports:workbook", args=[draft.pk])).content
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Nhiệm vụ"]
    ws.cell(row=6, column=5).value = "xong rồi"
    ws.cell(row=7, column=6).value = 140
    out = io.BytesIO()
    wb.save(out)
    before = _snapshot(draft)
    html = client.post(reverse("reports:import", args=[draft.pk]),
                       {"file": SimpleUploadedFile("bc.xlsx", out.getvalue())}).content.decode()
    assert "dòng 6" in html and "dòng 7" in html and "chưa ghi gì" in html
    assert _snapshot(draft) == before
    assert "Ghi " not in html.split("chưa ghi gì")[1][:200]
    response = client.post(reverse("reports:import", args=[draft.pk]), {"file": SimpleUploadedFile("x.xlsx", PDF)})
    assert response.status_code == 400


def test_a_damaged_sheet_or_a_huge_exponent_in_the_upload_is_a_message_not_a_server_error(draft, client_for,
                                                                                          demo_day):
    # Found by fuzzing offline.parse (fuzz/corpus/report_offline/crash-*): a damaged sheet made openpyxl raise
    # while the rows were read, past the error handling. And, found while writing that harness, a progress
    # cell "1e999999999": int(Decimal(...)) built a billion-digit integer and the request never returned.
    import time
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("unit_member")
    data = client.get(reverse("reports:workbook", args=[draft.pk])).content
    before = _snapshot(draft)
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info, content[:400] + b"\x01" if info.filename == "xl/worksheets/sheet1.xml" else content)
    html = client.post(reverse("reports:import", args=[draft.pk]),
                       {"file": SimpleUploadedFile("bc.xlsx", damaged.getvalue())}).content.decode()
    assert "Không đọc được trang tính “Nhiệm vụ”" in html and "chưa ghi gì" in html
    wb = load_workbook(io.BytesIO(data))
    wb["Nhiệm vụ"].cell(row=6, column=6).value = "1e999999999"
    out = io.BytesIO()
    wb.save(out)
    started = time.monotonic()
    html = client.post(reverse("reports:import", args=[draft.pk]),
                       {"file": SimpleUploadedFile("bc.xlsx", out.getvalue())}).content.decode()
    assert time.monotonic() - started < 10
    assert "dòng 6" in html and "Tiến độ (%): phải từ 0 đến 100." in html and "chưa ghi gì" in html
    assert _snapshot(draft) == before
