from django.core.management.base import BaseCommand

from pciplan.catalog.loaders import load_catalog


class Command(BaseCommand):
    help = "Nạp danh mục chỉ số, tỉnh và kết quả PCI đã công bố (chạy lại nhiều lần không tạo bản ghi trùng)."

    def handle(self, *args, **options):
        report = load_catalog()
        self.stdout.write(f"Danh mục: {report.summary()}")
