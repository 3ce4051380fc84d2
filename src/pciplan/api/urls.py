from django.urls import path

from . import views
from .main import api

urlpatterns = [
    path("ma-truy-cap/", views.token_list, name="api_tokens"),
    path("ma-truy-cap/<int:token_id>/thu-hoi/", views.token_revoke, name="api_token_revoke"),
    path("", api.urls),
]
