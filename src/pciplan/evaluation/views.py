"""Evaluation pages: thin — fetch through the access rule, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pciplan.audit.selectors import history_for
from pciplan.lib.errors import DomainError
from pciplan.orgs.access import get_for_user, scope_for
from pciplan.orgs.models import Organisation
from pciplan.plans import selectors as plan_selectors

from . import access, charts, exports, rules, selectors, services


def _get_evaluation_for_user(request, pk, *, edit=False):
    return get_for_user(request, selectors.evaluation_get(), pk, edit=edit)


def _unit_or_404(data: dict, org_id: int) -> dict:
    for unit in data["units"]:
        if unit["org_id"] == org_id:
            return unit
    raise Http404


def _context(request, evaluation, may_edit):
    scope = scope_for(request)
    data = selectors.evaluation_data(evaluation)
    remarks = data.get("remarks") if evaluation.is_signed else {
        str(k): v.text for k, v in selectors.remarks_by_org(evaluation).items()}
    conclusion = data.get("conclusion", "") if evaluation.is_signed else evaluation.conclusion
    return scope, data, {
        "evaluation": evaluation, "plan": evaluation.plan, "data": data, "may_edit": may_edit,
        "remarks": remarks or {}, "conclusion": conclusion,
        "may_sign": access.may_sign(scope, evaluation), "may_reopen": access.may_reopen(scope, evaluation),
        "sees_all_units": access.sees_all_units(scope, evaluation),
        "own_unit_ids": scope.own_unit_ids if scope.is_unit_role else frozenset(),
        "overall": [t for t in data["targets"] if t["kind"] in ("rank", "group", "total")],
        "subindex_targets": [t for t in data["targets"] if t["kind"] == "subindex"],
        "indicator_targets": [t for t in data["targets"] if t["kind"] == "indicator"],
        "internal_units": [u for u in data["units"] if u["internal"]],
        "external_units": [u for u in data["units"] if not u["internal"]],
        "role_labels": rules.ROLE_LABELS,
    }


@login_required
def index(request):
    scope = scope_for(request)
    evaluations = list(selectors.evaluation_list(scope))
    candidates = selectors.plans_to_evaluate(scope)
    return render(request, "evaluation/index.html", {"evaluations": evaluations, "candidates": candidates})


@login_required
@require_POST
def create(request, plan_id):
    plan, _ = get_for_user(request, plan_selectors.plan_get(plan_id), plan_id)
    if not access.may_prepare(scope_for(request), plan):
        raise PermissionDenied("Chỉ cán bộ điều phối của cơ quan lập được bản đánh giá.")
    try:
        evaluation = services.evaluation_create(actor=request.user, plan=plan)
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("evaluation:index"))
    messages.success(request, f"Đã lập bản đánh giá năm {evaluation.year} (dự thảo).")
    return HttpResponseRedirect(reverse("evaluation:detail", args=[evaluation.pk]))


@login_required
def detail(request, pk):
    evaluation, may_edit = _get_evaluation_for_user(request, pk)
    scope, data, ctx = _context(request, evaluation, may_edit)
    ctx["target_chart"] = charts.targets_chart(data)
    if ctx["sees_all_units"]:
        ctx["units_chart"] = charts.units_chart(data)
    else:
        ctx["internal_units"] = [u for u in ctx["internal_units"] if u["org_id"] in ctx["own_unit_ids"]]
        ctx["external_units"] = []
    ctx["matrix_targets"] = [t for t in data["targets"] if t["kind"] in ("subindex", "indicator")]
    return render(request, "evaluation/detail.html", ctx)


@login_required
def unit_sheet(request, pk, org_id):
    evaluation, may_edit = _get_evaluation_for_user(request, pk)
    scope = scope_for(request)
    if not access.may_read_unit(scope, evaluation, org_id):
        raise Http404
    scope, data, ctx = _context(request, evaluation, may_edit)
    unit = _unit_or_404(data, org_id)
    roles = unit["role_by_target"]
    accountable = {a["target"]: a for a in unit["accountable"]}
    ctx.update({"unit": unit, "remark": ctx["remarks"].get(str(org_id), ""),
                "owned_targets": [(t, roles[t["key"]], accountable.get(t["key"])) for t in data["targets"]
                                  if roles.get(t["key"]) in ("lead", "owner")],
                "supported_targets": [t for t in data["targets"] if roles.get(t["key"]) == "support"],
                "unit_chart": charts.unit_chart(data, unit)})
    return render(request, "evaluation/unit.html", ctx)


@login_required
@require_POST
def conclusion(request, pk):
    evaluation, _ = _get_evaluation_for_user(request, pk, edit=True)
    try:
        services.evaluation_set_conclusion(actor=request.user, evaluation=evaluation,
                                           conclusion=request.POST.get("conclusion", ""))
        messages.success(request, "Đã lưu nhận xét chung.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("evaluation:detail", args=[evaluation.pk]) + "#nhan-xet")


@login_required
@require_POST
def remark(request, pk, org_id):
    evaluation, _ = _get_evaluation_for_user(request, pk, edit=True)
    data = selectors.evaluation_data(evaluation)
    unit = _unit_or_404(data, org_id)
    if not unit["internal"]:
        raise Http404
    organisation = Organisation.objects.get(pk=org_id)
    try:
        services.evaluation_set_remark(actor=request.user, evaluation=evaluation, organisation=organisation,
                                       text=request.POST.get("text", ""))
        messages.success(request, "Đã lưu nhận xét về đơn vị.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("evaluation:unit", args=[evaluation.pk, org_id]))


@login_required
@require_POST
def sign(request, pk):
    evaluation, _ = _get_evaluation_for_user(request, pk)
    if not access.may_sign(scope_for(request), evaluation):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan ký duyệt được bản đánh giá dự thảo.")
    try:
        services.evaluation_sign(actor=request.user, evaluation=evaluation)
        messages.success(request, "Đã ký duyệt. Bản đánh giá đã khóa; muốn sửa phải mở lại và ghi lý do.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("evaluation:detail", args=[evaluation.pk]))


@login_required
@require_POST
def reopen(request, pk):
    evaluation, _ = _get_evaluation_for_user(request, pk)
    if not access.may_reopen(scope_for(request), evaluation):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan mở lại được bản đánh giá đã ký.")
    try:
        services.evaluation_reopen(actor=request.user, evaluation=evaluation, reason=request.POST.get("reason", ""))
        messages.success(request, "Đã mở lại bản đánh giá; lý do đã được ghi vào nhật ký.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("evaluation:detail", args=[evaluation.pk]))


@login_required
def history(request, pk):
    evaluation, _ = _get_evaluation_for_user(request, pk)
    if not scope_for(request).can_read_audit(evaluation.plan.issuer_id):
        raise PermissionDenied("Bạn không có quyền xem nhật ký thay đổi.")
    entries = [e for e in history_for(evaluation.plan, limit=500)
               if e.content_type.model in ("evaluation", "unitremark")]
    return render(request, "audit/history.html", {
        "object": evaluation, "entries": entries, "back": None,
        "title": f"Lịch sử đánh giá năm {evaluation.year} — {evaluation.plan.reference}"})


def _download(result) -> HttpResponse:
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@login_required
def export(request, pk, fmt):
    evaluation, _ = _get_evaluation_for_user(request, pk)
    scope = scope_for(request)
    if not access.sees_all_units(scope, evaluation):
        raise Http404
    _scope, data, ctx = _context(request, evaluation, False)
    result = exports.consolidated(evaluation, data, ctx["remarks"], ctx["conclusion"], fmt=fmt, actor=request.user)
    return _download(result)


@login_required
def export_unit(request, pk, org_id, fmt):
    evaluation, _ = _get_evaluation_for_user(request, pk)
    if not access.may_read_unit(scope_for(request), evaluation, org_id):
        raise Http404
    _scope, data, ctx = _context(request, evaluation, False)
    unit = _unit_or_404(data, org_id)
    result = exports.unit_sheet(evaluation, data, unit, ctx["remarks"].get(str(org_id), ""), fmt=fmt,
                                actor=request.user)
    return _download(result)
