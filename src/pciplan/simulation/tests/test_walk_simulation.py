"""A coordinator opens "Mô phỏng", changes a sub-index and sees the total change without a page reload;
moves a slider; asks the solver for a rank and puts its answer into the table (headless Chromium)."""

import pytest

from .helpers import rounded_key

pytestmark = pytest.mark.browser


def _total(page) -> str:
    return page.inner_text("[data-testid=sim-total]")


def test_simulate_without_reload(browser):
    from pciplan.catalog.models import SubIndex

    weights = {s.code: float(s.weight) for s in SubIndex.objects.filter(edition__code="pci-2013")}
    page = browser
    page.sign_in("vanphong")
    page.click("nav >> text=Mô phỏng")
    page.wait_for_load_state()
    assert "Mô phỏng PCI" in page.title()
    assert "các tỉnh khác chỉ có tổng điểm" in page.locator("main").inner_text()
    scores = {c: float(page.input_value(f"#id_diem_{c}").replace(",", ".")) for c in weights}
    before = _total(page)
    page.evaluate("window.__same_page = true")

    page.fill("#id_diem_labor_training", "8,5")
    page.press("#id_diem_labor_training", "Tab")
    page.wait_for_function(f"document.querySelector('[data-testid=sim-total]').innerText !== '{before}'")
    scores["labor_training"] = 8.5
    expected = 10 * sum(weights[c] / 100 * scores[c] for c in weights)
    assert _total(page) == f"{rounded_key(expected) // 100},{rounded_key(expected) % 100:02d}"
    assert page.inner_text("#chg-labor_training") == "+1,31"  # 8,50 − 7,19 (2019)
    assert page.evaluate("window.__same_page") is True  # no reload

    # The slider writes the box and recomputes.
    slider = page.locator("input.sim-slider[data-for=id_diem_transparency]")
    assert slider.is_visible()
    current = _total(page)
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    assert page.input_value("#id_diem_transparency") == "7,10"
    page.wait_for_function(f"document.querySelector('[data-testid=sim-total]').innerText !== '{current}'")

    # A wrong value: the message beside the field, the result waits.
    page.fill("#id_diem_entry_costs", "11")
    page.press("#id_diem_entry_costs", "Tab")
    page.wait_for_selector("#err-diem_entry_costs:has-text('Điểm phải từ 1 đến 10; đã nhập 11.')")
    assert "is-invalid" in page.get_attribute("#id_diem_entry_costs", "class")
    page.fill("#id_diem_entry_costs", "7.61")
    page.press("#id_diem_entry_costs", "Tab")
    page.wait_for_selector("[data-testid=sim-total]")
    assert "is-invalid" not in page.get_attribute("#id_diem_entry_costs", "class")

    # The solver, then its answer into the table.
    page.fill("#id_hang", "5")
    page.press("#id_hang", "Tab")
    page.wait_for_selector("[data-testid=sim-answer-rank]:has-text('Để đạt hạng 5/63 năm 2020')")
    page.click("button[value=giai_hang]")
    page.wait_for_selector("text=Đã đưa lời giải vào bảng điểm")
    assert int(page.inner_text("[data-testid=sim-rank]").split("/")[0]) <= 5
    assert page.evaluate("window.__same_page") is True

    # The charts follow the inputs (drawn on the server, fetched after the numbers).
    # (a chart of 63 bars takes a few seconds to draw on a busy machine)
    page.wait_for_function(
        "document.querySelector('#sim-chart-xep-hang svg[role=img]') !== null && "
        "document.querySelector('#sim-chart-xep-hang').textContent.includes('Bắc Giang (mô phỏng)')", timeout=90000)
