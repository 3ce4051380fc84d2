from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("muc-tieu.xlsx", views.targets_export, name="targets_xlsx"),
    path("muc-tieu/<int:target_id>/", views.target, name="target"),
    path("toan-tinh/", views.province, name="province"),
    path("toan-tinh.xlsx", views.province_export, name="province_xlsx"),
    path("xu-huong/", views.trends, name="trends"),
    path("xu-huong.xlsx", views.trends_export, name="trends_xlsx"),
]
