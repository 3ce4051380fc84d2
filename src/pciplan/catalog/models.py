"""The index catalog: editions, sub-indices, published years, indicators, provinces and results."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pciplan.lib.text import fold


class Group(models.TextChoices):
    """VCCI's performance groups, best first."""

    EXCELLENT = "rat_tot", _("Rất tốt")
    HIGH = "tot", _("Tốt")
    MID_HIGH = "kha", _("Khá")
    MID_LOW = "trung_binh", _("Trung bình")
    LOW = "tuong_doi_thap", _("Tương đối thấp")
    VERY_LOW = "thap", _("Thấp")

    @classmethod
    def from_label(cls, label: str | None):
        key = fold(label or "")
        for value, text in cls.choices:
            if fold(str(text)) == key or value == key.replace(" ", "_"):
                return cls(value)
        return None

    @classmethod
    def order(cls, value) -> int:
        """0 for the best group."""
        return [c.value for c in cls].index(value)


class Province(models.Model):
    slug = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=60, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    name_folded = models.CharField(max_length=400, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(" ".join([self.name, *self.aliases]))
        super().save(*args, **kwargs)


class ProvinceSuccession(models.Model):
    """Old → new province (Nghị quyết 202/2025/QH15): history stays under the old names."""

    old = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="successions")
    new = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="predecessions")
    effective_date = models.DateField(_("ngày hiệu lực"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sáp nhập tỉnh")
        verbose_name_plural = _("sáp nhập tỉnh")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="unique_province_succession")]

    def __str__(self):
        return f"{self.old} → {self.new}"


class Edition(models.Model):
    """A methodology that holds for a span of years (its sub-indices and weights)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    index = models.CharField(_("bộ chỉ số"), max_length=20, default="PCI")
    name = models.CharField(_("tên"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("từ năm"))
    last_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    total_multiplier = models.DecimalField(_("hệ số tổng điểm"), max_digits=6, decimal_places=2, default=10)
    is_example = models.BooleanField(_("bộ chỉ số ví dụ"), default=False)
    source = models.TextField(_("nguồn"), blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phiên bản phương pháp")
        verbose_name_plural = _("phiên bản phương pháp")
        ordering = ["index", "first_year"]
        constraints = [
            models.CheckConstraint(condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                                   name="edition_years_in_order"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class SubIndex(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="subindices")
    code = models.SlugField(_("mã"), max_length=40)
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    weight = models.DecimalField(_("trọng số (%)"), max_digits=6, decimal_places=3)
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    name_folded = models.CharField(max_length=800, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("chỉ số thành phần")
        verbose_name_plural = _("chỉ số thành phần")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unique_subindex_code"),
            models.UniqueConstraint(fields=["edition", "number"], name="unique_subindex_number"),
            models.CheckConstraint(condition=Q(weight__gte=0) & Q(weight__lte=100), name="subindex_weight_0_100"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(" ".join([self.name, *self.aliases]))
        super().save(*args, **kwargs)


class EditionYear(models.Model):
    """One published year: its indicator set, bounds, group cut-offs and ranked provinces."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    n_ranked = models.PositiveSmallIntegerField(_("số tỉnh được xếp hạng"), null=True, blank=True)
    published_top = models.PositiveSmallIntegerField(_("chỉ công bố nhóm đầu"), null=True, blank=True)
    survey_firms = models.PositiveIntegerField(_("số doanh nghiệp khảo sát"), null=True, blank=True)
    methodology_note = models.CharField(_("ghi chú phương pháp"), max_length=300, blank=True)
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    ranked_provinces = models.ManyToManyField(Province, blank=True, related_name="ranked_years")

    class Meta:
        verbose_name = _("năm công bố")
        verbose_name_plural = _("năm công bố")
        ordering = ["-year"]

    def __str__(self):
        return f"PCI {self.year}"


class GroupCutoff(models.Model):
    year = models.ForeignKey(EditionYear, on_delete=models.CASCADE, related_name="cutoffs")
    group = models.CharField(_("nhóm"), max_length=20, choices=Group.choices)
    min_score = models.FloatField(_("điểm tối thiểu"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ngưỡng nhóm xếp hạng")
        verbose_name_plural = _("ngưỡng nhóm xếp hạng")
        constraints = [
            models.UniqueConstraint(fields=["year", "group"], name="unique_cutoff"),
            models.CheckConstraint(condition=Q(min_score__gte=0) & Q(min_score__lte=100), name="cutoff_0_100"),
        ]

    def __str__(self):
        return f"{self.get_group_display()} ≥ {self.min_score}"


class Indicator(models.Model):
    year = models.ForeignKey(EditionYear, on_delete=models.CASCADE, related_name="indicators")
    subindex = models.ForeignKey(SubIndex, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(_("mã"), max_length=60)
    number = models.PositiveSmallIntegerField(_("số thứ tự"), default=0)
    label = models.TextField(_("tên chỉ tiêu"))
    direction = models.SmallIntegerField(_("chiều"), choices=[(1, _("càng cao càng tốt")), (-1, _("càng thấp càng tốt"))],
                                         default=1)
    source_type = models.CharField(_("nguồn số liệu"), max_length=20, blank=True)
    is_percent = models.BooleanField(_("là tỷ lệ %"), default=False)
    lower_bound = models.FloatField(_("cận dưới"), null=True, blank=True)
    upper_bound = models.FloatField(_("cận trên"), null=True, blank=True)
    bounds_note = models.CharField(_("ghi chú cận"), max_length=300, blank=True)
    label_folded = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["year", "subindex__number", "number"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="unique_indicator_code")]

    def __str__(self):
        return f"{self.code} — {self.label}"

    def save(self, *args, **kwargs):
        self.label_folded = fold(f"{self.code} {self.label}")
        super().save(*args, **kwargs)


class Result(models.Model):
    """A province's published result for a year, stored at the precision it was published."""

    year = models.ForeignKey(EditionYear, on_delete=models.PROTECT, related_name="results")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="results")
    total = models.FloatField(_("tổng điểm"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("thứ hạng"), null=True, blank=True)
    group = models.CharField(_("nhóm"), max_length=20, choices=Group.choices, blank=True)
    precision = models.CharField(_("độ chính xác"), max_length=10, blank=True)
    source_url = models.URLField(_("nguồn"), max_length=500)
    methodology_note = models.CharField(_("ghi chú phương pháp"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("kết quả công bố")
        verbose_name_plural = _("kết quả công bố")
        ordering = ["year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["year", "province"], name="unique_result"),
            models.CheckConstraint(condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                                   name="result_total_0_100"),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(rank__gte=1), name="result_rank_positive"),
        ]

    def __str__(self):
        return f"{self.province} {self.year.year}"


class SubIndexScore(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="scores")
    subindex = models.ForeignKey(SubIndex, on_delete=models.PROTECT, related_name="scores")
    score = models.FloatField(_("điểm"))

    class Meta:
        verbose_name = _("điểm chỉ số thành phần")
        verbose_name_plural = _("điểm chỉ số thành phần")
        constraints = [
            models.UniqueConstraint(fields=["result", "subindex"], name="unique_subindex_score"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=10), name="subindex_score_0_10"),
        ]

    def __str__(self):
        return f"{self.subindex_id}: {self.score}"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="indicator_values")
    value = models.FloatField(_("giá trị"))
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        constraints = [models.UniqueConstraint(fields=["indicator", "province"], name="unique_indicator_value")]

    def __str__(self):
        return f"{self.indicator_id}/{self.province_id}: {self.value}"
