"""Account pages: overview, password change, the second factor (set-up and the code step at sign-in)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from pciplan.lib.errors import DomainError

from . import lockout, totp
from .forms import CodeForm
from .models import SignInEvent

SETUP_SECRET_KEY = "_pciplan_totp_setup"


@login_required
def account(request):
    try:
        api_tokens_url = reverse("api_tokens")
    except NoReverseMatch:
        api_tokens_url = None
    return render(request, "security/account.html", {
        "eligible": totp.eligible(request.user), "device": totp.device_for(request.user),
        "api_tokens_url": api_tokens_url,
        "recent": SignInEvent.objects.filter(user=request.user).order_by("-at")[:10],
    })


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "security/password_change.html"
    success_url = reverse_lazy("security:account")

    def form_valid(self, form):
        messages.success(self.request, "Đã đổi mật khẩu.")
        return super().form_valid(form)


def otp_verify(request):
    """The second step of signing in."""
    data = totp.pending(request)
    if data is None:
        totp.clear_pending(request)
        messages.error(request, "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.")
        return HttpResponseRedirect(reverse("login"))
    user = get_user_model()._default_manager.filter(pk=data["user"], is_active=True).first()
    if user is None:
        totp.clear_pending(request)
        return HttpResponseRedirect(reverse("login"))
    form = CodeForm(request.POST or None)
    ip = lockout.client_ip(request)
    if request.method == "POST" and form.is_valid():
        if lockout.locked_until(user.get_username(), ip):
            totp.clear_pending(request)
            messages.error(request, lockout.lock_message(lockout.locked_until(user.get_username(), ip)))
            return HttpResponseRedirect(reverse("login"))
        if totp.verify(user, form.cleaned_data["code"]):
            totp.clear_pending(request)
            login(request, user, backend=data.get("backend") or None)
            target = data.get("next") or reverse("home")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                target = reverse("home")
            return HttpResponseRedirect(target)
        lockout.register_failure(user.get_username(), ip, outcome=SignInEvent.Outcome.OTP_FAILURE)
        form.add_error("code", "Mã xác thực không đúng hoặc đã dùng. Nhập mã đang hiển thị trên ứng dụng.")
    return render(request, "security/otp_verify.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def totp_setup(request):
    user = request.user
    if not totp.eligible(user):
        raise PermissionDenied("Xác thực hai bước dành cho quản trị và cán bộ điều phối.")
    device = totp.device_for(user)
    form = CodeForm(request.POST or None)
    if device is None:
        secret = request.session.get(SETUP_SECRET_KEY) or totp.new_secret()
        request.session[SETUP_SECRET_KEY] = secret
    else:
        secret = None
    if request.method == "POST" and form.is_valid():
        try:
            if device is None:
                totp.enroll(user=user, secret=secret, code=form.cleaned_data["code"])
                request.session.pop(SETUP_SECRET_KEY, None)
                messages.success(request, "Đã bật xác thực hai bước. Từ lần đăng nhập sau cần nhập mã.")
            else:
                totp.disable(actor=user, user=user, code=form.cleaned_data["code"])
                messages.success(request, "Đã tắt xác thực hai bước.")
            return HttpResponseRedirect(reverse("security:account"))
        except DomainError as exc:
            form.add_error("code", exc.message)
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) if secret else ""
    return render(request, "security/totp_setup.html", {
        "device": device, "secret": grouped, "uri": totp.provisioning_uri(secret, user) if secret else "",
        "form": form}, status=400 if form.errors else 200)


def admin_login(request):
    """The admin signs in through the one sign-in page (lock-out and second factor apply)."""
    target = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': target})}")
