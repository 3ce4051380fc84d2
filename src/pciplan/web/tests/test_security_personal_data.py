"""A person's request to see or delete their data, served from the admin; exports name people only for
the roles allowed to."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pciplan.audit.models import AuditEntry
from pciplan.orgs.access import Scope
from pciplan.orgs.security.models import PersonalDataRequest, SignInEvent
from pciplan.orgs.security.personal_data import may_export_personal_data

pytestmark = pytest.mark.django_db
CHANGELIST = "/quan-tri/security/personaldatarequest/"


def _act(client, action, req):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [req.pk]})


def test_an_access_request_gives_one_file_with_what_is_held(client_for, personas):
    member = personas["unit_member"]
    client_for("unit_member")  # a sign-in, so there is a sign-in log entry to show
    SignInEvent.objects.create(username=member.username, user=member, ip="10.0.0.1", outcome="success")
    req = PersonalDataRequest.objects.create(kind="access", user=member, received_on=dt.date(2026, 1, 15))
    response = _act(client_for("admin"), "export_data", req)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["tai_khoan"]["username"] == "canbo.qlcn" and data["tai_khoan"]["email"] == member.email
    assert any(e["ip"] == "10.0.0.1" for e in data["dang_nhap"])
    req.refresh_from_db()
    assert req.status == "served" and req.served_by == personas["admin"] and req.served_at is not None
    assert AuditEntry.objects.filter(content_type__model="personaldatarequest", object_id=str(req.pk),
                                     action="export").exists()


def test_an_erasure_request_anonymises_the_account_and_keeps_the_official_record(client_for, personas):
    member = personas["unit_member"]
    SignInEvent.objects.create(username=member.username, user=member, ip="10.0.0.2", outcome="success")
    acted = AuditEntry.objects.filter(actor=member).count()
    req = PersonalDataRequest.objects.create(kind="erasure", user=member, received_on=dt.date(2026, 1, 15))
    _act(client_for("admin"), "erase_data", req)
    member.refresh_from_db()
    assert member.username == f"da-xoa-{member.pk}" and "Nguyễn" not in member.full_name
    assert not member.is_active and not member.has_usable_password() and member.email.endswith("@invalid.local")
    assert not SignInEvent.objects.filter(user=member).exists()
    assert AuditEntry.objects.filter(actor=member).count() == acted  # the record of public duties stays
    req.refresh_from_db()
    assert req.status == "served" and req.outcome["erased"]["tai_khoan"] == 1


def test_survey_contact_details_are_found_and_erased_by_e_mail(client_for, personas):
    from pciplan.surveys.models import FollowUpContact, Survey

    survey = Survey.objects.order_by("id").first()
    FollowUpContact.objects.create(survey=survey, name="Công ty Mẫu (tổng hợp)", contact="lienhe@congty-mau.invalid",
                                   consent_text="Tôi đồng ý …", given_on=dt.date(2020, 10, 1))
    ask = PersonalDataRequest.objects.create(kind="access", email="LienHe@congty-mau.invalid", received_on=dt.date(2026, 2, 1))
    data = json.loads(_act(client_for("admin"), "export_data", ask).content)
    assert data["lien_he_khao_sat"][0]["name"] == "Công ty Mẫu (tổng hợp)"
    erase = PersonalDataRequest.objects.create(kind="erasure", email="lienhe@congty-mau.invalid",
                                               received_on=dt.date(2026, 2, 1))
    _act(client_for("admin"), "erase_data", erase)
    assert not FollowUpContact.objects.filter(contact__iexact="lienhe@congty-mau.invalid").exists()


def test_only_administrators_serve_requests(client_for):
    for persona in ("coordinator", "leader", "auditor", "unit_head", "unit_member", "outsider"):
        assert client_for(persona).get(CHANGELIST).status_code == 302, persona
    assert client_for("admin").get(CHANGELIST).status_code == 200


@pytest.mark.parametrize("persona, allowed", [
    ("admin", True), ("auditor", True), ("coordinator", False), ("leader", False), ("unit_head", False),
    ("unit_member", False), ("outsider", False),
])
def test_exports_name_people_only_for_admins_and_auditors(persona, allowed, personas):
    assert may_export_personal_data(Scope(personas[persona])) is allowed
