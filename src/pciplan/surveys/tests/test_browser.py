"""A Playwright walk: the unit makes an invitation link, a firm answers on a phone-sized screen, the link
cannot be used twice, and the unit sees the estimate update."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_firm_answers_on_a_phone_and_the_unit_sees_the_estimate(browser):
    from pciplan.surveys.models import Survey

    page = browser
    page.set_default_timeout(60000)  # a loaded two-core machine can be slow to answer
    survey = Survey.objects.get(title__startswith="Khảo sát dịch vụ liên quan tới công nghệ")
    page.sign_in("truongphong.qlcn")
    page.goto(f"{page.base_url}/khao-sat/{survey.pk}/")
    before = int(page.inner_text("#so-phieu"))
    use_before = page.inner_text("#bang-uoc-luong tbody tr:first-child td:nth-child(5)")

    # The unit makes one invitation link; it is shown once.
    page.click("text=Tạo đường dẫn mời")
    page.fill("#id_count", "1")
    page.click("form.pp-form button[type=submit]")
    link = page.get_attribute("a.invitation-link", "href")
    assert re.search(r"/khao-sat/tra-loi/[\w-]{20,}/$", link)

    # A firm opens it on a phone, without signing in.
    phone = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN",
                                             is_mobile=True, has_touch=True)
    firm = phone.new_page()
    firm.set_default_timeout(60000)
    firm.goto(link)
    assert firm.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert firm.locator("#q-cn_nha_cung_cap").is_hidden()  # asked only of firms that used the service
    firm.check("#quy_mo-2")
    firm.check("#nganh-2")
    firm.check("#huyen-8")
    firm.check("#so_huu-3")
    firm.check("#cn_su_dung-1")
    assert firm.locator("#q-cn_nha_cung_cap").is_visible()
    firm.check("#cn_nha_cung_cap-2")
    firm.check("#cn_tiep_tuc-1")
    firm.check("#cn_nhu_cau-4")
    assert not firm.is_checked("#consent_thong_ke") and not firm.is_checked("#consent_lien_he")
    firm.click("button[type=submit]")
    assert "Phiếu chưa gửi được" in firm.inner_text("#thong-bao-loi")  # consent not given yet
    firm.check("#consent_thong_ke")
    firm.click("button[type=submit]")
    firm.wait_for_url("**/khao-sat/cam-on/")
    assert "Cảm ơn" in firm.inner_text("h1")

    # The link cannot be used twice.
    firm.goto(link)
    assert "đã được sử dụng" in firm.inner_text("h1")
    phone.close()

    # The unit sees the estimate update.
    page.goto(f"{page.base_url}/khao-sat/{survey.pk}/")
    assert int(page.inner_text("#so-phieu")) == before + 1
    use_after = page.inner_text("#bang-uoc-luong tbody tr:first-child td:nth-child(5)")
    assert int(use_after.split()[0]) == int(use_before.split()[0]) + 1
    assert "chắc chắn" in page.inner_text("#bang-uoc-luong")
