"""Business surveys: instruments (questions mapped to catalog indicators), surveys, one-use invitations,
anonymous responses, imports and the estimates computed from them.

Personal data (Luật Bảo vệ dữ liệu cá nhân): a response is never linked to the invitation it came
through; invitation tokens are stored only as a SHA-256 hash; consent is recorded per purpose with the
words shown; invitations and contact details are deleted after the survey closes
(``pciplan purge_survey_contacts``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pciplan.orgs.models import Organisation

NAME_VALIDATOR = RegexValidator(r"^[A-Za-z_][A-Za-z0-9_]*$",
                                "Tên câu hỏi chỉ gồm chữ cái không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ.")


class QuestionKind(models.TextChoices):
    SELECT_ONE = "select_one", _("Chọn một")
    SELECT_MULTIPLE = "select_multiple", _("Chọn nhiều")
    INTEGER = "integer", _("Số nguyên")
    DECIMAL = "decimal", _("Số thập phân")
    TEXT = "text", _("Văn bản")
    NOTE = "note", _("Ghi chú")


class Segment(models.TextChoices):
    NONE = "", _("—")
    SIZE = "size", _("Quy mô")
    SECTOR = "sector", _("Ngành nghề")
    DISTRICT = "district", _("Huyện, thành phố")
    OWNERSHIP = "ownership", _("Loại hình sở hữu")


class Instrument(models.Model):
    """A questionnaire, as data: questions, their choices and the indicator each measure feeds."""

    code = models.SlugField(_("mã"), max_length=80)
    version = models.CharField(_("phiên bản"), max_length=40, default="1")
    title = models.CharField(_("tên bộ câu hỏi"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    source = models.TextField(_("nguồn"), blank=True)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="instruments",
                              verbose_name=_("đơn vị sở hữu"), help_text=_("Để trống: mẫu dùng chung."))
    is_template = models.BooleanField(_("mẫu dùng chung"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bộ câu hỏi")
        verbose_name_plural = _("bộ câu hỏi")
        ordering = ["-is_template", "title", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_instrument_version")]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class Question(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("tên"), max_length=60, validators=[NAME_VALIDATOR])
    kind = models.CharField(_("loại"), max_length=20, choices=QuestionKind.choices)
    label = models.TextField(_("câu hỏi"))
    hint = models.TextField(_("gợi ý"), blank=True)
    required = models.BooleanField(_("bắt buộc"), default=False)
    list_name = models.CharField(_("danh sách lựa chọn"), max_length=60, blank=True)
    choices = models.JSONField(_("lựa chọn"), default=list, blank=True, help_text=_("[[giá trị, nhãn], …]"))
    relevant_question = models.CharField(_("chỉ hỏi khi câu"), max_length=60, blank=True)
    relevant_values = models.JSONField(_("có giá trị"), default=list, blank=True)
    segment = models.CharField(_("dùng để phân nhóm"), max_length=20, choices=Segment.choices, blank=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["instrument", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["instrument", "name"], name="unique_question_name")]

    def __str__(self):
        return f"{self.name}: {self.label[:80]}"

    def choice_label(self, value) -> str:
        return {str(v): str(lbl) for v, lbl in self.choices}.get(str(value), str(value))


class Measure(models.Model):
    """What an instrument estimates: the share of firms whose answer to ``question`` is in ``success_values``,
    among the firms whose answer to ``universe_question`` is in ``universe_values`` (all firms when empty)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveSmallIntegerField(default=0)
    key = models.SlugField(_("mã"), max_length=60)
    label = models.CharField(_("chỉ tiêu"), max_length=400)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="measures")
    success_values = models.JSONField(_("giá trị tính là “có”"), default=list)
    universe_question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                          verbose_name=_("tính trên các doanh nghiệp trả lời câu"))
    universe_values = models.JSONField(_("với giá trị"), default=list, blank=True)
    indicator_code = models.CharField(_("mã chỉ tiêu PCI"), max_length=60, blank=True)
    indicator_aliases = models.JSONField(_("mã chỉ tiêu PCI ở năm khác"), default=list, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu đo")
        verbose_name_plural = _("chỉ tiêu đo")
        ordering = ["instrument", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["instrument", "key"], name="unique_measure_key")]

    def __str__(self):
        return self.label

    @property
    def indicator_codes(self) -> list[str]:
        return [c for c in [self.indicator_code, *self.indicator_aliases] if c]


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Chuẩn bị")
    OPEN = "open", _("Đang thu thập")
    CLOSED = "closed", _("Đã kết thúc")


class Survey(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="surveys",
                                   verbose_name=_("bộ câu hỏi"))
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surveys",
                              verbose_name=_("đơn vị thực hiện"))
    plan = models.ForeignKey("plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="surveys",
                             verbose_name=_("phục vụ kế hoạch"))
    title = models.CharField(_("tên cuộc khảo sát"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    opens_on = models.DateField(_("bắt đầu"), null=True, blank=True)
    closes_on = models.DateField(_("kết thúc"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc thực tế"), null=True, blank=True)
    population_size = models.PositiveIntegerField(_("số doanh nghiệp trong tổng thể"), null=True, blank=True,
                                                  validators=[MinValueValidator(1)],
                                                  help_text=_("Để hiệu chỉnh tổng thể hữu hạn; để trống nếu chưa biết."))
    confidence = models.FloatField(_("độ tin cậy"), default=0.95)
    retention_days = models.PositiveSmallIntegerField(_("giữ đường dẫn mời và thông tin liên hệ (ngày sau khi kết thúc)"),
                                                      default=30)
    contacts_purged_on = models.DateField(_("đã xóa thông tin liên hệ ngày"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("dữ liệu mô phỏng"), default=False,
                                       help_text=_("Câu trả lời do máy tạo để minh họa — không phải số liệu thật."))
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc khảo sát")
        verbose_name_plural = _("cuộc khảo sát")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__isnull=True) | Q(opens_on__isnull=True)
                                   | Q(closes_on__gte=models.F("opens_on")), name="survey_dates_in_order"),
            models.CheckConstraint(condition=Q(confidence__gt=0.5) & Q(confidence__lt=1), name="survey_confidence"),
        ]

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """A one-use link for one firm. Only the hash of the token is kept; the link is shown once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("gửi cho"), max_length=200, blank=True, help_text=_("Tên doanh nghiệp (để gửi thư)."))
    contact = models.CharField(_("thư điện tử hoặc điện thoại"), max_length=200, blank=True)
    created_on = models.DateField(_("ngày tạo"))
    used = models.BooleanField(_("đã trả lời"), default=False)

    class Meta:
        verbose_name = _("lời mời")
        verbose_name_plural = _("lời mời")
        ordering = ["survey", "id"]

    def __str__(self):
        return f"Lời mời #{self.pk}"


class ImportBatch(models.Model):
    class Format(models.TextChoices):
        KOBO = "kobo", _("KoboToolbox / ODK (XLSX)")
        GOOGLE = "google", _("Google Forms (CSV/XLSX)")
        TABLE = "table", _("Bảng tính khác (CSV/XLSX)")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    filename = models.CharField(_("tệp"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    format = models.CharField(_("định dạng"), max_length=20, choices=Format.choices)
    mapping = models.JSONField(_("ghép cột"), default=dict)
    n_rows = models.PositiveIntegerField(_("số dòng"))

    class Meta:
        verbose_name = _("lần nhập câu trả lời")
        verbose_name_plural = _("các lần nhập câu trả lời")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.filename} ({self.n_rows} dòng)"


class Response(models.Model):
    """One firm's answers. Anonymous: no link to an invitation, a person or an address."""

    class Source(models.TextChoices):
        FORM = "form", _("Phiếu trực tuyến")
        IMPORT = "import", _("Nhập từ tệp")
        SYNTHETIC = "synthetic", _("Mô phỏng")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="responses")
    submitted_on = models.DateField(_("ngày trả lời"))
    answers = models.JSONField(_("câu trả lời"), default=dict)
    weight = models.FloatField(_("trọng số thiết kế"), default=1.0)
    consents = models.JSONField(_("đồng ý xử lý dữ liệu"), default=list, blank=True,
                                help_text=_("Mỗi mục đích: nội dung đã hiển thị và lựa chọn của doanh nghiệp."))
    is_synthetic = models.BooleanField(_("mô phỏng"), default=False)

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        ordering = ["survey", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="response_weight_positive")]

    def __str__(self):
        return f"Phiếu #{self.pk}"


class FollowUpContact(models.Model):
    """A firm that asked to be contacted about the services (a separate purpose, never linked to answers)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="follow_up_contacts")
    name = models.CharField(_("người liên hệ / doanh nghiệp"), max_length=200)
    contact = models.CharField(_("thư điện tử hoặc điện thoại"), max_length=200)
    consent_text = models.TextField(_("nội dung đồng ý"))
    given_on = models.DateField(_("ngày đồng ý"))

    class Meta:
        verbose_name = _("yêu cầu liên hệ")
        verbose_name_plural = _("yêu cầu liên hệ")

    def __str__(self):
        return self.name


class SurveyEstimate(models.Model):
    """An estimate computed from the survey's responses (recomputed whenever they change)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="estimates")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="estimates")
    segment = models.CharField(_("nhóm theo"), max_length=20, choices=Segment.choices, blank=True)
    segment_value = models.CharField(_("nhóm"), max_length=100, blank=True)
    segment_label = models.CharField(_("tên nhóm"), max_length=300, blank=True)
    value = models.FloatField(_("ước lượng (%)"), null=True, blank=True)
    low = models.FloatField(_("cận dưới (%)"), null=True, blank=True)
    high = models.FloatField(_("cận trên (%)"), null=True, blank=True)
    n = models.PositiveIntegerField(_("số trả lời"))
    eligible = models.PositiveIntegerField(_("số được hỏi"))
    nonresponse = models.PositiveIntegerField(_("không trả lời"))
    effective_n = models.FloatField(_("cỡ mẫu hiệu dụng"))
    weighted = models.BooleanField(_("có trọng số"), default=False)
    as_of = models.DateField(_("tính đến ngày"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ước lượng")
        verbose_name_plural = _("ước lượng")
        ordering = ["survey", "measure__order", "segment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "measure", "segment", "segment_value"], name="unique_estimate"),
            models.CheckConstraint(condition=Q(value__isnull=True) | (Q(value__gte=0) & Q(value__lte=100)),
                                   name="estimate_0_100"),
        ]

    def __str__(self):
        return f"{self.measure_id} {self.segment}:{self.segment_value} = {self.value}"
