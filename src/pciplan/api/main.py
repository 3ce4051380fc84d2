"""The API: catalog and published results, plans, targets, tasks, the audit trail (auditors), and what the
other apps add. Every object is fetched through :func:`pciplan.orgs.access.get_for_user` and every list
filtered with the app's visible-filter, exactly as the pages are."""


from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI

from pciplan.lib.errors import DomainError

from .auth import AUTH
from .schemas import MeOut, responses

api = NinjaAPI(
    title="pciplan API",
    version="1",
    description=(
        "Kế hoạch nâng cao PCI: danh mục chỉ số, kết quả công bố, kế hoạch, mục tiêu, nhiệm vụ, báo cáo và ước lượng "
        "khảo sát. Xác thực: `Authorization: Bearer pp_…` (tạo mã tại /api/ma-truy-cap/). Mỗi người chỉ thấy và "
        "sửa đúng phạm vi của mình như trên giao diện web."
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Bạn không có quyền thực hiện thao tác này."},
                               status=403)


@api.exception_handler(DomainError)
def _refused(request, exc):
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


@api.get("/me", response=responses(MeOut), tags=["Tài khoản"], summary="Người đang gọi API")
def me(request):
    user = request.user
    org = user.organisation
    return {"username": user.get_username(), "full_name": user.full_name, "role": user.role,
            "organisation": {"id": org.pk, "code": org.code, "name": org.name} if org else None}


def _mount():
    from . import routes_audit, routes_catalog, routes_plans

    api.add_router("/", routes_catalog.router)
    api.add_router("/", routes_plans.router)
    api.add_router("/", routes_audit.router)
    for module in ("routes_reports", "routes_surveys"):
        try:
            mod = __import__(f"pciplan.api.{module}", fromlist=["router"])
        except ImportError:
            continue
        api.add_router("/", mod.router)


_mount()
