from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pciplan.reports"
    label = "reports"
    verbose_name = "Báo cáo định kỳ"

    def ready(self):
        from . import access  # noqa: F401  (registers the access rules)
