"""The year-end evaluation of a plan: prepared by a coordinator, signed off by a leader, reopened on record.

While a draft, the evaluation is computed from the catalog's published results every time it is shown.
Signing stores the computed results (``snapshot``) so that a later change of the data does not alter a
signed sheet; a signed evaluation changes only after a recorded reopen (reason kept in the audit trail,
with the snapshot it replaced).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pciplan.orgs.models import Organisation
from pciplan.plans.models import Plan


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SIGNED = "signed", _("Đã ký duyệt")


class Evaluation(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("kế hoạch"))
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.DRAFT)
    conclusion = models.TextField(_("nhận xét chung"), blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người lập"))
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("người ký duyệt"))
    signed_at = models.DateTimeField(_("thời điểm ký duyệt"), null=True, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    snapshot = models.JSONField(_("kết quả đã ký"), null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField(_("số lần mở lại"), default=0)

    class Meta:
        verbose_name = _("đánh giá cuối năm")
        verbose_name_plural = _("đánh giá cuối năm")
        ordering = ["-year", "plan__issuer__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="unique_evaluation_plan_year"),
            models.CheckConstraint(
                condition=(Q(status="signed") & Q(snapshot__isnull=False) & Q(signed_at__isnull=False))
                | (Q(status="draft") & Q(snapshot__isnull=True) & Q(signed_at__isnull=True)),
                name="evaluation_signed_has_snapshot",
            ),
        ]

    def __str__(self):
        return f"Đánh giá kết quả năm {self.year} — {self.plan.reference}"

    @property
    def is_signed(self) -> bool:
        return self.status == EvaluationStatus.SIGNED


class UnitRemark(models.Model):
    """The preparer's remark on one unit, printed on its evaluation sheet."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="remarks")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("đơn vị"))
    text = models.TextField(_("nhận xét"))

    class Meta:
        verbose_name = _("nhận xét đơn vị")
        verbose_name_plural = _("nhận xét đơn vị")
        constraints = [models.UniqueConstraint(fields=["evaluation", "organisation"], name="unique_unit_remark")]

    def __str__(self):
        return f"{self.organisation_id}: {self.text[:60]}"
