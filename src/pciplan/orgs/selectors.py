from __future__ import annotations

from collections import defaultdict

from .models import Organisation


def organisation_tree(root_ids=None):
    """Nested (organisation, children) pairs in one query, roots first."""
    orgs = list(Organisation.objects.select_related("successor").order_by("kind", "name"))
    children = defaultdict(list)
    for org in orgs:
        children[org.parent_id].append(org)

    def build(node):
        return {"org": node, "children": [build(c) for c in children.get(node.pk, [])]}

    roots = [o for o in orgs if o.parent_id is None and (root_ids is None or o.pk in root_ids)]
    return [build(r) for r in roots]
