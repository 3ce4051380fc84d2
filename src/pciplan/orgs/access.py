"""The access rule — one place for every page, API route and export.

Everything a person may see or change follows from their role and the organisation they belong to:

* **administrator** — everything.
* **coordinator**, **leader**, **auditor** — read everything inside their *home* (the agency they
  belong to, with all its units; a coordinator attached to the provincial People's Committee reads the
  whole province). Coordinators change their agency's plans and consolidate; leaders sign evaluations
  off; auditors change nothing.
* **unit head**, **unit member** — read their agency's plans and their own unit's work; change their
  own unit's work (the head also approves and sends).
* Issued plans are public administrative documents: every signed-in person may read them.

Apps register how each of their models maps onto this rule (:func:`register`) and views fetch every
object through :func:`get_for_user`, which answers 404 for an object outside the person's sight and 403
for a change they may not make.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Organisation, Role


@dataclass(frozen=True)
class Access:
    read: bool
    edit: bool

    @classmethod
    def none(cls) -> Access:
        return cls(False, False)


class Scope:
    """What one person can reach, computed once per request (a handful of queries, never per row)."""

    def __init__(self, user):
        self.user = user
        self.authenticated = bool(user and user.is_authenticated)
        self.role = getattr(user, "role", None) if self.authenticated else None
        self.is_admin = self.authenticated and (user.is_superuser or self.role == Role.ADMIN)
        self.org: Organisation | None = getattr(user, "organisation", None) if self.authenticated else None

    @cached_property
    def _all_orgs(self) -> dict[int, tuple[int | None, str, str]]:
        return {pk: (parent, kind, prov) for pk, parent, kind, prov in
                Organisation.objects.values_list("pk", "parent_id", "kind", "province_slug")}

    def _subtree(self, root_id: int | None) -> frozenset[int]:
        if root_id is None:
            return frozenset()
        children: dict[int | None, list[int]] = {}
        for pk, (parent, _kind, _prov) in self._all_orgs.items():
            children.setdefault(parent, []).append(pk)
        out, stack = set(), [root_id]
        while stack:
            node = stack.pop()
            if node in out:
                continue
            out.add(node)
            stack.extend(children.get(node, []))
        return frozenset(out)

    @cached_property
    def home(self) -> Organisation | None:
        """The organisation whose subtree the person reads: their agency, or the province."""
        if self.org is None:
            return None
        return self.org.agency() if self.org.kind == Organisation.Kind.UNIT else self.org

    @property
    def province_wide(self) -> bool:
        return self.home is not None and self.home.kind == Organisation.Kind.PROVINCE

    @cached_property
    def readable_org_ids(self) -> frozenset[int]:
        if self.is_admin:
            return frozenset(self._all_orgs)
        return self._subtree(self.home.pk if self.home else None)

    @cached_property
    def own_unit_ids(self) -> frozenset[int]:
        """Organisations whose work the person carries out (their unit and what is below it)."""
        if self.org is None:
            return frozenset()
        return self._subtree(self.org.pk)

    @property
    def is_unit_role(self) -> bool:
        return self.role in (Role.UNIT_HEAD, Role.UNIT_MEMBER)

    def can_read_org(self, org_id: int | None) -> bool:
        return self.is_admin or (org_id is not None and org_id in self.readable_org_ids)

    def manages_org(self, org_id: int | None) -> bool:
        """Coordinators (and administrators) manage the plans and reports of their home subtree."""
        if self.is_admin:
            return True
        return self.role == Role.COORDINATOR and org_id is not None and org_id in self.readable_org_ids

    def works_in(self, org_id: int | None) -> bool:
        return org_id is not None and org_id in self.own_unit_ids and self.is_unit_role

    def can_read_audit(self, org_id: int | None) -> bool:
        return self.is_admin or (self.role in (Role.AUDITOR, Role.LEADER, Role.COORDINATOR) and self.can_read_org(org_id))


def scope_for(request_or_user) -> Scope:
    """The person's scope, computed once per request.

    It is kept on the request and on the request's user object, which lives only as long as the request
    (the authentication middleware loads it afresh each time), so the services a view calls with
    ``actor=request.user`` reuse it. A user object that did not come through a request gets a fresh scope.
    """
    request = request_or_user if hasattr(request_or_user, "user") and hasattr(request_or_user, "method") else None
    if request is None:
        cached = getattr(request_or_user, "_pciplan_request_scope", None)
        return cached if cached is not None else Scope(request_or_user)
    cached = getattr(request, "_pciplan_scope", None)
    if cached is None or cached.user is not request.user:
        cached = Scope(request.user)
        request._pciplan_scope = cached
        if cached.authenticated:
            request.user._pciplan_request_scope = cached
    return cached


_RULES: dict[type, Callable[[Scope, object], Access]] = {}


def register(model: type):
    """Register the access rule of ``model`` (a function ``(scope, obj) -> Access``)."""

    def decorator(func: Callable[[Scope, object], Access]):
        _RULES[model] = func
        return func

    return decorator


def access_for(request_or_user, obj) -> Access:
    scope = scope_for(request_or_user)
    if not scope.authenticated:
        return Access.none()
    for klass in type(obj).__mro__:
        rule = _RULES.get(klass)
        if rule is not None:
            return rule(scope, obj)
    return Access(read=scope.is_admin, edit=scope.is_admin)


def get_for_user(request, queryset, pk, *, edit: bool = False):
    """Fetch one object through the access rule: ``(obj, may_edit)``.

    404 when it does not exist or lies outside the person's sight (so ids cannot be probed), 403 when a
    change is asked for and not allowed.
    """
    try:
        obj = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404
    access = access_for(request, obj)
    if not access.read:
        raise Http404
    if edit and not access.edit:
        raise PermissionDenied("Bạn không có quyền thay đổi nội dung này.")
    return obj, access.edit


@register(Organisation)
def _organisation_access(scope: Scope, org: Organisation) -> Access:
    # The organisation tree is public inside the system; only administrators change it.
    return Access(read=True, edit=scope.is_admin)
