from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .models import AuditEntry


def history_for(obj, *, limit: int = 200):
    """The audit entries of ``obj`` and of everything that belongs to it (its root), newest first."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    pk = str(obj.pk)
    return (
        AuditEntry.objects.filter(Q(content_type=ct, object_id=pk) | Q(root_type=ct, root_id=pk))
        .select_related("content_type", "actor")
        .order_by("-at", "-id")[:limit]
    )
