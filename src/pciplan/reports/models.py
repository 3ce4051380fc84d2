"""The reporting cycle: periods, unit reports with their sent versions, evidence, reviews, reminders and
the consolidated report.

Only the services in :mod:`pciplan.reports.services` write these rows; statuses change only through the
transition services. A sent version (:class:`ReportVersion`) and a review (:class:`ReportReview`) are
never updated nor deleted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pciplan.orgs.models import Organisation
from pciplan.plans.models import Plan, ReportingRule, Target, Task, TaskStatus

from .periods import ROMAN


class ImmutableError(Exception):
    """A sent version or a review cannot change."""


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")


class Period(models.Model):
    """A reporting period of a plan, generated from its reporting rule (see :mod:`.periods`)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("kế hoạch"))
    rule = models.ForeignKey(ReportingRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="periods")
    code = models.CharField(_("mã kỳ"), max_length=20, help_text=_("Ví dụ 2020-Q3, 2020-Y"))
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    covers_quarter = models.PositiveSmallIntegerField(_("bao gồm quý"), null=True, blank=True)
    start = models.DateField(_("số liệu từ ngày"))
    cutoff = models.DateField(_("ngày chốt số liệu"))
    due_date = models.DateField(_("hạn gửi (hết ngày)"))
    due_text = models.CharField(_("hạn gửi (văn bản)"), max_length=200, blank=True)
    consolidator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("đơn vị nhận, tổng hợp"))

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["plan", "due_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_period_code"),
            models.CheckConstraint(condition=Q(start__lte=models.F("cutoff")), name="period_window_in_order"),
            models.CheckConstraint(condition=~Q(kind="quarter") | (Q(quarter__gte=1) & Q(quarter__lte=4)),
                                   name="quarter_period_has_quarter"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"Quý {ROMAN[self.quarter]}/{self.year}"
        return f"Năm {self.year}"

    @property
    def long_label(self) -> str:
        """``Quý III/2020`` or ``năm 2020`` as in a document title."""
        return self.label if self.kind == PeriodKind.QUARTER else f"năm {self.year}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SENT = "sent", _("Đã gửi, chờ tiếp nhận")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


STATUS_TONE = {
    ReportStatus.DRAFT: "info",
    ReportStatus.SENT: "warn",
    ReportStatus.RETURNED: "bad",
    ReportStatus.ACCEPTED: "ok",
}


class UnitReport(models.Model):
    """A unit's report for a period: one per (unit, period); ``version`` guards concurrent edits."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reports", verbose_name=_("kỳ báo cáo"))
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="unit_reports", verbose_name=_("đơn vị"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    version = models.PositiveIntegerField(_("số lần lưu"), default=1)
    sent_count = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    summary = models.TextField(_("tình hình chung"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc chung"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị chung"), blank=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    first_sent_at = models.DateTimeField(_("gửi lần đầu"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("gửi lần cuối"), null=True, blank=True)
    late_days = models.PositiveSmallIntegerField(_("số ngày gửi muộn"), null=True, blank=True)
    returned_comment = models.TextField(_("ý kiến khi trả lại"), blank=True)
    decided_at = models.DateTimeField(_("ngày tiếp nhận/trả lại"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")
        ordering = ["period", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="one_report_per_unit_and_period"),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
            models.CheckConstraint(condition=Q(status="draft") | Q(sent_count__gte=1), name="sent_report_has_a_version"),
        ]

    def __str__(self):
        return f"Báo cáo {self.period.label} — {self.unit.name}"

    @property
    def editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def tone(self) -> str:
        return STATUS_TONE[self.status]

    @property
    def status_label(self) -> str:
        if self.status == ReportStatus.SENT and self.sent_count > 1:
            return "Đã gửi lại, chờ tiếp nhận"
        return self.get_status_display()


class ReportTaskEntry(models.Model):
    """What the unit reports on one of its tasks."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="entries")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="report_entries")
    status = models.CharField(_("tình trạng"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    done_text = models.TextField(_("công việc đã thực hiện"), blank=True)
    results = models.TextField(_("kết quả đạt được"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nội dung báo cáo theo nhiệm vụ")
        verbose_name_plural = _("nội dung báo cáo theo nhiệm vụ")
        ordering = ["report", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "task"], name="one_entry_per_task"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="entry_progress_0_100"),
            models.CheckConstraint(condition=~Q(status="done") | Q(completed_on__isnull=False), name="done_entry_has_date"),
        ]

    def __str__(self):
        return f"{self.report_id}: {self.task}"


class ReportIndicatorValue(models.Model):
    """The measured value of an indicator target the unit owns, and how it was measured."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="indicator_values")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="report_values")
    value = models.DecimalField(_("giá trị đo được"), max_digits=12, decimal_places=4, null=True, blank=True)
    method = models.TextField(_("cách đo, nguồn số liệu"), blank=True)
    source_url = models.URLField(_("liên kết nguồn"), max_length=500, blank=True)
    measured_on = models.DateField(_("ngày đo"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("giá trị chỉ tiêu báo cáo")
        verbose_name_plural = _("giá trị chỉ tiêu báo cáo")
        ordering = ["report", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="one_value_per_target")]

    def __str__(self):
        return f"{self.report_id}: {self.target}"


def evidence_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}.{ext}"


class Evidence(models.Model):
    """A file (stored through ``default_storage``, served only as an attachment) or a link."""

    class Kind(models.TextChoices):
        FILE = "file", _("Tệp")
        LINK = "link", _("Liên kết")

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="evidence")
    task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target = models.ForeignKey(Target, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("mô tả"), max_length=300, blank=True)
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=300, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("liên kết"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    frozen = models.BooleanField(_("đã gửi kèm báo cáo"), default=False)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["report", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="link") | ~Q(url=""), name="link_evidence_has_url"),
            models.CheckConstraint(condition=~Q(kind="file") | ~Q(file=""), name="file_evidence_has_file"),
        ]

    def __str__(self):
        return self.title or self.original_name or self.url


class ReportVersion(models.Model):
    """What was sent, exactly: an immutable snapshot of the report at sending."""

    report = models.ForeignKey(UnitReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("lần gửi"))
    sent_at = models.DateTimeField(_("thời điểm gửi"))
    sent_on = models.DateField(_("ngày gửi"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sent_by_name = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(_("hạn gửi"))
    late_days = models.PositiveSmallIntegerField(_("số ngày muộn"), default=0)
    content = models.JSONField(_("nội dung"))

    class Meta:
        verbose_name = _("bản báo cáo đã gửi")
        verbose_name_plural = _("bản báo cáo đã gửi")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")]

    def __str__(self):
        return f"Lần gửi {self.number} — báo cáo {self.report_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Bản báo cáo đã gửi không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Bản báo cáo đã gửi không được xóa.")

    @property
    def lateness(self) -> tuple[str, str]:
        """``(tone, label)``: a first sending after the due date is late; a resending after a return is shown
        as sent after the due date."""
        if not self.late_days:
            return "ok", "Đúng hạn"
        if self.number == 1:
            return "bad", f"Muộn {self.late_days} ngày"
        return "warn", f"Gửi lại sau hạn {self.late_days} ngày"


class ReportReview(models.Model):
    """The consolidating unit's decision on a sent version: accepted, or returned with a comment."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Tiếp nhận")
        RETURNED = "returned", _("Trả lại")

    version = models.OneToOneField(ReportVersion, on_delete=models.PROTECT, related_name="review")
    decision = models.CharField(_("quyết định"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ý kiến tiếp nhận")
        verbose_name_plural = _("ý kiến tiếp nhận")
        constraints = [models.CheckConstraint(condition=~Q(decision="returned") | ~Q(comment=""),
                                              name="return_has_comment")]

    def __str__(self):
        return f"{self.get_decision_display()} — {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Ý kiến tiếp nhận không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Ý kiến tiếp nhận không được xóa.")


class Reminder(models.Model):
    """One reminder e-mail to one person; automatic kinds are sent once per (period, unit, person)."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Nhắc trước hạn")
        OVERDUE = "overdue", _("Nhắc quá hạn")
        ESCALATION = "escalation", _("Báo trưởng đơn vị")
        MANUAL = "manual", _("Nhắc từ bảng theo dõi")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("nhắc nhở")
        verbose_name_plural = _("nhắc nhở")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "kind", "recipient"], condition=~Q(kind="manual"),
                                    name="automatic_reminder_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.email}"


class ConsolidatedReport(models.Model):
    """The consolidating unit's report for a period, assembled from accepted unit reports, edited before
    export. ``sections`` is a list of ``{"key", "title", "level", "text"}``; the number and the day are
    left blank for the clerk."""

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="consolidated")
    summary = models.CharField(_("trích yếu"), max_length=400)
    opening = models.TextField(_("đoạn mở đầu"), blank=True)
    sections = models.JSONField(_("nội dung"), default=list)
    recipients = models.JSONField(_("nơi nhận"), default=list)
    archive = models.CharField(_("lưu"), max_length=60, default="VT")
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=60, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    built_from = models.JSONField(_("lập từ các báo cáo"), default=dict)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")

    def __str__(self):
        return f"Báo cáo tổng hợp {self.period.label}"
