from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "pciplan.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá cuối năm"
