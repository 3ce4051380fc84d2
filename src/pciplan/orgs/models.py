"""Organisations (province → agencies → units) and the people who work in them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pciplan.lib.text import fold, nfc


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("UBND tỉnh")
        AGENCY = "agency", _("Sở, ban, ngành, UBND huyện")
        UNIT = "unit", _("Phòng, đơn vị trực thuộc")

    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("cấp trên")
    )
    province_slug = models.SlugField(_("tỉnh"), max_length=60, blank=True)
    head_name = models.CharField(_("người đứng đầu"), max_length=120, blank=True)
    head_title = models.CharField(_("chức danh"), max_length=120, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    name_folded = models.CharField(max_length=600, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="org_validity_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.name_folded = fold(" ".join([self.name, self.short_name, *self.aliases]))
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def agency(self) -> Organisation | None:
        """The agency this organisation belongs to (itself for an agency)."""
        node = self
        while node is not None and node.kind == self.Kind.UNIT:
            node = node.parent
        return node


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    COORDINATOR = "coordinator", _("Cán bộ điều phối")
    UNIT_HEAD = "unit_head", _("Trưởng đơn vị")
    UNIT_MEMBER = "unit_member", _("Cán bộ đơn vị")
    LEADER = "leader", _("Lãnh đạo")
    AUDITOR = "auditor", _("Kiểm tra, giám sát")


class CoordinatorFunction(models.TextChoices):
    NONE = "", _("—")
    MONITOR = "monitor", _("Đôn đốc, kiểm tra")
    CONSOLIDATOR = "consolidator", _("Tổng hợp")


class PciUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    email = models.EmailField(_("thư điện tử"), unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    job_title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name=_("đơn vị công tác"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.UNIT_MEMBER)
    coordinator_function = models.CharField(
        _("nhiệm vụ điều phối"), max_length=20, choices=CoordinatorFunction.choices, blank=True, default=""
    )
    is_sample = models.BooleanField(_("tài khoản mẫu"), default=False)

    objects = PciUserManager()
    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[-1] if self.full_name else self.username
