from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "pciplan.catalog"
    label = "catalog"
    verbose_name = "Danh mục chỉ số"
