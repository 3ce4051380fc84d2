from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "pciplan.surveys"
    label = "surveys"
    verbose_name = "Khảo sát doanh nghiệp"

    def ready(self):
        from . import access  # noqa: F401  (registers the access rules)

        try:  # The evaluation shows survey estimates for information; it asks registered providers.
            from pciplan.evaluation.estimates import register_provider
        except ImportError:  # pragma: no cover - evaluation app without the provider hook
            return
        from .selectors import evaluation_estimates

        register_provider(evaluation_estimates)
