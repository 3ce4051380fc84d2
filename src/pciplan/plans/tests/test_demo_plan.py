"""The demo data set is the reference plan, complete and faithful."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from pciplan.catalog.models import Result
from pciplan.plans.models import AccountabilityRule, ReportingRule, Role, Target, TargetAssignment, Task

pytestmark = pytest.mark.django_db

# The reference plan, section III: (sub-index, target, increase, lead agency code).
REFERENCE = {
    "entry_costs": ("7.61", "0.83", "bg-so-khdt"),
    "transparency": ("7.0", "0.15", "bg-so-tttt"),
    "time_costs": ("7.08", "0.56", "bg-ttphcc"),
    "informal_charges": ("6.5", "0.44", "bg-thanh-tra"),
    "policy_bias": ("6.5", "1.05", "bg-so-khdt"),
    "proactivity": ("7.34", "0.36", "bg-vp-ubnd"),
    "business_support": ("6.5", "1.07", "bg-so-khdt"),
}


def test_seven_subindex_targets_with_the_plan_numbers(demo_plan):
    targets = {t.subindex.code: t for t in Target.objects.filter(plan=demo_plan, kind="subindex").select_related("subindex")}
    assert set(targets) == set(REFERENCE)
    for code, (value, increase, lead) in REFERENCE.items():
        t = targets[code]
        assert t.value == Decimal(value), code
        assert t.increase == Decimal(increase), code
        assert t.comparator == ">="
        assert t.baseline_year == 2019
        leads = list(t.assignments.filter(role=Role.LEAD).values_list("organisation__code", flat=True))
        assert leads == [lead], code
        # Every lead agency is outside the department that issued the plan.
        assert not t.assignments.filter(role=Role.LEAD, organisation__parent=demo_plan.issuer).exists()


def test_baselines_are_the_published_2019_scores(demo_plan):
    """target − increase = Bắc Giang's published 2019 score, for all seven (VCCI via pcivietnam.vn)."""
    published = Result.objects.get(year__year=2019, province__slug="bac-giang")
    scores = {s.subindex.code: s.score for s in published.scores.select_related("subindex")}
    for t in Target.objects.filter(plan=demo_plan, kind="subindex").select_related("subindex"):
        assert t.value - t.increase == t.baseline_value
        assert float(t.baseline_value) == pytest.approx(scores[t.subindex.code], abs=1e-9), t.subindex.code


def test_overall_goal_rank_30_of_63_and_group_kha(demo_plan):
    rank = Target.objects.get(plan=demo_plan, kind="rank")
    assert (rank.value, rank.of, rank.comparator) == (Decimal(30), 63, "<=")
    group = Target.objects.get(plan=demo_plan, kind="group")
    assert group.value_text == "Khá"


def test_technology_unit_owns_the_three_indicator_targets_and_the_subindex(demo_plan):
    indicators = Target.objects.filter(plan=demo_plan, kind="indicator").order_by("order")
    assert [(t.indicator_code, t.comparator, t.value, t.unit) for t in indicators] == [
        ("e761_use", ">", Decimal(45), "%"), ("e761_priv", ">", Decimal(70), "%"), ("e762_continue", ">", Decimal(75), "%")]
    for t in indicators:
        owners = list(t.assignments.filter(role=Role.OWNER).values_list("organisation__code", flat=True))
        assert owners == ["bg-so-khcn-qlcn"]
    business = Target.objects.get(plan=demo_plan, kind="subindex", subindex__code="business_support")
    assert business.assignments.filter(role=Role.OWNER, organisation__code="bg-so-khcn-qlcn").exists()


def test_most_units_only_support(demo_plan):
    """The plan's units own no sub-index target except the technology unit (business support)."""
    owners = set(TargetAssignment.objects.filter(target__plan=demo_plan, role=Role.OWNER)
                 .values_list("organisation__code", flat=True))
    assert owners == {"bg-so-khcn-qlcn"}
    supporters = set(TargetAssignment.objects.filter(target__plan=demo_plan, role=Role.SUPPORT)
                     .values_list("organisation__code", flat=True))
    assert {"bg-so-khcn-vp", "bg-so-khcn-tt", "bg-so-khcn-ttud", "bg-so-khcn-qlcn"} <= supporters


def test_dated_deliverables(demo_plan):
    dated = {(t.deadline.isoformat()) for t in Task.objects.filter(plan=demo_plan, timing="deadline")}
    assert {"2020-08-15", "2020-08-31", "2020-09-30"} <= dated
    assert Task.objects.filter(plan=demo_plan, timing="deadline", deadline="2020-09-30").count() >= 2
    assert not Task.objects.filter(plan=demo_plan, assignments__isnull=True).exists()


def test_reporting_and_accountability_rules(demo_plan):
    rule = ReportingRule.objects.get(plan=demo_plan)
    assert rule.quarters == [1, 2, 3] and rule.annual
    assert (rule.quarter_due_day, rule.annual_due_month, rule.annual_due_day) == (5, 12, 5)
    assert rule.consolidator.name == "Phòng Kế hoạch Tài chính"
    assert rule.monitor.name == "Văn phòng Sở"
    sections = set(AccountabilityRule.objects.filter(plan=demo_plan).values_list("section", flat=True))
    assert sections == {"II.1", "III.7.c"}


def test_signer_recipients_and_parent_plan(demo_plan):
    assert demo_plan.signer_name == "Nguyễn Thanh Bình"
    assert "Lưu: VT, KHTC." in demo_plan.recipients
    assert demo_plan.parent.number == "222" and demo_plan.parent.symbol == "KH-UBND"
    assert demo_plan.number == ""  # not yet registered: "Số: /KH-KHCN"
    assert demo_plan.reference == "Số …/KH-KHCN"


def test_loading_the_demo_twice_creates_nothing_new():
    def counts():
        return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in
                {"orgs", "catalog", "plans", "audit", "reports", "evaluation", "surveys", "simulation"}}

    before = counts()
    call_command("load_catalog", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert counts() == before
