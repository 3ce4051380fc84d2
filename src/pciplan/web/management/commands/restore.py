"""``pciplan restore FILE [--replace]`` — load an archive made by ``pciplan backup``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pciplan.ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = ("Khôi phục từ tệp sao lưu vào cơ sở dữ liệu đã `pciplan migrate`. Cơ sở dữ liệu phải trống, "
            "hoặc dùng --replace để xóa dữ liệu hiện có. --check chỉ kiểm tra tệp.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--replace", action="store_true", help="Xóa dữ liệu và tệp hiện có rồi khôi phục")
        parser.add_argument("--check", action="store_true", help="Chỉ kiểm tra tính toàn vẹn của tệp")
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, replace=False, check=False, database="default", **options):
        try:
            manifest = verify(archive) if check else restore(archive, using=database, replace=replace)
        except BackupError as exc:
            raise CommandError(str(exc))
        rows = sum(manifest["rows"].values())
        verb = "Tệp sao lưu hợp lệ" if check else "Đã khôi phục"
        self.stdout.write(f"{verb}: {rows} dòng dữ liệu, {len(manifest['files'])} tệp "
                          f"(sao lưu lúc {manifest['created_at']}, từ {manifest['database']}).")
