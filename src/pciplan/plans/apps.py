from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "pciplan.plans"
    label = "plans"
    verbose_name = "Kế hoạch"

    def ready(self):
        from . import access  # noqa: F401  (registers the access rules)
