from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from pciplan.orgs.access import get_for_user, scope_for

from .models import AuditEntry
from .selectors import history_for


@login_required
def object_history(request, ct_id, object_id):
    try:
        model = ContentType.objects.get_for_id(ct_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404
    if model is None or model is AuditEntry:
        raise Http404
    obj, _ = get_for_user(request, model._default_manager.all(), object_id)
    return render(request, "audit/history.html", {"object": obj, "entries": history_for(obj),
                                                  "title": f"Lịch sử thay đổi — {obj}"})


@login_required
def audit_log(request):
    scope = scope_for(request)
    if not (scope.is_admin or scope.role == "auditor"):
        raise PermissionDenied("Chỉ cán bộ kiểm tra, giám sát và quản trị xem được toàn bộ nhật ký.")
    page = Paginator(AuditEntry.objects.select_related("content_type").order_by("-at", "-id"), 50).get_page(
        request.GET.get("trang"))
    return render(request, "audit/log.html", {"page": page})
