"""Survey pages: thin — fetch through the access rule, call a selector or service, render.

The public form (``tra-loi/<token>/``) needs no login: the one-use token is the only key.
"""

from __future__ import annotations

import csv
import io
import urllib.parse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pciplan.clock import today
from pciplan.engine.proportions import achieved_margin, sample_size
from pciplan.lib.errors import DomainError
from pciplan.ops import pending
from pciplan.orgs.access import get_for_user, scope_for
from pciplan.web.chartcache import Drawn

from . import imports, selectors, services
from .access import may_import_instrument, organisations_run_by
from .consent import PURPOSES
from .forms import InvitationForm, SampleSizeForm, SurveyForm, UploadForm, XLSFormUploadForm
from .instrument import SEGMENTS, is_relevant
from .models import Instrument, SurveyStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_survey_for_user(request, survey_id, *, edit=False):
    return get_for_user(request, selectors.survey_queryset(), survey_id, edit=edit)


def _get_instrument_for_user(request, instrument_id, *, edit=False):
    return get_for_user(request, Instrument.objects.select_related("owner"), instrument_id, edit=edit)


@login_required
def index(request):
    scope = scope_for(request)
    return render(request, "surveys/index.html", {
        "surveys": selectors.survey_list(scope), "instruments": selectors.instrument_list(scope),
        "may_create": organisations_run_by(scope).exists(), "may_import": may_import_instrument(scope),
    })


# ----------------------------------------------------------------------------------------- instruments
@login_required
def instrument_detail(request, instrument_id):
    instrument, may_edit = _get_instrument_for_user(request, instrument_id)
    spec = services.instrument_spec(instrument)
    return render(request, "surveys/instrument_detail.html", {
        "instrument": instrument, "spec": spec, "segments": SEGMENTS, "may_edit": may_edit,
    })


@login_required
def instrument_xlsform(request, instrument_id):
    instrument, _ = _get_instrument_for_user(request, instrument_id)
    from .xlsform import export_xlsform

    data = export_xlsform(services.instrument_spec(instrument))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{instrument.code}-{instrument.version}.xlsx"'
    return response


@login_required
def instrument_import(request):
    scope = scope_for(request)
    if not may_import_instrument(scope):
        raise PermissionDenied("Chỉ người tổ chức khảo sát của đơn vị mới nạp bộ câu hỏi.")
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.PCIPLAN_MAX_UPLOAD_BYTES:
            form.add_error("file", "Tệp quá lớn.")
        else:
            owner = None if scope.is_admin else scope.org
            if owner is None and not scope.is_admin:
                form.add_error("file", "Tài khoản chưa thuộc đơn vị nào.")
            else:
                try:
                    instrument = services.instrument_import_xlsform(actor=request.user, data=upload.read(), owner=owner)
                except DomainError as exc:
                    form.add_error("file", exc.message)
                else:
                    messages.success(request, f"Đã nạp bộ câu hỏi “{instrument.title}”.")
                    return HttpResponseRedirect(reverse("surveys:instrument", args=[instrument.pk]))
    return render(request, "surveys/instrument_import.html", {"form": form}, status=400 if form.errors else 200)


# --------------------------------------------------------------------------------------------- surveys
@login_required
def survey_create(request):
    scope = scope_for(request)
    owners = organisations_run_by(scope).order_by("kind", "name")
    if not owners.exists():
        raise Http404
    from pciplan.plans.access import visible_plans_filter
    from pciplan.plans.models import Plan

    instruments = Instrument.objects.filter(selectors.visible_instruments_filter(scope)).order_by("-is_template", "title")
    plans = Plan.objects.filter(visible_plans_filter(scope)).order_by("-year")
    initial = {"year": today().year, "owner": scope.org.pk if scope.org and owners.filter(pk=scope.org.pk).exists() else None}
    form = SurveyForm(request.POST or None, instruments=instruments, owners=owners, plans=plans, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user, instrument=d["instrument"], owner=d["owner"], title=d["title"], year=d["year"],
                plan=d.get("plan"), opens_on=d.get("opens_on"), closes_on=d.get("closes_on"),
                population_size=d.get("population_size"), retention_days=d.get("retention_days") or 30)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã tạo cuộc khảo sát.")
            return HttpResponseRedirect(reverse("surveys:detail", args=[survey.pk]))
    return render(request, "surveys/survey_form.html", {"form": form}, status=400 if form.errors else 200)


_SHORT = {"use": "đã từng sử dụng", "priv": "dùng nhà cung cấp tư nhân", "continue": "có ý định tiếp tục"}


def _short_label(measure) -> str:
    """A chart row label: the VCCI code and what it counts ("e761_priv: dùng nhà cung cấp tư nhân")."""
    suffix = measure.indicator_code.rsplit("_", 1)[-1] if measure.indicator_code else ""
    if suffix in _SHORT:
        return f"{measure.indicator_code}: {_SHORT[suffix]}"
    return measure.label.replace(" (%)", "")


def _charts(survey, views, measure_id, segment):
    """The summary chart (estimates against their targets) and one measure by segment (pciplan.charts)."""
    from pciplan.charts.results import Estimate as ChartEstimate
    from pciplan.charts.results import estimate_chart

    source = "Nguồn: " + survey.title + (" — DỮ LIỆU MÔ PHỎNG, không phải số liệu thật" if survey.is_synthetic else "")
    with_target = [v for v in views if v.target and v.overall and v.overall.value is not None]

    def summary():
        if not with_target:
            return None
        items = [ChartEstimate(_short_label(v.measure), v.overall.value, v.overall.low, v.overall.high,
                               n=v.overall.n, target=v.target_value) for v in with_target]
        return estimate_chart(items, title="Ước lượng các chỉ tiêu so với mục tiêu", year=survey.year, source=source)

    view = next((v for v in views if v.measure.pk == measure_id), None)

    def by_segment():
        if view is None or view.overall is None or view.overall.value is None:
            return None
        group = next((g for g in view.segments if g.segment == segment), None)
        if group is None or not group.rows:
            return None
        items = [ChartEstimate("Toàn bộ mẫu", view.overall.value, view.overall.low, view.overall.high, n=view.overall.n)]
        items += [ChartEstimate(r.segment_label, r.value, r.low, r.high, n=r.n) for r in group.rows]
        title = f"{view.measure.label.replace(' (%)', '')} — theo {group.label.lower()}"
        return estimate_chart(items, title=title, year=survey.year, target=view.target_value, source=source)

    summary_chart, segment_chart = Drawn.of(summary(), kind="survey"), Drawn.of(by_segment(), kind="survey")
    return summary_chart, segment_chart


@login_required
def survey_detail(request, survey_id):
    survey, may_edit = _get_survey_for_user(request, survey_id)
    views = selectors.survey_estimates(survey)
    try:
        measure_id = int(request.GET.get("chi-tieu") or 0)
    except ValueError:
        measure_id = 0
    if not any(v.measure.pk == measure_id for v in views):
        measure_id = next((v.measure.pk for v in views if v.target), views[0].measure.pk if views else 0)
    segment = request.GET.get("nhom") or "size"
    if segment not in SEGMENTS or not segment:
        segment = "size"
    summary, by_segment = _charts(survey, views, measure_id, segment)
    return render(request, "surveys/survey_detail.html", {
        "survey": survey, "may_edit": may_edit, "views": views, "summary_chart": summary,
        "segment_chart": by_segment, "measure_id": measure_id, "segment": segment,
        "segment_choices": [(k, v) for k, v in SEGMENTS.items() if k],
        "counts": selectors.invitation_counts(survey), "n_responses": survey.responses.count(),
        "imports": survey.imports.select_related("actor")[:10], "min_cell": selectors.MIN_CELL,
        "level": round(survey.confidence * 100),
    })


@login_required
def survey_estimates_xlsx(request, survey_id):
    survey, _ = _get_survey_for_user(request, survey_id)
    from pciplan.officedoc.xlsx import Column, Sheet, write_xlsx

    views = selectors.survey_estimates(survey)
    level = round(survey.confidence * 100)
    rows = []
    for v in views:
        if v.overall:
            rows.append((v.measure.label, v.measure.indicator_code, "Toàn bộ mẫu", v.overall.value, v.overall.low,
                         v.overall.high, v.overall.n, v.overall.nonresponse, v.target_value, v.verdict.label))
        for g in v.segments:
            for r in g.rows:
                rows.append((v.measure.label, v.measure.indicator_code, f"{g.label}: {r.segment_label}", r.value, r.low,
                             r.high, r.n, r.nonresponse, None, ""))
    note = [f"Ước lượng khảo sát, khoảng tin cậy {level}% (Wilson). Nhóm có ít hơn {selectors.MIN_CELL} câu trả lời "
            "không hiển thị riêng."]
    if survey.is_synthetic:
        note.insert(0, "DỮ LIỆU MÔ PHỎNG — không phải số liệu thật.")
    sheet = Sheet("Ước lượng", [Column("Chỉ tiêu", width=50), Column("Mã VCCI"), Column("Nhóm", width=36),
                                Column("Ước lượng", "percent", 1), Column("Cận dưới", "percent", 1),
                                Column("Cận trên", "percent", 1), Column("Số trả lời", "int"),
                                Column("Không trả lời", "int"), Column("Mục tiêu", "percent", 1),
                                Column("Đánh giá")],
                  rows, title=[survey.title, f"Tính đến {today().day}/{today().month}/{today().year}"], note=note)
    response = HttpResponse(write_xlsx(sheet, title=survey.title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="uoc-luong-khao-sat-{survey.pk}.xlsx"'
    return response


@login_required
@require_POST
def survey_transition(request, survey_id, action):
    survey, _ = _get_survey_for_user(request, survey_id, edit=True)
    service = {"mo": services.survey_open, "ket-thuc": services.survey_close}.get(action)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, survey=survey)
        messages.success(request, "Đã cập nhật trạng thái cuộc khảo sát.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("surveys:detail", args=[survey.pk]))


@login_required
def survey_invitations(request, survey_id):
    survey, _ = _get_survey_for_user(request, survey_id, edit=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invitations_create(actor=request.user, survey=survey,
                                                 count=form.cleaned_data.get("count") or 0,
                                                 recipients=form.cleaned_data["recipient_list"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            links = [(i.invitation, request.build_absolute_uri(reverse("surveys:public", args=[i.token])))
                     for i in issued]
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["STT", "Doanh nghiệp", "Liên hệ", "Đường dẫn trả lời"])
            for n, (inv, url) in enumerate(links, start=1):
                writer.writerow([n, inv.label, inv.contact, url])
            data_uri = "data:text/csv;charset=utf-8," + urllib.parse.quote("\ufeff" + buffer.getvalue())
            response = render(request, "surveys/invitations_issued.html",
                              {"survey": survey, "links": links, "csv_uri": data_uri})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "surveys/invitations.html", {
        "survey": survey, "form": form, "counts": selectors.invitation_counts(survey),
    }, status=400 if form.errors else 200)


# --------------------------------------------------------------------------------------------- imports
PENDING = "survey-imports"


def _pending(request, survey):
    """The upload waiting for its column mapping (kept through the storage backend), or (None, None)."""
    info = request.session.get("survey_import") or {}
    if info.get("survey") != survey.pk or not info.get("key"):
        return None, None
    data = pending.get(PENDING, info["key"])
    if data is None:
        return None, None
    return info, data


@login_required
def survey_import(request, survey_id):
    survey, _ = _get_survey_for_user(request, survey_id, edit=True)
    spec = services.instrument_spec(survey.instrument)
    upload = UploadForm()
    context = {"survey": survey, "upload": upload, "spec": spec}
    if request.method == "POST" and "file" in request.FILES:
        upload = UploadForm(request.POST, request.FILES)
        context["upload"] = upload
        if upload.is_valid():
            f = upload.cleaned_data["file"]
            data = f.read()
            try:
                if len(data) > settings.PCIPLAN_MAX_UPLOAD_BYTES:
                    raise DomainError("Tệp quá lớn.")
                table = imports.read_table(data, f.name)
            except DomainError as exc:
                upload.add_error("file", exc.message)
                return render(request, "surveys/import.html", context, status=400)
            previous = request.session.get("survey_import") or {}
            pending.drop(PENDING, previous.get("key"))
            key = pending.put(PENDING, data)
            request.session["survey_import"] = {"survey": survey.pk, "key": key, "filename": f.name[:255]}
            return _mapping_page(request, survey, spec, table, imports.guess_mapping(spec, table), f.name)
        return render(request, "surveys/import.html", context, status=400)
    if request.method == "POST" and request.POST.get("confirm"):
        info, data = _pending(request, survey)
        if info is None:
            messages.error(request, "Tệp tải lên đã hết hạn, hãy tải lại.")
            return HttpResponseRedirect(reverse("surveys:import", args=[survey.pk]))
        table = imports.read_table(data, info["filename"])
        mapping = {name: request.POST.get(f"col_{name}", "") for name in
                   [q["name"] for q in spec["questions"] if q["type"] != "note"] + [imports.WEIGHT, imports.DATE]}
        try:
            result = imports.check_rows(spec, table, mapping)
            if result.errors:
                return _mapping_page(request, survey, spec, table, mapping, info["filename"], errors=result.errors,
                                     status=400)
            batch = services.responses_import(actor=request.user, survey=survey, rows=result.rows,
                                              filename=info["filename"], file_sha256=table.sha256, fmt=table.fmt,
                                              mapping=mapping)
        except DomainError as exc:
            return _mapping_page(request, survey, spec, table, mapping, info["filename"], message=exc.message,
                                 status=400)
        pending.drop(PENDING, info["key"])
        request.session.pop("survey_import", None)
        messages.success(request, f"Đã nhập {batch.n_rows} phiếu trả lời từ {batch.filename}. Ước lượng đã được tính lại.")
        return HttpResponseRedirect(reverse("surveys:detail", args=[survey.pk]))
    return render(request, "surveys/import.html", context)


def _mapping_page(request, survey, spec, table, mapping, filename, *, errors=None, message="", status=200):
    questions = [q for q in spec["questions"] if q["type"] != "note"]
    rows = [(q, mapping.get(q["name"], "")) for q in questions]
    return render(request, "surveys/import_mapping.html", {
        "survey": survey, "rows": rows, "header": [h for h in table.header if h], "filename": filename,
        "fmt": {"kobo": "KoboToolbox / ODK", "google": "Google Forms", "table": "bảng tính"}[table.fmt],
        "n_rows": len(table.rows), "weight_col": mapping.get(imports.WEIGHT, ""),
        "date_col": mapping.get(imports.DATE, ""), "errors": (errors or [])[:100],
        "n_errors": len(errors or []), "message": message,
        "unmapped": [h for h in table.header if h and h not in mapping.values()],
    }, status=status)


# ------------------------------------------------------------------------------------------ calculator
@login_required
def sample_size_view(request):
    form = SampleSizeForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        confidence = float(d["confidence"])
        n = sample_size(d["margin"], confidence=confidence, expected=d["expected"], population=d.get("population"))
        invites = None
        if d.get("response_rate"):
            invites = int(-(-n * 100 // d["response_rate"]))
            if d.get("population"):
                invites = min(invites, d["population"])
        result = {"n": n, "invites": invites, "level": round(confidence * 100),
                  "achieved": achieved_margin(n, confidence=confidence, expected=d["expected"],
                                              population=d.get("population"))}
    return render(request, "surveys/sample_size.html", {"form": form, "result": result})


# ------------------------------------------------------------------------------------------ public form
def _public_questions(spec, answers, errors):
    out = []
    for q in spec["questions"]:
        value = answers.get(q["name"])
        selected = value if isinstance(value, list) else ([value] if value not in (None, "") else [])
        out.append({"q": q, "value": value if not isinstance(value, list) else "", "selected": selected,
                    "error": errors.get(q["name"]), "shown": is_relevant(q, answers) if answers else not q["relevant"]})
    return out


@never_cache
def public_form(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "surveys/public_message.html", {
            "title": "Đường dẫn không hợp lệ",
            "text": "Đường dẫn không đúng hoặc đã bị xóa sau khi cuộc khảo sát kết thúc. Xin liên hệ cơ quan đã gửi lời mời."},
            status=404)
    survey = invitation.survey
    if invitation.used:
        return render(request, "surveys/public_message.html", {
            "title": "Đường dẫn đã được sử dụng", "survey": survey,
            "text": "Phiếu của doanh nghiệp đã được gửi qua đường dẫn này. Mỗi đường dẫn chỉ dùng được một lần. "
                    "Xin cảm ơn doanh nghiệp đã tham gia."}, status=410)
    if survey.status != SurveyStatus.OPEN:
        return render(request, "surveys/public_message.html", {
            "title": "Cuộc khảo sát không nhận câu trả lời", "survey": survey,
            "text": "Cuộc khảo sát chưa bắt đầu hoặc đã kết thúc."}, status=410)
    spec = services.instrument_spec(survey.instrument)
    answers, errors, consents, contact, message = {}, {}, {}, {}, ""
    if request.method == "POST":
        for q in spec["questions"]:
            if q["type"] == "select_multiple":
                answers[q["name"]] = request.POST.getlist(q["name"])
            elif q["type"] != "note":
                answers[q["name"]] = request.POST.get(q["name"], "")
        consents = {p.code: request.POST.get(f"consent_{p.code}") == "yes" for p in PURPOSES}
        contact = {"name": request.POST.get("contact_name", ""), "contact": request.POST.get("contact_value", "")}
        try:
            services.response_submit(token=token, answers=answers, consents=consents, contact=contact)
        except DomainError as exc:
            errors = getattr(exc, "errors", None) or ({exc.field: exc.message} if exc.field else {})
            message = exc.message if not errors else "Phiếu chưa gửi được: xin kiểm tra các câu được đánh dấu."
            if exc.code in ("used", "closed", "invalid_token"):
                return render(request, "surveys/public_message.html", {"title": "Không gửi được phiếu", "text": exc.message,
                                                                      "survey": survey}, status=410)
        else:
            return HttpResponseRedirect(reverse("surveys:thanks"))
    return render(request, "surveys/public_form.html", {
        "survey": survey, "agency": survey.owner.agency(), "questions": _public_questions(spec, answers, errors),
        "purposes": [(p, consents.get(p.code, False), errors.get(f"consent_{p.code}")) for p in PURPOSES],
        "contact": contact, "message": message,
    }, status=400 if message else 200)


def public_thanks(request):
    return render(request, "surveys/public_message.html", {
        "title": "Cảm ơn doanh nghiệp đã trả lời",
        "text": "Phiếu đã được ghi nhận. Câu trả lời chỉ được dùng để tính các tỷ lệ tổng hợp, không gắn với tên "
                "doanh nghiệp. Đường dẫn mời không dùng lại được nữa."})
