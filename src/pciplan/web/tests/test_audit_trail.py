"""The audit trail, proven: every create, change, delete and workflow step on plans, targets, tasks,
reports, evaluations and survey data is in the log with who did it; no role can change or delete the
log; the auditor reads and exports it."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.test import Client

from pciplan.audit.models import AuditEntry
from pciplan.catalog.models import Edition, Province
from pciplan.orgs.models import Organisation
from pciplan.plans import services as plans
from pciplan.plans.models import ReportingRule, Task, TaskStatus

pytestmark = pytest.mark.django_db
TECH_INSTRUMENT = "pci-dich-vu-cong-nghe"  # the reference plan's survey instrument


@contextmanager
def logged():
    """Collects the audit entries written inside the block."""
    mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    entries: list[AuditEntry] = []
    yield entries
    entries.extend(AuditEntry.objects.filter(id__gt=mark).select_related("content_type").order_by("id"))


def has(entries, obj, action, actor=None, pk=None, **after) -> bool:
    """``pk`` for an object deleted meanwhile (Django clears the instance's pk)."""
    model = obj._meta.model_name
    for e in entries:
        if (e.content_type.model == model and e.object_id == str(pk or obj.pk) and e.action == action
                and (actor is None or e.actor_id == actor.pk)
                and all((e.after or {}).get(k) == v for k, v in after.items())):
            return True
    return False


@pytest.fixture
def draft(personas):
    coordinator = personas["coordinator"]
    return plans.plan_create(actor=coordinator, code="audit-2021", issuer=coordinator.organisation.agency(), year=2021,
                             title="Kế hoạch kiểm thử nhật ký", edition=Edition.objects.get(code="pci-2013"),
                             province=Province.objects.get(slug="bac-giang"), symbol="KH-KHCN", date_month=2)


def test_plan_create_change_issue_close(personas):
    who = personas["coordinator"]
    with logged() as entries:
        plan = plans.plan_create(actor=who, code="audit-plan", issuer=who.organisation.agency(), year=2021,
                                 title="Kế hoạch A", edition=Edition.objects.get(code="pci-2013"),
                                 province=Province.objects.get(slug="bac-giang"), date_month=2)
        plans.plan_update(actor=who, plan=plan, title="Kế hoạch A (sửa)")
        plans.target_set(actor=who, plan=plan, key="rank", spec=plans.TargetSpec(kind="rank", comparator="<=", value=20,
                                                                                  of=63, label="Thứ hạng"))
        plans.plan_issue(actor=who, plan=plan)
        plans.plan_close(actor=who, plan=plan)
    assert has(entries, plan, "create", who)
    assert any(e.action == "update" and e.object_id == str(plan.pk) and (e.after or {}).get("title") == "Kế hoạch A (sửa)"
               for e in entries)
    assert has(entries, plan, "transition", who, status="issued")
    assert has(entries, plan, "transition", who, status="closed")


def test_target_create_change_assign_unassign(personas, draft):
    who = personas["coordinator"]
    unit = Organisation.objects.get(code="bg-so-khcn-qlcn")
    with logged() as entries:
        target = plans.target_set(actor=who, plan=draft, key="si", spec=plans.TargetSpec(
            kind="subindex", comparator=">=", value="7,5", subindex_code="business_support"))
        plans.target_set(actor=who, plan=draft, key="si", spec=plans.TargetSpec(
            kind="subindex", comparator=">=", value="7,8", subindex_code="business_support"))
        assignment = plans.target_assign(actor=who, target=target, organisation=unit, role="owner")
        assignment_pk = assignment.pk
        plans.target_unassign(actor=who, assignment=assignment)
    assert has(entries, target, "create", who)
    assert has(entries, target, "update", who, value="7.8")
    assert has(entries, assignment, "create", who, pk=assignment_pk)
    assert has(entries, assignment, "delete", who, pk=assignment_pk)
    assert all(e.root_id == str(draft.pk) for e in entries)  # shown in the plan's history


def test_task_create_change_status_assign_unassign(personas, draft):
    who = personas["coordinator"]
    qlcn = Organisation.objects.get(code="bg-so-khcn-qlcn")
    ttud = Organisation.objects.get(code="bg-so-khcn-ttud")
    with logged() as entries:
        task = plans.task_create(actor=who, plan=draft, key="t1", text="Đối thoại doanh nghiệp",
                                 units=[plans.UnitRole(qlcn)], timing="deadline", deadline=dt.date(2021, 6, 30))
        plans.task_update(actor=who, task=task, text="Đối thoại doanh nghiệp quý II")
        plans.task_set_status(actor=personas["unit_member"], task=task, status=TaskStatus.IN_PROGRESS, progress=40)
        second = plans.task_assign(actor=who, task=task, organisation=ttud, role="support")
        second_pk = second.pk
        plans.task_unassign(actor=who, assignment=second)
    assert has(entries, task, "create", who)
    assert has(entries, task, "update", who, text="Đối thoại doanh nghiệp quý II")
    assert has(entries, task, "transition", personas["unit_member"], status="in_progress")
    assert has(entries, second, "create", who, pk=second_pk) and has(entries, second, "delete", who, pk=second_pk)


def _fill(report):
    from pciplan.reports.models import ReportTaskEntry

    entries = {e.pk: {"done_text": "Đã thực hiện (kiểm thử).", "results": "Kết quả (kiểm thử)."}
               for e in ReportTaskEntry.objects.filter(report=report)}
    return {"summary": "Tình hình chung (kiểm thử)."}, entries


def test_report_create_change_evidence_send_return(personas, demo_plan):
    from pciplan.reports import services as reports
    from pciplan.reports.models import UnitReport

    ReportingRule.objects.create(plan=demo_plan, quarters=[4], annual=False, quarter_due_day=5,
                                 consolidator=Organisation.objects.get(code="bg-so-khcn-khtc"))
    member, head, consolidator = personas["unit_member"], personas["unit_head"], personas["consolidator"]
    with logged() as entries:
        period = next(p for p in reports.periods_generate(actor=personas["coordinator"], plan=demo_plan)
                      if p.code == "2020-Q4")
        report = reports.report_start(actor=member, period=period, unit=member.organisation)
        fields, rows = _fill(report)
        report = reports.report_save(actor=member, report=report, expected_version=report.version, fields=fields,
                                     entries=rows)
        evidence = reports.evidence_add_link(actor=member, report=report, url="https://khcn.bacgiang.gov.vn/tin-1")
        evidence_pk = evidence.pk
        reports.evidence_remove(actor=member, evidence=evidence)
        reports.evidence_add_link(actor=member, report=report, url="https://khcn.bacgiang.gov.vn/tin-2")
        reports.report_send(actor=head, report=UnitReport.objects.get(pk=report.pk))
        reports.report_return(actor=consolidator, report=UnitReport.objects.get(pk=report.pk),
                              comment="Bổ sung số liệu (kiểm thử).")
    assert has(entries, period, "create")
    assert has(entries, report, "create", member)
    assert has(entries, report, "update", member)
    assert has(entries, evidence, "create", member, pk=evidence_pk)
    assert has(entries, evidence, "delete", member, pk=evidence_pk)
    assert has(entries, report, "transition", head, status="sent")
    assert has(entries, report, "transition", consolidator, status="returned")


def test_evaluation_create_change_sign_reopen(personas, demo_plan):
    from pciplan.catalog.models import EditionYear, Result
    from pciplan.evaluation import services as evaluation
    from pciplan.evaluation.models import Evaluation

    if not Result.objects.filter(province=demo_plan.province, year__year=demo_plan.year).exists():
        Result.objects.create(year=EditionYear.objects.get(year=demo_plan.year), province=demo_plan.province,
                              total=60.0, rank=20, source_url="https://example.invalid/synthetic")  # synthetic
    Evaluation.objects.filter(plan=demo_plan).delete()
    who, leader = personas["coordinator"], personas["leader"]
    unit = Organisation.objects.get(code="bg-so-khcn-qlcn")
    with logged() as entries:
        ev = evaluation.evaluation_create(actor=who, plan=demo_plan)
        evaluation.evaluation_set_conclusion(actor=who, evaluation=ev, conclusion="Cơ bản hoàn thành (kiểm thử).")
        remark = evaluation.evaluation_set_remark(actor=who, evaluation=ev, organisation=unit, text="Tích cực.")
        evaluation.evaluation_set_remark(actor=who, evaluation=ev, organisation=unit, text="")
        evaluation.evaluation_sign(actor=leader, evaluation=ev)
        evaluation.evaluation_reopen(actor=leader, evaluation=ev, reason="Kết quả PCI được VCCI đính chính (kiểm thử).")
    assert has(entries, ev, "create", who)
    assert has(entries, ev, "update", who)
    assert has(entries, remark, "create", who) and has(entries, remark, "delete", who)
    assert has(entries, ev, "transition", leader, status="signed")
    assert sum(1 for e in entries if e.object_id == str(ev.pk) and e.action == "transition") == 2


def test_survey_create_open_invite_import_close_purge(personas):
    from pciplan.surveys import services as surveys
    from pciplan.surveys.models import Instrument

    who = personas["coordinator"]
    instrument = Instrument.objects.order_by("id").first()
    with logged() as entries:
        survey = surveys.survey_create(actor=who, instrument=instrument, owner=who.organisation, title="Khảo sát (kiểm thử)",
                                       year=2021, retention_days=0)
        surveys.survey_open(actor=who, survey=survey)
        surveys.invitations_create(actor=who, survey=survey, recipients=[("Công ty A (mẫu)", "a@example.invalid")])
        survey = surveys.survey_close(actor=who, survey=survey)
        surveys.survey_purge_contacts(actor=who, survey=survey, force=True)
    assert has(entries, survey, "create", who)
    assert has(entries, survey, "transition", who, status="open")
    assert has(entries, survey, "transition", who, status="closed")
    assert sum(1 for e in entries if e.object_id == str(survey.pk) and e.action == "create") == 2  # + invitations
    assert has(entries, survey, "delete", who)


def test_a_survey_response_is_in_the_log(personas):
    from pciplan.surveys import services as surveys
    from pciplan.surveys.models import Instrument, Response

    who = personas["unit_head"]
    instrument = Instrument.objects.get(code=TECH_INSTRUMENT)
    survey = surveys.survey_create(actor=who, instrument=instrument, owner=who.organisation,
                                   title="Khảo sát (kiểm thử)", year=2020)
    survey = surveys.survey_open(actor=who, survey=survey)
    token = surveys.invitations_create(actor=who, survey=survey, count=1)[0].token
    with logged() as entries:
        surveys.response_submit(token=token, answers={
            "quy_mo": "duoi_10", "nganh": "thuong_mai_dich_vu", "huyen": "viet_yen", "so_huu": "tnhh",
            "cn_su_dung": "khong", "cn_nhu_cau": ["khong_co"]}, consents={"thong_ke": True})
    response = Response.objects.filter(survey=survey).get()
    assert has(entries, response, "create") or has(entries, survey, "create")


def test_no_role_can_change_or_delete_the_log(client_for, personas):
    entry = AuditEntry.objects.order_by("id").first()
    for persona in ("admin", "coordinator", "leader", "auditor", "unit_head", "unit_member", "outsider"):
        client = client_for(persona)
        base = f"/quan-tri/audit/auditentry/{entry.pk}"
        client.post(f"{base}/change/", {"message": "sửa"})
        client.post(f"{base}/delete/", {"post": "yes"})
        client.post("/quan-tri/audit/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk],
                                                    "post": "yes"})
        client.post("/quan-tri/audit/auditentry/add/", {"message": "thêm"})
    same = AuditEntry.objects.get(pk=entry.pk)
    assert (same.message, same.action, same.before, same.after) == (entry.message, entry.action, entry.before, entry.after)
    assert client_for("admin").get(f"/quan-tri/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert client_for("admin").get("/quan-tri/audit/auditentry/add/").status_code == 403
    with pytest.raises(Exception, match="không được sửa"):
        same.save()
    with pytest.raises(Exception, match="không được xóa"):
        same.delete()


def test_the_auditor_reads_and_exports_the_log(client_for, personas):
    task = Task.objects.filter(plan__code="bg-so-khcn-pci-2020").first()
    plans.task_set_status(actor=personas["unit_member"], task=task, status=TaskStatus.IN_PROGRESS, progress=15)
    auditor = client_for("auditor")
    assert auditor.get("/nhat-ky/").status_code == 200
    from pciplan.api.services import token_create

    _, raw = token_create(actor=personas["auditor"], user=personas["auditor"], name="kiểm tra")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    export = api.get("/api/audit/export.csv")
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert personas["unit_member"].full_name in text and f"plans.task,{task.pk}," in text
    for persona in ("coordinator", "unit_head", "unit_member", "outsider", "leader"):
        assert client_for(persona).get("/nhat-ky/").status_code == 403, persona
