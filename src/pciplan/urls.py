from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pciplan.dashboards import views as dashboard_views
from pciplan.orgs.security import views as security_views
from pciplan.web import views as web_views


def _admin_only(request):
    user = request.user
    return bool(user.is_active and (user.is_superuser or getattr(user, "role", "") == "admin") and user.is_staff)


admin.site.has_permission = _admin_only
admin.site.site_header = "Quản trị pciplan"
admin.site.site_title = "pciplan"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("dang-nhap/", web_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("pciplan.orgs.security.urls")),
    path("to-chuc/", include("pciplan.orgs.urls")),
    path("danh-muc/", include("pciplan.catalog.urls")),
    path("ke-hoach/", include("pciplan.plans.urls")),
    path("nhat-ky/", include("pciplan.audit.urls")),
    path("bao-cao/", include("pciplan.reports.urls")),
    path("danh-gia/", include("pciplan.evaluation.urls")),
    path("khao-sat/", include("pciplan.surveys.urls")),
    path("mo-phong/", include("pciplan.simulation.urls")),
    path("tong-quan/", include("pciplan.dashboards.urls")),
    path("tim-kiem/", web_views.search, name="search"),
    path("api/", include("pciplan.api.urls")),
    path("healthz", web_views.healthz, name="healthz"),
    path("quan-tri/login/", security_views.admin_login),
    path("quan-tri/", admin.site.urls),
]
