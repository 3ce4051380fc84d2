from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("lap/<int:plan_id>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/nhan-xet/", views.conclusion, name="conclusion"),
    path("<int:pk>/ky-duyet/", views.sign, name="sign"),
    path("<int:pk>/mo-lai/", views.reopen, name="reopen"),
    path("<int:pk>/lich-su/", views.history, name="history"),
    path("<int:pk>/xuat.<str:fmt>", views.export, name="export"),
    path("<int:pk>/don-vi/<int:org_id>/", views.unit_sheet, name="unit"),
    path("<int:pk>/don-vi/<int:org_id>/nhan-xet/", views.remark, name="remark"),
    path("<int:pk>/don-vi/<int:org_id>/xuat.<str:fmt>", views.export_unit, name="export_unit"),
]
