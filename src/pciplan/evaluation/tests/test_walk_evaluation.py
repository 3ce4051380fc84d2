"""A leader opens the year-end evaluation, signs it off, and reopens it with a reason (headless Chromium)."""

import pytest

pytestmark = pytest.mark.browser


def test_leader_signs_and_reopens(browser):
    page = browser
    page.sign_in("lanhdao")
    page.goto(page.base_url + "/danh-gia/")
    page.click("text=Số …/KH-KHCN")
    assert "Đánh giá kết quả năm 2020" in page.title()
    text = page.locator("main").inner_text()
    assert "thiếu 0,03" in text and "thứ 27/63" in text
    assert page.locator("svg[role=img]").count() >= 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Ký duyệt')")
    page.wait_for_load_state()
    assert "Đã ký duyệt" in page.locator("main").inner_text()
    # Reopen: a reason is required and recorded.
    page.click("button:has-text('Mở lại')")
    page.fill("#id_reason", "VCCI đính chính số liệu chỉ số Dịch vụ hỗ trợ doanh nghiệp")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Mở lại bản đánh giá')")
    page.wait_for_load_state()
    assert "Dự thảo" in page.locator("main").inner_text()
    page.goto(page.url.rstrip("/") + "/lich-su/")
    assert "VCCI đính chính số liệu" in page.content()
    # The unit sheet on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/danh-gia/")
    page.click("text=Số …/KH-KHCN")
    page.click("#bang-don-vi a:has-text('Phòng Quản lý Công nghệ và Thị trường công nghệ')")
    assert "Phiếu đánh giá năm 2020" in page.title()
    assert "Không được xếp loại “Hoàn thành xuất sắc”" in page.locator("main").inner_text()
