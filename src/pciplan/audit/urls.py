from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("<int:ct_id>/<str:object_id>/", views.object_history, name="object"),
]
