"""``pciplan backup [FILE]`` — the database and the uploaded files in one archive."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from pciplan.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp đính kèm vào một tệp ZIP (không cần pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", help="Tệp .zip (mặc định pciplan-backup-NGAYGIO.zip)")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output=None, database="default", **options):
        output = output or f"pciplan-backup-{dt.datetime.now():%Y%m%d-%H%M%S}.zip"
        try:
            result = backup(output, using=database)
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"Đã sao lưu {result.total_rows} dòng dữ liệu, {len(result.files)} tệp → {result.path}")
