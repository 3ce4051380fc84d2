from django.urls import path

from . import import_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("nam/<int:year>/", views.year_detail, name="year"),
    path("nhap-ket-qua/", import_views.results_import, name="results_import"),
    path("nhap-ket-qua/mot-tinh/", import_views.result_enter, name="result_enter"),
    path("nhap-ket-qua/chi-tieu/", import_views.indicator_enter, name="indicator_enter"),
    path("nhap-ket-qua/tep/", import_views.file_preview, name="file_preview"),
    path("nhap-ket-qua/tep/ghi/", import_views.file_confirm, name="file_confirm"),
]
