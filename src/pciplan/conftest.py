"""Shared test set-up: the catalog and the reference plan are loaded once per test session.

Personas are the named people of the reference plan's department (sample accounts): the coordinator
of the department office, the head and a member of the technology unit, staff of another unit, the
leader, the auditor, an outsider from another agency and the provincial coordinator.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PERSONAS = {
    "admin": "quantri",
    "coordinator": "vanphong",
    "consolidator": "khtc",
    "unit_head": "truongphong.qlcn",
    "unit_member": "canbo.qlcn",
    "other_unit_head": "truongphong.ttud",
    "other_unit": "canbo.ttud",
    "leader": "lanhdao",
    "auditor": "kiemtra",
    "outsider": "ngoai.so",
    "province": "dieuphoi.tinh",
}


def load_everything():
    from django.core.management import call_command

    with open(os.devnull, "w") as sink:
        call_command("load_catalog", verbosity=0, stdout=sink)
        call_command("load_demo", verbosity=0, stdout=sink)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_everything()


@pytest.fixture
def personas(db):
    from pciplan.orgs.models import User

    users = {u.username: u for u in User.objects.filter(username__in=PERSONAS.values()).select_related("organisation")}
    return {name: users[username] for name, username in PERSONAS.items()}


@pytest.fixture
def demo_plan(db):
    from pciplan.plans.models import Plan

    return Plan.objects.select_related("issuer", "edition", "province").get(code="bg-so-khcn-pci-2020")


@pytest.fixture
def client_for(client, personas):
    """``client_for("coordinator")`` — a test client signed in as that persona."""

    def make(name):
        from django.test import Client

        c = Client()
        c.force_login(personas[name])
        return c

    return make


CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


@pytest.fixture
def browser(transactional_db, live_server):
    """A headless Chromium page against the live server, with the demo data loaded.

    In CI (``CI=true``) a missing browser is a failure, never a skip.
    """
    executable = next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None)
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required for browser tests in CI (apt-get install chromium)")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    load_everything()
    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        context = instance.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        # A loaded 2-core machine can take many seconds for the live server's first answers.
        page.set_default_timeout(60000)
        page.set_default_navigation_timeout(90000)
        page.base_url = live_server.url
        page.goto(f"{live_server.url}/healthz")

        def sign_in(username, password=None):
            from pciplan.plans.demo import DEMO_PASSWORD

            page.goto(f"{live_server.url}/dang-nhap/")
            page.fill("#id_username", username)
            page.fill("#id_password", password or DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()

        page.sign_in = sign_in
        try:
            yield page
        finally:
            context.close()
            instance.close()
