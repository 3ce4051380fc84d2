"""Plans, their targets, tasks, reporting rules and accountability rules."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pciplan.catalog.models import Edition, Indicator, Province, SubIndex
from pciplan.lib.dates import format_document_date
from pciplan.lib.text import fold
from pciplan.orgs.models import Organisation


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    CLOSED = "closed", _("Đã kết thúc")


class Plan(models.Model):
    code = models.SlugField(_("mã"), max_length=80, unique=True)
    issuer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans", verbose_name=_("cơ quan ban hành"))
    number = models.CharField(_("số"), max_length=20, blank=True, help_text=_("Để trống cho đến khi văn thư đăng ký."))
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="KH")
    place = models.CharField(_("địa danh"), max_length=80, blank=True)
    date_year = models.PositiveSmallIntegerField(_("năm ban hành"))
    date_month = models.PositiveSmallIntegerField(_("tháng ban hành"), null=True, blank=True)
    date_day = models.PositiveSmallIntegerField(_("ngày ban hành"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    title = models.CharField(_("trích yếu"), max_length=400)
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="plans", verbose_name=_("phương pháp"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="plans", verbose_name=_("tỉnh"))
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children",
                               verbose_name=_("thực hiện kế hoạch"))
    basis = models.TextField(_("căn cứ"), blank=True)
    purpose = models.TextField(_("mục đích"), blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=60, blank=True, help_text=_("Ví dụ: KT. GIÁM ĐỐC"))
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    electronic_recipients = models.JSONField(_("bản điện tử"), default=list, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    note = models.TextField(_("ghi chú"), blank=True)
    title_folded = models.CharField(max_length=800, blank=True, editable=False)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "issuer__name"]
        constraints = [
            models.CheckConstraint(condition=Q(date_month__isnull=True) | (Q(date_month__gte=1) & Q(date_month__lte=12)),
                                   name="plan_month_1_12"),
            models.CheckConstraint(condition=Q(date_day__isnull=True) | (Q(date_day__gte=1) & Q(date_day__lte=31)),
                                   name="plan_day_1_31"),
            models.CheckConstraint(condition=Q(date_day__isnull=True) | Q(date_month__isnull=False),
                                   name="plan_day_needs_month"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def save(self, *args, **kwargs):
        self.title_folded = fold(f"{self.title} {self.number}/{self.symbol}")
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """``Số 222/KH-UBND`` or ``Số …/KH-KHCN`` while unregistered."""
        return f"Số {self.number or '…'}/{self.symbol}"

    @property
    def date_line(self) -> str:
        return format_document_date(self.place or "", self.date_year, self.date_month, self.date_day)

    @property
    def issued_date(self) -> dt.date | None:
        if self.date_month and self.date_day:
            return dt.date(self.date_year, self.date_month, self.date_day)
        return None

    @property
    def date_text(self) -> str:
        if self.date_day and self.date_month:
            return f"{self.date_day}/{self.date_month}/{self.date_year}"
        if self.date_month:
            return f"tháng {self.date_month}/{self.date_year}"
        return str(self.date_year)

    @property
    def start_date(self) -> dt.date:
        """The first day the plan runs: its month of issue, or 1 January of the plan year."""
        if self.date_year == self.year and self.date_month:
            return dt.date(self.year, self.date_month, 1)
        return dt.date(self.year, 1, 1)


class PlanAmendment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="amendments")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey("orgs.User", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do sửa đổi"))
    reference = models.CharField(_("văn bản sửa đổi"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lần sửa đổi kế hoạch")
        verbose_name_plural = _("các lần sửa đổi kế hoạch")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.plan_id}: {self.reason[:80]}"


class TargetKind(models.TextChoices):
    RANK = "rank", _("Thứ hạng PCI")
    GROUP = "group", _("Nhóm xếp hạng")
    TOTAL = "total", _("Tổng điểm PCI")
    SUBINDEX = "subindex", _("Chỉ số thành phần")
    INDICATOR = "indicator", _("Chỉ tiêu")


class Comparator(models.TextChoices):
    GTE = ">=", _("từ … trở lên")
    GT = ">", _("trên")
    LTE = "<=", _("từ … trở xuống")
    LT = "<", _("dưới")


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    key = models.CharField(_("mã"), max_length=60)
    kind = models.CharField(_("loại mục tiêu"), max_length=20, choices=TargetKind.choices)
    subindex = models.ForeignKey(SubIndex, on_delete=models.PROTECT, null=True, blank=True, related_name="targets",
                                 verbose_name=_("chỉ số thành phần"))
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="targets",
                                  verbose_name=_("chỉ tiêu trong danh mục"))
    indicator_code = models.CharField(_("mã chỉ tiêu"), max_length=60, blank=True)
    label = models.CharField(_("nội dung"), max_length=400)
    comparator = models.CharField(_("so sánh"), max_length=2, choices=Comparator.choices)
    value = models.DecimalField(_("giá trị mục tiêu"), max_digits=10, decimal_places=4, null=True, blank=True)
    value_text = models.CharField(_("mục tiêu (chữ)"), max_length=40, blank=True)
    of = models.PositiveSmallIntegerField(_("trên tổng số"), null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=20, blank=True)
    increase = models.DecimalField(_("mức tăng"), max_digits=10, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("năm gốc"), null=True, blank=True)
    baseline_value = models.DecimalField(_("giá trị năm gốc"), max_digits=10, decimal_places=4, null=True, blank=True)
    baseline_source = models.URLField(_("nguồn năm gốc"), max_length=500, blank=True)
    section = models.CharField(_("mục"), max_length=20, blank=True)
    text = models.TextField(_("trích văn bản"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    label_folded = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="unique_target_key"),
            models.CheckConstraint(condition=~Q(kind="subindex") | Q(subindex__isnull=False), name="subindex_target_has_subindex"),
            models.CheckConstraint(condition=Q(value__isnull=False) | ~Q(value_text=""), name="target_has_value"),
            models.CheckConstraint(
                condition=~Q(kind="subindex") | Q(value__isnull=True) | (Q(value__gte=1) & Q(value__lte=10)),
                name="subindex_target_1_10",
            ),
            models.CheckConstraint(
                condition=~Q(kind="indicator", unit="%") | Q(value__isnull=True) | (Q(value__gte=0) & Q(value__lte=100)),
                name="percent_target_0_100",
            ),
            models.CheckConstraint(condition=~Q(kind="rank") | Q(value__gte=1), name="rank_target_positive"),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.label_folded = fold(f"{self.label} {self.text} {self.subindex.name if self.subindex_id else ''}")
        super().save(*args, **kwargs)

    @property
    def value_display(self) -> str:
        """The target as a person writes it: "≥ 7,61 điểm", "> 45%", "thứ 30/63", "nhóm Khá"."""
        from pciplan.lib.numbers import format_number

        if self.kind == TargetKind.GROUP:
            return f"nhóm {self.value_text}"
        if self.value is None:
            return "—"
        if self.kind == TargetKind.RANK:
            return f"thứ {format_number(self.value, 0)}/{self.of}" if self.of else f"thứ {format_number(self.value, 0)}"
        symbol = {">=": "≥", "<=": "≤"}.get(self.comparator, self.comparator)
        decimals = 2 if self.kind in (TargetKind.SUBINDEX, TargetKind.TOTAL) else 1
        number = format_number(self.value, decimals, strip=self.kind == TargetKind.INDICATOR)
        unit = "%" if self.unit == "%" else (f" {self.unit}" if self.unit else "")
        return f"{symbol} {number}{unit}"


class Role(models.TextChoices):
    LEAD = "lead", _("Đầu mối")
    OWNER = "owner", _("Chủ trì")
    SUPPORT = "support", _("Phối hợp")


class TargetAssignment(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="target_assignments")
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phân công theo mục tiêu")
        verbose_name_plural = _("phân công theo mục tiêu")
        constraints = [models.UniqueConstraint(fields=["target", "organisation", "role"], name="unique_target_assignment")]

    def __str__(self):
        return f"{self.organisation} — {self.get_role_display()}"


class TimingKind(models.TextChoices):
    DEADLINE = "deadline", _("Có thời hạn")
    RECURRING = "recurring", _("Định kỳ")
    CONTINUOUS = "continuous", _("Thường xuyên")


class Recurrence(models.TextChoices):
    QUARTERLY = "quarterly", _("Hàng quý")
    YEARLY = "yearly", _("Hàng năm")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    key = models.CharField(_("mã"), max_length=80)
    section = models.CharField(_("mục"), max_length=20, blank=True)
    text = models.TextField(_("nội dung nhiệm vụ"))
    targets = models.ManyToManyField(Target, blank=True, related_name="tasks", verbose_name=_("phục vụ mục tiêu"))
    timing = models.CharField(_("thời hạn"), max_length=20, choices=TimingKind.choices, default=TimingKind.CONTINUOUS)
    deadline = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    timing_text = models.CharField(_("thời hạn (văn bản)"), max_length=200, blank=True)
    recurrence = models.CharField(_("chu kỳ"), max_length=20, choices=Recurrence.choices, blank=True)
    output = models.CharField(_("kết quả đầu ra"), max_length=300, blank=True)
    status = models.CharField(_("tình trạng"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    order = models.PositiveSmallIntegerField(default=0)
    text_folded = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="unique_task_key"),
            models.CheckConstraint(condition=~Q(timing="deadline") | Q(deadline__isnull=False), name="deadline_task_has_date"),
            models.CheckConstraint(condition=~Q(timing="recurring") | ~Q(recurrence=""), name="recurring_task_has_recurrence"),
            models.CheckConstraint(condition=~Q(status="done") | Q(completed_on__isnull=False), name="done_task_has_date"),
            models.CheckConstraint(condition=Q(status="done") | Q(completed_on__isnull=True), name="only_done_task_has_date"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_0_100"),
        ]

    def __str__(self):
        return self.text[:120]

    def save(self, *args, **kwargs):
        self.text_folded = fold(f"{self.text} {self.output}")
        super().save(*args, **kwargs)


class TaskAssignment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="task_assignments")
    role = models.CharField(_("vai trò"), max_length=10, choices=[(Role.OWNER, Role.OWNER.label), (Role.SUPPORT, Role.SUPPORT.label)],
                            default=Role.OWNER)
    responsible = models.CharField(_("người chịu trách nhiệm"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phân công nhiệm vụ")
        verbose_name_plural = _("phân công nhiệm vụ")
        constraints = [models.UniqueConstraint(fields=["task", "organisation"], name="unique_task_assignment")]

    def __str__(self):
        return f"{self.organisation} — {self.get_role_display()}"


class ReportingRule(models.Model):
    class Who(models.TextChoices):
        TARGET_OWNERS = "target_owners", _("Đơn vị được giao chủ trì")
        ALL_UNITS = "all_units", _("Tất cả đơn vị có nhiệm vụ")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reporting_rules")
    who = models.CharField(_("đơn vị phải báo cáo"), max_length=20, choices=Who.choices, default=Who.TARGET_OWNERS)
    quarters = models.JSONField(_("các quý báo cáo"), default=list)
    annual = models.BooleanField(_("báo cáo năm"), default=True)
    quarter_due_day = models.PositiveSmallIntegerField(_("hạn báo cáo quý: trước ngày"), default=5)
    quarter_due_text = models.CharField(_("hạn báo cáo quý (văn bản)"), max_length=200, blank=True)
    annual_due_month = models.PositiveSmallIntegerField(_("hạn báo cáo năm: tháng"), default=12)
    annual_due_day = models.PositiveSmallIntegerField(_("hạn báo cáo năm: trước ngày"), default=5)
    annual_due_text = models.CharField(_("hạn báo cáo năm (văn bản)"), max_length=200, blank=True)
    consolidator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị tổng hợp"))
    monitor = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("đơn vị đôn đốc, kiểm tra"))
    upward_recipient = models.CharField(_("báo cáo lên"), max_length=200, blank=True)
    section = models.CharField(_("mục"), max_length=20, blank=True)
    text = models.TextField(_("trích văn bản"), blank=True)

    class Meta:
        verbose_name = _("quy định báo cáo")
        verbose_name_plural = _("quy định báo cáo")
        constraints = [
            models.CheckConstraint(condition=Q(quarter_due_day__gte=1) & Q(quarter_due_day__lte=28), name="quarter_due_day_1_28"),
            models.CheckConstraint(condition=Q(annual_due_month__gte=1) & Q(annual_due_month__lte=12), name="annual_due_month_1_12"),
            models.CheckConstraint(condition=Q(annual_due_day__gte=1) & Q(annual_due_day__lte=31), name="annual_due_day_1_31"),
        ]

    def __str__(self):
        return f"{self.get_who_display()} → {self.consolidator_id}"


class Consequence(models.TextChoices):
    NO_EXCELLENT = "no_excellent_rating", _("Người đứng đầu không được xếp loại hoàn thành xuất sắc nhiệm vụ")


class AccountabilityRule(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="accountability_rules")
    key = models.CharField(max_length=60)
    section = models.CharField(_("mục"), max_length=20, blank=True)
    roles = models.JSONField(_("vai trò chịu trách nhiệm"), default=list)
    target_kinds = models.JSONField(_("loại mục tiêu"), default=list)
    targets = models.ManyToManyField(Target, blank=True, related_name="accountability_rules")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("áp dụng cho đơn vị"))
    consequence = models.CharField(_("hệ quả"), max_length=40, choices=Consequence.choices, default=Consequence.NO_EXCELLENT)
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    text = models.TextField(_("trích văn bản"), blank=True)

    class Meta:
        verbose_name = _("quy định trách nhiệm")
        verbose_name_plural = _("quy định trách nhiệm")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="unique_accountability_key")]

    def __str__(self):
        return f"{self.section}: {self.get_consequence_display()}"
