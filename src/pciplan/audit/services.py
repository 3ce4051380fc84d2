"""Writing the audit trail. Every service that changes data calls :func:`audit_record` in its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    from django.db.models.fields.files import FieldFile

    if isinstance(value, FieldFile):
        return value.name or None
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The audited values of ``obj``: concrete fields (foreign keys as ids), plain JSON values."""
    out = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"id", "name_folded", "text_folded", "label_folded"}:
            continue
        out[field.attname] = _plain(getattr(obj, field.attname))
    return out


def audit_record(*, actor, obj: models.Model, action: str, before: dict | None = None, after: dict | None = None,
                 message: str = "", root: models.Model | None = None) -> AuditEntry:
    """Append one entry to the audit trail (never updated, never deleted)."""
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None) else "hệ thống",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        message=message[:500],
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
    if root is not None:
        entry.root_type = ContentType.objects.get_for_model(root, for_concrete_model=True)
        entry.root_id = str(root.pk)
    entry.save()
    return entry


def audit_create(*, actor, obj, root=None, message: str = "") -> AuditEntry:
    return audit_record(actor=actor, obj=obj, action=AuditEntry.Action.CREATE, after=snapshot(obj), root=root,
                        message=message)


def audit_update(*, actor, obj, before: dict, root=None, message: str = "") -> AuditEntry | None:
    after = snapshot(obj)
    changed_before = {k: v for k, v in before.items() if after.get(k) != v}
    if not changed_before:
        return None
    changed_after = {k: after[k] for k in changed_before}
    return audit_record(actor=actor, obj=obj, action=AuditEntry.Action.UPDATE, before=changed_before,
                        after=changed_after, root=root, message=message)


def audit_delete(*, actor, obj, root=None, message: str = "") -> AuditEntry:
    return audit_record(actor=actor, obj=obj, action=AuditEntry.Action.DELETE, before=snapshot(obj), root=root,
                        message=message)


def audit_transition(*, actor, obj, from_status: str, to_status: str, root=None, message: str = "") -> AuditEntry:
    return audit_record(actor=actor, obj=obj, action=AuditEntry.Action.TRANSITION, before={"status": from_status},
                        after={"status": to_status}, root=root, message=message)
