"""Sign-in by account name or e-mail, refused while locked out, each failure counted."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import lockout


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        model = get_user_model()
        if username is None:
            username = kwargs.get(model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip = lockout.client_ip(request)
        if lockout.blocked(username, ip):
            raise PermissionDenied  # stops every backend: a locked account cannot sign in anywhere
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and "@" in username:
            match = model._default_manager.filter(email__iexact=username.strip()).first()
            if match is not None:
                user = super().authenticate(request, username=match.get_username(), password=password)
        if user is None:
            lockout.register_failure(username, ip)
        return user

    def get_user(self, user_id):
        """The signed-in person of each request, with their organisation and its two levels above (unit →
        agency → province) in the same query: every page's access check needs them."""
        model = get_user_model()
        try:
            user = (model._default_manager.select_related("organisation", "organisation__parent",
                                                          "organisation__parent__parent").get(pk=user_id))
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
