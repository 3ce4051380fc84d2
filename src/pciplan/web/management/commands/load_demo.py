"""Load the demo data set: the reference plan, its people, and the demo year's work. Idempotent."""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

from pciplan.lib.errors import DomainError

# Each capability adds its part of the demo here, in dependency order: "module:function".
DEMO_STEPS = [
    "pciplan.plans.demo:load_plan_demo",
]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: Kế hoạch nâng cao PCI năm 2020 của Sở KH&CN Bắc Giang và tài khoản mẫu."

    def handle(self, *args, **options):
        for step in DEMO_STEPS:
            module, _, func = step.partition(":")
            try:
                result = getattr(import_module(module), func)()
            except DomainError as exc:
                raise CommandError(exc.message)
            self.stdout.write(f"{step.split(':')[0].split('.')[-2]}: {result}")
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
