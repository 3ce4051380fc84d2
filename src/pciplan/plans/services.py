"""Writes to plans, targets and tasks. Each function is one transaction and leaves an audit entry.

An issued plan changes only through a recorded amendment (:func:`plan_amend` returns one, which the
other writers take); a closed plan does not change. Task progress is reported, not amended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from pciplan.audit.services import (
    audit_create,
    audit_delete,
    audit_record,
    audit_transition,
    audit_update,
    snapshot,
)
from pciplan.catalog.models import SubIndex
from pciplan.lib.dates import format_date
from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import NumberFormatError, parse_decimal
from pciplan.orgs.models import Organisation

from .models import (
    Comparator,
    Plan,
    PlanAmendment,
    PlanStatus,
    Role,
    Target,
    TargetAssignment,
    TargetKind,
    Task,
    TaskAssignment,
    TaskStatus,
    TimingKind,
)


def _clean(obj) -> None:
    """``full_clean`` with the first message turned into a DomainError naming the field."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = obj._meta.get_field(field).verbose_name if field != "__all__" else ""
        prefix = f"{str(label).capitalize()}: " if label else ""
        raise DomainError(f"{prefix}{messages[0]}", field=None if field == "__all__" else field)


def _require_changeable(plan: Plan, amendment: PlanAmendment | None) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise DomainError("Kế hoạch đã kết thúc, không thể thay đổi.")
    if plan.status == PlanStatus.ISSUED and (amendment is None or amendment.plan_id != plan.pk):
        raise DomainError("Kế hoạch đã ban hành chỉ được thay đổi qua một lần sửa đổi có ghi lý do.", field="reason")


def _amendment(*, actor, plan: Plan, amendment: PlanAmendment | None, reason: str) -> PlanAmendment | None:
    """The amendment a change of an issued plan belongs to: the one given, or a new one for ``reason``.

    Opened inside the caller's transaction, so a refused change leaves no amendment behind.
    """
    if amendment is None and plan.status == PlanStatus.ISSUED and (reason or "").strip():
        return plan_amend(actor=actor, plan=plan, reason=reason)
    return amendment


def _decimal(value, field: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return parse_decimal(value)
    except NumberFormatError as exc:
        raise DomainError(f"{label}: {exc}", field=field)


# --- plans -----------------------------------------------------------------------------------------

@transaction.atomic
def plan_create(*, actor, code: str, issuer: Organisation, year: int, title: str, edition, province,
                symbol: str = "KH", number: str = "", place: str = "", date_year: int | None = None,
                date_month: int | None = None, date_day: int | None = None, parent: Plan | None = None,
                **text_fields) -> Plan:
    if issuer.kind == Organisation.Kind.UNIT:
        raise DomainError("Kế hoạch do một cơ quan (Sở, ngành, UBND) ban hành, không phải một phòng.", field="issuer")
    plan = Plan(code=code, issuer=issuer, year=year, title=title, edition=edition, province=province, symbol=symbol,
                number=number or "", place=place, date_year=date_year or year, date_month=date_month,
                date_day=date_day, parent=parent, **text_fields)
    if edition.first_year > year or (edition.last_year and edition.last_year < year):
        raise DomainError(f"Phương pháp {edition.code} không áp dụng cho năm {year}.", field="edition")
    if date_day and date_month:
        try:
            dt.date(plan.date_year, date_month, date_day)
        except ValueError:
            raise DomainError("Ngày ban hành không hợp lệ.", field="date_day")
    _clean(plan)
    plan.save()
    audit_create(actor=actor, obj=plan, root=plan)
    return plan


PLAN_EDITABLE_FIELDS = {"number", "symbol", "place", "date_year", "date_month", "date_day", "title", "basis", "purpose",
                        "requirements", "signer_name", "signer_title", "signer_authority", "recipients",
                        "electronic_recipients", "note", "parent"}


@transaction.atomic
def plan_update(*, actor, plan: Plan, amendment: PlanAmendment | None = None, **changes) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    unknown = set(changes) - PLAN_EDITABLE_FIELDS
    if unknown:
        raise DomainError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    # Registering the number is the clerk's step and no amendment of the content.
    if set(changes) - {"number"}:
        _require_changeable(plan, amendment)
    before = snapshot(plan)
    for field, value in changes.items():
        setattr(plan, field, value)
    _clean(plan)
    plan.save()
    audit_update(actor=actor, obj=plan, before=before, root=plan,
                 message=f"Sửa đổi: {amendment.reason}" if amendment else "")
    return plan


@transaction.atomic
def plan_issue(*, actor, plan: Plan) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise DomainError("Chỉ kế hoạch đang dự thảo mới ban hành được.")
    if not plan.targets.exists():
        raise DomainError("Kế hoạch chưa có mục tiêu nào, chưa thể ban hành.")
    orphan = plan.tasks.filter(assignments__isnull=True).first()
    if orphan:
        raise DomainError(f"Nhiệm vụ “{orphan.text[:80]}” chưa được giao cho đơn vị nào.")
    plan.status = PlanStatus.ISSUED
    plan.save(update_fields=["status"])
    audit_transition(actor=actor, obj=plan, from_status=PlanStatus.DRAFT, to_status=PlanStatus.ISSUED, root=plan)
    return plan


@transaction.atomic
def plan_amend(*, actor, plan: Plan, reason: str, reference: str = "") -> PlanAmendment:
    """Open a recorded amendment of an issued plan; pass it to the writers that change the plan."""
    if plan.status != PlanStatus.ISSUED:
        raise DomainError("Chỉ kế hoạch đã ban hành mới cần sửa đổi; dự thảo được sửa trực tiếp.")
    if not (reason or "").strip():
        raise DomainError("Cần ghi lý do sửa đổi kế hoạch.", field="reason")
    amendment = PlanAmendment.objects.create(plan=plan, by=actor, reason=reason.strip(), reference=reference)
    audit_record(actor=actor, obj=plan, action="update", message=f"Mở sửa đổi kế hoạch: {reason.strip()}", root=plan)
    return amendment


@transaction.atomic
def plan_close(*, actor, plan: Plan) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ISSUED:
        raise DomainError("Chỉ kế hoạch đã ban hành mới kết thúc được.")
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    audit_transition(actor=actor, obj=plan, from_status=PlanStatus.ISSUED, to_status=PlanStatus.CLOSED, root=plan)
    return plan


# --- targets ---------------------------------------------------------------------------------------

@dataclass
class TargetSpec:
    """What a target says; numbers may be typed as "7,61" or "7.61"."""

    kind: str
    label: str = ""
    comparator: str | None = None
    value: object = None
    value_text: str = ""
    of: int | None = None
    unit: str = ""
    subindex_code: str | None = None
    indicator_code: str = ""
    increase: object = None
    baseline_year: int | None = None
    baseline_value: object = None
    baseline_source: str = ""
    section: str = ""
    text: str = ""
    order: int = 0


def _target_fields(plan: Plan, spec: TargetSpec) -> dict:
    if spec.kind not in TargetKind.values:
        raise DomainError(f"Loại mục tiêu không hợp lệ: {spec.kind}.", field="kind")
    if spec.comparator not in Comparator.values:
        raise DomainError("Mục tiêu phải có phép so sánh (từ … trở lên, trên, từ … trở xuống, dưới).", field="comparator")
    value = _decimal(spec.value, "value", "Giá trị mục tiêu")
    if spec.kind == TargetKind.GROUP:
        from pciplan.catalog.models import Group

        if Group.from_label(spec.value_text) is None:
            raise DomainError("Mục tiêu nhóm xếp hạng phải là một trong: Rất tốt, Tốt, Khá, Trung bình, Tương đối thấp, Thấp.",
                              field="value_text")
    elif value is None:
        raise DomainError("Mục tiêu phải có giá trị (ví dụ 7,61).", field="value")
    subindex = None
    if spec.kind in (TargetKind.SUBINDEX, TargetKind.INDICATOR) and spec.subindex_code:
        subindex = SubIndex.objects.filter(edition=plan.edition, code=spec.subindex_code).first()
        if subindex is None:
            raise DomainError(f"Chỉ số thành phần “{spec.subindex_code}” không có trong phương pháp {plan.edition.code}.",
                              field="subindex")
    if spec.kind == TargetKind.SUBINDEX:
        if subindex is None:
            raise DomainError("Mục tiêu chỉ số thành phần phải chọn chỉ số thành phần.", field="subindex")
        if not (1 <= value <= 10):
            raise DomainError("Điểm chỉ số thành phần phải nằm trong khoảng 1–10.", field="value")
    if spec.kind == TargetKind.TOTAL and not (0 <= value <= 100):
        raise DomainError("Tổng điểm PCI phải nằm trong khoảng 0–100.", field="value")
    if spec.kind == TargetKind.INDICATOR and spec.unit == "%" and not (0 <= value <= 100):
        raise DomainError("Tỷ lệ phải nằm trong khoảng 0–100%.", field="value")
    if spec.kind == TargetKind.RANK:
        if value < 1 or value != value.to_integral():
            raise DomainError("Thứ hạng mục tiêu phải là số nguyên từ 1 trở lên.", field="value")
        if spec.of and value > spec.of:
            raise DomainError(f"Thứ hạng mục tiêu {value} lớn hơn số tỉnh được xếp hạng ({spec.of}).", field="value")
    increase = _decimal(spec.increase, "increase", "Mức tăng")
    baseline_value = _decimal(spec.baseline_value, "baseline_value", "Giá trị năm gốc")
    if baseline_value is None and increase is not None and value is not None:
        baseline_value = value - increase
    label = spec.label or (subindex.name if subindex else "")
    if not label:
        raise DomainError("Mục tiêu cần có nội dung (chỉ tiêu hoặc chỉ số được đo).", field="label")
    return {
        "kind": spec.kind, "label": label, "comparator": spec.comparator, "value": value,
        "value_text": spec.value_text or "", "of": spec.of, "unit": spec.unit or "", "subindex": subindex,
        "indicator_code": spec.indicator_code or "", "increase": increase, "baseline_year": spec.baseline_year,
        "baseline_value": baseline_value, "baseline_source": spec.baseline_source or "", "section": spec.section,
        "text": spec.text, "order": spec.order,
    }


@transaction.atomic
def target_set(*, actor, plan: Plan, key: str, spec: TargetSpec, amendment: PlanAmendment | None = None,
               reason: str = "") -> Target:
    """Create or change the target ``key`` of ``plan`` (an issued plan: with an amendment or its reason)."""
    amendment = _amendment(actor=actor, plan=plan, amendment=amendment, reason=reason)
    _require_changeable(plan, amendment)
    fields = _target_fields(plan, spec)
    if spec.kind == TargetKind.INDICATOR and spec.indicator_code:
        from pciplan.catalog.models import Indicator

        fields["indicator"] = (Indicator.objects.filter(code=spec.indicator_code, year__year__lte=plan.year)
                               .order_by("-year__year").first())
    target = Target.objects.select_for_update().filter(plan=plan, key=key).first()
    if target is None:
        target = Target(plan=plan, key=key, **fields)
        _clean(target)
        target.save()
        audit_create(actor=actor, obj=target, root=plan)
    else:
        before = snapshot(target)
        for name, value in fields.items():
            setattr(target, name, value)
        _clean(target)
        target.save()
        audit_update(actor=actor, obj=target, before=before, root=plan,
                     message=f"Sửa đổi: {amendment.reason}" if amendment else "")
    return target


@transaction.atomic
def target_assign(*, actor, target: Target, organisation: Organisation, role: str, note: str = "",
                  amendment: PlanAmendment | None = None) -> TargetAssignment:
    _require_changeable(target.plan, amendment)
    if role not in Role.values:
        raise DomainError("Vai trò phải là đầu mối, chủ trì hoặc phối hợp.", field="role")
    assignment, created = TargetAssignment.objects.get_or_create(target=target, organisation=organisation, role=role,
                                                                 defaults={"note": note})
    if created:
        audit_create(actor=actor, obj=assignment, root=target.plan)
    return assignment


@transaction.atomic
def target_unassign(*, actor, assignment: TargetAssignment, amendment: PlanAmendment | None = None) -> None:
    plan = assignment.target.plan
    _require_changeable(plan, amendment)
    audit_delete(actor=actor, obj=assignment, root=plan)
    assignment.delete()


# --- tasks -----------------------------------------------------------------------------------------

@dataclass
class UnitRole:
    organisation: Organisation
    role: str = Role.OWNER
    responsible: str = ""


def _check_timing(plan: Plan, timing: str, deadline: dt.date | None, recurrence: str) -> None:
    if timing not in TimingKind.values:
        raise DomainError("Thời hạn phải là: có hạn, định kỳ hoặc thường xuyên.", field="timing")
    if timing == TimingKind.DEADLINE:
        if deadline is None:
            raise DomainError("Nhiệm vụ có thời hạn phải có ngày hoàn thành.", field="deadline")
        if deadline < plan.start_date:
            raise DomainError(
                f"Hạn hoàn thành {format_date(deadline)} sớm hơn tháng ban hành kế hoạch ({plan.date_text}).",
                field="deadline")
    if timing == TimingKind.RECURRING and not recurrence:
        raise DomainError("Nhiệm vụ định kỳ phải có chu kỳ (hàng quý, hàng năm).", field="recurrence")


@transaction.atomic
def task_create(*, actor, plan: Plan, key: str, text: str, units: Iterable[UnitRole], targets: Iterable[Target] = (),
                timing: str = TimingKind.CONTINUOUS, deadline: dt.date | None = None, timing_text: str = "",
                recurrence: str = "", output: str = "", section: str = "", order: int = 0,
                amendment: PlanAmendment | None = None, reason: str = "") -> Task:
    """Create a task; it must be given to at least one unit."""
    amendment = _amendment(actor=actor, plan=plan, amendment=amendment, reason=reason)
    _require_changeable(plan, amendment)
    units = list(units)
    if not (text or "").strip():
        raise DomainError("Nhiệm vụ phải có nội dung.", field="text")
    if not units:
        raise DomainError("Nhiệm vụ phải được giao cho ít nhất một đơn vị.", field="units")
    _check_timing(plan, timing, deadline, recurrence)
    task = Task(plan=plan, key=key, text=text.strip(), section=section, timing=timing,
                deadline=deadline if timing == TimingKind.DEADLINE else None, timing_text=timing_text,
                recurrence=recurrence if timing == TimingKind.RECURRING else "", output=output, order=order)
    _clean(task)
    task.save()
    targets = list(targets)
    for target in targets:
        if target.plan_id != plan.pk:
            raise DomainError("Mục tiêu không thuộc kế hoạch này.", field="targets")
    task.targets.set(targets)
    seen = set()
    for unit in units:
        if unit.organisation.pk in seen:
            raise DomainError(f"Đơn vị “{unit.organisation}” được giao hai lần cho cùng nhiệm vụ.", field="units")
        seen.add(unit.organisation.pk)
        TaskAssignment.objects.create(task=task, organisation=unit.organisation, role=unit.role,
                                      responsible=unit.responsible)
    audit_create(actor=actor, obj=task, root=plan)
    return task


@transaction.atomic
def task_update(*, actor, task: Task, amendment: PlanAmendment | None = None, **changes) -> Task:
    """Change a task's content or timing (an amendment once the plan is issued)."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    _require_changeable(task.plan, amendment)
    allowed = {"text", "timing", "deadline", "timing_text", "recurrence", "output", "section"}
    if set(changes) - allowed:
        raise DomainError(f"Không sửa được trường: {', '.join(sorted(set(changes) - allowed))}.")
    before = snapshot(task)
    for name, value in changes.items():
        setattr(task, name, value)
    _check_timing(task.plan, task.timing, task.deadline, task.recurrence)
    if task.timing != TimingKind.DEADLINE:
        task.deadline = None
    _clean(task)
    task.save()
    audit_update(actor=actor, obj=task, before=before, root=task.plan,
                 message=f"Sửa đổi: {amendment.reason}" if amendment else "")
    return task


@transaction.atomic
def task_set_status(*, actor, task: Task, status: str, completed_on: dt.date | None = None,
                    progress: int | None = None) -> Task:
    """Report a task's status: not started, in progress, done (with its completion date) or cancelled."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if task.plan.status == PlanStatus.CLOSED:
        raise DomainError("Kế hoạch đã kết thúc, không cập nhật tình trạng nhiệm vụ.")
    if status not in TaskStatus.values:
        raise DomainError("Tình trạng nhiệm vụ không hợp lệ.", field="status")
    if status == TaskStatus.DONE and completed_on is None:
        raise DomainError("Nhiệm vụ đã hoàn thành cần ngày hoàn thành.", field="completed_on")
    if status == TaskStatus.DONE and completed_on < task.plan.start_date:
        raise DomainError("Ngày hoàn thành sớm hơn thời điểm ban hành kế hoạch.", field="completed_on")
    if progress is not None and not (0 <= int(progress) <= 100):
        raise DomainError("Tiến độ phải từ 0 đến 100%.", field="progress")
    before_status = task.status
    before = snapshot(task)
    task.status = status
    task.completed_on = completed_on if status == TaskStatus.DONE else None
    if progress is not None:
        task.progress = int(progress)
    if status == TaskStatus.DONE:
        task.progress = 100
    task.save()
    if before_status != status:
        audit_transition(actor=actor, obj=task, from_status=before_status, to_status=status, root=task.plan)
    else:
        audit_update(actor=actor, obj=task, before=before, root=task.plan)
    return task


@transaction.atomic
def task_assign(*, actor, task: Task, organisation: Organisation, role: str = Role.OWNER, responsible: str = "",
                amendment: PlanAmendment | None = None) -> TaskAssignment:
    _require_changeable(task.plan, amendment)
    if role not in (Role.OWNER, Role.SUPPORT):
        raise DomainError("Vai trò trên nhiệm vụ là chủ trì hoặc phối hợp.", field="role")
    assignment, created = TaskAssignment.objects.update_or_create(
        task=task, organisation=organisation, defaults={"role": role, "responsible": responsible})
    audit_create(actor=actor, obj=assignment, root=task.plan) if created else None
    return assignment


@transaction.atomic
def task_unassign(*, actor, assignment: TaskAssignment, amendment: PlanAmendment | None = None) -> None:
    task = assignment.task
    _require_changeable(task.plan, amendment)
    if task.assignments.count() <= 1:
        raise DomainError("Nhiệm vụ phải còn ít nhất một đơn vị thực hiện.", field="units")
    audit_delete(actor=actor, obj=assignment, root=task.plan)
    assignment.delete()


@transaction.atomic
def plan_register_external(*, actor, code: str, issuer: Organisation, number: str, symbol: str, year: int, title: str,
                           edition, province, date: dt.date | None = None, note: str = "") -> Plan:
    """Record a plan issued elsewhere (e.g. the province's 222/KH-UBND) that other plans implement.

    Only its reference is known, so it is recorded as issued without targets of its own.
    """
    if not number:
        raise DomainError("Kế hoạch của cơ quan khác cần có số văn bản.", field="number")
    plan = plan_create(actor=actor, code=code, issuer=issuer, year=year, title=title, edition=edition,
                       province=province, symbol=symbol, number=number, date_year=date.year if date else year,
                       date_month=date.month if date else None, date_day=date.day if date else None, note=note)
    plan.status = PlanStatus.ISSUED
    plan.save(update_fields=["status"])
    audit_transition(actor=actor, obj=plan, from_status=PlanStatus.DRAFT, to_status=PlanStatus.ISSUED, root=plan,
                     message="Ghi nhận kế hoạch đã ban hành")
    return plan
