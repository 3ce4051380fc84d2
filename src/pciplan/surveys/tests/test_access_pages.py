"""Who sees and runs surveys (the one access rule), the pages, and the retention command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from pciplan.lib.errors import DomainError
from pciplan.surveys import services
from pciplan.surveys.models import FollowUpContact, Invitation, Survey


@pytest.fixture
def demo_survey(db):
    return Survey.objects.get(title__startswith="Khảo sát dịch vụ liên quan tới công nghệ")


@pytest.mark.parametrize(("persona", "read", "run"), [
    ("unit_head", 200, 200), ("unit_member", 200, 200), ("coordinator", 200, 200), ("admin", 200, 200),
    ("other_unit", 200, 403), ("leader", 200, 403), ("auditor", 200, 403), ("outsider", 404, 404),
])
def test_access(persona, read, run, demo_survey, client_for):
    client = client_for(persona)
    assert client.get(f"/khao-sat/{demo_survey.pk}/").status_code == read
    assert client.get(f"/khao-sat/{demo_survey.pk}/loi-moi/").status_code == run
    assert client.get(f"/khao-sat/{demo_survey.pk}/nhap/").status_code == run


def test_anonymous_visitors_are_sent_to_sign_in(demo_survey, client):
    assert client.get(f"/khao-sat/{demo_survey.pk}/").status_code == 302
    assert client.get("/khao-sat/").status_code == 302


def test_survey_list_is_scoped(demo_survey, client_for):
    assert demo_survey.title in client_for("leader").get("/khao-sat/").content.decode()
    assert demo_survey.title not in client_for("outsider").get("/khao-sat/").content.decode()


def test_pages_render(demo_survey, client_for, tech_instrument):
    client = client_for("unit_head")
    for url in ("/khao-sat/", f"/khao-sat/{demo_survey.pk}/", f"/khao-sat/bo-cau-hoi/{tech_instrument.pk}/",
                "/khao-sat/tao/", "/khao-sat/co-mau/", "/khao-sat/bo-cau-hoi/nhap/", f"/khao-sat/{demo_survey.pk}/nhap/"):
        page = client.get(url)
        assert page.status_code == 200, url
    body = client.get(f"/khao-sat/{demo_survey.pk}/").content.decode()
    assert "Dữ liệu mô phỏng" in body and "<svg" in body and "So với mục tiêu" in body
    assert "vượt mục tiêu (chắc chắn)" in body or "chưa chắc chắn" in body


def test_estimates_export_and_xlsform_download(demo_survey, client_for, tech_instrument):
    client = client_for("leader")
    page = client.get(f"/khao-sat/{demo_survey.pk}/uoc-luong.xlsx")
    assert page.status_code == 200
    ws = load_workbook(io.BytesIO(page.content)).active
    text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "MÔ PHỎNG" in text and "e761_use" in text
    page = client.get(f"/khao-sat/bo-cau-hoi/{tech_instrument.pk}/xlsform.xlsx")
    assert page.status_code == 200 and load_workbook(io.BytesIO(page.content)).sheetnames[0] == "survey"


def test_sample_size_calculator(client_for):
    page = client_for("unit_member").get("/khao-sat/co-mau/", {"margin": "5", "confidence": "0.95", "expected": "50",
                                                               "response_rate": "40"})
    body = page.content.decode()
    assert "385 doanh nghiệp trả lời" in body and "963 lời mời" in body
    page = client_for("unit_member").get("/khao-sat/co-mau/", {"margin": "abc", "confidence": "0.95"})
    assert "không phải là số" in page.content.decode()


def test_create_survey_and_invitations_through_the_pages(client_for, tech_instrument, demo_plan, personas):
    client = client_for("unit_member")
    page = client.post("/khao-sat/tao/", {"title": "Khảo sát kiểm thử", "instrument": tech_instrument.pk,
                                          "owner": personas["unit_member"].organisation_id, "plan": demo_plan.pk,
                                          "year": 2020, "opens_on": "01/9/2020", "closes_on": "15/12/2020",
                                          "retention_days": 30})
    assert page.status_code == 302
    survey = Survey.objects.get(title="Khảo sát kiểm thử")
    assert survey.opens_on == dt.date(2020, 9, 1) and survey.owner == personas["unit_member"].organisation
    page = client.post("/khao-sat/tao/", {"title": "Sai ngày", "instrument": tech_instrument.pk,
                                          "owner": personas["unit_member"].organisation_id, "year": 2020,
                                          "opens_on": "15/12/2020", "closes_on": "01/9/2020", "retention_days": 30})
    assert page.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu" in page.content.decode()
    page = client.post(f"/khao-sat/{survey.pk}/loi-moi/", {"count": "3"})
    body = page.content.decode()
    assert page.status_code == 200 and body.count('class="invitation-link"') == 3 and "chỉ hiện một lần" in body


def test_retention_deletes_links_and_contacts_not_answers(new_survey, personas):
    survey = new_survey(retention_days=30)
    issued = services.invitations_create(actor=personas["unit_head"], survey=survey,
                                         recipients=[("Công ty A (kiểm thử)", "a@example.invalid")])
    services.response_submit(token=issued[0].token, answers={
        "quy_mo": "duoi_10", "nganh": "thuong_mai_dich_vu", "huyen": "viet_yen", "so_huu": "tnhh",
        "cn_su_dung": "khong", "cn_nhu_cau": ["khong_co"]}, consents={"thong_ke": True, "lien_he": True},
        contact={"name": "A", "contact": "a@example.invalid"})
    with pytest.raises(DomainError):  # not closed yet
        services.survey_purge_contacts(actor=None, survey=survey)
    survey = services.survey_close(actor=personas["unit_head"], survey=survey)
    out = io.StringIO()
    call_command("purge_survey_contacts", stdout=out)  # the demo day: retention not over
    assert Invitation.objects.filter(survey=survey).exists()
    from django.test import override_settings

    with override_settings(PCIPLAN_TODAY=survey.closed_on + dt.timedelta(days=31)):
        call_command("purge_survey_contacts", stdout=out)
        call_command("purge_survey_contacts", stdout=out)  # idempotent
    assert not Invitation.objects.filter(survey=survey).exists()
    assert not FollowUpContact.objects.filter(survey=survey).exists()
    survey.refresh_from_db()
    assert survey.contacts_purged_on and survey.responses.count() == 1


def test_survey_page_shows_vccis_latest_published_value_beside_the_estimate(demo_survey, client_for):
    body = client_for("unit_head").get(f"/khao-sat/{demo_survey.pk}/").content.decode()
    # Bắc Giang, e761_use, PCI 2016: 19,48% (VCCI workbook; 19.5% in the data README)
    assert "19,48%" in body and "(2016" in body
