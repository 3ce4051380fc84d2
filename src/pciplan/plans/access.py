"""How plans, targets and tasks map onto the one access rule (:mod:`pciplan.orgs.access`)."""

from __future__ import annotations

from pciplan.orgs.access import Access, Scope, register
from pciplan.orgs.models import Role as UserRole

from .models import Plan, PlanStatus, Target, Task


def plan_access(scope: Scope, plan: Plan) -> Access:
    in_scope = scope.can_read_org(plan.issuer_id) or (
        # The provincial coordinator sees the department plans that implement the province's plan.
        scope.province_wide and scope.home is not None and plan.province.slug == scope.home.province_slug
    )
    public = plan.status != PlanStatus.DRAFT
    read = scope.is_admin or in_scope or public
    edit = plan.status != PlanStatus.CLOSED and (scope.is_admin or scope.manages_org(plan.issuer_id))
    return Access(read=read, edit=edit)


register(Plan)(plan_access)


@register(Target)
def target_access(scope: Scope, target: Target) -> Access:
    return plan_access(scope, target.plan)


@register(Task)
def task_access(scope: Scope, task: Task) -> Access:
    """Read with the plan; a task's status is reported by the units it is given to (or a coordinator)."""
    plan_rule = plan_access(scope, task.plan)
    if not plan_rule.read:
        return Access.none()
    if task.plan.status == PlanStatus.CLOSED or scope.role in (UserRole.AUDITOR, UserRole.LEADER):
        return Access(read=True, edit=False)
    if plan_rule.edit:
        return Access(read=True, edit=True)
    unit_ids = {a.organisation_id for a in task.assignments.all()}
    return Access(read=True, edit=any(scope.works_in(org_id) for org_id in unit_ids))


def visible_plans_filter(scope: Scope):
    """A queryset filter matching :func:`plan_access` reads, for lists (one query, no per-row check)."""
    from django.db.models import Q

    if scope.is_admin:
        return Q()
    q = ~Q(status=PlanStatus.DRAFT) | Q(issuer_id__in=scope.readable_org_ids)
    if scope.province_wide and scope.home is not None:
        q |= Q(province__slug=scope.home.province_slug)
    return q
