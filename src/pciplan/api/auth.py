"""``Authorization: Bearer pp_…`` (a token made at /api/ma-truy-cap/), or the browser session (with CSRF)."""

from __future__ import annotations

from ninja.security import HttpBearer, django_auth

from . import services


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = services.user_for_token(token)
        if user is None:
            return None
        request.user = user  # the access rule reads the person from the request
        return user


AUTH = [TokenAuth(), django_auth]
