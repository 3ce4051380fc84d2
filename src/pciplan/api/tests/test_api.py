"""The API answers with the same scope as the pages; tokens are hashed, expire and can be revoked."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from pciplan.api.models import ApiToken
from pciplan.api.services import token_create, token_revoke
from pciplan.audit.models import AuditEntry
from pciplan.catalog.models import Edition, Province
from pciplan.orgs.models import User
from pciplan.plans import services as plan_services
from pciplan.plans.models import Target, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_plan(personas):
    coordinator = personas["coordinator"]
    return plan_services.plan_create(
        actor=coordinator, code="api-draft-2021", issuer=coordinator.organisation.agency(), year=2021,
        title="Kế hoạch dự thảo (kiểm thử API)", edition=Edition.objects.get(code="pci-2013"),
        province=Province.objects.get(slug="bac-giang"), symbol="KH-KHCN", date_month=3)


def test_openapi_document_and_docs_are_served():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    paths = set(doc["paths"])
    for expected in ("/api/catalog/editions", "/api/results", "/api/plans", "/api/plans/{plan_id}",
                     "/api/plans/{plan_id}/tasks", "/api/targets/{target_id}", "/api/tasks/{task_id}",
                     "/api/tasks/{task_id}/status", "/api/audit/entries", "/api/me"):
        assert expected in paths, expected
    assert Client().get("/api/docs").status_code == 200


def test_without_a_token_the_api_answers_401():
    assert Client().get("/api/plans").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer pp_khong-dung").get("/api/plans").status_code == 401


def test_tokens_are_stored_as_digests_and_work(personas):
    user = personas["unit_member"]
    token, raw = token_create(actor=user, user=user, name="Bảng tính")
    assert raw not in (token.digest, token.prefix) and token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=raw).exists()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    me = client.get("/api/me").json()
    assert me["username"] == "canbo.qlcn" and me["role"] == "unit_member"
    token_revoke(actor=user, token=token)
    assert client.get("/api/me").status_code == 401
    assert AuditEntry.objects.filter(object_id=str(token.pk), content_type__model="apitoken").count() == 2


def test_expired_tokens_and_inactive_people_are_refused(personas):
    user = personas["unit_member"]
    token, raw = token_create(actor=user, user=user, name="Hết hạn", days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/me").status_code == 401
    _, raw2 = token_create(actor=user, user=user, name="Người nghỉ việc")
    user.is_active = False
    user.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw2}").get("/api/me").status_code == 401


def test_the_token_page_shows_the_secret_once(client_for, personas):
    client = client_for("unit_head")
    response = client.post("/api/ma-truy-cap/", {"name": "Phần mềm tổng hợp", "days": "30"})
    assert response.status_code == 200
    html = response.content.decode()
    token = ApiToken.objects.get(user=personas["unit_head"], name="Phần mềm tổng hợp")
    assert token.prefix in html and 'id="ma-moi"' in html
    assert 'id="ma-moi"' not in client.get("/api/ma-truy-cap/").content.decode()
    # Another person cannot revoke it (nor see that it exists).
    assert client_for("unit_member").post(f"/api/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 404
    assert client.post(f"/api/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_plans_follow_the_access_rule(api_client, draft_plan, demo_plan):
    outsider = api_client("outsider")
    ids = {p["id"] for p in outsider.get("/api/plans?limit=500").json()["items"]}
    assert demo_plan.pk in ids and draft_plan.pk not in ids
    assert outsider.get(f"/api/plans/{draft_plan.pk}").status_code == 404
    assert outsider.get(f"/api/plans/{draft_plan.pk}/tasks").status_code == 404
    member = api_client("unit_member")
    assert draft_plan.pk in {p["id"] for p in member.get("/api/plans?limit=500").json()["items"]}
    detail = member.get(f"/api/plans/{demo_plan.pk}").json()
    assert len(detail["targets"]) == Target.objects.filter(plan=demo_plan).count() > 0
    assert {7.61, 7.0, 7.08, 6.5, 7.34} <= {t["value"] for t in detail["targets"] if t["kind"] == "subindex"}


def test_pagination(api_client, demo_plan):
    client = api_client("coordinator")
    first = client.get(f"/api/plans/{demo_plan.pk}/tasks?limit=5").json()
    second = client.get(f"/api/plans/{demo_plan.pk}/tasks?limit=5&offset=5").json()
    assert first["count"] == second["count"] == Task.objects.filter(plan=demo_plan).count()
    assert len(first["items"]) == 5 and not {t["id"] for t in first["items"]} & {t["id"] for t in second["items"]}
    assert client.get("/api/results?limit=501").status_code == 422


def test_results_are_served_as_stored(api_client):
    from pciplan.catalog.models import EditionYear, Result

    year = EditionYear.objects.order_by("year").first()
    province = Province.objects.get(slug="bac-giang")
    stored, _ = Result.objects.get_or_create(  # synthetic row when the published ones are not loaded
        year=year, province=province,
        defaults={"total": 61.25, "rank": 17, "precision": "2dp", "source_url": "https://example.invalid/synthetic"})
    rows = api_client("unit_member").get(f"/api/results?year={year.year}&province=bac-giang").json()["items"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["province_name"], row["total"], row["rank"], row["source_url"]) == (
        "Bắc Giang", stored.total, stored.rank, stored.source_url)
    assert api_client("unit_member").get("/api/results?year=1900").json() == {"items": [], "count": 0}


def test_task_status_through_the_api(api_client, demo_plan, personas):
    task = Task.objects.filter(plan=demo_plan, assignments__organisation__code="bg-so-khcn-qlcn").first()
    url = f"/api/tasks/{task.pk}/status"
    body = {"status": "in_progress", "progress": 30}
    for persona in ("other_unit", "auditor", "leader"):
        assert api_client(persona).post(url, body, content_type="application/json").status_code == 403, persona
    assert api_client("outsider").post(url, body, content_type="application/json").status_code == 403
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    response = api_client("unit_member").post(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["progress"] == 30
    refused = api_client("unit_member").post(url, {"status": "done"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "completed_on"
    entries = AuditEntry.objects.filter(id__gt=last, object_id=str(task.pk), content_type__model="task")
    assert entries.exists() and {e.actor for e in entries} == {personas["unit_member"]}
    assert any((e.after or {}).get("progress") == 30 or (e.after or {}).get("status") == "in_progress" for e in entries)


def test_session_writes_need_csrf(client_for, demo_plan):
    from django.test import Client as C

    task = Task.objects.filter(plan=demo_plan, assignments__organisation__code="bg-so-khcn-qlcn").first()
    client = C(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="canbo.qlcn"))
    response = client.post(f"/api/tasks/{task.pk}/status", {"status": "in_progress"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert client.get("/api/me").status_code == 200


def test_the_audit_trail_is_for_auditors_and_admins(api_client):
    for persona in ("coordinator", "leader", "unit_head", "unit_member", "outsider"):
        assert api_client(persona).get("/api/audit/entries").status_code == 403, persona
        assert api_client(persona).get("/api/audit/export.csv").status_code == 403, persona
    auditor = api_client("auditor")
    page = auditor.get("/api/audit/entries?limit=10").json()
    assert page["count"] > 0 and len(page["items"]) == 10
    export = auditor.get("/api/audit/export.csv")
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,thoi_diem,nguoi_thuc_hien") and len(lines) > page["count"] // 2
    assert AuditEntry.objects.filter(action="export", message__contains="nhật ký").exists()


def test_reports_follow_the_access_rule(api_client, demo_plan):
    from pciplan.reports.models import Period, UnitReport

    period = Period.objects.get(plan=demo_plan, code="2020-Q3")
    own = UnitReport.objects.get(period=period, unit__code="bg-so-khcn-qlcn")
    other = UnitReport.objects.get(period=period, unit__code="bg-so-khcn-ttud")
    member = api_client("unit_member")
    assert period.pk in {p["id"] for p in member.get("/api/reports/periods").json()["items"]}
    listed = {r["id"] for r in member.get(f"/api/reports/periods/{period.pk}/reports").json()["items"]}
    assert listed == {own.pk}  # not the other unit's report
    detail = member.get(f"/api/reports/{own.pk}").json()
    assert detail["status"] == own.status and detail["entries"] and detail["summary"] == own.summary
    assert member.get(f"/api/reports/{other.pk}").status_code == 404
    coordinator = api_client("coordinator")
    assert {r["id"] for r in coordinator.get(f"/api/reports/periods/{period.pk}/reports").json()["items"]} >= {own.pk, other.pk}
    outsider = api_client("outsider")
    assert outsider.get(f"/api/reports/{own.pk}").status_code == 404
    assert outsider.get(f"/api/reports/periods/{period.pk}/reports").status_code == 404
    assert period.pk not in {p["id"] for p in outsider.get("/api/reports/periods").json()["items"]}


def test_survey_estimates_hide_small_groups(api_client):
    from pciplan.surveys.models import Survey

    survey = Survey.objects.order_by("id").first()
    data = api_client("unit_member").get(f"/api/surveys/{survey.pk}/estimates").json()
    assert data["survey"]["id"] == survey.pk and data["estimates"]
    assert all(e["n"] >= 5 for e in data["estimates"] if e["segment"])
    assert all(e["low"] <= e["value"] <= e["high"] for e in data["estimates"] if e["value"] is not None)
    assert api_client("outsider").get(f"/api/surveys/{survey.pk}/estimates").status_code == 404
