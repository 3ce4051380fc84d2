"""Optional second factor for administrators and coordinators: a 6-digit code from an authenticator app.

After the password is accepted, a person with a confirmed device is not signed in yet: their id waits
in the session (five minutes) until the code is entered on the next page.
"""

from __future__ import annotations

import time

import pyotp
from django.db import transaction
from django.utils import timezone

from pciplan.audit.services import audit_record
from pciplan.lib.errors import DomainError
from pciplan.orgs.models import Role

from .models import TotpDevice

ISSUER = "pciplan"
PENDING_KEY = "_pciplan_otp_pending"
PENDING_SECONDS = 300
ELIGIBLE_ROLES = (Role.ADMIN, Role.COORDINATOR)


def eligible(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in ELIGIBLE_ROLES))


def device_for(user) -> TotpDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TotpDevice.objects.filter(user=user).first()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, user) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)


def _matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    for offset in (0, -1, 1):  # one step of clock drift either way
        moment = now + offset * totp.interval
        if pyotp.utils.strings_equal(totp.at(moment), code):
            return totp.timecode(moment)
    return None


@transaction.atomic
def verify(user, code: str) -> bool:
    """Check a code against the person's device; each code is accepted once (no replay)."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return False
    step = _matching_step(device.secret, code)
    if step is None or step <= device.last_step:
        return False
    device.last_step = step
    device.save(update_fields=["last_step"])
    return True


@transaction.atomic
def enroll(*, user, secret: str, code: str) -> TotpDevice:
    if not eligible(user):
        raise DomainError("Xác thực hai bước dành cho quản trị và cán bộ điều phối.")
    if TotpDevice.objects.filter(user=user).exists():
        raise DomainError("Tài khoản đã bật xác thực hai bước.")
    step = _matching_step(secret, code)
    if step is None:
        raise DomainError("Mã xác thực không đúng. Kiểm tra giờ trên điện thoại rồi nhập mã mới.", field="code")
    device = TotpDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now(), last_step=step)
    audit_record(actor=user, obj=user, action="update", message="Bật xác thực hai bước")
    return device


@transaction.atomic
def disable(*, actor, user, code: str | None = None) -> None:
    """Turn the second factor off: the person with a current code, or an administrator (lost phone)."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return
    by_admin = actor.pk != user.pk and (actor.is_superuser or actor.role == Role.ADMIN)
    if not by_admin and not verify(user, code or ""):
        raise DomainError("Mã xác thực không đúng.", field="code")
    device.delete()
    audit_record(actor=actor, obj=user, action="update", message="Tắt xác thực hai bước")


def start_pending(request, user, redirect_to: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user": user.pk, "backend": getattr(user, "backend", ""),
                                    "next": redirect_to, "at": time.time()}


def pending(request) -> dict | None:
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    return data


def clear_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)
