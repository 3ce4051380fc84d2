from django.urls import path

from . import views

app_name = "simulation"
urlpatterns = [
    path("", views.index, name="index"),
    path("bieu-do/<slug:kind>/", views.chart, name="chart"),
]
