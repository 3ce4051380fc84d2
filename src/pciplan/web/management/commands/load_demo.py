"""Load the demo data set: the reference plan, its people, and the demo year's work. Idempotent.

Each app that adds to the demo has a ``demo.py`` with a ``load_demo()`` function; they run in the order
of ``INSTALLED_APPS`` (so plans come before reports, reports before evaluation).
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from pciplan.lib.errors import DomainError


def demo_steps():
    for config in apps.get_app_configs():
        if not config.name.startswith("pciplan."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.demo":
                continue
            raise
        if hasattr(module, "load_demo"):
            yield config.label, module.load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: Kế hoạch nâng cao PCI năm 2020 của Sở KH&CN Bắc Giang, tài khoản mẫu và công việc năm 2020."

    def handle(self, *args, **options):
        for label, step in demo_steps():
            try:
                result = step()
            except DomainError as exc:
                raise CommandError(exc.message)
            if options["verbosity"] > 0:
                self.stdout.write(f"{label}: {result}")
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
