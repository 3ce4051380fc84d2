"""Importing a plan from its document: upload, review beside the source text, create.

``/ke-hoach/nhap/`` takes a DOCX, PDF or text file and reads it with :mod:`pciplan.plandoc`; the draft
is kept in the person's session (no domain row is written) and ``/ke-hoach/nhap/<token>/`` shows it
beside the source text, each field highlighted where it was read. The person corrects, adds, removes,
decides what each unknown unit is, then "Tạo kế hoạch" creates the plan as a draft through
:func:`pciplan.plans.imports.plan_import` — all of it, or nothing with every problem shown in place.

Who: coordinators and administrators, for an agency they manage (:meth:`Scope.manages_org`).
"""

from __future__ import annotations

import copy
import json
import re
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from pciplan.catalog.models import Edition, Group
from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import format_number
from pciplan.lib.text import fold
from pciplan.orgs.access import scope_for
from pciplan.orgs.models import Organisation
from pciplan.plandoc import PlanDocError, read_plan

from . import imports
from .access import visible_plans_filter
from .models import Comparator, Plan, Recurrence, ReportingRule, Role, TargetKind, TimingKind

SESSION_KEY = "pciplan_plan_imports"
MAX_DRAFTS = 3
#: the largest review kept in a session (the JSON of the draft and its source text)
MAX_REVIEW_BYTES = 2_500_000

DOC_FIELDS = ("title", "number", "symbol", "place", "date", "year", "edition", "signer_name", "signer_title", "parent")
TARGET_FIELDS = ("kind", "subindex", "label", "comparator", "value", "value_text", "of", "unit", "increase",
                 "baseline_year", "indicator_code", "text", "note", "section")
TASK_FIELDS = ("text", "subindex", "timing", "deadline", "recurrence", "timing_text", "section")
REPORTING_FIELDS = ("who", "quarter_due_day", "quarter_due_text", "annual_due_day", "annual_due_month",
                    "annual_due_text", "consolidator", "monitor", "text", "consolidator_name")
REPORTING_FLAGS = ("enabled", "quarterly", "annual")
TARGET_ROLES = [(Role.LEAD.value, "Đầu mối"), (Role.OWNER.value, "Chủ trì"), (Role.SUPPORT.value, "Phối hợp")]
TASK_ROLES = [(Role.OWNER.value, "Chủ trì"), (Role.SUPPORT.value, "Phối hợp")]
COMPARATORS = [(">=", "≥ từ … trở lên"), (">", "> trên"), ("<=", "≤ từ … trở xuống"), ("<", "< dưới")]
RANK_COMPARATORS = [("<=", "≤ thứ … trở lên (hạng tốt hơn)"), ("<", "< đứng trước thứ …"), (">=", "≥ thứ … trở xuống"),
                    (">", "> đứng sau thứ …")]
KIND_CHOICES = [(k.value, k.label) for k in TargetKind]
#: which inputs a target of each kind shows
KIND_FIELDS = {
    "label": {TargetKind.RANK, TargetKind.GROUP, TargetKind.TOTAL, TargetKind.INDICATOR},
    "subindex": {TargetKind.SUBINDEX, TargetKind.INDICATOR},
    "value": {TargetKind.RANK, TargetKind.TOTAL, TargetKind.SUBINDEX, TargetKind.INDICATOR},
    "value_text": {TargetKind.GROUP},
    "of": {TargetKind.RANK},
    "unit": {TargetKind.INDICATOR},
    "indicator_code": {TargetKind.INDICATOR},
    "increase": {TargetKind.RANK, TargetKind.TOTAL, TargetKind.SUBINDEX, TargetKind.INDICATOR},
    "baseline_year": {TargetKind.RANK, TargetKind.TOTAL, TargetKind.SUBINDEX, TargetKind.INDICATOR, TargetKind.GROUP},
}


# --- who may import, and for which agency ---------------------------------------------------------

def _issuers(scope) -> list[Organisation]:
    """The agencies (and provincial committees) whose plans the person may create."""
    if not scope.authenticated:
        return []
    orgs = Organisation.objects.exclude(kind=Organisation.Kind.UNIT).order_by("kind", "name")
    if not scope.is_admin:
        orgs = orgs.filter(pk__in=scope.readable_org_ids)
    return [o for o in orgs if scope.manages_org(o.pk)]


def _require_manager(request, issuer_id=None) -> Organisation | None:
    scope = scope_for(request)
    if issuer_id is None:
        if not (scope.is_admin or (scope.home is not None and scope.manages_org(scope.home.pk))):
            raise PermissionDenied("Chỉ cán bộ điều phối hoặc quản trị viên nhập được kế hoạch.")
        return None
    if not scope.manages_org(issuer_id):
        raise PermissionDenied("Bạn không quản lý kế hoạch của cơ quan này.")
    return Organisation.objects.select_related("parent").filter(pk=issuer_id).first()


# --- the draft kept between requests --------------------------------------------------------------

def _drafts(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _load(request, token: str) -> dict | None:
    entry = _drafts(request).get(token)
    if not entry or entry.get("user") != request.user.pk:
        return None
    review = entry.get("review")
    return review if isinstance(review, dict) and review.get("version") == imports.REVIEW_VERSION else None


def _save(request, token: str, review: dict) -> None:
    size = len(json.dumps(review, ensure_ascii=False).encode("utf-8"))
    if size > MAX_REVIEW_BYTES:
        raise DomainError(f"Bản nháp quá lớn để giữ lại ({size // 1024} KB, tối đa {MAX_REVIEW_BYTES // 1024} KB): "
                          "tách văn bản thành các phần nhỏ hơn.", field="file")
    drafts = dict(_drafts(request))
    drafts[token] = {"user": request.user.pk, "at": timezone.now().isoformat(), "review": review}
    newest = sorted(drafts, key=lambda k: drafts[k].get("at", ""), reverse=True)[:MAX_DRAFTS]
    request.session[SESSION_KEY] = {k: drafts[k] for k in newest}


def _discard(request, token: str) -> None:
    drafts = dict(_drafts(request))
    if drafts.pop(token, None) is not None:
        request.session[SESSION_KEY] = drafts


# --- upload ---------------------------------------------------------------------------------------

class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp kế hoạch (DOCX, PDF có lớp chữ, hoặc TXT)",
        error_messages={"required": "Chọn tệp văn bản kế hoạch.",
                        "empty": "Tệp trống: không có nội dung nào để đọc.",
                        "invalid": "Không nhận được tệp; chọn lại tệp."},
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.txt,application/pdf,text/plain,"
                                               "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}))
    issuer = forms.TypedChoiceField(label="Cơ quan ban hành", coerce=int, required=False, empty_value=None,
                                    error_messages={"invalid_choice": "Chọn một cơ quan bạn quản lý."})
    year = forms.IntegerField(label="Năm kế hoạch", required=False, min_value=2005, max_value=2100,
                              help_text="Để trống: lấy theo văn bản.",
                              error_messages={"invalid": "Năm phải là một số, ví dụ 2020.",
                                              "min_value": "Năm phải từ 2005 trở đi.",
                                              "max_value": "Năm không hợp lệ."})
    edition = forms.ChoiceField(label="Phương pháp PCI", required=False,
                                help_text="Để trống: theo năm kế hoạch.")

    def __init__(self, *args, issuers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = [(o.pk, o.name) for o in issuers]
        self.fields["edition"].choices = [("", "— theo năm kế hoạch —")] + [
            (e.code, f"{e.name} ({e.first_year}–{e.last_year or 'nay'})")
            for e in Edition.objects.filter(is_example=False).order_by("first_year")]

    def clean_file(self):
        f = self.cleaned_data["file"]
        limit = settings.PCIPLAN_MAX_UPLOAD_BYTES
        if f.size > limit:
            raise forms.ValidationError(f"Tệp quá lớn ({format_number(f.size / 1048576, 1)} MB); "
                                        f"tối đa {format_number(limit / 1048576, 0)} MB.")
        return f


@login_required
def import_upload(request):
    _require_manager(request)
    scope = scope_for(request)
    issuers = _issuers(scope)
    default = scope.home.pk if scope.home is not None and any(o.pk == scope.home.pk for o in issuers) else (
        issuers[0].pk if issuers else None)
    form = UploadForm(request.POST or None, request.FILES or None, issuers=issuers, initial={"issuer": default})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issuer = _require_manager(request, data["issuer"] or default)
        upload = data["file"]
        try:
            draft = read_plan(upload.read(), upload.name)
            edition = Edition.objects.filter(code=data["edition"]).first() if data.get("edition") else None
            review = imports.review_from_draft(draft, issuer=issuer, year=data.get("year"), edition=edition,
                                               filename=upload.name[:200])
            token = secrets.token_urlsafe(12)
            _save(request, token, review)
        except PlanDocError as exc:
            form.add_error("file", str(exc))
        except DomainError as exc:
            form.add_error("file" if exc.field not in form.fields else exc.field, exc.message)
        else:
            return HttpResponseRedirect(reverse("plans:import_review", args=[token]))
    return render(request, "plans/import_upload.html", {"form": form, "max_mb": settings.PCIPLAN_MAX_UPLOAD_BYTES // 1048576},
                  status=400 if form.errors else 200)


# --- the review: POST → review --------------------------------------------------------------------

def _indices(post, prefix: str) -> list[int]:
    pattern = re.compile(rf"^{prefix}-(\d+)-src$")
    return sorted({int(m.group(1)) for key in post for m in [pattern.match(key)] if m})


def _span_in(value, text_len: int):
    match = re.fullmatch(r"(\d+)-(\d+)", value or "")
    if not match:
        return None
    s, e = int(match.group(1)), int(match.group(2))
    return [s, e] if 0 <= s < e <= text_len else None


def _units_from_post(post, prefix: str, text_len: int) -> list[dict]:
    pattern = re.compile(rf"^{re.escape(prefix)}-u-(\d+)-ref$")
    out = []
    for j in sorted({int(m.group(1)) for key in post for m in [pattern.match(key)] if m}):
        p = f"{prefix}-u-{j}"
        out.append({"ref": post.get(f"{p}-ref", "").strip(), "role": post.get(f"{p}-role", "") or Role.OWNER,
                    "name": post.get(f"{p}-name", "")[:255], "span": _span_in(post.get(f"{p}-span"), text_len)})
    return out


def _src(value, n: int):
    return int(value) if (value or "").isdigit() and int(value) < n else None


def review_from_post(post, base: dict) -> dict:
    """The review as edited on the screen: the form's values over the kept draft (its text and spans)."""
    review = copy.deepcopy(base)
    text_len = len(base["text"])
    doc = dict(base["doc"])
    doc.update({f: post.get(f"doc-{f}", "").strip() for f in DOC_FIELDS})
    review["doc"] = doc
    n_target_src, n_task_src = len(base["spans"]["targets"]), len(base["spans"]["tasks"])
    review["targets"] = []
    for i in _indices(post, "t"):
        p = f"t-{i}"
        row = {f: post.get(f"{p}-{f}", "") for f in TARGET_FIELDS}
        row.update(src=_src(post.get(f"{p}-src"), n_target_src), remove=post.get(f"{p}-remove") == "1",
                   units=_units_from_post(post, p, text_len))
        review["targets"].append(row)
    review["tasks"] = []
    for i in _indices(post, "k"):
        p = f"k-{i}"
        row = {f: post.get(f"{p}-{f}", "") for f in TASK_FIELDS}
        row.update(src=_src(post.get(f"{p}-src"), n_task_src), remove=post.get(f"{p}-remove") == "1",
                   units=_units_from_post(post, p, text_len))
        review["tasks"].append(row)
    rep = dict(base["reporting"])
    rep.update({f: post.get(f"r-{f}", "").strip() for f in REPORTING_FIELDS if f"r-{f}" in post})
    rep.update({f: post.get(f"r-{f}") == "1" for f in REPORTING_FLAGS})
    review["reporting"] = rep
    decided = {}
    for key in post:
        match = re.match(r"^nu-(\d+)-name$", key)
        if match:
            choice = post.get(f"nu-{match.group(1)}-choice", "")
            if choice in (imports.NEW_UNIT, imports.NEW_AGENCY, imports.SKIP) or re.fullmatch(r"org:\d+", choice):
                decided[post[key]] = choice
    review["new_units"] = decided
    return imports.sync_new_units(review)


def _blank_target(kind=TargetKind.SUBINDEX) -> dict:
    return {"src": None, "kind": kind, "subindex": "", "label": "", "comparator": Comparator.GTE, "value": "",
            "value_text": "", "of": "", "unit": "", "increase": "", "baseline_year": "", "indicator_code": "", "text": "",
            "note": "", "section": "", "units": [{"ref": "", "role": Role.LEAD, "name": "", "span": None}], "remove": False}


def _blank_task() -> dict:
    return {"src": None, "text": "", "subindex": "", "timing": TimingKind.CONTINUOUS, "deadline": "", "recurrence": "",
            "timing_text": "", "section": "", "units": [{"ref": "", "role": Role.OWNER, "name": "", "span": None}], "remove": False}


def _apply_action(review: dict, action: str) -> str | None:
    """Add a row or a unit without script; returns the anchor to show."""
    if action == "add-target":
        review["targets"].append(_blank_target())
        return f"t-{len(review['targets']) - 1}"
    if action == "add-task":
        review["tasks"].append(_blank_task())
        return f"k-{len(review['tasks']) - 1}"
    match = re.fullmatch(r"add-unit:(t|k)-(\d+)", action or "")
    if match:
        rows = review["targets" if match.group(1) == "t" else "tasks"]
        i = int(match.group(2))
        if i < len(rows):
            rows[i]["units"].append({"ref": "", "role": Role.SUPPORT, "name": "", "span": None})
            return f"{match.group(1)}-{i}"
    return None


# --- the review: review → page --------------------------------------------------------------------

def _span_attr(span) -> str:
    return f"{span[0]}-{span[1]}" if span and len(span) == 2 and not isinstance(span[0], list) else ""


class _Marks:
    """The spans of the source text to highlight, each linked to the input it fills."""

    def __init__(self):
        self.items: list[tuple[int, int, str, str]] = []

    def add(self, span, field_id: str, kind: str = "v"):
        if span and len(span) == 2 and not isinstance(span[0], list) and span[0] < span[1]:
            self.items.append((int(span[0]), int(span[1]), field_id, kind))


def source_html(text: str, marks: _Marks) -> str:
    """The source text with ``<mark>`` on every extracted field and a passage span around each row's text.

    Overlapping spans are cut at every boundary; each piece names the inputs it belongs to (``data-f``)
    and its offsets (``data-s``, ``data-e``), so the page links fields and text both ways.
    """
    n = len(text)
    items = [(max(0, s), min(n, e), f, k) for s, e, f, k in marks.items if s < n]
    bounds = sorted({0, n, *[s for s, _, _, _ in items], *[e for _, e, _, _ in items]})
    starts: dict[int, list] = {}
    for item in items:
        starts.setdefault(item[0], []).append(item)
    active: list[tuple[int, int, str, str]] = []
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [m for m in active if m[1] > a] + starts.get(a, [])
        piece = escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        fields = [m for m in active if m[3] != "p"]
        if fields:
            narrow = sorted(fields, key=lambda m: m[1] - m[0])
            kind = "u" if narrow[0][3] == "u" else "v"
            ids = " ".join(dict.fromkeys(m[2] for m in narrow))
            out.append(f'<mark class="src-m src-{kind}" data-s="{a}" data-e="{b}" data-f="{ids}">{piece}</mark>')
        else:
            narrow = sorted(active, key=lambda m: m[1] - m[0])
            out.append(f'<span class="src-p" data-s="{a}" data-e="{b}" data-f="{narrow[0][2]}">{piece}</span>')
    return "".join(out)


def _unit_options(review: dict, issuer: Organisation, matcher_orgs: tuple[list, list]) -> tuple[str, dict]:
    """One ``<option>`` list for every unit select, and the display name of every reference."""
    own, others = matcher_orgs
    names: dict[str, str] = {}
    parts = ['<option value="">— không giao —</option>']
    new = list(review["new_units"])
    if new:
        parts.append('<optgroup label="Chưa có trong hệ thống (xem mục Đơn vị)">')
        for name in new:
            names[f"new:{name}"] = name
            parts.append(format_html('<option value="{}">{} (mới)</option>', f"new:{name}", name))
        parts.append("</optgroup>")
    for label, orgs in ((issuer.name, own), ("Cơ quan, đơn vị khác trong tỉnh", others)):
        if not orgs:
            continue
        parts.append(format_html('<optgroup label="{}">', label))
        for org in orgs:
            names[f"org:{org.pk}"] = org.name
            suffix = f" (đến {org.valid_to:%d/%m/%Y})" if org.valid_to else ""
            parts.append(format_html('<option value="{}">{}{}</option>', f"org:{org.pk}", org.name, suffix))
        parts.append("</optgroup>")
    return "".join(parts), names


def _written_differs(written: str | None, shown: str | None) -> bool:
    """Whether to say how the text writes a unit: not when the organisation's name merely adds the place."""
    return bool(written and shown) and not fold(shown).startswith(fold(written))


def _select(options_html: str, value: str) -> str:
    if not value:
        return options_html
    return options_html.replace(f'value="{escape(value)}"', f'value="{escape(value)}" selected', 1)


def _problems_by_place(problems) -> tuple[dict, list]:
    """``{(section, row): {field or "": [messages]}}`` and the messages with no row."""
    placed: dict = {}
    loose = []
    for p in problems:
        if p.section in ("targets", "tasks", "units") and p.row is None:
            loose.append(p.message)
            continue
        placed.setdefault((p.section, p.row), {}).setdefault(p.field or "", []).append(p.message)
    return placed, loose


def _fold_errors(errs: dict, fields) -> tuple[dict, list]:
    """Messages for the fields shown, and the rest for the row as a whole."""
    per_field = {f: " ".join(m) for f, m in errs.items() if f in fields}
    rest = [msg for f, m in errs.items() if f not in fields for msg in m]
    return per_field, rest


def _parents(scope, province) -> list[Plan]:
    """Plans of the province the person can see: the plan being imported may implement one of them."""
    if province is None:
        return []
    return list(Plan.objects.filter(visible_plans_filter(scope), province=province).select_related("issuer")
                .order_by("-year", "issuer__name")[:50])


def _problem_items(problems) -> list[dict]:
    """Each problem with where it is, linked to the row or section."""
    out = []
    for p in problems:
        if p.section == "doc":
            anchor, where = (f"doc-{p.field}" if p.field in DOC_FIELDS else "sec-doc"), "Thông tin văn bản"
        elif p.section in ("targets", "tasks") and p.row is not None:
            letter, name, fields = (("t", "Mục tiêu", TARGET_FIELDS) if p.section == "targets"
                                    else ("k", "Nhiệm vụ", TASK_FIELDS))
            anchor = f"{letter}-{p.row}-{p.field}" if p.field in fields else f"{letter}-{p.row}"
            where = f"{name} {p.row + 1}"
        elif p.section == "targets":
            anchor, where = "sec-targets", "Mục tiêu"
        elif p.section == "tasks":
            anchor, where = "sec-tasks", "Nhiệm vụ"
        elif p.section == "units":
            anchor, where = (f"nu-{p.row}-choice" if p.row is not None else "sec-units"), "Đơn vị"
        else:
            anchor = f"r-{p.field}" if p.field in REPORTING_FIELDS + REPORTING_FLAGS else "sec-reporting"
            where = "Chế độ báo cáo"
        out.append({"anchor": anchor, "where": where, "message": p.message})
    return out


def _review_context(request, token: str, review: dict, issuer: Organisation, problems=(), focus: str | None = None):
    scope = scope_for(request)
    spans = review["spans"]
    marks = _Marks()
    placed, loose = _problems_by_place(problems)
    matcher = imports.UnitMatcher(issuer)
    options, names = _unit_options(review, issuer, (matcher.own, matcher.others))
    doc = review["doc"]
    plan_year = int(doc["year"]) if str(doc.get("year", "")).isdigit() else None
    edition = doc.get("edition") or getattr(imports.edition_for_year(plan_year), "code", "")
    subindices = imports.subindex_choices(edition or None)
    subindex_names = dict(subindices)
    province = imports.province_of(issuer)

    def units_view(prefix, units):
        out = []
        for j, u in enumerate(units):
            uid = f"{prefix}-u-{j}"
            marks.add(u.get("span"), f"{uid}-ref", "u")
            out.append({"id": uid, "ref": u.get("ref", ""), "role": u.get("role", ""), "name": u.get("name", ""),
                        "span": _span_attr(u.get("span")), "options": mark_safe(_select(options, u.get("ref", ""))),
                        "is_new": (u.get("ref") or "").startswith("new:"),
                        "written_differs": _written_differs(u.get("name"), names.get(u.get("ref", "")))})
        return out

    # Document
    doc_errs, doc_rest = _fold_errors(placed.get(("doc", None), {}), DOC_FIELDS)
    doc_spans = {}
    for f, span in spans["doc"]["fields"].items():
        marks.add(span, f"doc-{f}")
        doc_spans[f] = _span_attr(span)
    # Targets
    years = {int(r["baseline_year"]) for r in review["targets"] if str(r.get("baseline_year", "")).isdigit()}
    if plan_year:
        years.add(plan_year - 1)
    published = imports.published_baselines(province, years)
    def target_view(i, row, counter=""):
        prefix = f"t-{i}"
        src = spans["targets"][row["src"]] if row.get("src") is not None else {"span": None, "fields": {}}
        field_spans = {}
        for f, span in src["fields"].items():
            marks.add(span, f"{prefix}-{f}")
            field_spans[f] = _span_attr(span)
        marks.add(src["span"], f"{prefix}-{'value' if row['kind'] != TargetKind.GROUP else 'value_text'}", "p")
        errs, rest = _fold_errors(placed.get(("targets", i), {}), TARGET_FIELDS + ("units",))
        kind = row.get("kind") or ""
        by = int(row["baseline_year"]) if str(row.get("baseline_year", "")).isdigit() else (plan_year - 1 if plan_year else None)
        key = row.get("subindex") if kind == TargetKind.SUBINDEX else {"rank": "rank", "total": "total", "group": "group"}.get(kind)
        base = published.get((by, key)) if by and key else None
        return {
            "i": i, "n": counter, "prefix": prefix, "row": row, "src": "" if row.get("src") is None else row["src"],
            "span": _span_attr(src["span"]), "spans": field_spans, "errors": errs, "row_errors": rest,
            "number_errors": [errs[f] for f in ("value", "value_text", "of", "increase", "baseline_year") if f in errs],
            "units": units_view(prefix, row.get("units") or []),
            "show": {f: kind in kinds for f, kinds in KIND_FIELDS.items()},
            "title": (subindex_names.get(row.get("subindex"), row.get("subindex")) if kind == TargetKind.SUBINDEX
                      else row.get("label")) or "Mục tiêu mới",
            "baseline": ({"year": by, "value": base[0], "source": base[1], "kind": kind} if base else None),
        }

    def task_view(i, row, counter=""):
        prefix = f"k-{i}"
        src = spans["tasks"][row["src"]] if row.get("src") is not None else {"span": None, "fields": {}}
        field_spans = {}
        for f, span in src["fields"].items():
            marks.add(span, f"{prefix}-{f}")
            field_spans[f] = _span_attr(span)
        marks.add(src["span"], f"{prefix}-text", "p")
        errs, rest = _fold_errors(placed.get(("tasks", i), {}), TASK_FIELDS + ("units",))
        return {"i": i, "n": counter, "prefix": prefix, "row": row, "src": "" if row.get("src") is None else row["src"],
                "span": _span_attr(src["span"]), "spans": field_spans, "errors": errs, "row_errors": rest,
                "units": units_view(prefix, row.get("units") or []),
                "subindex_name": subindex_names.get(row.get("subindex"), "")}

    target_rows = [target_view(i, row, i + 1) for i, row in enumerate(review["targets"])]
    task_rows = [task_view(i, row, i + 1) for i, row in enumerate(review["tasks"])]
    blank_target, blank_task = target_view("__i__", _blank_target()), task_view("__i__", _blank_task())
    blank_unit = units_view("__p__", [{"ref": "", "role": Role.SUPPORT, "name": "", "span": None}])[0]
    blank_unit["id"] = "__p__-u-__j__"
    # Reporting
    rep = review["reporting"]
    rep_spans = {}
    for f, span in spans["reporting"]["fields"].items():
        marks.add(span, f"r-{f}")
        rep_spans[f] = _span_attr(span)
    marks.add(spans["reporting"]["span"], "r-enabled", "p")
    rep_errs, rep_rest = _fold_errors(placed.get(("reporting", None), {}), REPORTING_FIELDS + REPORTING_FLAGS)
    # Units not in the system
    choices_existing = [(f"org:{o.pk}", o.name) for o in [*matcher.own, *matcher.others]]
    new_units = []
    for j, (name, choice) in enumerate(review["new_units"].items()):
        errs = placed.get(("units", j), {})
        uses = sum(1 for section in ("targets", "tasks") for r in review[section] if not r.get("remove")
                   for u in r["units"] if u.get("ref") == f"new:{name}")
        new_units.append({"j": j, "name": name, "choice": choice, "uses": uses,
                          "error": " ".join(m for ms in errs.values() for m in ms)})
    matched = {}
    for section in ("targets", "tasks"):
        for r in review[section]:
            for u in r["units"]:
                ref = u.get("ref") or ""
                if ref.startswith("org:") and u.get("name"):
                    matched.setdefault(ref, {"org": names.get(ref, ref), "written": set()})["written"].add(u["name"])
    for m in matched.values():
        m["written"] = sorted(m["written"] - {m["org"]})
    # Baselines stated in the document
    for k, b in enumerate(review.get("baselines") or []):
        marks.add(b.get("span"), f"bl-{k}", "v")
    parents = _parents(scope, province)
    n_kept = sum(1 for r in review["targets"] if not r.get("remove"))
    return {
        "token": token, "review": review, "issuer": issuer, "doc": doc, "doc_errors": doc_errs, "doc_rest": doc_rest,
        "doc_spans": doc_spans, "source": mark_safe(source_html(review["text"], marks)),
        "targets": target_rows, "tasks": task_rows, "rep": rep, "rep_spans": rep_spans, "rep_errors": rep_errs,
        "rep_rest": rep_rest, "rep_consolidator": mark_safe(_select(options, rep.get("consolidator", ""))),
        "rep_monitor": mark_safe(_select(options, rep.get("monitor", ""))),
        "new_units": new_units, "matched": sorted(matched.values(), key=lambda m: m["org"]),
        "existing_choices": choices_existing, "problems": list(problems), "problem_items": _problem_items(problems), "loose_problems": loose, "focus": focus,
        "subindices": subindices, "kind_choices": KIND_CHOICES, "comparators": COMPARATORS,
        "rank_comparators": RANK_COMPARATORS, "groups": [str(g.label) for g in Group],
        "target_roles": TARGET_ROLES, "task_roles": TASK_ROLES, "timings": [(t.value, t.label) for t in TimingKind],
        "recurrences": [(r.value, r.label) for r in Recurrence], "who_choices": ReportingRule.Who.choices,
        "editions": Edition.objects.filter(is_example=False).order_by("first_year"), "edition_default": edition,
        "parents": parents, "unit_options": mark_safe(options), "n_targets_kept": n_kept,
        "n_tasks_kept": sum(1 for r in review["tasks"] if not r.get("remove")),
        "n_chars": len(review["text"]),
        "source_format": {"docx": "Word", "pdf": "PDF", "text": "văn bản thuần"}.get(review.get("source_format"), ""), "new_choice_unit": imports.NEW_UNIT, "new_choice_agency": imports.NEW_AGENCY,
        "new_choice_skip": imports.SKIP, "province_org": imports.province_org(issuer),
        "indicators": imports.indicator_catalog(plan_year),
        "blank_target": blank_target, "blank_task": blank_task, "blank_unit": blank_unit,
        "kind_fields": {f: sorted(str(k) for k in kinds) for f, kinds in KIND_FIELDS.items()},
    }


@login_required
def import_review(request, token):
    review = _load(request, token)
    if review is None:
        _require_manager(request)
        messages.warning(request, "Bản nháp này không còn (đã tạo kế hoạch, đã hủy hoặc phiên làm việc đã hết). "
                                  "Tải văn bản lên lại.")
        return HttpResponseRedirect(reverse("plans:import"))
    issuer = _require_manager(request, review["issuer_id"])
    if issuer is None:
        raise PermissionDenied("Cơ quan ban hành không còn trong hệ thống.")
    problems, focus, status = [], None, 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "discard":
            _discard(request, token)
            messages.info(request, "Đã bỏ bản nháp. Không có gì được lưu.")
            return HttpResponseRedirect(reverse("plans:list"))
        review = review_from_post(request.POST, review)
        if review["doc"].get("parent") and review["doc"]["parent"] not in {
                str(p.pk) for p in _parents(scope_for(request), imports.province_of(issuer))}:
            review["doc"]["parent"] = ""
        if action == "create":
            try:
                plan = imports.plan_import(actor=request.user, review=review)
            except imports.ImportRefused as exc:
                problems, status = exc.problems, 400
            else:
                _discard(request, token)
                messages.success(request, f"Đã tạo kế hoạch (dự thảo) từ văn bản: {plan.targets.count()} mục tiêu, "
                                          f"{plan.tasks.count()} nhiệm vụ. Kiểm tra lại rồi ban hành.")
                return HttpResponseRedirect(reverse("plans:detail", args=[plan.pk]))
        else:
            focus = _apply_action(review, action)
        try:
            _save(request, token, review)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "plans/import_review.html", _review_context(request, token, review, issuer, problems, focus),
                  status=status)
