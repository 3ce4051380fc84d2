"""Making, checking and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from pciplan.audit.services import audit_create, audit_record
from pciplan.lib.errors import DomainError

from .models import ApiToken

TOKEN_PREFIX = "pp_"
MAX_DAYS = 366


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor, user, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with the secret text, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Đặt tên gợi nhớ cho mã (ví dụ: Bảng tính tổng hợp quý).", field="name")
    if days is not None and not (1 <= int(days) <= MAX_DAYS):
        raise DomainError(f"Thời hạn từ 1 đến {MAX_DAYS} ngày.", field="days")
    if actor.pk != user.pk and not (actor.is_superuser or actor.role == "admin"):
        raise DomainError("Chỉ tạo được mã cho chính mình.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:10], digest=_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=int(days)) if days else None)
    audit_create(actor=actor, obj=token, message="Tạo mã truy cập API")
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, obj=token, action="update", message="Thu hồi mã truy cập API",
                     after={"revoked_at": token.revoked_at})
    return token


def user_for_token(raw: str):
    """The active user a token belongs to, or ``None``."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user", "user__organisation").filter(digest=_digest(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
