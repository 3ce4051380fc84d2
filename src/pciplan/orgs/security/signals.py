from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import lockout


@receiver(user_logged_in, dispatch_uid="pciplan-security-reset-throttle")
def _signed_in(sender, request, user, **kwargs):
    lockout.register_success(user.get_username(), lockout.client_ip(request), user=user)
    if request is not None and getattr(request, "POST", None):
        typed = request.POST.get("username")
        if typed and typed != user.get_username():  # signed in with the e-mail address
            lockout.register_success(typed, None)
