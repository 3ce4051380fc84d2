"""A coordinator imports the reference plan in a real browser: upload, check against the text, correct one
value, create, find the plan in the list.

Set ``PCIPLAN_SCREENSHOTS=/some/dir`` to keep screenshots of the review at office and phone sizes.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest

from pciplan.plans.tests.test_import_review import reference_docx

pytestmark = pytest.mark.browser


def _ready(page):
    """Wait for the live server's first answer (it imports the whole site) and allow a busy machine time."""
    import urllib.request

    urllib.request.urlopen(f"{page.base_url}/dang-nhap/", timeout=120).read()
    page.set_default_timeout(60000)


def _shots(page, name):
    folder = os.environ.get("PCIPLAN_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"))


def test_coordinator_imports_the_reference_plan(browser, tmp_path):
    from pciplan.plans.models import Plan

    page = browser
    _ready(page)
    page.sign_in("vanphong")
    page.goto(f"{page.base_url}/ke-hoach/")
    page.get_by_role("link", name="Nhập từ văn bản").click()
    document = tmp_path / "ke-hoach-pci-2020-so-khcn.docx"
    document.write_bytes(reference_docx())
    page.set_input_files("input[name=file]", str(document))
    _shots(page, "import-upload-1366")
    page.click("#upload-submit")
    page.wait_for_url(re.compile(r".*/ke-hoach/nhap/[^/]+/$"))

    assert page.locator('fieldset[data-kind="subindex"]').count() == 7
    _shots(page, "import-review-1366")

    # The text leads to the field: clicking "đạt từ 7,61 điểm trở lên" focuses the value it was read into.
    page.locator("mark.src-m", has_text="7,61 điểm trở lên").first.click()
    focused = page.evaluate("document.activeElement.id")
    assert focused.endswith("-value")
    assert page.input_value(f"#{focused}") == "7,61"
    # …and the field leads to the text: its span is highlighted.
    assert page.locator("mark.src-m.on", has_text="7,61").count() >= 1
    _shots(page, "import-review-linked-1366")

    # Correct one value (typed with a decimal point) and create the plan.
    page.fill(f"#{focused}", "7.65")
    before = Plan.objects.count()
    page.click("#create-plan")
    page.wait_for_url(re.compile(r".*/ke-hoach/\d+/$"))
    assert "Đã tạo kế hoạch (dự thảo) từ văn bản" in page.content()
    assert Plan.objects.count() == before + 1
    plan = Plan.objects.latest("pk")
    assert plan.targets.get(subindex__code="entry_costs").value == Decimal("7.65")
    assert plan.targets.filter(kind="subindex").count() == 7

    page.goto(f"{page.base_url}/ke-hoach/")
    row = page.locator("tr", has=page.locator(f'a[href="/ke-hoach/{plan.pk}/"]'))
    assert row.count() == 1
    assert "Dự thảo" in row.inner_text()


def test_review_at_phone_size(browser, tmp_path):
    page = browser
    _ready(page)
    page.sign_in("vanphong")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/ke-hoach/nhap/")
    document = tmp_path / "ke-hoach.docx"
    document.write_bytes(reference_docx())
    page.set_input_files("input[name=file]", str(document))
    page.click("#upload-submit")
    page.wait_for_url(re.compile(r".*/ke-hoach/nhap/[^/]+/$"))
    # Stacked: the source text comes first, then the form; nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    src, form = page.locator("#src-scroll").bounding_box(), page.locator("#import-form").bounding_box()
    assert src["y"] < form["y"]
    _shots(page, "import-review-390")
    # A row's "Xem trong văn bản" shows its passage in the text.
    page.locator("fieldset[data-kind=subindex] [data-see]").first.click()
    assert page.locator("#src-scroll .on-p").count() >= 1
    page.locator("fieldset[data-kind=subindex]").first.scroll_into_view_if_needed()
    _shots(page, "import-review-row-390")
