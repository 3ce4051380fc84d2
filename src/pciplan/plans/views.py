"""Plan pages: thin — fetch through the access rule, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pciplan.audit.selectors import history_for
from pciplan.clock import today
from pciplan.lib.errors import DomainError
from pciplan.officedoc import XLSX_CONTENT_TYPE
from pciplan.orgs.access import get_for_user, scope_for
from pciplan.orgs.models import Organisation

from . import exports, selectors, services
from .forms import TargetForm, TaskForm, TaskStatusForm
from .models import Plan, Target, Task, TaskStatus


def _get_plan_for_user(request, plan_id, *, edit=False):
    return get_for_user(request, selectors.plan_get(plan_id), plan_id, edit=edit)


def _get_target_for_user(request, target_id, *, edit=False):
    qs = Target.objects.select_related("plan", "plan__issuer", "plan__province", "subindex").prefetch_related(
        "assignments__organisation")
    return get_for_user(request, qs, target_id, edit=edit)


def _get_task_for_user(request, task_id, *, edit=False):
    qs = Task.objects.select_related("plan", "plan__issuer", "plan__province").prefetch_related(
        "assignments__organisation", "targets")
    return get_for_user(request, qs, task_id, edit=edit)


@login_required
def plan_list(request):
    plans = selectors.plan_list(scope_for(request))
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request, plan_id):
    plan, may_edit = _get_plan_for_user(request, plan_id)
    rows = selectors.plan_targets(plan)
    overall = [r for r in rows if r.target.kind in selectors.OVERALL_KINDS]
    subindex_rows = [r for r in rows if r.target.kind == "subindex"]
    indicator_rows = [r for r in rows if r.target.kind == "indicator"]
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "may_edit": may_edit, "overall": overall, "subindex_rows": subindex_rows,
        "indicator_rows": indicator_rows, "rules": plan.reporting_rules.select_related("consolidator", "monitor"),
        "accountability": plan.accountability_rules.select_related("organisation"),
        "children": plan.children.select_related("issuer"),
    })


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def plan_targets_export(request, plan_id):
    plan, _ = _get_plan_for_user(request, plan_id)
    return _xlsx(exports.plan_targets_xlsx(plan), f"muc-tieu-{plan.code}.xlsx")


@login_required
def plan_tasks_export(request, plan_id):
    plan, _ = _get_plan_for_user(request, plan_id)
    return _xlsx(exports.plan_tasks_xlsx(plan, today()), f"nhiem-vu-{plan.code}.xlsx")


@login_required
def plan_tasks(request, plan_id):
    plan, may_edit = _get_plan_for_user(request, plan_id)
    tasks = selectors.plan_tasks(plan, today())
    return render(request, "plans/plan_tasks.html", {"plan": plan, "tasks": tasks, "may_edit": may_edit})


@login_required
def target_detail(request, target_id):
    target, may_edit = _get_target_for_user(request, target_id)
    groups = selectors.target_tasks_by_unit(target, today())
    return render(request, "plans/target_detail.html", {
        "target": target, "plan": target.plan, "groups": groups, "may_edit": may_edit,
    })


@login_required
def target_edit(request, target_id):
    target, _ = _get_target_for_user(request, target_id, edit=True)
    plan = target.plan
    initial = {"label": target.label, "comparator": target.comparator, "value": target.value, "value_text": target.value_text,
               "increase": target.increase, "baseline_year": target.baseline_year}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.TargetSpec(
            kind=target.kind, label=data["label"] or target.label, comparator=data["comparator"], value=data["value"],
            value_text=data["value_text"], of=target.of, unit=target.unit,
            subindex_code=target.subindex.code if target.subindex_id else None, indicator_code=target.indicator_code,
            increase=data["increase"], baseline_year=data["baseline_year"],
            baseline_value=None if data["increase"] is not None else target.baseline_value,
            baseline_source=target.baseline_source, section=target.section, text=target.text, order=target.order)
        try:
            services.target_set(actor=request.user, plan=plan, key=target.key, spec=spec, reason=data.get("reason", ""))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu mục tiêu.")
            return HttpResponseRedirect(reverse("plans:target", args=[target.pk]))
    return render(request, "plans/target_form.html", {"target": target, "plan": plan, "form": form},
                  status=400 if form.errors else 200)


@login_required
def task_detail(request, task_id):
    task, may_edit = _get_task_for_user(request, task_id)
    form = TaskStatusForm(initial={"status": task.status, "completed_on": task.completed_on, "progress": task.progress})
    return render(request, "plans/task_detail.html", {"task": task, "plan": task.plan, "may_edit": may_edit,
                                                      "form": form, "history": history_for(task, limit=50)})


@login_required
@require_POST
def task_status(request, task_id):
    task, _ = _get_task_for_user(request, task_id, edit=True)
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        try:
            services.task_set_status(actor=request.user, task=task, status=form.cleaned_data["status"],
                                     completed_on=form.cleaned_data.get("completed_on"),
                                     progress=form.cleaned_data.get("progress"))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    if form.errors:
        return render(request, "plans/task_detail.html", {"task": task, "plan": task.plan, "may_edit": True,
                                                          "form": form, "history": history_for(task, limit=50)},
                      status=400)
    messages.success(request, f"Đã cập nhật tình trạng: {TaskStatus(form.cleaned_data['status']).label}.")
    return HttpResponseRedirect(reverse("plans:task", args=[task.pk]))


@login_required
def task_create(request, plan_id):
    plan, _ = _get_plan_for_user(request, plan_id, edit=True)
    units = Organisation.objects.filter(pk=plan.issuer_id) | Organisation.objects.filter(parent=plan.issuer)
    form = TaskForm(request.POST or None, units_queryset=units.order_by("kind", "name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(
                actor=request.user, plan=plan, key=f"t-{plan.tasks.count() + 1}-{request.user.pk}", text=data["text"],
                units=[services.UnitRole(org) for org in data["units"]], timing=data["timing"],
                deadline=data.get("deadline"), recurrence=data.get("recurrence") or "", output=data.get("output", ""),
                order=plan.tasks.count() + 1, reason=data.get("reason", ""))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã thêm nhiệm vụ.")
            return HttpResponseRedirect(reverse("plans:task", args=[task.pk]))
    return render(request, "plans/task_form.html", {"plan": plan, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def plan_transition(request, plan_id, action):
    plan, _ = _get_plan_for_user(request, plan_id, edit=True)
    service = {"ban-hanh": services.plan_issue, "ket-thuc": services.plan_close}.get(action)
    if service is None:
        return HttpResponseRedirect(reverse("plans:detail", args=[plan.pk]))
    try:
        service(actor=request.user, plan=plan)
        messages.success(request, "Đã cập nhật trạng thái kế hoạch.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("plans:detail", args=[plan.pk]))


@login_required
def my_work(request):
    work = selectors.unit_work(scope_for(request), today())
    return render(request, "plans/my_work.html", {"work": work, "today": today()})


@login_required
def plan_history(request, plan_id):
    plan, _ = _get_plan_for_user(request, plan_id)
    return render(request, "audit/history.html", {"object": plan, "entries": history_for(plan), "back": plan,
                                                  "title": f"Lịch sử thay đổi — {plan.reference}"})


__all__ = ["Plan"]
