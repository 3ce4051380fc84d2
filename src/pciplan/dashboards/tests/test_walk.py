"""The leader's walk in headless Chromium: sign in, see the status of the reference plan's targets, open one
that is at risk, reach the task and the report behind it."""

import pytest

from .conftest import DEMO_DAY

pytestmark = pytest.mark.browser


def test_leader_sees_the_seven_targets_and_reaches_the_task_and_report_behind_one_at_risk(browser, settings):
    settings.PCIPLAN_TODAY = DEMO_DAY
    page = browser
    page.set_default_timeout(60000)  # the first page of a fresh server loads the simulator (pandas)
    page.sign_in("lanhdao")
    assert page.title().startswith("Tổng quan — Kế hoạch PCI 2020")
    table = page.locator("#bang-tinh-trang")
    sub_indices = table.locator("tbody", has_text="Chỉ số thành phần (7)").locator("tr[data-status]")
    assert sub_indices.count() == 7
    statuses = [sub_indices.nth(i).get_attribute("data-status") for i in range(7)]
    assert statuses.count("at_risk") == 1 and statuses.count("no_data") == 6
    assert "VCCI chưa công bố PCI 2020" in page.content()

    # "Vì sao?" opens the reasons in place.
    row = sub_indices.filter(has_text="Dịch vụ hỗ trợ doanh nghiệp")
    why = row.locator("td.d-md-table-cell details.dash-why")
    why.locator("summary").click()
    decides = why.locator("li.dash-decides")
    assert decides.is_visible()
    assert decides.inner_text() == "2/3 nhiệm vụ có thời hạn quá hạn (từ một phần ba trở lên) → Có nguy cơ."

    # The target at risk, then the overdue task behind it and the report that speaks of it.
    row.get_by_role("link", name="Dịch vụ hỗ trợ doanh nghiệp").click()
    page.wait_for_selector("h1:has-text('Dịch vụ hỗ trợ doanh nghiệp')")
    assert "Có nguy cơ" in page.locator(".dash-verdict").inner_text()
    techmart = page.locator("article.dash-task", has_text="Techmart Online Bắc Giang").first
    assert techmart.get_attribute("data-outcome") == "overdue"
    techmart.get_by_role("link", name="Báo cáo Quý III/2020 — Trung tâm Ứng dụng khoa học và công nghệ").click()
    page.wait_for_load_state()
    assert "/bao-cao/" in page.url
    assert "Đề nghị lùi thời hạn hoàn thành Đề án sang tháng 11/2020." in page.content()
    page.go_back()
    techmart = page.locator("article.dash-task", has_text="Techmart Online Bắc Giang").first
    techmart.locator("a.dash-task-link").click()
    page.wait_for_load_state()
    assert "/ke-hoach/nhiem-vu/" in page.url and "Techmart Online Bắc Giang" in page.content()

    # On a phone the statuses stay readable without scrolling sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/")
    first = page.locator("#bang-tinh-trang tr[data-status='at_risk']").first
    assert first.locator(".d-md-none .badge-status").first.is_visible()
