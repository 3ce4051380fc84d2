"""A coordinator signs in and finds the reference plan's seven targets (headless Chromium)."""

import pytest

pytestmark = pytest.mark.browser


def test_coordinator_sees_the_seven_targets_and_opens_one(browser):
    page = browser
    page.sign_in("vanphong")
    assert "/dang-nhap/" not in page.url
    page.click("#pp-nav a[href='/ke-hoach/']")
    assert "Kế hoạch" in page.title()
    page.click("text=Số …/KH-KHCN")
    rows = page.locator("#bang-muc-tieu tbody tr")
    assert rows.count() == 7
    text = page.locator("#bang-muc-tieu").inner_text()
    for number in ("7,61", "7,00", "7,08", "6,50", "7,34"):
        assert number in text
    page.click("#bang-muc-tieu >> text=Dịch vụ hỗ trợ doanh nghiệp")
    assert "Phòng Quản lý Công nghệ và Thị trường công nghệ" in page.content()
    # Phone size: the navigation collapses behind a button.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/")
    assert page.locator("button.navbar-toggler").is_visible()
