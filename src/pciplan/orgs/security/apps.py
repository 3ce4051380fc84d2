from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "pciplan.orgs.security"
    label = "security"
    verbose_name = "An toàn đăng nhập và dữ liệu cá nhân"

    def ready(self):
        from . import signals  # noqa: F401  (resets the sign-in throttle after a successful sign-in)
