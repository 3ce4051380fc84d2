"""Demo step: a draft year-end evaluation of the reference plan (prepared by the department office).

Idempotent: created once; it stays a draft, so the demo shows the live computation and a leader can
sign it off.
"""

from __future__ import annotations

from pciplan.orgs.models import User
from pciplan.plans.models import Plan

from . import services
from .models import Evaluation

DEMO_PLAN = "bg-so-khcn-pci-2020"
DEMO_PREPARER = "vanphong"


def load_demo() -> str:
    plan = Plan.objects.filter(code=DEMO_PLAN).first()
    if plan is None:
        return "chưa có kế hoạch mẫu"
    existing = Evaluation.objects.filter(plan=plan, year=plan.year).first()
    if existing is not None:
        return f"đã có bản đánh giá năm {existing.year} ({existing.get_status_display().lower()})"
    evaluation = services.evaluation_create(actor=User.objects.filter(username=DEMO_PREPARER).first(), plan=plan)
    return f"bản đánh giá năm {evaluation.year} (dự thảo)"
