"""Lock-out after repeated failed sign-ins, counted in the database so every process shares it.

Two counters per attempt: the account name typed (whether or not it exists, so the answer never
reveals which accounts exist) and the address it came from (a higher limit, against guessing across
many accounts). A lock lasts ``PCIPLAN_LOCKOUT_SECONDS``; a successful sign-in clears the account's
counter.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from pciplan.lib.text import fold

from .models import SignInEvent, SignInThrottle

log = logging.getLogger("pciplan.security")


def _limits() -> tuple[int, int, int]:
    return (getattr(settings, "PCIPLAN_LOCKOUT_FAILURES", 5), getattr(settings, "PCIPLAN_LOCKOUT_WINDOW_SECONDS", 900),
            getattr(settings, "PCIPLAN_LOCKOUT_SECONDS", 900))


def client_ip(request) -> str | None:
    """The client's address; behind ``PCIPLAN_NUM_PROXIES`` reverse proxies, taken from X-Forwarded-For."""
    if request is None:
        return None
    proxies = getattr(settings, "PCIPLAN_NUM_PROXIES", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:45]
    return (request.META.get("REMOTE_ADDR") or None) and request.META["REMOTE_ADDR"][:45]


def _keys(username: str | None, ip: str | None) -> list[tuple[str, int]]:
    failures, _window, _lock = _limits()
    keys = []
    if username:
        keys.append((f"u:{fold(username)[:150]}", failures))
    if ip:
        keys.append((f"ip:{ip}", failures * 4))
    return keys


def locked_until(username: str | None, ip: str | None) -> dt.datetime | None:
    """When the lock on this account name or address ends, or ``None`` when sign-in is allowed."""
    keys = [k for k, _ in _keys(username, ip)]
    if not keys:
        return None
    now = timezone.now()
    until = (SignInThrottle.objects.filter(key__in=keys, locked_until__gt=now)
             .order_by("-locked_until").values_list("locked_until", flat=True).first())
    return until


def blocked(username: str | None, ip: str | None) -> dt.datetime | None:
    """Like :func:`locked_until`, and the refused attempt is written to the sign-in log."""
    until = locked_until(username, ip)
    if until is not None:
        record(username, ip, SignInEvent.Outcome.LOCKED)
    return until


def record(username: str | None, ip: str | None, outcome: str, user=None) -> None:
    SignInEvent.objects.create(username=(username or "")[:150], ip=ip, outcome=outcome,
                               user=user if getattr(user, "pk", None) else None)


def register_failure(username: str | None, ip: str | None, *, outcome: str = SignInEvent.Outcome.FAILURE) -> bool:
    """Count one failure; returns True when it locked the account name or the address."""
    _failures, window, lock = _limits()
    now = timezone.now()
    locked = False
    for key, limit in _keys(username, ip):
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    row, _ = SignInThrottle.objects.select_for_update().get_or_create(
                        key=key, defaults={"window_start": now})
                    if row.window_start < now - dt.timedelta(seconds=window):
                        row.failures, row.window_start = 0, now
                    row.failures += 1
                    if row.failures >= limit:
                        row.locked_until = now + dt.timedelta(seconds=lock)
                        row.failures, row.window_start = 0, now
                        locked = True
                        log.warning("sign-in locked", extra={"lock_key": key, "seconds": lock})
                    row.save()
                break
            except IntegrityError:  # two processes created the counter at once: count again
                continue
    record(username, ip, SignInEvent.Outcome.LOCKOUT if locked else outcome)
    return locked


def register_success(username: str | None, ip: str | None, user=None) -> None:
    keys = [k for k, _ in _keys(username, None)]
    if keys:
        SignInThrottle.objects.filter(key__in=keys).delete()
    record(username, ip, SignInEvent.Outcome.SUCCESS, user=user)


def lock_message(until: dt.datetime) -> str:
    minutes = max(1, int((until - timezone.now()).total_seconds() + 59) // 60)
    return (f"Đăng nhập sai quá nhiều lần nên tạm khóa. Vui lòng thử lại sau {minutes} phút "
            "hoặc liên hệ quản trị hệ thống.")
