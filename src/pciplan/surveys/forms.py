"""Forms for the survey pages: labels above fields, Vietnamese messages, day-first dates, 7,5 and 7.5 accepted."""

from __future__ import annotations

from django import forms

from pciplan.lib.numbers import NumberFormatError, parse_decimal

from .consent import PURPOSES
from .models import Instrument


class VNNumberField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return float(parse_decimal(value))
        except NumberFormatError as exc:
            raise forms.ValidationError(f"{exc}.")


class DayFirstDateField(forms.DateField):
    input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
    widget = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
                             format="%d/%m/%Y")
    default_error_messages = {"invalid": "Ngày phải có dạng ngày/tháng/năm, ví dụ 15/8/2020."}


class SurveyForm(forms.Form):
    title = forms.CharField(label="Tên cuộc khảo sát", max_length=300)
    instrument = forms.ModelChoiceField(label="Bộ câu hỏi", queryset=Instrument.objects.none(),
                                        empty_label="— chọn bộ câu hỏi —")
    owner = forms.ModelChoiceField(label="Đơn vị thực hiện", queryset=None, empty_label=None)
    plan = forms.ModelChoiceField(label="Phục vụ kế hoạch", queryset=None, required=False, empty_label="— không gắn —")
    year = forms.IntegerField(label="Năm", min_value=2005, max_value=2100)
    opens_on = DayFirstDateField(label="Bắt đầu", required=False)
    closes_on = DayFirstDateField(label="Kết thúc", required=False)
    population_size = forms.IntegerField(label="Số doanh nghiệp trong tổng thể (nếu biết)", min_value=1, required=False,
                                         help_text="Dùng để hiệu chỉnh tổng thể hữu hạn; để trống nếu chưa biết.")
    retention_days = forms.IntegerField(label="Giữ đường dẫn mời và thông tin liên hệ sau khi kết thúc (ngày)",
                                        min_value=0, max_value=365, initial=30)

    def __init__(self, *args, instruments, owners, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments
        self.fields["owner"].queryset = owners
        self.fields["plan"].queryset = plans

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class InvitationForm(forms.Form):
    count = forms.IntegerField(label="Số đường dẫn cần tạo", min_value=1, max_value=2000, required=False,
                               help_text="Mỗi doanh nghiệp một đường dẫn, chỉ dùng được một lần.")
    recipients = forms.CharField(
        label="Hoặc danh sách doanh nghiệp (mỗi dòng: tên; thư điện tử hoặc điện thoại)", required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "Công ty TNHH A; a@example.vn"}),
        help_text="Thông tin liên hệ chỉ để gửi lời mời và bị xóa khi hết thời hạn lưu giữ.")

    def clean(self):
        data = super().clean()
        lines = [ln for ln in (data.get("recipients") or "").splitlines() if ln.strip()]
        data["recipient_list"] = [tuple((ln.split(";", 1) + [""])[:2]) for ln in lines]
        if not lines and not data.get("count"):
            self.add_error("count", "Nhập số đường dẫn hoặc danh sách doanh nghiệp.")
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp câu trả lời (XLSX hoặc CSV)",
                           help_text="Tệp xuất từ KoboToolbox (XLSX), Google Forms (CSV/XLSX) hoặc bảng tính mỗi dòng một doanh nghiệp.")


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(label="Tệp XLSForm (.xlsx)")


class SampleSizeForm(forms.Form):
    margin = VNNumberField(label="Sai số mong muốn (± điểm phần trăm)", initial="5")
    confidence = forms.ChoiceField(label="Độ tin cậy", choices=[("0.90", "90%"), ("0.95", "95%"), ("0.99", "99%")],
                                   initial="0.95")
    expected = VNNumberField(label="Tỷ lệ dự kiến (%)", required=False, initial="50",
                             help_text="Để 50% nếu chưa biết: cho cỡ mẫu an toàn nhất.")
    population = forms.IntegerField(label="Số doanh nghiệp trong tổng thể (nếu biết)", min_value=1, required=False)
    response_rate = VNNumberField(label="Tỷ lệ phản hồi dự kiến (%)", required=False, initial="40",
                                  help_text="Để tính số lời mời cần gửi.")

    def clean_margin(self):
        value = self.cleaned_data["margin"]
        if value is None or not 0 < value < 50:
            raise forms.ValidationError("Sai số phải lớn hơn 0 và nhỏ hơn 50 điểm phần trăm.")
        return value

    def clean_expected(self):
        value = self.cleaned_data.get("expected")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError("Tỷ lệ dự kiến phải từ 0 đến 100%.")
        return 50.0 if value is None else value

    def clean_response_rate(self):
        value = self.cleaned_data.get("response_rate")
        if value is not None and not 0 < value <= 100:
            raise forms.ValidationError("Tỷ lệ phản hồi phải lớn hơn 0 và không quá 100%.")
        return value


def consent_fields() -> list[tuple[str, object]]:
    return [(f"consent_{p.code}", p) for p in PURPOSES]
