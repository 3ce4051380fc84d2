"""Delete invitation links and contact details of surveys whose retention period is over. Idempotent."""

from django.core.management.base import BaseCommand

from pciplan.clock import today
from pciplan.surveys.services import survey_purge_contacts, surveys_due_for_purge


class Command(BaseCommand):
    help = ("Xóa đường dẫn mời và thông tin liên hệ của các cuộc khảo sát đã kết thúc quá thời hạn lưu giữ "
            "(câu trả lời ẩn danh và ước lượng được giữ lại).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xóa.")

    def handle(self, *args, **options):
        day = today()
        due = surveys_due_for_purge(day)
        for survey in due:
            if options["dry_run"]:
                self.stdout.write(f"Sẽ xóa: {survey.title}")
                continue
            n = survey_purge_contacts(actor=None, survey=survey, on=day)
            self.stdout.write(f"{survey.title}: đã xóa {n} bản ghi")
        if not due:
            self.stdout.write("Không có cuộc khảo sát nào đến hạn xóa.")
