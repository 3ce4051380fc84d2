from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from pciplan.audit.selectors import history_for
from pciplan.orgs.access import get_for_user

from .models import Organisation
from .selectors import organisation_tree


@login_required
def tree(request):
    return render(request, "orgs/tree.html", {"tree": organisation_tree()})


@login_required
def organisation_detail(request, org_id):
    org, _ = get_for_user(request, Organisation.objects.select_related("parent", "successor"), org_id)
    return render(request, "orgs/detail.html", {
        "org": org, "children": org.children.order_by("name"), "members": org.members.filter(is_active=True).order_by("full_name"),
        "predecessors": org.predecessors.all(), "history": history_for(org, limit=20),
    })
