"""The public form: no login, the one-use token only, anonymous answers, consent per purpose never
pre-ticked and kept as evidence, tokens stored hashed, a link that cannot answer twice."""

from __future__ import annotations

import re

from django.test import Client

from pciplan.surveys import services
from pciplan.surveys.models import FollowUpContact, Invitation, Response, SurveyEstimate

GOOD = {"quy_mo": "duoi_10", "nganh": "thuong_mai_dich_vu", "huyen": "viet_yen", "so_huu": "tnhh",
        "cn_su_dung": "co", "cn_nha_cung_cap": ["tu_nhan", "nha_nuoc"], "cn_tiep_tuc": "co",
        "cn_nhu_cau": ["chuyen_doi_so"], "consent_thong_ke": "yes"}


def _link(survey, personas, **kw):
    issued = services.invitations_create(actor=personas["unit_head"], survey=survey, count=1, **kw)
    return f"/khao-sat/tra-loi/{issued[0].token}/", issued[0]


def test_firm_answers_once_anonymously(new_survey, personas):
    survey = new_survey()
    url, issued = _link(survey, personas)
    firm = Client()
    page = firm.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and 'lang="vi"' in body and "width=device-width" in body
    assert 'name="consent_thong_ke"' in body
    assert not re.search(r"<input[^>]*\bchecked\b", body)  # nothing pre-ticked
    response = firm.post(url, GOOD)
    assert response.status_code == 302 and response["Location"] == "/khao-sat/cam-on/"
    stored = Response.objects.get(survey=survey)
    assert stored.answers["cn_nha_cung_cap"] == ["nha_nuoc", "tu_nhan"]
    # consent evidence: purpose, the exact words shown, the choice, the day
    evidence = {c["purpose"]: c for c in stored.consents}
    assert evidence["thong_ke"]["granted"] is True and "tỷ lệ tổng hợp" in evidence["thong_ke"]["text"]
    assert evidence["lien_he"]["granted"] is False
    # anonymous: nothing ties the response to its invitation
    assert not [f for f in Response._meta.get_fields() if getattr(f, "related_model", None) is Invitation]
    assert Invitation.objects.get(pk=issued.invitation.pk).used
    assert SurveyEstimate.objects.get(survey=survey, measure__key="e761_use", segment="").n == 1
    # the link cannot be used twice
    again = firm.get(url)
    assert again.status_code == 410 and "đã được sử dụng" in again.content.decode()
    assert firm.post(url, GOOD).status_code == 410
    assert Response.objects.filter(survey=survey).count() == 1


def test_token_is_stored_hashed(new_survey, personas):
    survey = new_survey()
    _url, issued = _link(survey, personas)
    stored = Invitation.objects.get(pk=issued.invitation.pk)
    assert issued.token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.token_hash == services.hash_token(issued.token)


def test_consent_is_required_and_missing_answers_are_shown_next_to_the_question(new_survey, personas):
    survey = new_survey()
    url, _ = _link(survey, personas)
    page = Client().post(url, {k: v for k, v in GOOD.items() if k != "consent_thong_ke"})
    assert page.status_code == 400 and "cần đồng ý" in page.content.decode()
    page = Client().post(url, {**{k: v for k, v in GOOD.items() if k != "cn_tiep_tuc"}})
    body = page.content.decode()
    assert page.status_code == 400 and "Chưa trả lời câu hỏi bắt buộc" in body
    assert 'value="tu_nhan" checked' in body  # what was typed is kept
    assert Response.objects.filter(survey=survey).count() == 0


def test_follow_up_contact_is_a_separate_purpose_kept_apart(new_survey, personas):
    survey = new_survey()
    url, _ = _link(survey, personas)
    Client().post(url, {**GOOD, "consent_lien_he": "yes", "contact_name": "Công ty mẫu (kiểm thử)",
                        "contact_value": "lienhe@example.invalid"})
    contact = FollowUpContact.objects.get(survey=survey)
    assert contact.contact == "lienhe@example.invalid" and "liên hệ" in contact.consent_text
    response = Response.objects.get(survey=survey)
    assert "example.invalid" not in str(response.answers) + str(response.consents)


def test_bad_or_closed_links(new_survey, personas):
    assert Client().get("/khao-sat/tra-loi/khong-co-that/").status_code == 404
    survey = new_survey()
    url, _ = _link(survey, personas)
    services.survey_close(actor=personas["unit_head"], survey=survey)
    page = Client().get(url)
    assert page.status_code == 410 and "không nhận câu trả lời" in page.content.decode()
    draft = new_survey(open=False, title="Chưa mở")
    url, _ = _link(draft, personas)
    assert Client().post(url, GOOD).status_code == 410


def test_the_unit_sees_aggregates_only(new_survey, personas, client_for):
    survey = new_survey()
    url, _ = _link(survey, personas, recipients=[("Công ty Kiểm Thử Một", "mot@example.invalid")])
    Client().post(url, GOOD)
    page = client_for("unit_head").get(f"/khao-sat/{survey.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "Công ty Kiểm Thử Một" not in body
    assert "100,0%" in body  # the one firm used the service
