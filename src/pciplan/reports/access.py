"""How periods, unit reports and evidence map onto the one access rule (:mod:`pciplan.orgs.access`).

* A period and its board: read by the people of the agency that issued the plan (and province-wide
  readers); run (reminders, consolidation) by the agency's coordinators.
* A unit report: read by its own unit and by the agency's coordinators, leaders and auditors (and
  province-wide readers); edited by the unit's people while it is a draft or returned. Sending is the
  unit head's; accepting and returning belong to the consolidating unit (checked in the services).
"""

from __future__ import annotations

from pciplan.orgs.access import Access, Scope, register
from pciplan.orgs.models import Role

from .models import Evidence, Period, UnitReport


def reads_agency_work(scope: Scope, issuer_id: int) -> bool:
    """Coordinators, leaders, auditors (and administrators) of the issuing agency or the province."""
    if scope.is_admin:
        return True
    return scope.role in (Role.COORDINATOR, Role.LEADER, Role.AUDITOR) and scope.can_read_org(issuer_id)


def may_coordinate(scope: Scope, period: Period) -> bool:
    """The agency's own coordinators (Văn phòng, Phòng KH-TC …) run the cycle: reminders, consolidation."""
    if scope.is_admin:
        return True
    return (scope.role == Role.COORDINATOR and scope.home is not None
            and scope.home.pk == period.plan.issuer_id)


def may_review(scope: Scope, period: Period) -> bool:
    """Accepting or returning a report: a coordinator of the consolidating unit (or of the agency itself)."""
    if scope.is_admin:
        return True
    if scope.role != Role.COORDINATOR or scope.org is None:
        return False
    return scope.org.pk in (period.consolidator_id, period.plan.issuer_id)


@register(Period)
def period_access(scope: Scope, period: Period) -> Access:
    read = scope.is_admin or scope.can_read_org(period.plan.issuer_id)
    return Access(read=read, edit=read and may_coordinate(scope, period))


@register(UnitReport)
def report_access(scope: Scope, report: UnitReport) -> Access:
    own = scope.works_in(report.unit_id)
    read = own or reads_agency_work(scope, report.period.plan.issuer_id)
    return Access(read=read, edit=own and report.editable)


@register(Evidence)
def evidence_access(scope: Scope, evidence: Evidence) -> Access:
    return report_access(scope, evidence.report)
