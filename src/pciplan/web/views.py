"""Sign-in, the home page, search and the health check."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from pciplan.clock import today
from pciplan.orgs.access import scope_for
from pciplan.orgs.security import lockout, totp
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

    def clean(self):
        username, ip = self.cleaned_data.get("username"), lockout.client_ip(self.request)
        until = lockout.blocked(username, ip)
        if until is not None:
            raise ValidationError(lockout.lock_message(until), code="locked")
        try:
            return super().clean()
        except ValidationError:
            until = lockout.locked_until(username, ip)  # this failure may have been the one that locked
            if until is not None:
                raise ValidationError(lockout.lock_message(until), code="locked")
            raise


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if totp.device_for(user) is not None:  # password accepted; the code from the app comes next
            totp.start_pending(self.request, user, self.get_success_url())
            return HttpResponseRedirect(reverse("security:otp_verify"))
        return super().form_valid(form)


@login_required
def home(request):
    """The plain home page: the role homes (:func:`pciplan.dashboards.views.home`, mounted at "/") fall back
    to it for an account without an organisation or a role that has a home of its own."""
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
