from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("", views.account, name="account"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("xac-thuc-hai-buoc/", views.totp_setup, name="totp_setup"),
    path("ma-xac-thuc/", views.otp_verify, name="otp_verify"),
]
