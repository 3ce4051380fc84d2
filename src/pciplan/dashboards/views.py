"""Role homes, the target status page, the province roll-up and the trend page — thin views: fetch through
the access rule, call a selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from pciplan.clock import today
from pciplan.lib.text import fold_key
from pciplan.officedoc import XLSX_CONTENT_TYPE
from pciplan.orgs.access import get_for_user, scope_for
from pciplan.plans.models import Plan, Target
from pciplan.reports.access import may_coordinate, may_review
from pciplan.web import views as web_views

from . import access, details, exports, selectors
from .status import RULE_STEPS
from .trends import province_trends


def _int(request, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def _download(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _slug(text: str) -> str:
    return "-".join(fold_key(text).split())[:60] or "tong-quan"


# ------------------------------------------------------------------------------------------------ homes
@login_required
def home(request):
    """The home page: what the person's role needs first."""
    scope = scope_for(request)
    day = today()
    kind = selectors.home_kind(scope)
    if kind == "province":
        return _province_page(request, access.province_for(scope), home=True)
    if kind == "leader":
        data = selectors.leader_home(scope, day, _int(request, "ke-hoach"))
        return render(request, "dashboards/leader.html", {"d": data, "today": day, "rule_steps": RULE_STEPS,
                                                          "province_page": access.province_for(scope) is not None})
    if kind == "coordinator":
        data = selectors.coordinator_home(scope, day, _int(request, "ke-hoach"), _int(request, "ky"))
        period = data.period
        return render(request, "dashboards/coordinator.html", {
            "d": data, "today": day, "rule_steps": RULE_STEPS,
            "may_coordinate": period is not None and may_coordinate(scope, period),
            "may_review": period is not None and may_review(scope, period)})
    if kind == "unit":
        data = selectors.unit_home(scope, day)
        return render(request, "dashboards/unit.html", {"d": data, "today": day})
    return web_views.home(request)


@login_required
def index(request):
    return redirect("home")


@login_required
def targets_export(request):
    """"Xuất Excel" of a plan's target statuses (the leader's and coordinator's home)."""
    plan_id = _int(request, "ke-hoach")
    if plan_id is None:
        raise Http404
    plan, _ = get_for_user(request, Plan.objects.select_related("issuer", "province", "edition"), plan_id)
    day = today()
    rows = selectors.target_rows([plan], day).get(plan.pk, [])
    return _download(exports.targets_xlsx(plan, rows, day), f"tinh-trang-muc-tieu-{plan.year}-{_slug(plan.issuer.name)}.xlsx")


# ----------------------------------------------------------------------------------------------- target
@login_required
def target(request, target_id):
    target, _ = get_for_user(request, Target.objects.select_related(
        "plan", "plan__issuer", "plan__province", "plan__edition", "subindex"), target_id)
    scope = scope_for(request)
    detail = details.target_detail(target, scope, today())
    return render(request, "dashboards/target.html", {"detail": detail, "row": detail.row, "target": target,
                                                      "plan": target.plan, "today": detail.today,
                                                      "rule_steps": RULE_STEPS})


# --------------------------------------------------------------------------------------------- province
def _province_or_403(request):
    province = access.province_for(scope_for(request))
    if province is None:
        raise PermissionDenied("Trang toàn tỉnh dành cho cán bộ điều phối PCI cấp tỉnh.")
    return province


SORTS = {
    "ten": ("Tên cơ quan", lambda d: d.agency.name),
    "hoan-thanh": ("Tỷ lệ hoàn thành (thấp trước)", lambda d: (d.tasks.completion is None, d.tasks.completion or 0)),
    "qua-han": ("Số nhiệm vụ quá hạn (nhiều trước)", lambda d: -d.tasks.overdue),
    "dung-han": ("Báo cáo đúng hạn (thấp trước)", lambda d: (d.reports.punctuality is None, d.reports.punctuality or 0)),
}


def _province_page(request, province, *, home: bool = False):
    data = selectors.province_rollup(province, today(), _int(request, "nam"))
    sort = request.GET.get("sap-xep") if request.GET.get("sap-xep") in SORTS else "ten"
    departments = sorted(data.departments, key=lambda d: d.agency.name)
    departments.sort(key=SORTS[sort][1])
    return render(request, "dashboards/province.html", {
        "r": data, "today": data.today, "home": home, "rule_steps": RULE_STEPS, "departments": departments,
        "sort": sort, "sort_options": [(k, v[0]) for k, v in SORTS.items()],
        "provincial_ids": {p.pk for p in data.provincial_plans}})


@login_required
def province(request):
    return _province_page(request, _province_or_403(request))


@login_required
def province_export(request):
    data = selectors.province_rollup(_province_or_403(request), today(), _int(request, "nam"))
    return _download(exports.province_xlsx(data), f"pci-{data.year}-toan-tinh.xlsx")


# ----------------------------------------------------------------------------------------------- trends
@login_required
def trends(request):
    from . import figures  # matplotlib loads on the first trend page, not with the URLs

    scope = scope_for(request)
    data = province_trends(access.province_slug_for(scope), today())
    return render(request, "dashboards/trends.html", {
        "t": data, "today": data.today, "trend": figures.trend_figure(data), "peer": figures.peer_figure(data),
        "province_page": access.province_for(scope) is not None})


@login_required
def trends_export(request):
    data = province_trends(access.province_slug_for(scope_for(request)), today())
    if data.province is None:
        raise Http404
    return _download(exports.trends_xlsx(data), f"pci-xu-huong-{data.province.slug}.xlsx")
