from django.urls import path

from . import import_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("viec-cua-don-vi/", views.my_work, name="my_work"),
    path("nhap/", import_views.import_upload, name="import"),
    path("nhap/<str:token>/", import_views.import_review, name="import_review"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/nhiem-vu/", views.plan_tasks, name="tasks"),
    path("<int:plan_id>/muc-tieu.xlsx", views.plan_targets_export, name="targets_xlsx"),
    path("<int:plan_id>/nhiem-vu.xlsx", views.plan_tasks_export, name="tasks_xlsx"),
    path("<int:plan_id>/nhiem-vu/them/", views.task_create, name="task_create"),
    path("<int:plan_id>/lich-su/", views.plan_history, name="history"),
    path("<int:plan_id>/<slug:action>/", views.plan_transition, name="transition"),
    path("muc-tieu/<int:target_id>/", views.target_detail, name="target"),
    path("muc-tieu/<int:target_id>/sua/", views.target_edit, name="target_edit"),
    path("nhiem-vu/<int:task_id>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:task_id>/tinh-trang/", views.task_status, name="task_status"),
]
