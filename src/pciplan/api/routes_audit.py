"""The audit trail for auditors and administrators: read page by page, or export everything as CSV."""


import csv
import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from pciplan.audit.models import AuditEntry
from pciplan.audit.services import audit_record
from pciplan.orgs.access import scope_for
from pciplan.orgs.security.personal_data import may_export_personal_data

from .schemas import AuditEntryOut, Pagination, responses

router = Router(tags=["Nhật ký thay đổi"])


def _require_audit_reader(request):
    scope = scope_for(request)
    if not (scope.is_admin or scope.role == "auditor"):
        raise PermissionDenied("Chỉ cán bộ kiểm tra, giám sát và quản trị xem được toàn bộ nhật ký.")
    return scope


class AuditFilter(Schema):
    since: dt.date | None = None
    until: dt.date | None = None
    object_type: str | None = None


def _entries(filters: AuditFilter):
    qs = AuditEntry.objects.select_related("content_type", "root_type").order_by("id")
    if filters.since:
        qs = qs.filter(at__date__gte=filters.since)
    if filters.until:
        qs = qs.filter(at__date__lte=filters.until)
    if filters.object_type:
        app, _, model = filters.object_type[:100].partition(".")
        qs = qs.filter(content_type__app_label=app, content_type__model=model)
    return qs


class AuditEntryPaged(AuditEntryOut):
    @staticmethod
    def resolve_object_type(obj):
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_root_type(obj):
        return f"{obj.root_type.app_label}.{obj.root_type.model}" if obj.root_type_id else None


@router.get("/audit/entries", response=responses(list[AuditEntryPaged]), summary="Nhật ký thay đổi (kiểm tra, quản trị)")
@paginate(Pagination)
def audit_entries(request, filters: Query[AuditFilter]):
    _require_audit_reader(request)
    return _entries(filters)


class _Echo:
    def write(self, value):
        return value


@router.get("/audit/export.csv", response=responses(str), summary="Xuất toàn bộ nhật ký (CSV, UTF-8)",
            openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def audit_export(request, filters: Query[AuditFilter]):
    scope = _require_audit_reader(request)
    with_people = may_export_personal_data(scope)
    entries = _entries(filters)
    writer = csv.writer(_Echo())
    header = ["id", "thoi_diem", "nguoi_thuc_hien", "hanh_dong", "loai_doi_tuong", "ma_doi_tuong", "doi_tuong",
              "thuoc_loai", "thuoc_ma", "noi_dung", "truoc", "sau"]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for e in entries.iterator(chunk_size=2000):
            yield writer.writerow([
                e.pk, e.at.isoformat(), e.actor_name if with_people else (f"#{e.actor_id}" if e.actor_id else ""),
                e.action, f"{e.content_type.app_label}.{e.content_type.model}", e.object_id, e.object_repr,
                f"{e.root_type.app_label}.{e.root_type.model}" if e.root_type_id else "", e.root_id, e.message,
                json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
                json.dumps(e.after, ensure_ascii=False) if e.after is not None else ""])

    audit_record(actor=request.user, obj=request.user, action="export", message="Xuất nhật ký thay đổi (CSV)")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-thay-doi.csv"'
    return response
