"""The results import page (``/danh-muc/nhap-ket-qua/``), for coordinators and administrators.

Three ways in, each writing through :mod:`pciplan.catalog.imports` (all or nothing, with an audit
entry): a results table from a file (read by the engine's parser, checked first and shown before it is
written), one province's published result typed in, and one published indicator value.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import NumberFormatError, parse_decimal
from pciplan.orgs.access import scope_for
from pciplan.orgs.models import Role

from . import imports
from .models import EditionYear, Group, Province, SubIndex

SESSION_KEY = "pciplan_results_import"
MAX_UPLOAD = 5 * 1024 * 1024


def _require_importer(request):
    scope = scope_for(request)
    if not (scope.is_admin or scope.role == Role.COORDINATOR):
        raise PermissionDenied("Chỉ cán bộ điều phối hoặc quản trị nhập được kết quả công bố.")
    return scope


class NumberField(forms.CharField):
    """A number typed as 7,61 or 7.61 (or 45,2% for a share)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return float(parse_decimal(value))
        except NumberFormatError as exc:
            raise forms.ValidationError(f"{exc}.")


def _year_choices():
    years = list(EditionYear.objects.order_by("-year").values_list("year", flat=True))
    current = dt.date.today().year
    extra = [y for y in range(current, current - 3, -1) if y not in years and imports.edition_for_year(y)]
    return [(y, str(y)) for y in sorted({*years, *extra}, reverse=True)]


def _province_choices():
    return [(p.slug, p.name) for p in Province.objects.filter(valid_to__isnull=True).order_by("name")] + \
        [(p.slug, f"{p.name} (đến {p.valid_to:%d/%m/%Y})") for p in
         Province.objects.filter(valid_to__isnull=False).order_by("name")]


class ResultForm(forms.Form):
    year = forms.TypedChoiceField(label="Năm PCI", coerce=int)
    province = forms.ChoiceField(label="Tỉnh, thành phố")
    total = NumberField(label="Tổng điểm PCI", required=False, help_text="Ví dụ 63,98")
    rank = forms.IntegerField(label="Thứ hạng", required=False, min_value=1,
                              error_messages={"invalid": "Thứ hạng phải là số nguyên, ví dụ 27."})
    group = forms.ChoiceField(label="Nhóm xếp hạng", required=False, choices=[("", "— chưa công bố —"), *Group.choices])
    source_url = forms.URLField(label="Nguồn (địa chỉ trang VCCI)", max_length=500, assume_scheme="https",
                                error_messages={"required": "Ghi nguồn số liệu (địa chỉ trang VCCI).",
                                                "invalid": "Địa chỉ trang web không hợp lệ."})

    def __init__(self, *args, subindices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["province"].choices = _province_choices()
        self.subindices = list(subindices)
        for s in self.subindices:
            self.fields[f"si_{s.code}"] = NumberField(label=f"{s.number}. {s.name}", required=False)

    def row(self) -> imports.ResultRow:
        d = self.cleaned_data
        group = dict(Group.choices).get(d.get("group") or "", "")
        return imports.ResultRow(row=None, province_slug=d["province"], total=d.get("total"), rank=d.get("rank"),
                                 group=str(group), scores={s.code: d.get(f"si_{s.code}") for s in self.subindices
                                                           if d.get(f"si_{s.code}") is not None})


class IndicatorValueForm(forms.Form):
    year = forms.TypedChoiceField(label="Năm PCI", coerce=int)
    province = forms.ChoiceField(label="Tỉnh, thành phố")
    code = forms.ChoiceField(label="Chỉ tiêu")
    value = NumberField(label="Giá trị công bố", help_text="Tỷ lệ ghi theo phần trăm, ví dụ 45,2")
    source_url = forms.URLField(label="Nguồn (địa chỉ trang VCCI)", max_length=500, assume_scheme="https",
                                error_messages={"required": "Ghi nguồn số liệu.",
                                                "invalid": "Địa chỉ trang web không hợp lệ."})

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["province"].choices = _province_choices()
        self.indicators = {i.code: i for i in indicators}
        self.fields["code"].choices = [(i.code, f"{i.code} — {i.label[:90]}") for i in indicators]


class FileForm(forms.Form):
    year = forms.TypedChoiceField(label="Năm PCI", coerce=int)
    source_url = forms.URLField(label="Nguồn (địa chỉ trang VCCI)", max_length=500, assume_scheme="https",
                                error_messages={"required": "Ghi nguồn số liệu.",
                                                "invalid": "Địa chỉ trang web không hợp lệ."})
    file = forms.FileField(label="Tệp bảng kết quả (XLSX hoặc CSV)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError("Tệp lớn quá 5 MB.")
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
        return f


def results_parser():
    """The engine's results-table parser (pure: row and column errors, tolerant province names)."""
    try:
        module = importlib.import_module("pciplan.engine.results")
    except ModuleNotFoundError:
        return None
    return getattr(module, "parse_results", None)


def parse_file(content: bytes, *, filename: str, year: int, source_url: str) -> list[imports.ResultRow]:
    """Rows of an uploaded table for ``year``, or :class:`imports.ImportRefused` with every problem."""
    from pciplan.engine.errors import InputError
    from pciplan.engine.results import parse_results

    try:
        parsed = parse_results(content, filename=filename, year=year, source_url=source_url)
    except InputError as exc:
        problems = getattr(exc, "problems", None) or [imports.Problem(None, None, str(exc))]
        raise imports.ImportRefused([imports.Problem(p.row, p.column, p.message) for p in problems])
    other_years = [imports.Problem(r.row, "năm", f"dòng của năm {r.year}, không phải năm {year} đang nhập.")
                   for r in parsed if r.year is not None and r.year != year]
    if other_years:
        raise imports.ImportRefused(other_years)
    return [imports.ResultRow(row=r.row, province_slug=r.province_slug, province_name=r.province_name,
                              total=r.total, rank=r.rank, group=r.group, scores=dict(r.scores),
                              source_url=r.source_url) for r in parsed]


def _selected_year(request, default: int | None) -> int | None:
    raw = request.POST.get("year") or request.GET.get("nam")
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def _context(request, *, year, result_form=None, indicator_form=None, file_form=None, **extra):
    scope = scope_for(request)
    edition_year = EditionYear.objects.select_related("edition").filter(year=year).first() if year else None
    edition = edition_year.edition if edition_year else (imports.edition_for_year(year) if year else None)
    subindices = list(SubIndex.objects.filter(edition=edition).order_by("number")) if edition else []
    indicators = list(imports.indicator_choices(year)) if year else []
    home_province = scope.home.province_slug if scope.home else ""
    initial = {"year": year, "province": home_province}
    ctx = {
        "year": year, "edition": edition,
        "result_form": result_form or ResultForm(initial=initial, subindices=subindices),
        "indicator_form": indicator_form or IndicatorValueForm(initial=initial, indicators=indicators),
        "file_form": file_form or FileForm(initial={"year": year}),
        "has_parser": results_parser() is not None, "subindices": subindices, "indicators": indicators,
    }
    ctx.update(extra)
    return ctx


def _default_year():
    return EditionYear.objects.order_by("-year").values_list("year", flat=True).first()


@login_required
def results_import(request):
    _require_importer(request)
    year = _selected_year(request, _default_year())
    return render(request, "catalog/results_import.html", _context(request, year=year))


@login_required
@require_POST
def result_enter(request):
    _require_importer(request)
    year = _selected_year(request, _default_year())
    edition = imports.edition_for_year(year) if year else None
    subindices = list(SubIndex.objects.filter(edition=edition).order_by("number")) if edition else []
    form = ResultForm(request.POST, subindices=subindices)
    if form.is_valid():
        try:
            summary = imports.results_apply(actor=request.user, year=form.cleaned_data["year"], rows=[form.row()],
                                            source_url=form.cleaned_data["source_url"])
        except imports.ImportRefused as exc:
            for problem in exc.problems:
                form.add_error(None, str(problem))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã ghi kết quả. {summary.text}")
            return HttpResponseRedirect(reverse("catalog:year", args=[form.cleaned_data["year"]]))
    return render(request, "catalog/results_import.html", _context(request, year=year, result_form=form), status=400)


@login_required
@require_POST
def indicator_enter(request):
    _require_importer(request)
    year = _selected_year(request, _default_year())
    indicators = list(imports.indicator_choices(year)) if year else []
    form = IndicatorValueForm(request.POST, indicators=indicators)
    if form.is_valid():
        d = form.cleaned_data
        value = d["value"]  # shares are stored in percent, as VCCI publishes them
        try:
            province = Province.objects.get(slug=d["province"])
            imports.indicator_value_set(actor=request.user, year=d["year"], province=province, code=d["code"],
                                        value=value, source_url=d["source_url"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã ghi giá trị chỉ tiêu {d['code']} của {province.name} năm {d['year']}.")
            return HttpResponseRedirect(reverse("catalog:results_import") + f"?nam={d['year']}")
    return render(request, "catalog/results_import.html", _context(request, year=year, indicator_form=form),
                  status=400)


def _rows_to_session(rows) -> list[dict]:
    return [{"row": r.row, "province_slug": r.province_slug, "province_name": r.province_name, "total": r.total,
             "rank": r.rank, "group": r.group, "scores": dict(r.scores), "source_url": r.source_url} for r in rows]


def _rows_from_session(items) -> list[imports.ResultRow]:
    return [imports.ResultRow(**item) for item in items]


@login_required
@require_POST
def file_preview(request):
    """Read the file, check every row, and show what would change — nothing is written yet."""
    _require_importer(request)
    year = _selected_year(request, _default_year())
    form = FileForm(request.POST, request.FILES)
    parser = results_parser()
    if parser is None:
        form.add_error("file", "Phiên bản này chưa có bộ đọc bảng kết quả; hãy nhập từng tỉnh ở mục dưới.")
    if form.is_valid():
        d = form.cleaned_data
        try:
            rows = parse_file(d["file"].read(), filename=d["file"].name, year=d["year"], source_url=d["source_url"])
            summary = imports.results_apply(actor=request.user, year=d["year"], rows=rows, source_url=d["source_url"],
                                            dry_run=True)
        except imports.ImportRefused as exc:
            return render(request, "catalog/results_import.html",
                          _context(request, year=year, file_form=form, problems=exc.problems, refused=exc.message),
                          status=400)
        except (DomainError, ValueError) as exc:
            problems = getattr(exc, "problems", None)
            form.add_error("file", getattr(exc, "message", str(exc)))
            return render(request, "catalog/results_import.html",
                          _context(request, year=year, file_form=form, problems=problems or []), status=400)
        token = secrets.token_urlsafe(12)
        request.session[SESSION_KEY] = {"token": token, "year": d["year"], "source_url": d["source_url"],
                                        "filename": d["file"].name, "rows": json.loads(json.dumps(_rows_to_session(rows)))}
        return render(request, "catalog/results_import.html",
                      _context(request, year=year, preview=summary, token=token, filename=d["file"].name))
    return render(request, "catalog/results_import.html", _context(request, year=year, file_form=form), status=400)


@login_required
@require_POST
def file_confirm(request):
    _require_importer(request)
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, "Phiên nhập đã hết hạn hoặc đã được ghi; chọn tệp và kiểm tra lại.")
        return HttpResponseRedirect(reverse("catalog:results_import"))
    try:
        summary = imports.results_apply(actor=request.user, year=pending["year"],
                                        rows=_rows_from_session(pending["rows"]), source_url=pending["source_url"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("catalog:results_import"))
    del request.session[SESSION_KEY]
    messages.success(request, f"Đã nhập {pending['filename']}. {summary.text}")
    return HttpResponseRedirect(reverse("catalog:year", args=[pending["year"]]))
