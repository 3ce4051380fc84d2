from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("tao/", views.survey_create, name="create"),
    path("co-mau/", views.sample_size_view, name="sample_size"),
    path("bo-cau-hoi/nhap/", views.instrument_import, name="instrument_import"),
    path("bo-cau-hoi/<int:instrument_id>/", views.instrument_detail, name="instrument"),
    path("bo-cau-hoi/<int:instrument_id>/xlsform.xlsx", views.instrument_xlsform, name="instrument_xlsform"),
    path("<int:survey_id>/", views.survey_detail, name="detail"),
    path("<int:survey_id>/uoc-luong.xlsx", views.survey_estimates_xlsx, name="estimates_xlsx"),
    path("<int:survey_id>/loi-moi/", views.survey_invitations, name="invitations"),
    path("<int:survey_id>/nhap/", views.survey_import, name="import"),
    path("<int:survey_id>/trang-thai/<slug:action>/", views.survey_transition, name="transition"),
    path("tra-loi/<str:token>/", views.public_form, name="public"),
    path("cam-on/", views.public_thanks, name="thanks"),
]
