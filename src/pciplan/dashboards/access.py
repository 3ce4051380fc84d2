"""Who sees the province-wide pages — read off the one access rule's :class:`~pciplan.orgs.access.Scope`.

The dashboards own no model: every object they show is fetched through the rules the other apps registered
(plans, reports). The province roll-up is for people whose home is the provincial People's Committee (the
provincial PCI coordinator, ``Scope.province_wide``) and for administrators.
"""

from __future__ import annotations

from pciplan.orgs.access import Scope
from pciplan.orgs.models import Organisation


def province_for(scope: Scope) -> Organisation | None:
    """The province whose roll-up the person may read, or ``None``."""
    if scope.province_wide:
        return scope.home
    if scope.is_admin and scope.home is not None:
        node = scope.home
        while node is not None and node.kind != Organisation.Kind.PROVINCE:
            node = node.parent
        return node
    return None


def province_slug_for(scope: Scope) -> str:
    """The province whose published results the person's pages speak of (their organisation's province)."""
    if scope.home is not None and scope.home.province_slug:
        return scope.home.province_slug
    return ""
