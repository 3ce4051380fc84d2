"""The demo data set: the reference plan (Sở KH&CN Bắc Giang, PCI 2020) and people for every role.

Idempotent: organisations are brought up to date, the plan is created once, users once.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

from django.db import transaction

from pciplan.catalog.models import Edition, Province
from pciplan.lib.errors import DomainError
from pciplan.orgs.models import CoordinatorFunction, Organisation, Role, User

from . import services
from .models import AccountabilityRule, Plan, ReportingRule, Target

DEMO_FILE = "ke-hoach-pci-2020-so-khcn-bac-giang.json"
DEMO_PASSWORD = "pciplan-demo-2020"

# (username, full name, organisation code, role, coordinator function, job title) — sample people.
DEMO_USERS = [
    ("quantri", "Quản trị hệ thống (mẫu)", "bg-so-khcn", Role.ADMIN, "", "Quản trị viên"),
    ("vanphong", "Trần Thị Điều Phối (mẫu)", "bg-so-khcn-vp", Role.COORDINATOR, CoordinatorFunction.MONITOR,
     "Chuyên viên Văn phòng Sở"),
    ("khtc", "Lê Văn Tổng Hợp (mẫu)", "bg-so-khcn-khtc", Role.COORDINATOR, CoordinatorFunction.CONSOLIDATOR,
     "Chuyên viên Phòng Kế hoạch Tài chính"),
    ("truongphong.qlcn", "Phạm Văn Trưởng (mẫu)", "bg-so-khcn-qlcn", Role.UNIT_HEAD, "", "Trưởng phòng"),
    ("canbo.qlcn", "Nguyễn Thị Cán Bộ (mẫu)", "bg-so-khcn-qlcn", Role.UNIT_MEMBER, "", "Chuyên viên"),
    ("truongphong.ttud", "Vũ Văn Giám Đốc Trung Tâm (mẫu)", "bg-so-khcn-ttud", Role.UNIT_HEAD, "", "Giám đốc Trung tâm"),
    ("canbo.ttud", "Đỗ Thị Viên Chức (mẫu)", "bg-so-khcn-ttud", Role.UNIT_MEMBER, "", "Viên chức"),
    ("lanhdao", "Lãnh đạo Sở (mẫu)", "bg-so-khcn", Role.LEADER, "", "Phó Giám đốc"),
    ("kiemtra", "Hoàng Văn Kiểm Tra (mẫu)", "bg-so-khcn", Role.AUDITOR, "", "Cán bộ kiểm tra"),
    ("ngoai.so", "Bùi Thị Sở Khác (mẫu)", "bg-so-khdt", Role.UNIT_MEMBER, "", "Chuyên viên Sở Kế hoạch và Đầu tư"),
    ("dieuphoi.tinh", "Đặng Văn Điều Phối Tỉnh (mẫu)", "bg-ubnd", Role.COORDINATOR, CoordinatorFunction.CONSOLIDATOR,
     "Chuyên viên điều phối PCI cấp tỉnh"),
]


def demo_data() -> dict:
    text = resources.files("pciplan.plans.data.demo").joinpath(DEMO_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def load_organisations(data: dict) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {o.code: o for o in Organisation.objects.all()}
    pending_successors = []
    for spec in data["organisations"]:
        values = {
            "name": spec["name"], "short_name": spec.get("short_name") or "", "kind": spec["kind"],
            "parent": orgs.get(spec["parent"]) if spec.get("parent") else None,
            "province_slug": spec.get("province") or "", "head_name": spec.get("head_name") or "",
            "head_title": spec.get("head_title") or "", "valid_from": _date(spec.get("valid_from")),
            "valid_to": _date(spec.get("valid_to")), "is_sample": bool(spec.get("sample")),
            "aliases": spec.get("aliases") or [], "note": spec.get("note") or "",
        }
        org = orgs.get(spec["code"])
        if org is None:
            org = Organisation(code=spec["code"], **values)
            org.full_clean()
            org.save()
        elif any(getattr(org, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(org, k, v)
            org.save()
        orgs[org.code] = org
        if spec.get("successor"):
            pending_successors.append((org, spec["successor"]))
    for org, successor_code in pending_successors:
        successor = orgs[successor_code]
        if org.successor_id != successor.pk:
            org.successor = successor
            org.save(update_fields=["successor"])
    return orgs


def _spec_from(t: dict, order: int) -> services.TargetSpec:
    return services.TargetSpec(
        kind=t["kind"], label=t.get("label") or "", comparator=t.get("comparator"), value=t.get("value"),
        value_text=t.get("value_text") or "", of=t.get("of"), unit=t.get("unit") or "",
        subindex_code=t.get("subindex"), indicator_code=t.get("indicator_code") or "", increase=t.get("increase"),
        baseline_year=t.get("baseline_year"), baseline_value=t.get("baseline_value"),
        baseline_source=t.get("baseline_source") or "", section=t.get("section") or "", text=t.get("text") or "",
        order=order,
    )


def load_plan(data: dict, orgs: dict[str, Organisation]) -> Plan:
    spec = data["plan"]
    existing = Plan.objects.filter(code=spec["code"]).first()
    if existing:
        return existing
    try:
        edition = Edition.objects.get(code=spec["edition"])
        province = Province.objects.get(slug=spec["province"])
    except (Edition.DoesNotExist, Province.DoesNotExist):
        raise DomainError("Chưa nạp danh mục chỉ số và tỉnh: chạy “pciplan load_catalog” trước.")
    parent = None
    if data.get("parent_plan"):
        p = data["parent_plan"]
        parent = Plan.objects.filter(code=p["code"]).first() or services.plan_register_external(
            actor=None, code=p["code"], issuer=orgs[p["issuer"]], number=p["number"], symbol=p["symbol"],
            year=p["year"], title=p["title"], edition=edition, province=province,
            date=dt.date(p["date"]["year"], p["date"]["month"], p["date"]["day"]), note=p.get("note") or "")
    signer = spec.get("signer") or {}
    plan = services.plan_create(
        actor=None, code=spec["code"], issuer=orgs[spec["issuer"]], year=spec["year"], title=spec["title"],
        edition=edition, province=province, symbol=spec["symbol"], number=spec.get("number") or "",
        place=spec.get("place") or "", date_year=spec["date"]["year"], date_month=spec["date"].get("month"),
        date_day=spec["date"].get("day"), parent=parent, basis=spec.get("basis") or "",
        purpose=spec.get("purpose") or "", requirements=spec.get("requirements") or "",
        signer_name=signer.get("name") or "", signer_title=signer.get("title") or "",
        signer_authority=signer.get("authority") or "", recipients=spec.get("recipients") or [],
        electronic_recipients=spec.get("electronic_recipients") or [],
    )
    targets: dict[str, Target] = {}
    for order, t in enumerate(spec["targets"], start=1):
        target = services.target_set(actor=None, plan=plan, key=t["key"], spec=_spec_from(t, order))
        for a in t.get("assignments", []):
            services.target_assign(actor=None, target=target, organisation=orgs[a["org"]], role=a["role"],
                                   note=a.get("note") or "")
        targets[t["key"]] = target
    for order, task in enumerate(spec["tasks"], start=1):
        timing = task.get("timing") or {"kind": "continuous"}
        services.task_create(
            actor=None, plan=plan, key=task["key"][:80], text=task["text"], section=task.get("section") or "",
            units=[services.UnitRole(orgs[u["org"]], u.get("role") or "owner", u.get("responsible") or "")
                   for u in task["units"]],
            targets=[targets[k] for k in task.get("targets", [])], timing=timing["kind"],
            deadline=_date(timing.get("date")), timing_text=timing.get("text") or "",
            recurrence=timing.get("recurrence") or "", output=task.get("output") or "", order=order)
    for rule in spec.get("reporting_rules", []):
        ReportingRule.objects.create(
            plan=plan, who=rule["who"], quarters=rule["quarters"], annual=rule["annual"],
            quarter_due_day=rule["quarter_due_day"], quarter_due_text=rule.get("quarter_due_text") or "",
            annual_due_month=rule["annual_due_month"], annual_due_day=rule["annual_due_day"],
            annual_due_text=rule.get("annual_due_text") or "", consolidator=orgs[rule["consolidator"]],
            monitor=orgs.get(rule.get("monitor")), upward_recipient=rule.get("upward_recipient") or "",
            section=rule.get("section") or "", text=rule.get("text") or "")
    for rule in spec.get("accountability_rules", []):
        obj = AccountabilityRule.objects.create(
            plan=plan, key=rule["key"], section=rule.get("section") or "", roles=rule["roles"],
            target_kinds=rule.get("target_kinds") or [], organisation=orgs.get(rule.get("org")),
            consequence=rule["consequence"], year=rule["year"], text=rule.get("text") or "")
        obj.targets.set([targets[k] for k in rule.get("targets", [])])
    if spec.get("status", "issued") != "draft":
        services.plan_issue(actor=None, plan=plan)
    return plan


def load_users(orgs: dict[str, Organisation]) -> int:
    created = 0
    existing = set(User.objects.values_list("username", flat=True))
    for username, full_name, org_code, role, function, title in DEMO_USERS:
        if username in existing:
            continue
        user = User(username=username, email=f"{username}@demo.pciplan.invalid", full_name=full_name,
                    organisation=orgs.get(org_code), role=role, coordinator_function=function, job_title=title,
                    is_sample=True, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
        user.set_password(DEMO_PASSWORD)
        user.save()
        created += 1
    return created


@transaction.atomic
def load_plan_demo() -> tuple[Plan, int]:
    data = demo_data()
    orgs = load_organisations(data)
    plan = load_plan(data, orgs)
    return plan, load_users(orgs)


def load_demo() -> str:
    plan, n_users = load_plan_demo()
    return f"{plan.reference} ({plan.targets.count()} mục tiêu, {plan.tasks.count()} nhiệm vụ); {n_users} tài khoản mới"
