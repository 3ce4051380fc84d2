"""The role homes, the target page, the province roll-up, the trend page and their Excel exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pciplan.officedoc import read_sheet

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------------------ homes
def test_anonymous_home_asks_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize(("persona", "template"), [
    ("leader", "dashboards/leader.html"),
    ("auditor", "dashboards/leader.html"),
    ("admin", "dashboards/leader.html"),
    ("coordinator", "dashboards/coordinator.html"),
    ("consolidator", "dashboards/coordinator.html"),
    ("unit_head", "dashboards/unit.html"),
    ("unit_member", "dashboards/unit.html"),
    ("other_unit", "dashboards/unit.html"),
    ("province", "dashboards/province.html"),
])
def test_each_role_gets_its_home(client_for, demo_day, persona, template):
    response = client_for(persona).get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]


def test_leader_home_says_where_the_plan_stands(client_for, demo_day):
    response = client_for("leader").get("/")
    html = _text(response)
    d = response.context["d"]
    assert d.plan.code == "bg-so-khcn-pci-2020"
    assert "Tình trạng 12 mục tiêu" in html
    assert len(d.targets.subindex) == 7
    assert "VCCI chưa công bố PCI 2020 tại ngày 20/11/2020" in html
    # The rule is on the page, and every target carries its reasons.
    assert html.count("Vì sao?") >= 12 and "Cách xác định tình trạng mục tiêu" in html
    # Overdue tasks: the training (15/8), the DN KH&CN plan and Techmart (30/9).
    assert [v.task.deadline.isoformat() for v in d.overdue] == ["2020-08-15", "2020-09-30", "2020-09-30"]
    # The current period is the annual report, due by the end of 4/12/2020, none sent yet.
    assert d.period.code == "2020-Y" and d.board.n_sent == 0
    assert d.deadlines[0].day.isoformat() == "2020-12-04"


def test_leader_expected_total_is_the_weighted_sum_with_targets_met(client_for, demo_day):
    """PCI = 10 × Σ wᵢ·sᵢ with the seven targets in place of Bắc Giang's 2019 scores (published, VCCI), ranked
    against the other provinces' published 2020 totals."""
    pytest.importorskip("pciplan.engine.whatif")
    from pciplan.catalog.models import Result

    d = client_for("leader").get("/").context["d"]
    e = d.expected
    assert e.available, e.reason
    result_2019 = Result.objects.get(province__slug="bac-giang", year__year=2019)
    scores = {s.subindex.code: s.score for s in result_2019.scores.select_related("subindex")}
    weights = {s.subindex.code: float(s.subindex.weight) for s in result_2019.scores.select_related("subindex")}
    for row in d.targets.subindex:
        scores[row.target.subindex.code] = float(row.target.value)
    total = 10 * sum(weights[c] / 100 * scores[c] for c in scores)
    assert e.total == pytest.approx(total, abs=1e-9)
    assert round(total, 2) == 68.76
    others = [r.total for r in Result.objects.filter(year__year=2020).exclude(province__slug="bac-giang")]
    assert len(others) == 62
    assert e.rank == 1 + sum(t > total for t in others)
    assert (e.base_year, e.field_year, e.of) == (2019, 2020, 63)
    assert "7 chỉ số thành phần đạt đúng mức mục tiêu" in e.assumption
    assert any("chỉ để minh họa" in n for n in e.notes)  # 2020 totals were not out on 20/11/2020


def test_coordinator_home_is_the_period_board(client_for, demo_day):
    response = client_for("coordinator").get("/")
    d = response.context["d"]
    assert d.period.code == "2020-Y"
    assert [r.unit.code for r in d.board.rows][:1] == ["bg-so-khcn-qlcn"]
    html = _text(response)
    assert "Báo cáo Năm 2020" in html and "Mở bảng theo dõi" in html
    q3 = next(p for p in d.periods if p.code == "2020-Q3")
    response = client_for("coordinator").get(f"/?ky={q3.pk}")
    assert response.context["d"].period.code == "2020-Q3"
    assert response.context["d"].board.n_accepted == 2


def test_unit_home_shows_its_tasks_and_the_next_report(client_for, demo_day):
    response = client_for("unit_head").get("/")
    d = response.context["d"]
    assert d.unit.code == "bg-so-khcn-qlcn"
    assert d.next_report.period.code == "2020-Y" and d.next_report.required
    assert d.next_report.report is not None  # the annual draft exists
    assert len(d.work.overdue) == 1 and d.work.overdue[0].task.key.startswith("III.7.b-qlcn-3-part2")
    html = _text(response)
    assert "Báo cáo phải gửi tiếp theo" in html and "Mở báo cáo" in html
    # The other unit has no report of its own required: it still sees its tasks.
    d = client_for("other_unit").get("/").context["d"]
    assert d.unit.code == "bg-so-khcn-ttud" and len(d.work.tasks) > 0


def test_account_without_organisation_gets_the_plain_home(client, demo_day):
    from pciplan.orgs.models import Role, User

    user = User.objects.create(username="khong.don.vi", email="kdv@test.invalid", full_name="Không đơn vị (thử)",
                               role=Role.LEADER)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200 and "web/home.html" in [t.name for t in response.templates]


# ----------------------------------------------------------------------------------------------- target
def _target(demo_plan, key):
    return demo_plan.targets.get(key=key)


def test_target_page_leads_to_the_tasks_and_the_sent_reports(client_for, demo_day, demo_plan):
    target = _target(demo_plan, "si-business_support")
    response = client_for("leader").get(reverse("dashboards:target", args=[target.pk]))
    assert response.status_code == 200
    detail = response.context["detail"]
    assert detail.row.status.label == "Có nguy cơ"
    first = detail.tasks[0]
    assert first.view.outcome == "overdue"
    html = _text(response)
    assert "2/3 nhiệm vụ có thời hạn quá hạn (từ một phần ba trở lên) → Có nguy cơ." in html
    techmart = next(t for t in detail.tasks if t.view.task.key == "III.7.b-ttud-3")
    # The leader sees what was sent (Quý III, accepted), not the units' drafts of the annual report.
    assert [e.report.period.code for e in techmart.entries] == ["2020-Q3"]
    assert "Đề nghị lùi thời hạn hoàn thành Đề án sang tháng 11/2020." in html
    assert reverse("reports:report", args=[techmart.entries[0].report.pk]) in html
    assert reverse("plans:task", args=[techmart.view.task.pk]) in html


def test_unit_people_see_their_own_reports_only_drafts_included(client_for, demo_day, demo_plan):
    target = _target(demo_plan, "si-business_support")
    detail = client_for("unit_member").get(reverse("dashboards:target", args=[target.pk])).context["detail"]
    units = {e.report.unit.code for t in detail.tasks for e in t.entries}
    assert units == {"bg-so-khcn-qlcn"}
    assert "2020-Y" in {e.report.period.code for t in detail.tasks for e in t.entries}
    assert detail.hidden_reports


def test_target_of_a_draft_plan_is_not_found_for_others(client_for, demo_day, demo_plan):
    from pciplan.plans.models import Plan, PlanStatus, Target

    draft = Plan.objects.create(code="thu-du-thao", issuer=demo_plan.issuer, year=2021, date_year=2021,
                                title="Dự thảo (thử nghiệm)", edition=demo_plan.edition, province=demo_plan.province,
                                status=PlanStatus.DRAFT)
    target = Target.objects.create(plan=draft, key="r", kind="rank", label="Thứ hạng (thử)", comparator="<=",
                                   value=25, of=63)
    assert client_for("outsider").get(reverse("dashboards:target", args=[target.pk])).status_code == 404
    assert client_for("leader").get(reverse("dashboards:target", args=[target.pk])).status_code == 200


# --------------------------------------------------------------------------------------------- province
def test_province_roll_up(client_for, demo_day):
    response = client_for("province").get(reverse("dashboards:province"))
    assert response.status_code == 200
    r = response.context["r"]
    assert [p.code for p in r.provincial_plans] == ["bg-ubnd-pci-2020"]
    assert [d.plan.code for d in r.departments] == ["bg-so-khcn-pci-2020"]
    by_code = {s.subindex.code: s for s in r.subindices}
    assert [o.code for o in by_code["entry_costs"].leads] == ["bg-so-khdt"]
    assert [o.code for o in by_code["proactivity"].leads] == ["bg-vp-ubnd"]
    assert [o.code for o in by_code["time_costs"].leads] == ["bg-ttphcc"]
    bs = by_code["business_support"]
    assert bs.rollup.label == "Chậm"  # the sub-index target and its three indicators: the worst with data
    assert len(bs.departments[0].rows) == 4
    dept = r.departments[0]
    assert (dept.tasks.dated, dept.tasks.done_on_time, dept.tasks.overdue) == (4, 1, 3)
    # Quý III: both required units sent — one on time (QLCN, first sending 2/10), one a day late (TTUD).
    assert (dept.reports.due, dept.reports.on_time, dept.reports.late, dept.reports.missing) == (1, 1, 0, 0)
    html = _text(response)
    assert "Kế hoạch 222/KH-UBND ngày 3/8/2020 của Ủy ban nhân dân tỉnh Bắc Giang" in html
    assert "So sánh các cơ quan" in html


def test_province_roll_up_is_for_the_province_and_administrators(client_for, demo_day):
    assert client_for("coordinator").get(reverse("dashboards:province")).status_code == 403
    assert client_for("leader").get(reverse("dashboards:province_xlsx")).status_code == 403
    assert client_for("admin").get(reverse("dashboards:province")).status_code == 200


# ----------------------------------------------------------------------------------------------- trends
def test_trends_show_published_years_only(client_for, demo_day):
    response = client_for("leader").get(reverse("dashboards:trends"))
    t = response.context["t"]
    assert [p.year for p in t.points] == list(range(2006, 2020))
    assert [p.year for p in t.comparable_points] == list(range(2013, 2020))  # before 2013: the old method
    assert (t.latest.total, t.latest.rank, t.latest.of) == (64.47, 40, 63)
    assert t.unpublished == [2020]
    assert [p.year for p in t.peers] == [2013, 2014, 2015, 2016]
    html = _text(response)
    assert "63,98" not in html  # PCI 2020 was not out on 20/11/2020
    assert "<svg" in html and "Trung vị cả nước" in html


def test_trend_gains_and_losses_on_the_previous_year(client_for, demo_day):
    from pciplan.catalog.models import Result

    t = client_for("leader").get(reverse("dashboards:trends")).context["t"]
    assert t.change_years == (2018, 2019)
    before = {s.subindex.code: s.score for s in Result.objects.get(province__slug="bac-giang", year__year=2018).scores.all()
              .select_related("subindex")}
    for c in t.changes:
        assert c.before == before[c.subindex.code]
        assert c.points == pytest.approx(10 * c.weight / 100 * (c.after - c.before))
    assert [c.points for c in t.changes] == sorted((c.points for c in t.changes), reverse=True)
    assert t.total_change == pytest.approx(64.47 - 63.01)


def test_peer_median_and_best_province_2016(client_for, demo_day):
    import statistics

    from pciplan.catalog.models import SubIndexScore

    t = client_for("leader").get(reverse("dashboards:trends")).context["t"]
    peer = next(p for p in t.peers if p.year == 2016)
    values = list(SubIndexScore.objects.filter(result__year__year=2016, subindex__code="transparency")
                  .values_list("score", flat=True))
    assert len(values) == 63
    assert peer.cells["transparency"].median == pytest.approx(statistics.median(values))
    best = SubIndexScore.objects.get(result__year__year=2016, result__rank=1, subindex__code="transparency")
    assert peer.cells["transparency"].best == best.score
    assert peer.best_name == best.result.province.name


def test_trends_after_publication_include_2020(client_for, settings):
    import datetime as dt

    settings.PCIPLAN_TODAY = dt.date(2021, 6, 1)
    t = client_for("leader").get(reverse("dashboards:trends")).context["t"]
    assert (t.latest.year, t.latest.total, t.latest.rank) == (2020, 63.98, 27)


# ---------------------------------------------------------------------------------------------- exports
def test_targets_export(client_for, demo_day, demo_plan):
    response = client_for("leader").get(reverse("dashboards:targets_xlsx") + f"?ke-hoach={demo_plan.pk}")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = read_sheet(io.BytesIO(response.content), headers=["Mục tiêu", "Tình trạng"])
    statuses = {row.values["Mục tiêu"]: row.values["Tình trạng"] for row in sheet.rows if row.values["Tình trạng"]}
    assert statuses["Dịch vụ hỗ trợ doanh nghiệp"] == "Có nguy cơ"
    assert len(statuses) == 12
    assert client_for("leader").get(reverse("dashboards:targets_xlsx")).status_code == 404


def test_province_and_trend_exports(client_for, demo_day):
    wb = load_workbook(io.BytesIO(client_for("province").get(reverse("dashboards:province_xlsx")).content))
    assert wb.sheetnames == ["Theo chỉ số thành phần", "So sánh các cơ quan"]
    wb = load_workbook(io.BytesIO(client_for("leader").get(reverse("dashboards:trends_xlsx")).content))
    assert wb.sheetnames == ["Qua các năm", "So với cả nước", "Thay đổi so với năm trước"]
    years = [row[0].value for row in wb["Qua các năm"].iter_rows(min_row=4) if isinstance(row[0].value, int)]
    assert years == list(range(2006, 2020))
