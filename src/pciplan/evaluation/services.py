"""Writes to evaluations. Each function is one transaction, checks the workflow and leaves an audit entry.

draft ──sign (leader)──▶ signed ──reopen (leader, with a reason)──▶ draft

A coordinator prepares the draft (the conclusion and a remark per unit); the leader signs it off, which
stores the computed results as they are at that moment; after that nothing changes until a recorded
reopen, whose audit entry keeps the reason and the snapshot it set aside.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from pciplan.audit.services import audit_create, audit_record, audit_update, snapshot
from pciplan.catalog.models import Result
from pciplan.lib.errors import DomainError
from pciplan.lib.text import nfc
from pciplan.orgs.models import Organisation
from pciplan.plans.models import Plan, PlanStatus

from . import selectors
from .models import Evaluation, EvaluationStatus, UnitRemark

MIN_REASON_LENGTH = 10
MAX_TEXT = 5000


def _require_draft(evaluation: Evaluation) -> None:
    if evaluation.status != EvaluationStatus.DRAFT:
        raise DomainError("Đánh giá đã được ký duyệt, đã khóa. Muốn sửa phải mở lại (ghi rõ lý do).")


def _lock(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("plan", "plan__issuer", "plan__province",
                                                                 "plan__edition").get(pk=evaluation.pk)


def digest(data: dict) -> str:
    """A short fingerprint of a snapshot, shown on the sheet and kept in the audit trail."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@transaction.atomic
def evaluation_create(*, actor, plan: Plan, year: int | None = None) -> Evaluation:
    """Open the year-end evaluation of ``plan`` (a draft, computed live until signed)."""
    year = year or plan.year
    if plan.status == PlanStatus.DRAFT:
        raise DomainError("Kế hoạch còn là dự thảo, chưa thể đánh giá kết quả.", field="plan")
    if year != plan.year:
        raise DomainError(f"Kế hoạch {plan.reference} đặt mục tiêu cho năm {plan.year}, không phải năm {year}.",
                          field="year")
    if Evaluation.objects.filter(plan=plan, year=year).exists():
        raise DomainError(f"Đã có bản đánh giá năm {year} của kế hoạch này.", field="year")
    evaluation = Evaluation(plan=plan, year=year, prepared_by=actor if getattr(actor, "pk", None) else None)
    evaluation.full_clean(validate_unique=False, validate_constraints=False)
    evaluation.save()
    audit_create(actor=actor, obj=evaluation, root=plan, message=f"Lập đánh giá kết quả năm {year}")
    return evaluation


@transaction.atomic
def evaluation_set_conclusion(*, actor, evaluation: Evaluation, conclusion: str) -> Evaluation:
    evaluation = _lock(evaluation)
    _require_draft(evaluation)
    text = nfc(conclusion) if "\n" not in (conclusion or "") else (conclusion or "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(f"Nhận xét chung dài quá {MAX_TEXT} ký tự.", field="conclusion")
    before = snapshot(evaluation, ["conclusion"])
    evaluation.conclusion = text
    evaluation.save(update_fields=["conclusion", "updated_at"])
    audit_update(actor=actor, obj=evaluation, before=before, root=evaluation.plan)
    return evaluation


@transaction.atomic
def evaluation_set_remark(*, actor, evaluation: Evaluation, organisation: Organisation, text: str) -> UnitRemark | None:
    """Write (or clear, with an empty text) the remark on one unit's sheet."""
    evaluation = _lock(evaluation)
    _require_draft(evaluation)
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(f"Nhận xét dài quá {MAX_TEXT} ký tự.", field="text")
    if organisation.kind != Organisation.Kind.UNIT or organisation.parent_id != evaluation.plan.issuer_id:
        raise DomainError("Nhận xét chỉ viết cho các phòng, đơn vị trực thuộc cơ quan ban hành kế hoạch.",
                          field="organisation")
    remark = UnitRemark.objects.filter(evaluation=evaluation, organisation=organisation).first()
    if remark is None:
        if not text:
            return None
        remark = UnitRemark.objects.create(evaluation=evaluation, organisation=organisation, text=text)
        audit_create(actor=actor, obj=remark, root=evaluation.plan, message=f"Nhận xét {organisation.name}")
        return remark
    if not text:
        audit_record(actor=actor, obj=remark, action="delete", before=snapshot(remark), root=evaluation.plan,
                     message=f"Xóa nhận xét {organisation.name}")
        remark.delete()
        return None
    before = snapshot(remark)
    remark.text = text
    remark.save(update_fields=["text"])
    audit_update(actor=actor, obj=remark, before=before, root=evaluation.plan)
    return remark


@transaction.atomic
def evaluation_sign(*, actor, evaluation: Evaluation, data: dict | None = None) -> Evaluation:
    """Sign the draft off: store the computed results as they are now and lock the evaluation.

    ``data`` is the computation the signer looked at (the page passes none: it is computed here, inside
    the transaction).
    """
    evaluation = _lock(evaluation)
    if evaluation.status != EvaluationStatus.DRAFT:
        raise DomainError("Đánh giá này đã được ký duyệt.")
    plan = evaluation.plan
    if not Result.objects.filter(province_id=plan.province_id, year__year=evaluation.year).exists():
        raise DomainError(f"Chưa có kết quả PCI năm {evaluation.year} của {plan.province.name} trong danh mục: "
                          "nhập kết quả công bố trước khi ký duyệt.")
    data = data or selectors.compute(plan, evaluation.year)
    remarks = {str(r.organisation_id): r.text for r in UnitRemark.objects.filter(evaluation=evaluation)}
    data = {**data, "conclusion": evaluation.conclusion, "remarks": remarks}
    now = timezone.now()
    evaluation.status = EvaluationStatus.SIGNED
    evaluation.snapshot = {**data, "signed": {
        "by": actor.get_full_name() if getattr(actor, "pk", None) else "", "title": getattr(actor, "job_title", ""),
        "at": now.isoformat(timespec="seconds"),
    }}
    evaluation.signed_by = actor if getattr(actor, "pk", None) else None
    evaluation.signed_at = now
    evaluation.signer_name = evaluation.snapshot["signed"]["by"]
    evaluation.signer_title = evaluation.snapshot["signed"]["title"]
    evaluation.full_clean(validate_unique=False, validate_constraints=False)
    evaluation.save()
    audit_record(actor=actor, obj=evaluation, action="transition", root=plan,
                 before={"status": EvaluationStatus.DRAFT},
                 after={"status": EvaluationStatus.SIGNED, "digest": digest(evaluation.snapshot)},
                 message="Ký duyệt đánh giá (khóa kết quả)")
    return evaluation


@transaction.atomic
def evaluation_reopen(*, actor, evaluation: Evaluation, reason: str) -> Evaluation:
    """Reopen a signed evaluation; the reason and the set-aside snapshot stay in the audit trail."""
    evaluation = _lock(evaluation)
    if evaluation.status != EvaluationStatus.SIGNED:
        raise DomainError("Chỉ mở lại được đánh giá đã ký duyệt.")
    reason = nfc(reason)
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(f"Ghi rõ lý do mở lại (ít nhất {MIN_REASON_LENGTH} ký tự).", field="reason")
    old = evaluation.snapshot
    before = {"status": EvaluationStatus.SIGNED, "signed_by": evaluation.signer_name,
              "signed_at": evaluation.signed_at, "digest": digest(old), "snapshot": old}
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.snapshot = None
    evaluation.signed_at = None
    evaluation.signed_by = None
    evaluation.signer_name = ""
    evaluation.signer_title = ""
    evaluation.reopen_count += 1
    evaluation.save()
    audit_record(actor=actor, obj=evaluation, action="transition", root=evaluation.plan, before=before,
                 after={"status": EvaluationStatus.DRAFT, "reason": reason}, message=f"Mở lại: {reason}")
    return evaluation
