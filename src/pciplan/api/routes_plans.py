"""Plans, targets and tasks, through the plans app's access rule and selectors."""


from django.db.models import Prefetch
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from pciplan.clock import today
from pciplan.orgs.access import get_for_user, scope_for
from pciplan.plans import selectors, services
from pciplan.plans.access import visible_plans_filter
from pciplan.plans.models import Plan, PlanStatus, Target, TargetAssignment, Task, TaskAssignment
from pciplan.plans.outcomes import task_outcome

from .schemas import Error, Pagination, PlanDetailOut, PlanOut, TargetOut, TaskOut, TaskStatusIn, responses

router = Router(tags=["Kế hoạch"])

_TARGET_ASSIGNMENTS = Prefetch("assignments", queryset=TargetAssignment.objects.select_related("organisation")
                               .order_by("role", "organisation__name"))
_TASK_ASSIGNMENTS = Prefetch("assignments", queryset=TaskAssignment.objects.select_related("organisation")
                             .order_by("organisation__name"))


def _org(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def plan_out(plan: Plan) -> dict:
    return {"id": plan.pk, "code": plan.code, "reference": plan.reference, "title": plan.title, "year": plan.year,
            "status": plan.status, "issuer": _org(plan.issuer), "province": plan.province.slug,
            "edition": plan.edition.code, "date": plan.date_text, "parent_id": plan.parent_id}


def target_out(t: Target) -> dict:
    def num(v):
        return float(v) if v is not None else None

    return {"id": t.pk, "plan_id": t.plan_id, "key": t.key, "kind": t.kind, "label": t.label, "comparator": t.comparator,
            "value": num(t.value), "value_text": t.value_text, "of": t.of, "unit": t.unit,
            "subindex": t.subindex.code if t.subindex_id else None, "indicator_code": t.indicator_code,
            "increase": num(t.increase), "baseline_year": t.baseline_year, "baseline_value": num(t.baseline_value),
            "assignments": [{"organisation": _org(a.organisation), "role": a.role} for a in t.assignments.all()]}


def task_out(t: Task, day=None) -> dict:
    day = day or today()
    return {"id": t.pk, "plan_id": t.plan_id, "key": t.key, "section": t.section, "text": t.text, "timing": t.timing,
            "deadline": t.deadline, "recurrence": t.recurrence, "output": t.output, "status": t.status,
            "completed_on": t.completed_on, "progress": t.progress,
            "outcome": task_outcome(timing=t.timing, status=t.status, deadline=t.deadline,
                                    completed_on=t.completed_on, cutoff=day),
            "target_ids": sorted(x.pk for x in t.targets.all()),
            "assignments": [{"organisation": _org(a.organisation), "role": a.role} for a in t.assignments.all()]}


class PlanFilter(Schema):
    year: int | None = None
    status: PlanStatus | None = None


class PlanOutPaged(PlanOut):
    @staticmethod
    def resolve_issuer(obj):
        return _org(obj.issuer)

    @staticmethod
    def resolve_province(obj):
        return obj.province.slug

    @staticmethod
    def resolve_edition(obj):
        return obj.edition.code

    @staticmethod
    def resolve_date(obj):
        return obj.date_text


@router.get("/plans", response=responses(list[PlanOutPaged]), summary="Kế hoạch người dùng được xem")
@paginate(Pagination)
def plan_list(request, filters: Query[PlanFilter]):
    qs = (Plan.objects.filter(visible_plans_filter(scope_for(request)))
          .select_related("issuer", "edition", "province").order_by("-year", "issuer__name", "id"))
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@router.get("/plans/{plan_id}", response=responses(PlanDetailOut), summary="Một kế hoạch và các mục tiêu")
def plan_detail(request, plan_id: int):
    plan, _ = get_for_user(request, selectors.plan_get(plan_id), plan_id)
    targets = (Target.objects.filter(plan=plan).select_related("subindex").prefetch_related(_TARGET_ASSIGNMENTS)
               .order_by("order", "id"))
    return {**plan_out(plan), "purpose": plan.purpose, "signer_name": plan.signer_name,
            "signer_title": plan.signer_title, "targets": [target_out(t) for t in targets]}


@router.get("/plans/{plan_id}/tasks", response=responses(list[TaskOut]), summary="Nhiệm vụ của một kế hoạch")
@paginate(Pagination)
def plan_tasks(request, plan_id: int):
    plan, _ = get_for_user(request, selectors.plan_get(plan_id), plan_id)
    day = today()
    tasks = (Task.objects.filter(plan=plan).prefetch_related(_TASK_ASSIGNMENTS, "targets").order_by("order", "id"))
    return [task_out(t, day) for t in tasks]


def _target_qs():
    return Target.objects.select_related("plan", "plan__issuer", "plan__province", "subindex").prefetch_related(
        _TARGET_ASSIGNMENTS)


def _task_qs():
    return Task.objects.select_related("plan", "plan__issuer", "plan__province").prefetch_related(
        _TASK_ASSIGNMENTS, "targets")


@router.get("/targets/{target_id}", response=responses(TargetOut), summary="Một mục tiêu")
def target_detail(request, target_id: int):
    target, _ = get_for_user(request, _target_qs(), target_id)
    return target_out(target)


@router.get("/tasks/{task_id}", response=responses(TaskOut), summary="Một nhiệm vụ")
def task_detail(request, task_id: int):
    task, _ = get_for_user(request, _task_qs(), task_id)
    return task_out(task)


@router.post("/tasks/{task_id}/status", response={**responses(TaskOut), 400: Error},
             summary="Cập nhật tình trạng nhiệm vụ (đơn vị được giao hoặc điều phối)")
def task_status(request, task_id: int, payload: TaskStatusIn):
    task, _ = get_for_user(request, _task_qs(), task_id, edit=True)
    services.task_set_status(actor=request.user, task=task, status=payload.status,
                             completed_on=payload.completed_on, progress=payload.progress)
    return task_out(_task_qs().get(pk=task.pk))
