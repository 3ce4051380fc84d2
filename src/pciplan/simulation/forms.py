"""The simulator's inputs: a score per sub-index, the target to solve for, difficulty and caps.

Numbers are typed the Vietnamese way (``7,61``) or with a dot (``7.61``); every message is Vietnamese and
belongs to its field.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from pciplan.catalog.models import Group
from pciplan.lib.numbers import NumberFormatError, format_number, parse_decimal

from .setup import Setup

SCORE_PREFIX = "diem_"
DIFFICULTY_PREFIX = "kho_"
CAP_PREFIX = "tran_"


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


class NumberField(forms.CharField):
    """A decimal typed with a comma or a dot, within ``[low, high]`` (``low`` excluded if ``open_low``)."""

    def __init__(self, *, low: float, high: float, what: str, open_low: bool = False, **kwargs):
        kwargs.setdefault("error_messages", {"required": f"Chưa nhập {what}."})
        super().__init__(strip=True, max_length=20, **kwargs)
        self.low, self.high, self.what, self.open_low = low, high, what, open_low

    def clean(self, value):
        text = super().clean(value)
        if text in ("", None):
            return None
        try:
            number = float(parse_decimal(text))
        except NumberFormatError as exc:
            raise ValidationError(_sentence(str(exc)))
        too_low = number <= self.low if self.open_low else number < self.low
        if too_low or number > self.high:
            low = format_number(self.low, 2, strip=True)
            high = format_number(self.high, 2, strip=True)
            span = f"lớn hơn {low} và không quá {high}" if self.open_low else f"từ {low} đến {high}"
            raise ValidationError(f"{self.what[:1].upper() + self.what[1:]} phải {span}; đã nhập {text}.")
        return number


class RankField(forms.CharField):
    def __init__(self, *, n_ranked: int, **kwargs):
        super().__init__(strip=True, max_length=10, required=False, **kwargs)
        self.n_ranked = n_ranked

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            rank = int(text)
        except ValueError:
            raise ValidationError(f"Thứ hạng phải là số nguyên từ 1 đến {self.n_ranked}; đã nhập “{text}”.")
        if not 1 <= rank <= self.n_ranked:
            raise ValidationError(f"Thứ hạng phải từ 1 đến {self.n_ranked}; đã nhập {text}.")
        return rank


class SimulationForm(forms.Form):
    """Built for one :class:`Setup` (its sub-indices and number of ranked provinces)."""

    nhom = forms.ChoiceField(required=False, label="Nhóm xếp hạng cần đạt",
                             choices=[("", "(không đặt)")] + [(str(g.label), str(g.label)) for g in Group])

    def __init__(self, *args, setup: Setup, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup = setup
        self.fields["hang"] = RankField(n_ranked=setup.n_ranked, label="Thứ hạng cần đạt")
        for sub in setup.spec.subindices:
            self.fields[SCORE_PREFIX + sub.code] = NumberField(
                low=setup.spec.scale_min, high=setup.spec.scale_max, what="điểm", label=sub.name_vi)
            self.fields[DIFFICULTY_PREFIX + sub.code] = NumberField(
                low=0, high=100, open_low=True, what="hệ số độ khó", required=False, label=f"Độ khó — {sub.name_vi}")
            self.fields[CAP_PREFIX + sub.code] = NumberField(
                low=setup.spec.scale_min, high=setup.spec.scale_max, what="mức trần", required=False,
                label=f"Mức trần — {sub.name_vi}")

    def scores(self) -> dict[str, float]:
        return {c: self.cleaned_data[SCORE_PREFIX + c] for c in self.setup.codes}

    def difficulty(self) -> dict[str, float]:
        return {c: v for c in self.setup.codes if (v := self.cleaned_data.get(DIFFICULTY_PREFIX + c)) is not None}

    def caps(self) -> dict[str, float]:
        return {c: v for c in self.setup.codes if (v := self.cleaned_data.get(CAP_PREFIX + c)) is not None}


def initial_for(setup: Setup, scores: dict[str, float] | None = None) -> dict:
    """Initial values: the given scores (or the plan's), the plan's rank and group targets."""
    scores = scores or setup.default_scores()
    initial = {SCORE_PREFIX + c: format_number(v, 2) for c, v in scores.items()}
    if setup.targets is not None:
        if setup.targets.rank is not None and setup.targets.rank <= setup.n_ranked:
            initial["hang"] = str(setup.targets.rank)
        if setup.targets.group:
            initial["nhom"] = setup.targets.group
    return initial
