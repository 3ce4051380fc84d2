from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("nam/<int:year>/", views.year_detail, name="year"),
]
