"""Sign-in safety: lock-out, password rules, the second factor, production settings."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pyotp
import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from pciplan.orgs.security.models import SignInEvent, TotpDevice
from pciplan.plans.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/dang-nhap/"


def _post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_password_five_times_locks_the_account_even_with_the_right_one(personas):
    client = Client()
    for _ in range(4):
        response = _post_login(client, "canbo.qlcn", "sai-mat-khau-1")
        assert response.status_code == 200 and "không đúng" in response.content.decode()
    response = _post_login(client, "canbo.qlcn", "sai-mat-khau-1")
    assert "tạm khóa" in response.content.decode()
    response = _post_login(client, "canbo.qlcn", DEMO_PASSWORD)
    assert "tạm khóa" in response.content.decode()
    assert not _signed_in(client)
    # The lock holds for another person at another address too (it is the account that is locked)…
    other = Client(REMOTE_ADDR="10.9.9.9")
    _post_login(other, "CANBO.QLCN", DEMO_PASSWORD)
    assert not _signed_in(other)
    # …and the admin's own sign-in form cannot bypass it.
    admin_form = Client().post("/quan-tri/login/", {"username": "canbo.qlcn", "password": DEMO_PASSWORD})
    assert admin_form.status_code == 302 and "/dang-nhap/" in admin_form["Location"]
    assert SignInEvent.objects.filter(username="canbo.qlcn", outcome="lockout").count() == 1
    assert SignInEvent.objects.filter(username__iexact="canbo.qlcn", outcome="locked").count() >= 2
    # Sixteen minutes later it opens again.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16), tick=False):
        _post_login(client, "canbo.qlcn", DEMO_PASSWORD)
        assert _signed_in(client)


def test_an_unknown_account_name_is_locked_the_same_way(db):
    client = Client()
    answers = {_post_login(client, "khong-ton-tai", "x" * 12).content.decode().count("tạm khóa") for _ in range(6)}
    assert answers == {0, 1}  # no difference from a real account: names cannot be probed


def test_many_accounts_from_one_address_lock_the_address(personas):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for i in range(20):
        _post_login(client, f"doan-{i}", "x" * 12)
    _post_login(client, "canbo.qlcn", DEMO_PASSWORD)
    assert not _signed_in(client)
    elsewhere = Client(REMOTE_ADDR="10.1.2.4")
    _post_login(elsewhere, "canbo.qlcn", DEMO_PASSWORD)
    assert _signed_in(elsewhere)


def test_success_clears_the_count_and_email_sign_in_works(personas):
    client = Client()
    for _ in range(4):
        _post_login(client, "canbo.qlcn", "sai-mat-khau-1")
    _post_login(client, personas["unit_member"].email.upper(), DEMO_PASSWORD)
    assert _signed_in(client)
    client.logout()
    for _ in range(4):
        _post_login(client, "canbo.qlcn", "sai-mat-khau-1")
    _post_login(client, "canbo.qlcn", DEMO_PASSWORD)
    assert _signed_in(client)


@pytest.mark.parametrize("password, ok", [
    ("abcdefghijkl", False),          # one kind of character
    ("Abcdefghijkl", False),          # two kinds
    ("1234567890123", False),         # numeric
    ("Password1234", False),          # common (three kinds, but on the list)
    ("Ngay-15-thang-8", True),
    ("tinh bac giang 2020", True),    # lower, digit, space
    ("Ab1!x", False),                 # too short
])
def test_password_rules(password, ok, personas):
    if ok:
        validate_password(password, personas["unit_member"])
    else:
        with pytest.raises(ValidationError):
            validate_password(password, personas["unit_member"])


def test_password_change_page_applies_the_rules(client_for, personas):
    client = client_for("unit_member")
    response = client.post(reverse("security:password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "abcdefghijkl", "new_password2": "abcdefghijkl"})
    assert response.status_code == 200 and "3 trong 4 loại" in response.content.decode()
    response = client.post(reverse("security:password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"})
    assert response.status_code == 302
    personas["unit_member"].refresh_from_db()
    assert personas["unit_member"].check_password("Mat-khau-moi-2026")


def _enroll(client) -> str:
    page = client.get(reverse("security:totp_setup"))
    assert page.status_code == 200
    secret = client.session["_pciplan_totp_setup"]
    assert secret.replace(" ", "")[:4] in page.content.decode()
    response = client.post(reverse("security:totp_setup"), {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert response.status_code == 400  # a wrong code does not turn it on
    response = client.post(reverse("security:totp_setup"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return secret


def test_second_factor_for_a_coordinator(client_for, personas):
    secret = _enroll(client_for("coordinator"))
    assert TotpDevice.objects.filter(user=personas["coordinator"]).exists()

    client = Client()
    response = _post_login(client, "vanphong", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("security:otp_verify")
    assert not _signed_in(client)
    assert client.get("/").status_code == 302  # the home page still asks to sign in
    response = client.post(reverse("security:otp_verify"), {"code": "12345"})
    assert response.status_code == 400 and not _signed_in(client)
    # The code used at enrolment cannot be used again; the next one works.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31)
    with time_machine.travel(later, tick=False):
        code = pyotp.TOTP(secret).now()
        response = client.post(reverse("security:otp_verify"), {"code": code})
        assert response.status_code == 302 and _signed_in(client)
        # …once only (no replay).
        again = Client()
        _post_login(again, "vanphong", DEMO_PASSWORD)
        assert again.post(reverse("security:otp_verify"), {"code": code}).status_code == 400
        assert not _signed_in(again)


def test_second_factor_is_offered_to_admins_and_coordinators_only(client_for):
    assert client_for("admin").get(reverse("security:totp_setup")).status_code == 200
    for persona in ("unit_member", "unit_head", "leader", "auditor", "outsider"):
        assert client_for(persona).get(reverse("security:totp_setup")).status_code == 403, persona


def test_the_code_page_without_a_password_step_sends_back_to_sign_in(db):
    response = Client().post(reverse("security:otp_verify"), {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_sessions_expire_and_cookies_are_http_only(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


PRODUCTION_ENV = {
    "PCIPLAN_DEBUG": "false",
    "PCIPLAN_SECRET_KEY": "kiem-thu-" + "k7Qz9vR2xW5pL8mN3bT6yH1cF4gJ0dS" * 2,
    "PCIPLAN_ALLOWED_HOSTS": "pci.bacgiang.gov.vn",
    "PCIPLAN_CSRF_TRUSTED_ORIGINS": "https://pci.bacgiang.gov.vn",
}


def _run_with_production_env(*args: str) -> subprocess.CompletedProcess:
    # A clean production environment: none of the developer's PCIPLAN_* nor the test suite's switches.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PCIPLAN_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(PRODUCTION_ENV)
    env["DJANGO_SETTINGS_MODULE"] = "pciplan.settings"
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=120)


def test_deploy_checks_are_clean_with_production_settings():
    result = _run_with_production_env("-m", "pciplan", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_secure():
    script = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
              " for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT',"
              " 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_HTTPONLY', 'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF']}))")
    result = _run_with_production_env("-c", script)
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {"DEBUG": False, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_SSL_REDIRECT": True,
                      "SECURE_HSTS_SECONDS": 31536000, "SESSION_COOKIE_HTTPONLY": True, "X_FRAME_OPTIONS": "DENY",
                      "SECURE_CONTENT_TYPE_NOSNIFF": True}


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PCIPLAN_SECRET_KEY"}
    result = subprocess.run([sys.executable, "-m", "pciplan", "check"], capture_output=True, text=True, timeout=60,
                            env={**{k: v for k, v in os.environ.items() if not k.startswith("PCIPLAN_")}, **env})
    assert result.returncode != 0 and "PCIPLAN_SECRET_KEY" in result.stderr
