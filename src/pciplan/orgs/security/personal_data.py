"""Personal data: what the system holds about a person, erasing it on request, and who may export it.

Each app that keeps personal data registers a :class:`Provider` (survey contacts, feedback senders…)
with :func:`register`; the administrator serves a request from the admin (“Yêu cầu về dữ liệu cá
nhân”), which gathers every provider's answer into one JSON file, or erases and records what was
erased. The audit trail keeps the names of the officials who acted: it is a record of public duties
that the law requires to keep, so erasure anonymises the account and leaves those entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pciplan.orgs.models import Role


@dataclass(frozen=True)
class DataSubject:
    """The person a request is about: an account, and/or the contact details they gave."""

    user: object | None = None
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Provider:
    name: str
    collect: Callable[[DataSubject], dict | list | None]
    erase: Callable[[DataSubject], int] | None = None


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    _PROVIDERS[provider.name] = provider
    return provider


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


def may_export_personal_data(scope) -> bool:
    """Exports name people (e-mails, phone numbers, who did what) only for administrators and auditors."""
    return bool(scope.authenticated and (scope.is_admin or scope.role == Role.AUDITOR))


def collect(subject: DataSubject) -> dict:
    out = {"generated_at": timezone.now().isoformat()}
    for provider in providers():
        data = provider.collect(subject)
        if data:
            out[provider.name] = data
    return out


@transaction.atomic
def erase(subject: DataSubject) -> dict[str, int]:
    counts = {}
    for provider in providers():
        if provider.erase is not None:
            counts[provider.name] = int(provider.erase(subject) or 0)
    return counts


# --- the providers of the base apps -------------------------------------------------------------------

def _account(subject: DataSubject):
    user = subject.user
    if user is None:
        return None
    return {
        "username": user.get_username(), "full_name": user.full_name, "email": user.email,
        "job_title": user.job_title, "organisation": str(user.organisation) if user.organisation_id else None,
        "role": user.get_role_display(), "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None, "is_active": user.is_active,
    }


def _erase_account(subject: DataSubject) -> int:
    user = subject.user
    if user is None:
        return 0
    user.username = f"da-xoa-{user.pk}"
    user.full_name = f"Người dùng đã xóa #{user.pk}"
    user.first_name = user.last_name = user.job_title = ""
    user.email = f"da-xoa-{user.pk}@invalid.local"
    user.is_active = False
    user.set_unusable_password()
    user.save()
    return 1


def _sign_ins(subject: DataSubject):
    from .models import SignInEvent

    if subject.user is None:
        return None
    return [{"at": e.at.isoformat(), "ip": e.ip, "outcome": e.get_outcome_display()}
            for e in SignInEvent.objects.filter(user=subject.user).order_by("at")[:5000]]


def _erase_sign_ins(subject: DataSubject) -> int:
    from .models import SignInEvent, TotpDevice

    if subject.user is None:
        return 0
    TotpDevice.objects.filter(user=subject.user).delete()
    return SignInEvent.objects.filter(user=subject.user).delete()[0]


def _actions(subject: DataSubject):
    from pciplan.audit.models import AuditEntry

    if subject.user is None:
        return None
    return {"count": AuditEntry.objects.filter(actor=subject.user).count(),
            "note": "Nhật ký thực thi công vụ được lưu theo quy định; không xóa, chỉ ẩn danh hóa tài khoản."}


register(Provider("tai_khoan", _account, _erase_account))
register(Provider("dang_nhap", _sign_ins, _erase_sign_ins))
register(Provider("nhat_ky_cong_vu", _actions, None))
