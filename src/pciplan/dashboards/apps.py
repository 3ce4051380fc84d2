from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "pciplan.dashboards"
    label = "dashboards"
    verbose_name = "Tổng quan"
