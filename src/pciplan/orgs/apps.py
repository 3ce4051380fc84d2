from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "pciplan.orgs"
    label = "orgs"
    verbose_name = "Tổ chức và người dùng"

    def ready(self):
        from . import access  # noqa: F401
