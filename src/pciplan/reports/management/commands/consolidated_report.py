"""``pciplan consolidated-report --period 2020-Q3 -o FILE.docx [--plan PLAN] [--annex FILE.xlsx]``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from pciplan.clock import today
from pciplan.plans.models import Plan

from ... import consolidation, documents
from ...models import Period


def find_plan(value: str | None) -> Plan:
    plans = Plan.objects.filter(periods__isnull=False).distinct()
    if value:
        query = Q(code=value) | Q(number=value)
        if value.isdigit():
            query |= Q(pk=int(value))
        if "/" in value:
            number, _, symbol = value.partition("/")
            query |= Q(number=number, symbol=symbol)
        matches = list(plans.filter(query))
        if not matches:
            raise CommandError(f"Không tìm thấy kế hoạch “{value}” (theo mã, số hiệu hoặc số văn bản).")
        if len(matches) > 1:
            raise CommandError(f"“{value}” khớp với nhiều kế hoạch: " + ", ".join(f"{p.pk} ({p.code})" for p in matches))
        return matches[0]
    matches = list(plans[:2])
    if not matches:
        raise CommandError("Chưa có kế hoạch nào có kỳ báo cáo.")
    if len(matches) > 1:
        listing = ", ".join(f"{p.pk} ({p.code})" for p in plans)
        raise CommandError(f"Có nhiều kế hoạch; chọn bằng --plan: {listing}")
    return matches[0]


class Command(BaseCommand):
    help = ("Xuất báo cáo tổng hợp của một kỳ (DOCX theo Nghị định 30/2020), lập từ các báo cáo đã tiếp nhận. "
            "Ví dụ: pciplan consolidated-report --period 2020-Q3 -o bao-cao-quy-3.docx")

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="mã kỳ báo cáo, ví dụ 2020-Q3 hoặc 2020-Y")
        parser.add_argument("-o", "--output", required=True, help="tệp DOCX sẽ ghi")
        parser.add_argument("--plan", help="kế hoạch: id, mã hoặc số văn bản (không cần khi chỉ có một kế hoạch)")
        parser.add_argument("--annex", help="ghi thêm phụ lục Excel (XLSX) vào tệp này")

    def handle(self, *args, **options):
        plan = find_plan(options.get("plan"))
        code = options["period"].strip().upper().replace("-Q", "-Q")
        period = Period.objects.select_related("plan", "plan__issuer", "plan__issuer__parent", "consolidator",
                                               "rule").filter(plan=plan, code__iexact=code).first()
        if period is None:
            codes = ", ".join(plan.periods.values_list("code", flat=True))
            raise CommandError(f"Kế hoạch {plan.code} không có kỳ “{options['period']}”. Các kỳ: {codes}.")
        day = today()
        report = consolidation.consolidated_for(actor=None, period=period, today=day)
        data = documents.consolidated_docx(report, today=day)
        output = Path(options["output"])
        output.write_bytes(data)
        self.stdout.write(f"Đã ghi {output} ({len(data):,} byte) — {report.summary}".replace(",", "."))
        if options.get("annex"):
            annex = Path(options["annex"])
            annex.write_bytes(documents.annex_xlsx(period, day))
            self.stdout.write(f"Đã ghi phụ lục {annex}")
