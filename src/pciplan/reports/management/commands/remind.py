"""``pciplan remind`` — e-mail reminders for reports: safe to run any number of times a day.

Members of a unit that must report are reminded from N days before the due date
(``PCIPLAN_REMIND_DAYS_BEFORE``) and once more when the report is overdue; the unit head is told M days
after the due date (``PCIPLAN_ESCALATE_DAYS_AFTER``). Each reminder goes once (recorded first, under a
unique constraint); a reminder whose sending failed is retried on the next run. See docs/reports.md for
cron and systemd timer examples.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pciplan.clock import today
from pciplan.lib.dates import parse_date

from ...reminders import remind_run


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn báo cáo (chạy nhiều lần trong ngày vẫn chỉ gửi mỗi thư một lần)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="coi như hôm nay là ngày này (dd/mm/yyyy), để chạy bù hoặc thử")
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê thư sẽ gửi, không gửi, không ghi")
        parser.add_argument("--days-before", type=int, help="nhắc trước hạn N ngày (mặc định theo cấu hình)")
        parser.add_argument("--escalate-after", type=int, help="báo trưởng đơn vị sau hạn M ngày")

    def handle(self, *args, **options):
        try:
            day = parse_date(options["date"]) if options.get("date") else today()
        except ValueError:
            raise CommandError("--date phải có dạng ngày/tháng/năm, ví dụ 02/12/2020.")
        result = remind_run(today=day, days_before=options.get("days_before"),
                            escalate_after=options.get("escalate_after"), dry_run=options["dry_run"])
        if options["verbosity"] > 0:
            for line in result.lines:
                self.stdout.write(line)
            self.stdout.write(f"Ngày {day:%d/%m/%Y}: đã gửi {result.sent} thư, lỗi {result.failed}, "
                              f"bỏ qua {result.skipped} thư đã gửi trước đó.")
        if result.failed:
            raise CommandError(f"{result.failed} thư nhắc gửi lỗi; sẽ gửi lại ở lần chạy sau.")
