"""The permission matrix, proven.

A hand-written table — not derived from the access rules — of every URL and API route × every role,
with the answer expected for objects that are public (``pub``: the issued reference plan), inside the
agency of the reference plan (``A``: a draft plan, the technology unit's report, …), inside that agency but
belonging to another unit (``A2``), and belonging to another agency (``B``: Sở KH&ĐT's draft plan, its
unit's report, evaluation and survey). The people: the administrator, the department office's
coordinator, the head and a member of the technology unit (Phòng QLCN), the leader and the auditor of the
department, a member of another agency (Sở KH&ĐT) and an anonymous visitor.

``test_the_matrix`` walks the table (every request in a savepoint that is rolled back, so a POST changes
nothing for the next line); ``test_every_route_is_in_the_matrix`` fails when the URL resolver has a
route the table does not list. Answers: 200/302 as the page gives them (302 for anonymous means "to the
sign-in page"), 400 for a refused form, 401 for the API without credentials, 403 for a change the person
may not make, 404 for what the person may not see (so ids cannot be probed), 405 for a method a route
does not take, 422 for an API body that does not match the schema.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

SIMULATION_CHART = "radar"
ROLES = ("admin", "coordinator", "unit_head", "unit_member", "leader", "auditor", "outsider", "anonymous")

# route name                        method obj   admin coord head member leader auditor outsider anonymous
TABLE = """
home                                GET  -     200 200 200 200 200 200 200 302
login                               GET  -     302 302 302 302 302 302 302 200
logout                              POST -     302 302 302 302 302 302 302 302
search                              GET  -     200 200 200 200 200 200 200 302
healthz                             GET  -     200 200 200 200 200 200 200 200
admin:index                         GET  -     200 302 302 302 302 302 302 302

security:account                    GET  -     200 200 200 200 200 200 200 302
security:password_change            GET  -     200 200 200 200 200 200 200 302
security:totp_setup                 GET  -     200 200 403 403 403 403 403 302
security:otp_verify                 GET  -     302 302 302 302 302 302 302 302

orgs:tree                           GET  -     200 200 200 200 200 200 200 302
orgs:detail                         GET  A     200 200 200 200 200 200 200 302
orgs:detail                         GET  B     200 200 200 200 200 200 200 302

catalog:index                       GET  -     200 200 200 200 200 200 200 302
catalog:year                        GET  -     200 200 200 200 200 200 200 302
catalog:results_import              GET  -     200 200 403 403 403 403 403 302
catalog:result_enter                POST -     400 400 403 403 403 403 403 302
catalog:indicator_enter             POST -     400 400 403 403 403 403 403 302
catalog:file_preview                POST -     400 400 403 403 403 403 403 302
catalog:file_confirm                POST -     302 302 403 403 403 403 403 302

plans:list                          GET  -     200 200 200 200 200 200 200 302
plans:my_work                       GET  -     200 200 200 200 200 200 200 302
plans:import                        GET  -     200 200 403 403 403 403 403 302
plans:import_review                 GET  -     302 302 403 403 403 403 403 302
plans:detail                        GET  pub   200 200 200 200 200 200 200 302
plans:detail                        GET  A     200 200 200 200 200 200 404 302
plans:detail                        GET  B     200 404 404 404 404 404 200 302
plans:tasks                         GET  A     200 200 200 200 200 200 404 302
plans:tasks                         GET  B     200 404 404 404 404 404 200 302
plans:targets_xlsx                  GET  A     200 200 200 200 200 200 404 302
plans:targets_xlsx                  GET  B     200 404 404 404 404 404 200 302
plans:tasks_xlsx                    GET  A     200 200 200 200 200 200 404 302
plans:tasks_xlsx                    GET  B     200 404 404 404 404 404 200 302
plans:task_create                   GET  pub   200 200 403 403 403 403 403 302
plans:task_create                   GET  A     200 200 403 403 403 403 404 302
plans:task_create                   GET  B     200 404 404 404 404 404 403 302
plans:history                       GET  A     200 200 200 200 200 200 404 302
plans:history                       GET  B     200 404 404 404 404 404 200 302
plans:transition                    POST pub   302 302 403 403 403 403 403 302
plans:transition                    POST A     302 302 403 403 403 403 404 302
plans:transition                    POST B     302 404 404 404 404 404 403 302
plans:target                        GET  pub   200 200 200 200 200 200 200 302
plans:target                        GET  A     200 200 200 200 200 200 404 302
plans:target                        GET  B     200 404 404 404 404 404 200 302
plans:target_edit                   GET  A     200 200 403 403 403 403 404 302
plans:target_edit                   GET  B     200 404 404 404 404 404 403 302
plans:task                          GET  pub   200 200 200 200 200 200 200 302
plans:task                          GET  A     200 200 200 200 200 200 404 302
plans:task                          GET  B     200 404 404 404 404 404 200 302
plans:task_status                   POST pub   400 400 400 400 403 403 403 302
plans:task_status                   POST A     400 400 400 400 403 403 404 302
plans:task_status                   POST A2    400 400 403 403 403 403 404 302
plans:task_status                   POST B     400 404 404 404 404 404 400 302

audit:log                           GET  -     200 403 403 403 403 200 403 302
audit:object                        GET  A     200 200 200 200 200 200 404 302
audit:object                        GET  B     200 404 404 404 404 404 200 302

reports:index                       GET  -     200 200 200 200 200 200 200 302
reports:calendar                    GET  -     200 200 200 200 200 200 200 302
reports:calendar_feed               GET  A     404 404 404 404 404 404 404 404
reports:period                      GET  A     200 200 200 200 200 200 404 302
reports:period                      GET  B     200 404 404 404 404 404 200 302
reports:board_xlsx                  GET  A     200 200 200 200 200 200 404 302
reports:board_xlsx                  GET  B     200 404 404 404 404 404 200 302
reports:start                       POST A     403 403 302 302 403 403 404 302
reports:start                       POST A2    403 403 403 403 403 403 404 302
reports:start                       POST B     403 404 404 404 404 404 302 302
reports:remind                      POST A     302 302 403 403 403 403 404 302
reports:remind                      POST B     302 404 404 404 404 404 403 302
reports:consolidated                GET  A     200 200 403 403 403 403 404 302
reports:consolidated                GET  B     200 404 404 404 404 404 403 302
reports:consolidated_preview        GET  A     200 200 200 200 200 200 404 302
reports:consolidated_preview        GET  B     404 404 404 404 404 404 404 302
reports:consolidated_rebuild        POST A     302 302 403 403 403 403 404 302
reports:consolidated_rebuild        POST B     302 404 404 404 404 404 403 302
reports:consolidated_docx           GET  A     200 200 200 200 200 200 404 302
reports:consolidated_docx           GET  B     404 404 404 404 404 404 404 302
reports:consolidated_annex          GET  A     200 200 200 200 200 200 404 302
reports:consolidated_annex          GET  B     200 404 404 404 404 404 200 302
reports:report                      GET  A     200 200 200 200 200 200 404 302
reports:report                      GET  A2    200 200 404 404 200 200 404 302
reports:report                      GET  B     200 404 404 404 404 404 200 302
reports:save                        POST A     403 403 302 302 403 403 404 302
reports:save                        POST A2    403 403 404 404 403 403 404 302
reports:save                        POST B     403 404 404 404 404 404 403 302
reports:review                      POST A2    302 403 404 404 403 403 404 302
reports:review                      POST B     302 404 404 404 404 404 403 302
reports:version                     GET  A     200 200 200 200 200 200 404 302
reports:version                     GET  A2    200 200 404 404 200 200 404 302
reports:version                     GET  B     200 404 404 404 404 404 200 302
reports:history                     GET  A     200 200 200 200 200 200 404 302
reports:history                     GET  A2    200 200 404 404 200 200 404 302
reports:history                     GET  B     200 404 404 404 404 404 200 302
reports:evidence_add                POST A     403 403 302 302 403 403 404 302
reports:evidence_add                POST B     403 404 404 404 404 404 403 302
reports:workbook                    GET  A     200 200 200 200 200 200 404 302
reports:workbook                    GET  A2    200 200 404 404 200 200 404 302
reports:workbook                    GET  B     200 404 404 404 404 404 200 302
reports:import                      GET  A     403 403 200 200 403 403 404 302
reports:import                      GET  B     403 404 404 404 404 404 403 302
reports:import_confirm              POST A     403 403 302 302 403 403 404 302
reports:import_confirm              POST B     403 404 404 404 404 404 403 302
reports:evidence                    GET  A     200 200 200 200 200 200 404 302
reports:evidence                    GET  B     200 404 404 404 404 404 200 302
reports:evidence_delete             POST A     403 403 302 302 403 403 404 302
reports:evidence_delete             POST B     403 404 404 404 404 404 403 302

evaluation:index                    GET  -     200 200 200 200 200 200 200 302
evaluation:create                   POST pub   302 302 403 403 403 403 403 302
evaluation:create                   POST B     302 403 403 403 403 403 403 302
evaluation:detail                   GET  A     200 200 200 200 200 200 404 302
evaluation:detail                   GET  B     200 404 404 404 404 404 200 302
evaluation:conclusion               POST A     302 302 403 403 403 403 404 302
evaluation:conclusion               POST B     302 404 404 404 404 404 403 302
evaluation:sign                     POST A     302 403 403 403 302 403 404 302
evaluation:sign                     POST B     302 404 404 404 404 404 403 302
evaluation:reopen                   POST A     403 403 403 403 403 403 404 302
evaluation:reopen                   POST B     403 404 404 404 404 404 403 302
evaluation:history                  GET  A     200 200 403 403 200 200 404 302
evaluation:history                  GET  B     200 404 404 404 404 404 403 302
evaluation:export                   GET  A     200 200 404 404 200 200 404 302
evaluation:export                   GET  B     200 404 404 404 404 404 404 302
evaluation:unit                     GET  A     200 200 200 200 200 200 404 302
evaluation:unit                     GET  A2    200 200 404 404 200 200 404 302
evaluation:unit                     GET  B     200 404 404 404 404 404 200 302
evaluation:remark                   POST A     302 302 403 403 403 403 404 302
evaluation:remark                   POST B     302 404 404 404 404 404 403 302
evaluation:export_unit              GET  A     200 200 200 200 200 200 404 302
evaluation:export_unit              GET  A2    200 200 404 404 200 200 404 302
evaluation:export_unit              GET  B     200 404 404 404 404 404 200 302

surveys:index                       GET  -     200 200 200 200 200 200 200 302
surveys:create                      GET  -     200 200 200 200 404 404 200 302
surveys:sample_size                 GET  -     200 200 200 200 200 200 200 302
surveys:instrument_import           GET  -     200 200 200 200 403 403 200 302
surveys:instrument                  GET  pub   200 200 200 200 200 200 200 302
surveys:instrument                  GET  B     200 404 404 404 404 404 200 302
surveys:instrument_xlsform          GET  pub   200 200 200 200 200 200 200 302
surveys:instrument_xlsform          GET  B     200 404 404 404 404 404 200 302
surveys:detail                      GET  A     200 200 200 200 200 200 404 302
surveys:detail                      GET  B     200 404 404 404 404 404 200 302
surveys:estimates_xlsx              GET  A     200 200 200 200 200 200 404 302
surveys:estimates_xlsx              GET  B     200 404 404 404 404 404 200 302
surveys:invitations                 GET  A     200 200 200 200 403 403 404 302
surveys:invitations                 GET  B     200 404 404 404 404 404 200 302
surveys:import                      GET  A     200 200 200 200 403 403 404 302
surveys:import                      GET  B     200 404 404 404 404 404 200 302
surveys:transition                  POST A     302 302 302 302 403 403 404 302
surveys:transition                  POST B     302 404 404 404 404 404 302 302
surveys:public                      GET  -     404 404 404 404 404 404 404 404
surveys:thanks                      GET  -     200 200 200 200 200 200 200 200

simulation:index                    GET  -     200 200 200 200 200 200 200 302
simulation:index                    GET  A     200 200 200 200 200 200 404 302
simulation:index                    GET  B     200 404 404 404 404 404 200 302
simulation:chart                    GET  A     200 200 200 200 200 200 404 302
simulation:chart                    GET  B     200 404 404 404 404 404 200 302

dashboards:index                    GET  -     302 302 302 302 302 302 302 302
dashboards:targets_xlsx             GET  A     200 200 200 200 200 200 404 302
dashboards:targets_xlsx             GET  B     200 404 404 404 404 404 200 302
dashboards:target                   GET  pub   200 200 200 200 200 200 200 302
dashboards:target                   GET  A     200 200 200 200 200 200 404 302
dashboards:target                   GET  B     200 404 404 404 404 404 200 302
dashboards:province                 GET  -     200 403 403 403 403 403 403 302
dashboards:province_xlsx            GET  -     200 403 403 403 403 403 403 302
dashboards:trends                   GET  -     200 200 200 200 200 200 200 302
dashboards:trends_xlsx              GET  -     200 200 200 200 200 200 200 302

api_tokens                          GET  -     200 200 200 200 200 200 200 302
api_token_revoke                    POST A     302 404 404 302 404 404 404 302
api_token_revoke                    POST B     302 404 404 404 404 404 302 302
api:api-root                        GET  -     404 404 404 404 404 404 404 404
api:openapi-json                    GET  -     200 200 200 200 200 200 200 200
api:openapi-view                    GET  -     200 200 200 200 200 200 200 200
api:me                              GET  -     200 200 200 200 200 200 200 401
api:editions                        GET  -     200 200 200 200 200 200 200 401
api:years                           GET  -     200 200 200 200 200 200 200 401
api:indicators                      GET  -     200 200 200 200 200 200 200 401
api:provinces                       GET  -     200 200 200 200 200 200 200 401
api:results                         GET  -     200 200 200 200 200 200 200 401
api:plan_list                       GET  -     200 200 200 200 200 200 200 401
api:plan_detail                     GET  pub   200 200 200 200 200 200 200 401
api:plan_detail                     GET  A     200 200 200 200 200 200 404 401
api:plan_detail                     GET  B     200 404 404 404 404 404 200 401
api:plan_tasks                      GET  A     200 200 200 200 200 200 404 401
api:plan_tasks                      GET  B     200 404 404 404 404 404 200 401
api:target_detail                   GET  A     200 200 200 200 200 200 404 401
api:target_detail                   GET  B     200 404 404 404 404 404 200 401
api:task_detail                     GET  A     200 200 200 200 200 200 404 401
api:task_detail                     GET  B     200 404 404 404 404 404 200 401
api:task_status                     POST pub   200 200 200 200 403 403 403 401
api:task_status                     POST A     200 200 200 200 403 403 404 401
api:task_status                     POST A2    200 200 403 403 403 403 404 401
api:task_status                     POST B     200 404 404 404 404 404 200 401
api:periods                         GET  -     200 200 200 200 200 200 200 401
api:period_reports                  GET  A     200 200 200 200 200 200 404 401
api:period_reports                  GET  B     200 404 404 404 404 404 200 401
api:report_detail                   GET  A     200 200 200 200 200 200 404 401
api:report_detail                   GET  A2    200 200 404 404 200 200 404 401
api:report_detail                   GET  B     200 404 404 404 404 404 200 401
api:survey_list                     GET  -     200 200 200 200 200 200 200 401
api:survey_estimates                GET  A     200 200 200 200 200 200 404 401
api:survey_estimates                GET  B     200 404 404 404 404 404 200 401
api:audit_entries                   GET  -     200 403 403 403 403 200 403 401
api:audit_export                    GET  -     200 403 403 403 403 200 403 401
"""


# Answers that differ from the policy in the table today, each with why: (status, reason). The walk
# checks they still answer as written here and fails once one is fixed, so this stays short and true.
KNOWN_DEVIATIONS: dict[tuple[str, str, str], tuple[int, str]] = {}


def parse_table():
    rows = []
    for line in TABLE.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, method, key, *codes = line.split()
        assert len(codes) == len(ROLES), line
        rows.append((name, method, key, dict(zip(ROLES, map(int, codes), strict=True))))
    return rows


# --------------------------------------------------------------------------------------------- objects
def build_objects(personas):
    """Objects of every kind: public, inside the reference agency (own unit, other unit), another agency."""
    from pciplan.api.services import token_create
    from pciplan.catalog.models import Edition, EditionYear, Province, Result
    from pciplan.evaluation import services as evaluations
    from pciplan.evaluation.models import Evaluation
    from pciplan.orgs.models import Organisation, Role, User
    from pciplan.plans import services as plans
    from pciplan.plans.models import Plan, ReportingRule, Task
    from pciplan.reports import services as reports
    from pciplan.reports.models import Period, ReportTaskEntry, UnitReport
    from pciplan.surveys import services as surveys
    from pciplan.surveys.models import Instrument, Survey

    admin, coordinator, outsider = personas["admin"], personas["coordinator"], personas["outsider"]
    khcn, khdt = Organisation.objects.get(code="bg-so-khcn"), Organisation.objects.get(code="bg-so-khdt")
    qlcn, ttud = Organisation.objects.get(code="bg-so-khcn-qlcn"), Organisation.objects.get(code="bg-so-khcn-ttud")
    edition, province = Edition.objects.get(code="pci-2013"), Province.objects.get(slug="bac-giang")
    demo = Plan.objects.get(code="bg-so-khcn-pci-2020")

    def plan(code, issuer, actor, unit, *, year=2021, issue=False):
        p = plans.plan_create(actor=actor, code=code, issuer=issuer, year=year, title=f"Kế hoạch kiểm thử {code}",
                              edition=edition, province=province, symbol="KH", date_month=1, date_day=10)
        t = plans.target_set(actor=actor, plan=p, key="rank", spec=plans.TargetSpec(kind="rank", comparator="<=",
                                                                                    value=20, of=63, label="Thứ hạng"))
        k = plans.task_create(actor=actor, plan=p, key="t", text="Nhiệm vụ kiểm thử", units=[plans.UnitRole(unit)],
                              timing="deadline", deadline=dt.date(year, 9, 30))
        if issue:
            p = plans.plan_issue(actor=actor, plan=p)
        return p, t, k

    plan_a, target_a, task_a = plan("matrix-a", khcn, coordinator, qlcn)
    task_a2 = plans.task_create(actor=coordinator, plan=plan_a, key="t2", text="Nhiệm vụ của Trung tâm",
                                units=[plans.UnitRole(ttud)], timing="continuous")
    unit_b = Organisation.objects.create(code="bg-so-khdt-matrix", name="Phòng kiểm thử (mẫu)", kind="unit", parent=khdt)
    head_b = User.objects.create(username="matrix.head.b", email="matrix.head.b@example.invalid", full_name="Trưởng phòng B (mẫu)",
                                 organisation=unit_b, role=Role.UNIT_HEAD)
    plan_b, target_b, task_b = plan("matrix-b", khdt, admin, unit_b)
    plan_b2, _, _ = plan("matrix-b2", khdt, admin, unit_b, year=2020, issue=True)
    ReportingRule.objects.create(plan=plan_b2, quarters=[3], annual=False, quarter_due_day=5, consolidator=unit_b)
    period_b = reports.periods_generate(actor=admin, plan=plan_b2)[0]
    report_b = reports.report_start(actor=head_b, period=period_b, unit=unit_b)
    report_b = reports.report_save(actor=head_b, report=report_b, expected_version=report_b.version,
                                   fields={"summary": "Nội dung (mẫu)."},
                                   entries={e.pk: {"done_text": "Đã làm (mẫu)."}
                                            for e in ReportTaskEntry.objects.filter(report=report_b)})
    evidence_b = reports.evidence_add_file(actor=head_b, report=report_b, name="b.pdf", data=b"%PDF-1.4\n%%EOF\n")
    reports.report_send(actor=head_b, report=UnitReport.objects.get(pk=report_b.pk))
    if not Result.objects.filter(province=province, year__year=2020).exists():  # synthetic, for signing
        Result.objects.create(year=EditionYear.objects.get(year=2020), province=province, total=60.0, rank=20,
                              source_url="https://example.invalid/synthetic")
    evaluation_b = evaluations.evaluation_create(actor=admin, plan=plan_b2)
    template = Instrument.objects.filter(is_template=True).order_by("id").first()
    spec = surveys.instrument_spec(template)
    spec["code"] = "matrix-b"
    instrument_b = surveys.instrument_create(actor=admin, spec=spec, owner=unit_b)
    survey_b = surveys.survey_create(actor=admin, instrument=template, owner=unit_b, title="Khảo sát B (mẫu)", year=2020)

    period_a = Period.objects.get(plan=demo, code="2020-Q3")
    sent_a = UnitReport.objects.get(period=period_a, unit=qlcn)
    sent_a2 = UnitReport.objects.get(period=period_a, unit=ttud)
    draft_a = UnitReport.objects.get(period__plan=demo, period__code="2020-Y", unit=qlcn)
    draft_a2 = UnitReport.objects.get(period__plan=demo, period__code="2020-Y", unit=ttud)
    evidence_a = reports.evidence_add_file(actor=personas["unit_member"], report=draft_a, name="minh-chung.pdf",
                                           data=b"%PDF-1.4\n% minh chung kiem thu (mau)\n%%EOF\n")
    other_head = personas["other_unit_head"]
    draft_a2 = reports.report_save(actor=other_head, report=draft_a2, expected_version=draft_a2.version,
                                   fields={"summary": "Nội dung (mẫu)."},
                                   entries={e.pk: {"done_text": "Đã làm (mẫu)."}
                                            for e in ReportTaskEntry.objects.filter(report=draft_a2)})
    reports.report_send(actor=other_head, report=UnitReport.objects.get(pk=draft_a2.pk))
    draft_a2 = UnitReport.objects.get(pk=draft_a2.pk)
    evaluation_a = Evaluation.objects.get(plan=demo)
    survey_a = Survey.objects.filter(owner=qlcn).order_by("id").first()
    token_a, _ = token_create(actor=personas["unit_member"], user=personas["unit_member"], name="A")
    token_b, _ = token_create(actor=outsider, user=outsider, name="B")
    plan_ct = ContentType.objects.get_for_model(plan_a).pk
    pub_task = Task.objects.filter(plan=demo, assignments__organisation=qlcn).order_by("id").first()

    common = {"year": 2020, "token": "khong-dung-0123456789"}
    return {
        "-": SimpleNamespace(**common, task=pub_task),
        "pub": SimpleNamespace(**common, plan=demo, target=demo.targets.order_by("id").first(), task=pub_task,
                               instrument=template),
        "A": SimpleNamespace(**common, org=khcn, plan=plan_a, target=target_a, task=task_a, period=period_a, unit=qlcn,
                             report=draft_a, sent=sent_a, evidence=evidence_a, evaluation=evaluation_a, survey=survey_a,
                             api_token=token_a, ct=plan_ct),
        "A2": SimpleNamespace(**common, plan=plan_a, task=task_a2, period=period_a, unit=ttud, report=draft_a2,
                              sent=sent_a2, review=draft_a2, evaluation=evaluation_a),
        "B": SimpleNamespace(**common, org=khdt, plan=plan_b, target=target_b, task=task_b, period=period_b, unit=unit_b,
                             report=report_b, sent=report_b, review=report_b, evidence=evidence_b, evaluation=evaluation_b, survey=survey_b,
                             instrument=instrument_b, api_token=token_b, ct=plan_ct, plan_issued=plan_b2),
    }


def url_for(name: str, o) -> str:
    """The URL of a route for the objects ``o``."""
    args = {
        "orgs:detail": lambda: [o.org.pk], "catalog:year": lambda: [o.year],
        "plans:import_review": lambda: [o.token],
        "plans:transition": lambda: [o.plan.pk, "khong-co-thao-tac"],
        "audit:object": lambda: [o.ct, str(o.plan.pk)],
        "reports:calendar_feed": lambda: [o.unit.pk, o.token],
        "reports:start": lambda: [o.period.pk, o.unit.pk], "reports:remind": lambda: [o.period.pk, o.unit.pk],
        "reports:review": lambda: [o.review.pk, "tiep-nhan"], "reports:version": lambda: [o.sent.pk, 1],
        "reports:evidence": lambda: [o.evidence.pk], "reports:evidence_delete": lambda: [o.evidence.pk],
        "evaluation:create": lambda: [getattr(o, "plan_issued", o.plan).pk],
        "evaluation:export": lambda: [o.evaluation.pk, "xlsx"],
        "evaluation:unit": lambda: [o.evaluation.pk, o.unit.pk], "evaluation:remark": lambda: [o.evaluation.pk, o.unit.pk],
        "evaluation:export_unit": lambda: [o.evaluation.pk, o.unit.pk, "xlsx"],
        "surveys:instrument": lambda: [o.instrument.pk], "surveys:instrument_xlsform": lambda: [o.instrument.pk],
        "surveys:transition": lambda: [o.survey.pk, "mo"], "surveys:public": lambda: [o.token],
        "dashboards:target": lambda: [o.target.pk], "api_token_revoke": lambda: [o.api_token.pk],
        "api:indicators": lambda: [o.year], "api:period_reports": lambda: [o.period.pk],
        "api:report_detail": lambda: [o.report.pk], "api:survey_estimates": lambda: [o.survey.pk],
    }
    exact = {"plans:target": "target", "plans:target_edit": "target", "plans:task": "task", "plans:task_status": "task",
             "api:target_detail": "target", "api:task_detail": "task", "api:task_status": "task"}
    by_kind = [("plans:", "plan"), ("api:plan_", "plan"), ("reports:", "report"), ("evaluation:", "evaluation"),
               ("surveys:", "survey")]
    if name in exact:
        return reverse(name, args=[getattr(o, exact[name]).pk])
    if name in args:
        return reverse(name, args=args[name]())
    period_routes = {"reports:period", "reports:board_xlsx", "reports:consolidated", "reports:consolidated_preview",
                     "reports:consolidated_rebuild", "reports:consolidated_docx", "reports:consolidated_annex"}
    if name in period_routes:
        return reverse(name, args=[o.period.pk])
    if name == "simulation:index":
        return reverse(name) + (f"?ke_hoach={o.plan.pk}" if hasattr(o, "plan") else "")
    if name == "simulation:chart":
        return reverse(name, args=[SIMULATION_CHART]) + f"?ke_hoach={o.plan.pk}"
    if name == "dashboards:targets_xlsx":
        return reverse(name) + f"?ke-hoach={o.plan.pk}"
    for prefix, attr in by_kind:
        if name.startswith(prefix):
            try:
                return reverse(name, args=[getattr(o, attr).pk])
            except Exception:  # noqa: BLE001 - the route takes no object
                break
    return reverse(name)


def body_for(name: str, o) -> dict:
    if name == "reports:save":
        return {"version": str(o.report.version)}
    if name == "evaluation:sign" or name == "evaluation:reopen":
        return {"reason": "Kiểm tra quyền (kiểm thử)."}
    return {}


def request(client, name, method, o):
    url = url_for(name, o)
    if name == "api:task_status":
        return client.post(url, {"status": "in_progress", "progress": 10}, content_type="application/json")
    if method == "POST":
        return client.post(url, body_for(name, o))
    return client.get(url)


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def test_the_matrix(personas, storage):
    objects = build_objects(personas)
    clients = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(personas[role])
        clients[role] = client
    wrong = []
    for name, method, key, expected in parse_table():
        o = objects[key]
        for role in ROLES:
            sid = transaction.savepoint()
            try:
                client = clients[role]
                if name == "logout" and role != "anonymous":  # signing out ends the shared client's session
                    client = Client()
                    client.force_login(personas[role])
                status = request(client, name, method, o).status_code
            except Exception as exc:  # noqa: BLE001 - a crash is a wrong answer too
                status = f"{type(exc).__name__}: {exc}"[:120]
            finally:
                transaction.savepoint_rollback(sid)
            known = KNOWN_DEVIATIONS.get((name, key, role))
            if known and status == expected[role]:
                wrong.append(f"{name:30} {method:4} {key:4} {role:12} now answers {status} as the policy asks: "
                             "remove it from KNOWN_DEVIATIONS")
            elif status != (known[0] if known else expected[role]):
                wrong.append(f"{name:30} {method:4} {key:4} {role:12} expected {expected[role]}, got {status}")
    assert not wrong, f"{len(wrong)} answers differ from the matrix:\n" + "\n".join(wrong)


def all_route_names() -> set[str]:
    """Every named route of the project (the admin's own pages apart from its index are the admin's)."""
    names = set()

    def walk(patterns, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    names.add("admin:index")
                    continue
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern):
                names.add(f"{ns}{p.name}" if p.name else f"<unnamed {p.pattern}>")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_is_in_the_matrix():
    listed = {name for name, *_ in parse_table()}
    missing = sorted(all_route_names() - listed - {"<unnamed quan-tri/login/>"})
    assert not missing, "Routes not in the permission matrix (add them with the expected answers): " + ", ".join(missing)
    stale = sorted(listed - all_route_names())
    assert not stale, "Routes in the matrix that no longer exist: " + ", ".join(stale)


def test_the_admin_sign_in_goes_through_the_one_sign_in_page(client):
    response = client.get("/quan-tri/login/?next=/quan-tri/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
