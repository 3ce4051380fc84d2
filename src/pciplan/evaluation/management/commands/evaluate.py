"""``pciplan evaluate --year 2020 [--plan PLAN] [--json]`` — the year-end evaluation from the command line.

A signed evaluation prints as signed (its stored results); otherwise the evaluation is computed from the
catalog as it is now.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from pciplan.plans.models import Plan

from ... import rules, selectors
from ...models import Evaluation


def find_plan(year: int, code: str | None) -> Plan:
    plans = Plan.objects.select_related("issuer", "province", "edition")
    if code:
        q = Q(code=code) | (Q(pk=int(code)) if code.isdigit() else Q())
        plan = plans.filter(q).first()
        if plan is None:
            raise CommandError(f"Không tìm thấy kế hoạch “{code}”.")
        if plan.year != year:
            raise CommandError(f"Kế hoạch {plan.code} là kế hoạch năm {plan.year}, không phải năm {year}.")
        return plan
    candidates = list(plans.filter(year=year).annotate(n=Count("targets")).filter(n__gt=0).exclude(status="draft"))
    if not candidates:
        raise CommandError(f"Không có kế hoạch năm {year} nào có mục tiêu để đánh giá.")
    if len(candidates) > 1:
        codes = ", ".join(p.code for p in candidates)
        raise CommandError(f"Có {len(candidates)} kế hoạch năm {year}: chọn một bằng --plan ({codes}).")
    return candidates[0]


class Command(BaseCommand):
    help = "Đánh giá kết quả thực hiện mục tiêu của kế hoạch năm … (--json: kết quả dạng JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá, ví dụ 2020")
        parser.add_argument("--plan", help="Mã (hoặc số thứ tự) của kế hoạch; bỏ trống nếu năm đó chỉ có một kế hoạch")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON")

    def handle(self, *args, **options):
        year = options["year"]
        plan = find_plan(year, options.get("plan"))
        evaluation = Evaluation.objects.filter(plan=plan, year=year).first()
        data = selectors.evaluation_data(evaluation) if evaluation else selectors.compute(plan, year)
        if options["json"]:
            self.stdout.write(json.dumps(rules.to_cli_json(data), ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._text(data, evaluation))

    @staticmethod
    def _text(data: dict, evaluation) -> str:
        p = data["plan"]
        state = ("đã ký duyệt" if evaluation and evaluation.is_signed else "dự thảo" if evaluation else "chưa lập")
        lines = [f"Đánh giá kết quả năm {data['year']} — {p['reference']} {p['issuer']} ({state})", ""]
        for t in data["targets"]:
            lines.append(f"[{t['status_label']:>15}] {t['label']}: {t['margin_text']}")
        lines.append("")
        for u in data["units"]:
            missed = "; ".join(u["missed"]) or "—"
            lines.append(f"{u['name']}: {u['decision_label']} (chưa đạt: {missed})")
        return "\n".join(lines)
