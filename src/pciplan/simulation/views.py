"""The "Mô phỏng" page: thin — read the setting from the request, let :mod:`.page` compute, render.

Any signed-in person may simulate (only published data are used); a plan given by ``ke_hoach`` is fetched
through the access rule, so a plan the person may not read answers 404. A form submitted without
JavaScript gets the whole page; htmx gets the results (``#sim-results``) with the pieces that change
swapped out of band, and the charts follow in their own requests.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from pciplan.lib.errors import DomainError
from pciplan.orgs.access import get_for_user, scope_for
from pciplan.plans.models import Plan

from . import charts, page, setup
from .forms import SCORE_PREFIX


def _params(request):
    return request.POST if request.method == "POST" else request.GET


def _setup(request, params) -> setup.Setup:
    raw = (params.get("ke_hoach") or "").strip()
    plan = None
    if raw:
        plan, _ = get_for_user(request, Plan.objects.select_related("province", "edition", "issuer"), raw)
    return setup.resolve(scope_for(request), params, plan=plan, plan_given="ke_hoach" in params)


def _bound(request, params) -> bool:
    return request.method == "POST" or any(k.startswith(SCORE_PREFIX) for k in params)


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    params = _params(request)
    try:
        st = _setup(request, params)
    except DomainError as exc:
        return render(request, "simulation/setup_error.html", {"error": exc, "params": params}, status=400)
    partial = bool(request.htmx) and request.htmx.target == "sim-results"
    result = page.build(st, params, bound=_bound(request, params), lazy_charts=bool(request.htmx),
                        with_statics=not partial)
    status = 200 if result.ok and not result.form.errors else 400
    template = "simulation/_results_oob.html" if partial else "simulation/index.html"
    response = render(request, template, {"page": result, "setup": st, "form": result.form}, status=status)
    if partial and result.ok:
        response["HX-Trigger-After-Settle"] = "sim-charts"  # the charts fetch themselves with the new inputs
    return response


@login_required
@require_http_methods(["GET"])
def chart(request, kind: str):
    """One chart of the page (SVG fragment with its table), or its PNG (``dinh_dang=png``) for a report."""
    if kind not in charts.KINDS:
        raise Http404
    params = request.GET
    try:
        st = _setup(request, params)
    except DomainError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    result = page.build(st, params, bound=_bound(request, params), lazy_charts=True, with_statics=False)
    item = next((c for c in result.charts if c["kind"] == kind), None)
    if item is None:
        first = next(iter(result.form.errors.values()), ["Dữ liệu nhập chưa hợp lệ."])
        return render(request, "simulation/_chart_error.html", {"message": first[0], "kind": kind}, status=400)
    if params.get("dinh_dang") == "png":
        response = HttpResponse(charts.png(kind, item["chart"]), content_type="image/png")
        name = f"mo-phong-{kind}-{st.province_slug}-{st.field_year}.png"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    item["svg"] = charts.svg(kind, item["chart"])
    return render(request, "simulation/_chart.html", {"c": item})
