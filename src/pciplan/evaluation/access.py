"""How evaluations map onto the one access rule (:mod:`pciplan.orgs.access`).

* read — everyone of the issuing agency (administrators, coordinators, leaders, auditors, unit staff)
  and the provincial coordinator of the plan's province; nobody from another agency.
* prepare (create, remarks, conclusion) — coordinators of the agency and administrators, while a draft.
* sign off and reopen — the agency's leaders (and administrators).
* a unit's sheet — the agency's coordinators, leaders and auditors; unit staff see their own unit's.
"""

from __future__ import annotations

from pciplan.orgs.access import Access, Scope, register
from pciplan.orgs.models import Role as UserRole
from pciplan.plans.models import Plan

from .models import Evaluation, EvaluationStatus

OVERSIGHT_ROLES = (UserRole.COORDINATOR, UserRole.LEADER, UserRole.AUDITOR)


def reads_plan_evaluations(scope: Scope, plan: Plan) -> bool:
    if scope.is_admin:
        return True
    if scope.can_read_org(plan.issuer_id):
        return True
    return bool(scope.province_wide and scope.home is not None and scope.role in OVERSIGHT_ROLES
                and plan.province.slug == scope.home.province_slug)


def may_prepare(scope: Scope, plan: Plan) -> bool:
    return scope.is_admin or scope.manages_org(plan.issuer_id)


@register(Evaluation)
def evaluation_access(scope: Scope, evaluation: Evaluation) -> Access:
    read = reads_plan_evaluations(scope, evaluation.plan)
    edit = read and evaluation.status == EvaluationStatus.DRAFT and may_prepare(scope, evaluation.plan)
    return Access(read=read, edit=edit)


def may_sign(scope: Scope, evaluation: Evaluation) -> bool:
    """The agency's leader signs a draft off (an administrator may too)."""
    if evaluation.status != EvaluationStatus.DRAFT:
        return False
    return scope.is_admin or (scope.role == UserRole.LEADER and scope.can_read_org(evaluation.plan.issuer_id))


def may_reopen(scope: Scope, evaluation: Evaluation) -> bool:
    if evaluation.status != EvaluationStatus.SIGNED:
        return False
    return scope.is_admin or (scope.role == UserRole.LEADER and scope.can_read_org(evaluation.plan.issuer_id))


def sees_all_units(scope: Scope, evaluation: Evaluation) -> bool:
    """The consolidated table of units and every unit's sheet."""
    if scope.is_admin:
        return True
    return scope.role in OVERSIGHT_ROLES and reads_plan_evaluations(scope, evaluation.plan)


def may_read_unit(scope: Scope, evaluation: Evaluation, org_id: int) -> bool:
    if sees_all_units(scope, evaluation):
        return True
    return scope.is_unit_role and org_id in scope.own_unit_ids and reads_plan_evaluations(scope, evaluation.plan)


def visible_evaluations_filter(scope: Scope):
    """A queryset filter matching the reads of :func:`evaluation_access`, for lists."""
    from django.db.models import Q

    if scope.is_admin:
        return Q()
    q = Q(plan__issuer_id__in=scope.readable_org_ids)
    if scope.province_wide and scope.home is not None and scope.role in OVERSIGHT_ROLES:
        q |= Q(plan__province__slug=scope.home.province_slug)
    return q
