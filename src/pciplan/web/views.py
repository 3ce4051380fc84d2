"""Sign-in, the home page, search and the health check."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from pciplan.clock import today
from pciplan.orgs.access import scope_for
from pciplan.plans import selectors as plan_selectors


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập hoặc thư điện tử"
        self.fields["password"].label = "Mật khẩu"


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    scope = scope_for(request)
    plans = list(plan_selectors.plan_list(scope)[:20])
    work = plan_selectors.unit_work(scope, today())
    return render(request, "web/home.html", {"plans": plans, "work": work, "today": today()})


@login_required
def search(request):
    query = (request.GET.get("q") or "").strip()[:200]
    targets, tasks = plan_selectors.search(scope_for(request), query) if query else ([], [])
    return render(request, "web/search.html", {"q": query, "targets": targets, "tasks": tasks})


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
