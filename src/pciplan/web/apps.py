from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pciplan.web"
    label = "web"
    verbose_name = "Giao diện"
