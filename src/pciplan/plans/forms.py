"""Forms for plans, targets and tasks: labels above fields, Vietnamese messages, 7,61 and 7.61 accepted."""

from __future__ import annotations

from django import forms

from pciplan.lib.numbers import NumberFormatError, parse_decimal

from .models import Comparator, TaskStatus, TimingKind


class VNDecimalField(forms.CharField):
    """A number typed the Vietnamese way (7,61) or the other (7.61)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value)
        except NumberFormatError as exc:
            raise forms.ValidationError(str(exc))


class DayFirstDateField(forms.DateField):
    input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
    widget = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
                             format="%d/%m/%Y")
    default_error_messages = {"invalid": "Ngày phải có dạng ngày/tháng/năm, ví dụ 15/8/2020."}


class TargetForm(forms.Form):
    label = forms.CharField(label="Nội dung mục tiêu", max_length=400, required=False)
    comparator = forms.ChoiceField(label="So sánh", choices=[("", "— chọn —"), *Comparator.choices], required=False)
    value = VNDecimalField(label="Giá trị mục tiêu", required=False, help_text="Ví dụ 7,61 (gõ 7,61 hoặc 7.61 đều được)")
    value_text = forms.CharField(label="Mục tiêu nhóm xếp hạng", max_length=40, required=False,
                                 help_text="Chỉ với mục tiêu nhóm: Rất tốt, Tốt, Khá, …")
    increase = VNDecimalField(label="Mức tăng so với năm gốc", required=False)
    baseline_year = forms.IntegerField(label="Năm gốc", required=False, min_value=2005, max_value=2100,
                                       error_messages={"invalid": "Năm gốc phải là một năm, ví dụ 2019."})
    reason = forms.CharField(label="Lý do sửa đổi (kế hoạch đã ban hành)", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if not data.get("comparator"):
            self.add_error("comparator", "Chọn phép so sánh (từ … trở lên, trên, …).")
        return data


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label="Tình trạng", choices=TaskStatus.choices)
    completed_on = DayFirstDateField(label="Ngày hoàn thành", required=False)
    progress = forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == TaskStatus.DONE and not data.get("completed_on"):
            self.add_error("completed_on", "Nhiệm vụ đã hoàn thành cần ngày hoàn thành.")
        return data


class TaskForm(forms.Form):
    text = forms.CharField(label="Nội dung nhiệm vụ", widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.ModelMultipleChoiceField(label="Đơn vị thực hiện", queryset=None,
                                           error_messages={"required": "Chọn ít nhất một đơn vị thực hiện."})
    timing = forms.ChoiceField(label="Thời hạn", choices=TimingKind.choices)
    deadline = DayFirstDateField(label="Hạn hoàn thành", required=False)
    recurrence = forms.ChoiceField(label="Chu kỳ", choices=[("", "—"), ("quarterly", "Hàng quý"), ("yearly", "Hàng năm")],
                                   required=False)
    output = forms.CharField(label="Kết quả đầu ra (nếu có)", max_length=300, required=False)
    reason = forms.CharField(label="Lý do sửa đổi (kế hoạch đã ban hành)", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units_queryset
