"""How surveys and instruments map onto the one access rule (:mod:`pciplan.orgs.access`).

* A survey belongs to a unit (or an agency): everyone who reads that organisation's work reads the
  survey's estimates; the unit's own staff and the agency's coordinators run it (invitations, imports,
  opening and closing). Leaders and auditors read only.
* Nobody signed in reads individual answers: pages show aggregates only.
* Shared instrument templates are read by everyone signed in and changed by administrators.
* The public form needs no login, only the one-use token (see ``views.public_form``).
"""

from __future__ import annotations

from django.db.models import Q

from pciplan.orgs.access import Access, Scope, register
from pciplan.orgs.models import Role

from .models import Instrument, Survey


def _runs(scope: Scope, org_id) -> bool:
    if scope.is_admin or scope.manages_org(org_id):
        return True
    return scope.role in (Role.UNIT_HEAD, Role.UNIT_MEMBER) and scope.works_in(org_id)


@register(Survey)
def survey_access(scope: Scope, survey: Survey) -> Access:
    read = scope.is_admin or scope.can_read_org(survey.owner_id)
    return Access(read=read, edit=read and _runs(scope, survey.owner_id))


@register(Instrument)
def instrument_access(scope: Scope, instrument: Instrument) -> Access:
    if instrument.owner_id is None:
        return Access(read=scope.authenticated, edit=scope.is_admin)
    read = scope.is_admin or scope.can_read_org(instrument.owner_id)
    return Access(read=read, edit=read and _runs(scope, instrument.owner_id))


def visible_surveys_filter(scope: Scope) -> Q:
    if scope.is_admin:
        return Q()
    return Q(owner_id__in=scope.readable_org_ids)


def visible_instruments_filter(scope: Scope) -> Q:
    if scope.is_admin:
        return Q()
    return Q(owner__isnull=True) | Q(owner_id__in=scope.readable_org_ids)


def may_import_instrument(scope: Scope) -> bool:
    """A new question set belongs to the person's own organisation: whoever runs its surveys may add one
    (administrators too); leaders and auditors only read."""
    return scope.is_admin or (scope.org is not None and _runs(scope, scope.org.pk))


def organisations_run_by(scope: Scope):
    """Organisations the person may start a survey for (their unit; a coordinator: the agency and its units)."""
    from pciplan.orgs.models import Organisation

    qs = Organisation.objects.all()
    if scope.is_admin:
        return qs
    ids = [pk for pk in scope.readable_org_ids if _runs(scope, pk)]
    return qs.filter(pk__in=ids)
