from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "pciplan.plans"
    label = "plans"
    verbose_name = "Kế hoạch"
