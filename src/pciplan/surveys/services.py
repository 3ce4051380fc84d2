"""Writes for business surveys. Each function is one transaction and leaves an audit entry.

Responses through the public form carry no identity: the invitation is only marked used, in the same
transaction, so a link cannot answer twice and a response cannot be traced back to its link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction

from pciplan.audit.services import audit_create, audit_record, audit_transition
from pciplan.clock import today
from pciplan.engine.proportions import estimate, estimate_by_segment
from pciplan.lib.errors import DomainError

from .consent import PURPOSES, consent_record
from .instrument import clean_answers, code_answer, in_universe, normalise_spec
from .models import (
    FollowUpContact,
    ImportBatch,
    Instrument,
    Invitation,
    Measure,
    Question,
    Response,
    Survey,
    SurveyEstimate,
    SurveyStatus,
)


def _clean(obj) -> None:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = obj._meta.get_field(field).verbose_name if field != "__all__" else ""
        prefix = f"{str(label).capitalize()}: " if label else ""
        raise DomainError(f"{prefix}{messages[0]}", field=None if field == "__all__" else field)


# ----------------------------------------------------------------------------------------- instruments
def instrument_spec(instrument: Instrument) -> dict:
    """The instrument as a canonical spec (what XLSForm export writes)."""
    questions = list(instrument.questions.order_by("order", "id"))
    by_id = {q.pk: q for q in questions}
    spec = {
        "code": instrument.code, "version": instrument.version, "title": instrument.title,
        "description": instrument.description, "source": instrument.source,
        "questions": [{
            "name": q.name, "type": q.kind, "label": q.label, "hint": q.hint, "required": q.required,
            "list_name": q.list_name, "choices": q.choices,
            "relevant": {"question": q.relevant_question, "values": q.relevant_values} if q.relevant_question else None,
            "segment": q.segment,
        } for q in questions],
        "measures": [{
            "key": m.key, "label": m.label, "question": by_id[m.question_id].name, "success": m.success_values,
            "universe": ({"question": by_id[m.universe_question_id].name, "values": m.universe_values}
                         if m.universe_question_id else None),
            "indicator_code": m.indicator_code, "indicator_aliases": m.indicator_aliases,
        } for m in instrument.measures.order_by("order", "id")],
    }
    return normalise_spec(spec)


@transaction.atomic
def instrument_create(*, actor, spec: dict, owner=None, is_template: bool = False) -> Instrument:
    """Create an instrument from a spec (checked first; a code and version already in use is refused)."""
    spec = normalise_spec(spec)
    if Instrument.objects.filter(code=spec["code"], version=spec["version"]).exists():
        raise DomainError(f"Đã có bộ câu hỏi “{spec['code']}” phiên bản {spec['version']}. "
                          "Đổi phiên bản (cột version của trang settings) để nạp bản mới.", field="version")
    instrument = Instrument(code=spec["code"], version=spec["version"], title=spec["title"][:300],
                            description=spec["description"], source=spec["source"], owner=owner,
                            is_template=is_template)
    _clean(instrument)
    instrument.save()
    questions = {}
    for order, q in enumerate(spec["questions"], start=1):
        question = Question(instrument=instrument, order=order, name=q["name"], kind=q["type"], label=q["label"],
                            hint=q["hint"], required=q["required"], list_name=q["list_name"], choices=q["choices"],
                            relevant_question=(q["relevant"] or {}).get("question", ""),
                            relevant_values=(q["relevant"] or {}).get("values", []), segment=q["segment"])
        _clean(question)
        question.save()
        questions[q["name"]] = question
    for order, m in enumerate(spec["measures"], start=1):
        measure = Measure(instrument=instrument, order=order, key=m["key"], label=m["label"][:400],
                          question=questions[m["question"]], success_values=m["success"],
                          universe_question=questions[m["universe"]["question"]] if m["universe"] else None,
                          universe_values=m["universe"]["values"] if m["universe"] else [],
                          indicator_code=m["indicator_code"], indicator_aliases=m["indicator_aliases"])
        _clean(measure)
        measure.save()
    audit_create(actor=actor, obj=instrument,
                 message=f"{len(spec['questions'])} câu hỏi, {len(spec['measures'])} chỉ tiêu đo")
    return instrument


def instrument_import_xlsform(*, actor, data: bytes, owner=None) -> Instrument:
    """Read an XLSForm and create the instrument; a malformed file changes nothing."""
    from .xlsform import import_xlsform

    return instrument_create(actor=actor, spec=import_xlsform(data), owner=owner)


# --------------------------------------------------------------------------------------------- surveys
@transaction.atomic
def survey_create(*, actor, instrument: Instrument, owner, title: str, year: int, plan=None,
                  opens_on: dt.date | None = None, closes_on: dt.date | None = None,
                  population_size: int | None = None, retention_days: int = 30, is_synthetic: bool = False,
                  note: str = "") -> Survey:
    if opens_on and closes_on and closes_on < opens_on:
        raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", field="closes_on")
    survey = Survey(instrument=instrument, owner=owner, title=(title or "").strip(), year=year, plan=plan,
                    opens_on=opens_on, closes_on=closes_on, population_size=population_size,
                    retention_days=retention_days, is_synthetic=is_synthetic, note=note,
                    created_by=actor if getattr(actor, "pk", None) else None)
    _clean(survey)
    survey.save()
    audit_create(actor=actor, obj=survey, root=plan)
    return survey


def _transition(actor, survey: Survey, allowed_from: tuple[str, ...], to: str, message: str) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status not in allowed_from:
        raise DomainError(f"Không thể chuyển cuộc khảo sát từ “{survey.get_status_display()}” sang "
                          f"“{SurveyStatus(to).label}”.")
    before = survey.status
    survey.status = to
    if to == SurveyStatus.CLOSED:
        survey.closed_on = today()
    survey.save(update_fields=["status", "closed_on"])
    audit_transition(actor=actor, obj=survey, from_status=before, to_status=to, root=survey.plan, message=message)
    return survey


@transaction.atomic
def survey_open(*, actor, survey: Survey) -> Survey:
    """Start collecting: invitation links and imports are accepted from now on."""
    return _transition(actor, survey, (SurveyStatus.DRAFT,), SurveyStatus.OPEN, "Bắt đầu thu thập")


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> Survey:
    """Stop collecting; the retention period for links and contact details starts."""
    return _transition(actor, survey, (SurveyStatus.OPEN,), SurveyStatus.CLOSED, "Kết thúc thu thập")


# ----------------------------------------------------------------------------------------- invitations
def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once; only its hash is stored


@transaction.atomic
def invitations_create(*, actor, survey: Survey, count: int = 0, recipients: list[tuple[str, str]] | None = None
                       ) -> list[IssuedInvitation]:
    """Create one-use links: ``count`` anonymous ones, or one per ``(firm name, e-mail or phone)``."""
    if survey.status == SurveyStatus.CLOSED:
        raise DomainError("Cuộc khảo sát đã kết thúc, không tạo thêm lời mời.")
    recipients = [(name.strip()[:200], contact.strip()[:200]) for name, contact in (recipients or [])
                  if name.strip() or contact.strip()]
    if not recipients:
        if not 1 <= count <= 2000:
            raise DomainError("Số lời mời phải từ 1 đến 2.000.", field="count")
        recipients = [("", "")] * count
    elif len(recipients) > 2000:
        raise DomainError("Mỗi lần tạo tối đa 2.000 lời mời.", field="recipients")
    issued = []
    day = today()
    for label, contact in recipients:
        token = secrets.token_urlsafe(24)
        invitation = Invitation.objects.create(survey=survey, token_hash=hash_token(token), label=label,
                                               contact=contact, created_on=day)
        issued.append(IssuedInvitation(invitation, token))
    audit_record(actor=actor, obj=survey, action="create", root=survey.plan,
                 message=f"Tạo {len(issued)} đường dẫn mời trả lời")
    return issued


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("survey", "survey__instrument", "survey__owner").filter(
        token_hash=hash_token(token)).first()


@transaction.atomic
def response_submit(*, token: str, answers: dict, consents: dict[str, bool], contact: dict | None = None) -> Response:
    """A firm's answers through its invitation link. The link is used up; the response is anonymous."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise DomainError("Đường dẫn không hợp lệ hoặc đã hết hạn.", code="invalid_token")
    invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    survey = invitation.survey
    if invitation.used:
        raise DomainError("Đường dẫn này đã được dùng để trả lời. Mỗi doanh nghiệp chỉ trả lời một lần.", code="used")
    if survey.status != SurveyStatus.OPEN:
        raise DomainError("Cuộc khảo sát hiện không nhận câu trả lời.", code="closed")
    spec = instrument_spec(survey.instrument)
    clean, errors = clean_answers(spec, answers)
    for purpose in PURPOSES:
        if purpose.required and not consents.get(purpose.code):
            errors[f"consent_{purpose.code}"] = "Doanh nghiệp cần đồng ý mục đích này để gửi phiếu."
    if errors:
        name, message = next(iter(errors.items()))
        exc = DomainError(message, field=name)
        exc.errors = errors
        raise exc
    day = today()
    record = [consent_record(p, bool(consents.get(p.code)), day) for p in PURPOSES]
    response = Response.objects.create(survey=survey, source=Response.Source.FORM, submitted_on=day, answers=clean,
                                       consents=record)
    invitation.used = True
    invitation.save(update_fields=["used"])
    follow = next((p for p in PURPOSES if p.code == "lien_he"), None)
    if follow and consents.get("lien_he") and contact and (contact.get("contact") or "").strip():
        FollowUpContact.objects.create(survey=survey, name=(contact.get("name") or "").strip()[:200] or "—",
                                       contact=contact["contact"].strip()[:200], consent_text=follow.text,
                                       given_on=day)
    # Logged without the answers or anything that identifies the firm: the trail shows that a response came in.
    audit_record(actor=None, obj=response, action="create", root=survey.plan,
                 message="Phiếu trả lời qua đường dẫn mời (ẩn danh)")
    estimates_recompute(survey=survey)
    return response


# --------------------------------------------------------------------------------------------- imports
@transaction.atomic
def responses_import(*, actor, survey: Survey, rows: list, filename: str, file_sha256: str, fmt: str,
                     mapping: dict) -> ImportBatch:
    """Write already-checked rows (see :mod:`pciplan.surveys.imports`): all or nothing."""
    if survey.status == SurveyStatus.CLOSED:
        raise DomainError("Cuộc khảo sát đã kết thúc, không nhập thêm câu trả lời.")
    if not rows:
        raise DomainError("Tệp không có dòng câu trả lời nào.")
    if ImportBatch.objects.filter(survey=survey, file_sha256=file_sha256).exists():
        raise DomainError("Tệp này đã được nhập vào cuộc khảo sát (trùng nội dung), không nhập lại.")
    batch = ImportBatch.objects.create(survey=survey, actor=actor if getattr(actor, "pk", None) else None,
                                       filename=filename[:255], file_sha256=file_sha256, format=fmt,
                                       mapping=mapping, n_rows=len(rows))
    Response.objects.bulk_create([
        Response(survey=survey, source=Response.Source.IMPORT, batch=batch, submitted_on=row.submitted_on or today(),
                 answers=row.answers, weight=row.weight,
                 consents=[{"purpose": "nhap_tu_tep", "text": f"Thu thập bằng công cụ khác, nhập từ tệp {filename}",
                            "granted": True, "on": (row.submitted_on or today()).isoformat()}])
        for row in rows])
    audit_record(actor=actor, obj=survey, action="import", root=survey.plan,
                 message=f"Nhập {len(rows)} phiếu trả lời từ {filename}", after={"mapping": mapping})
    estimates_recompute(survey=survey)
    return batch


# ------------------------------------------------------------------------------------------- estimates
def _segment_label(question: Question, value: str) -> str:
    return question.choice_label(value)


@transaction.atomic
def estimates_recompute(*, survey: Survey) -> int:
    """Recompute every estimate of the survey (overall and by segment) from its responses."""
    instrument = survey.instrument
    questions = {q.pk: q for q in instrument.questions.all()}
    measures = list(instrument.measures.order_by("order", "id"))
    segments = [q for q in sorted(questions.values(), key=lambda q: q.order) if q.segment]
    responses = list(Response.objects.filter(survey=survey).values_list("answers", "weight", "submitted_on"))
    answers = [r[0] for r in responses]
    weights = np.array([r[1] for r in responses], dtype=float)
    as_of = max((r[2] for r in responses), default=today())
    rows = []
    for measure in measures:
        question = questions[measure.question_id]
        spec = {"success": measure.success_values,
                "universe": ({"question": questions[measure.universe_question_id].name,
                              "values": measure.universe_values} if measure.universe_question_id else None)}
        y = np.array([code_answer(spec, question.kind, a.get(question.name)) for a in answers], dtype=float)
        eligible = np.array([in_universe(spec, a) for a in answers], dtype=bool)
        overall = estimate(y, weights=weights if len(y) else None, eligible=eligible,
                           population=survey.population_size, confidence=survey.confidence)
        rows.append(SurveyEstimate(survey=survey, measure=measure, segment="", segment_value="", segment_label="",
                                   value=overall.value, low=overall.low, high=overall.high, n=overall.n,
                                   eligible=overall.eligible, nonresponse=overall.nonresponse,
                                   effective_n=overall.effective_n if np.isfinite(overall.effective_n) else 1e12,
                                   weighted=overall.weighted, as_of=as_of))
        for seg_q in segments:
            values = [a.get(seg_q.name) or None for a in answers]
            if not values:
                continue
            parts = estimate_by_segment(y, values, weights=weights, eligible=eligible, confidence=survey.confidence)
            order = {v: i for i, (v, _) in enumerate(seg_q.choices)}
            for value, est in parts.items():
                rows.append(SurveyEstimate(
                    survey=survey, measure=measure, segment=seg_q.segment, segment_value=value[:100],
                    segment_label=_segment_label(seg_q, value)[:300], value=est.value, low=est.low, high=est.high,
                    n=est.n, eligible=est.eligible, nonresponse=est.nonresponse, effective_n=est.effective_n,
                    weighted=est.weighted, as_of=as_of, order=order.get(value, 999)))
    SurveyEstimate.objects.filter(survey=survey).delete()
    SurveyEstimate.objects.bulk_create(rows)
    return len(rows)


# ------------------------------------------------------------------------------------------- retention
@transaction.atomic
def survey_purge_contacts(*, actor, survey: Survey, on: dt.date | None = None, force: bool = False) -> int:
    """Delete the survey's invitation links and contact details once its retention period is over.

    Returns how many records were deleted. Responses (anonymous) and estimates stay.
    """
    on = on or today()
    if survey.status != SurveyStatus.CLOSED:
        raise DomainError("Chỉ xóa đường dẫn mời và thông tin liên hệ sau khi cuộc khảo sát kết thúc.")
    closed = survey.closed_on or survey.closes_on or on
    if not force and on < closed + dt.timedelta(days=survey.retention_days):
        raise DomainError(f"Chưa hết thời hạn lưu giữ ({survey.retention_days} ngày sau khi kết thúc).")
    n_inv, _ = Invitation.objects.filter(survey=survey).delete()
    n_contacts, _ = FollowUpContact.objects.filter(survey=survey).delete()
    survey.contacts_purged_on = on
    survey.save(update_fields=["contacts_purged_on"])
    audit_record(actor=actor, obj=survey, action="delete", root=survey.plan,
                 message=f"Xóa {n_inv} đường dẫn mời và {n_contacts} thông tin liên hệ sau thời hạn lưu giữ")
    return n_inv + n_contacts


def surveys_due_for_purge(on: dt.date | None = None) -> list[Survey]:
    on = on or today()
    out = []
    for survey in Survey.objects.filter(status=SurveyStatus.CLOSED):
        closed = survey.closed_on or survey.closes_on
        if closed is None or on < closed + dt.timedelta(days=survey.retention_days):
            continue
        if Invitation.objects.filter(survey=survey).exists() or FollowUpContact.objects.filter(survey=survey).exists():
            out.append(survey)
    return out
