"""Every page renders for every role, in Vietnamese, with a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pciplan.conftest import PERSONAS
from pciplan.plans import services
from pciplan.plans.models import Target, Task

pytestmark = pytest.mark.django_db


def _pages(plan):
    target = Target.objects.filter(plan=plan, kind="subindex").first()
    task = Task.objects.filter(plan=plan).first()
    return [
        reverse("home"), reverse("plans:list"), reverse("plans:detail", args=[plan.pk]),
        reverse("plans:tasks", args=[plan.pk]), reverse("plans:target", args=[target.pk]),
        reverse("plans:task", args=[task.pk]), reverse("plans:my_work"), reverse("plans:history", args=[plan.pk]),
        reverse("orgs:tree"), reverse("orgs:detail", args=[plan.issuer_id]), reverse("catalog:index"),
        reverse("search") + "?q=minh+bach",
    ]


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_renders_for_every_role(persona, client_for, demo_plan):
    client = client_for(persona)
    for url in _pages(demo_plan):
        response = client.get(url)
        assert response.status_code == 200, (persona, url, response.status_code)
        assert 'lang="vi"' in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, demo_plan):
    for url in _pages(demo_plan):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_plan_overview_shows_the_reference_numbers(client_for, demo_plan):
    html = client_for("coordinator").get(reverse("plans:detail", args=[demo_plan.pk])).content.decode()
    for text in ["7,61", "+0,83", "6,78", "Sở Kế hoạch và Đầu tư", "Sở Thông tin và Truyền thông", "7,08", "6,50",
                 "7,34", "thứ 30/63", "Khá", "Trung tâm Phục vụ hành chính công", "Thanh tra tỉnh", "20%"]:
        assert text in html, text


def test_search_ignores_diacritics(client_for, demo_plan):
    html = client_for("unit_member").get(reverse("search") + "?q=minh+bach").content.decode()
    assert "minh bạch" in html.lower()
    html = client_for("unit_member").get(reverse("search") + "?q=TECHMART").content.decode()
    assert "Techmart" in html


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_issue_a_bounded_number_of_queries(client_for, demo_plan, personas):
    client = client_for("unit_member")
    urls = _pages(demo_plan)
    before = {url: _count(client, url) for url in urls}
    target = Target.objects.filter(plan=demo_plan, kind="subindex").first()
    amendment = services.plan_amend(actor=personas["coordinator"], plan=demo_plan, reason="Thêm nhiệm vụ (kiểm thử)")
    unit = personas["unit_member"].organisation
    for i in range(60):
        services.task_create(actor=personas["coordinator"], plan=demo_plan, key=f"bulk-{i}", text=f"Nhiệm vụ thêm {i}",
                             units=[services.UnitRole(unit)], targets=[target], amendment=amendment)
    after = {url: _count(client, url) for url in urls}
    for url in urls:
        assert after[url] <= before[url] + 1, (url, before[url], after[url])
        assert after[url] <= 25, (url, after[url])
