from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "pciplan.surveys"
    label = "surveys"
    verbose_name = "Khảo sát doanh nghiệp"
