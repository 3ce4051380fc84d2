"""The page where a person makes and revokes their own API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pciplan.lib.errors import DomainError
from pciplan.orgs.access import get_for_user

from . import services
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label="Tên gợi nhớ", max_length=100)
    days = forms.IntegerField(label="Thời hạn (ngày)", min_value=1, max_value=services.MAX_DAYS, initial=90)


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _, raw = services.token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"],
                                           days=form.cleaned_data["days"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    response = render(request, "api/tokens.html", {"form": form, "tokens": tokens, "raw": raw},
                      status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, token_id):
    token, _ = get_for_user(request, ApiToken.objects.select_related("user"), token_id, edit=True)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, "Đã thu hồi mã.")
    return HttpResponseRedirect(reverse("api_tokens"))
