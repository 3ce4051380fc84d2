"""Sign-in safety (lock-out counters, sign-in events, TOTP devices) and personal-data requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInThrottle(models.Model):
    """Failed sign-ins counted per account name and per address, shared by every process (database)."""

    key = models.CharField(_("khóa"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("số lần sai"), default=0)
    window_start = models.DateTimeField(_("bắt đầu đếm"))
    locked_until = models.DateTimeField(_("khóa đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("bộ đếm đăng nhập sai")
        verbose_name_plural = _("bộ đếm đăng nhập sai")

    def __str__(self):
        return self.key


class SignInEvent(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Đăng nhập thành công")
        FAILURE = "failure", _("Sai tên hoặc mật khẩu")
        LOCKED = "locked", _("Bị từ chối do tạm khóa")
        OTP_FAILURE = "otp_failure", _("Sai mã xác thực")
        LOCKOUT = "lockout", _("Tạm khóa")

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    username = models.CharField(_("tên đăng nhập đã nhập"), max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("người dùng"))
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices)

    class Meta:
        verbose_name = _("lần đăng nhập")
        verbose_name_plural = _("nhật ký đăng nhập")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.get_outcome_display()}"


class TotpDevice(models.Model):
    """A confirmed authenticator app (RFC 6238, 30-second codes of 6 digits)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device",
                                verbose_name=_("người dùng"))
    secret = models.CharField(_("khóa bí mật"), max_length=64)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"))
    last_step = models.BigIntegerField(_("bước thời gian đã dùng"), default=0)

    class Meta:
        verbose_name = _("xác thực hai bước")
        verbose_name_plural = _("xác thực hai bước")

    def __str__(self):
        return str(self.user)


class PersonalDataRequest(models.Model):
    """A person's request to see or delete their data, kept as evidence of how it was served."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Xem, nhận bản sao dữ liệu")
        ERASURE = "erasure", _("Xóa dữ liệu")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang xử lý")
        SERVED = "served", _("Đã thực hiện")
        REFUSED = "refused", _("Từ chối (có lý do)")

    kind = models.CharField(_("yêu cầu"), max_length=10, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("tài khoản (nếu có)"))
    email = models.EmailField(_("thư điện tử của người yêu cầu"), blank=True)
    phone = models.CharField(_("số điện thoại của người yêu cầu"), max_length=30, blank=True)
    received_on = models.DateField(_("ngày nhận yêu cầu"))
    note = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN)
    served_at = models.DateTimeField(_("thực hiện lúc"), null=True, blank=True)
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("người thực hiện"))
    outcome = models.JSONField(_("kết quả"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(email="") | ~models.Q(phone=""),
                name="data_request_names_someone",
            ),
        ]

    def __str__(self):
        who = self.user or self.email or self.phone
        return f"{self.get_kind_display()} — {who}"
