from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pciplan.api"
    label = "api"
    verbose_name = "Giao diện lập trình (API)"

    def ready(self):
        from . import access, personal_data  # noqa: F401  (access rule; API tokens are part of a person's data)
