from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "pciplan.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá cuối năm"

    def ready(self):
        from . import access  # noqa: F401  (registers the access rule)
