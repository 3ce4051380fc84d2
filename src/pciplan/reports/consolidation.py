"""The consolidated report of a period, assembled from the accepted unit reports (their accepted versions).

Its text is a list of sections ``{"key", "title", "level", "text"}`` (level 1: ``I. …``, 2: ``1. …``, 3:
``a) …``) that the consolidating unit edits before export; lines starting with ``- `` or ``+ `` are
bullets. Per target: what was done, results with their sourced values, difficulties, proposals; then the
task outcome counts (the tables and the chart are regenerated at export from the live data); then the
general difficulties and proposals. The number and the day stay blank for the clerk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.db import transaction

from pciplan.audit.models import AuditEntry
from pciplan.audit.services import audit_create, audit_record
from pciplan.lib.dates import format_date, format_date_long
from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import format_number
from pciplan.orgs.access import scope_for
from pciplan.plans.models import Comparator, Target, TargetKind

from . import selectors
from .access import may_coordinate
from .models import ConsolidatedReport, Period, PeriodKind, ReportVersion

OUTCOMES_KEY = "outcomes"


def agency_title(org) -> str:
    """"Sở Khoa học và Công nghệ tỉnh Bắc Giang" → "Sở Khoa học và Công nghệ" (the header names the province)."""
    return re.sub(r"\s+(tỉnh|thành phố)\s+.+$", "", org.name).strip()


def parent_title(org) -> str:
    parent = org.parent
    if parent is None:
        return ""
    return (parent.short_name or parent.name).upper()


def document_symbol(plan) -> str:
    """``KH-KHCN`` → ``BC-KHCN``."""
    symbol = plan.symbol or "KH"
    return "BC" + symbol[2:] if symbol.upper().startswith("KH") else f"BC-{symbol}"


def target_phrase(target: Target) -> str:
    """``từ 6,5 điểm trở lên``, ``trên 45%``, ``thứ 30/63``."""
    if target.kind == TargetKind.GROUP:
        return f"nhóm “{target.value_text}”"
    value = format_number(target.value, 2, strip=True)
    unit = target.unit or ""
    if target.kind == TargetKind.RANK:
        return f"thứ {value}" + (f"/{target.of}" if target.of else "") + (" trở lên" if target.comparator == "<=" else "")
    shown = f"{value}%" if unit == "%" else f"{value} {unit}".strip()
    return {Comparator.GTE: f"từ {shown} trở lên", Comparator.GT: f"trên {shown}", Comparator.LTE: f"từ {shown} trở xuống",
            Comparator.LT: f"dưới {shown}"}.get(target.comparator, shown)


def target_heading(target: Target) -> str:
    if target.kind == TargetKind.SUBINDEX:
        return f"Chỉ số “{target.label}”"
    if target.kind in (TargetKind.RANK, TargetKind.GROUP):
        return "Thứ hạng và nhóm xếp hạng PCI của tỉnh"
    return target.label


@dataclass
class Sources:
    period: Period
    versions: list[ReportVersion]

    @property
    def built_from(self) -> dict:
        return {str(v.report_id): v.number for v in self.versions}


def sources(period: Period) -> Sources:
    return Sources(period, selectors.accepted_versions(period))


def _bullets(lines) -> str:
    return "\n".join(f"- {line}" for line in lines if line)


def _join(*parts) -> str:
    return " ".join(p.strip().rstrip(".") + "." for p in parts if p and p.strip())


def default_sections(period: Period, versions: list[ReportVersion], today: dt.date) -> list[dict]:
    """The sections as assembled from the accepted versions (before any editing)."""
    plan = period.plan
    targets = list(Target.objects.filter(plan=plan).select_related("subindex").order_by("order", "id"))
    by_id = {t.pk: t for t in targets}
    subindex_target = {t.subindex_id: t for t in targets if t.kind == TargetKind.SUBINDEX and t.subindex_id}
    overall = next((t for t in targets if t.kind in (TargetKind.RANK, TargetKind.GROUP)), None)

    def home(target: Target) -> Target:
        if target.kind == TargetKind.INDICATOR and target.subindex_id in subindex_target:
            return subindex_target[target.subindex_id]
        if target.kind in (TargetKind.RANK, TargetKind.GROUP) and overall is not None:
            return overall
        return target

    groups: OrderedDict[int, dict] = OrderedDict()
    for target in targets:
        groups.setdefault(home(target).pk, {"done": [], "results": [], "difficulties": [], "proposals": []})
    for version in versions:
        unit = version.report.unit.short_name or version.report.unit.name
        for item in version.content.get("tasks", []):
            ids = [i for i in item.get("target_ids", []) if i in by_id]
            if not ids or not any(item.get(k) for k in ("done_text", "results", "difficulties", "proposals")):
                continue
            primary = home(min((by_id[i] for i in ids), key=lambda t: (t.order, t.pk)))
            bucket = groups[primary.pk]
            status = item.get("status_label", "")
            if item.get("status") == "done" and item.get("completed_on"):
                status = f"hoàn thành ngày {format_date(dt.date.fromisoformat(item['completed_on']))}"
            elif item.get("status") == "in_progress":
                status = f"đang thực hiện, đạt khoảng {item.get('progress', 0)}%"
            if item.get("done_text"):
                bucket["done"].append(f"{unit}: {item['done_text'].rstrip('.')} ({status.lower()}).")
            if item.get("results"):
                bucket["results"].append(f"{unit}: {item['results']}")
            if item.get("difficulties"):
                bucket["difficulties"].append(f"{unit}: {item['difficulties']}")
            if item.get("proposals"):
                bucket["proposals"].append(f"{unit}: {item['proposals']}")
        for value in version.content.get("indicators", []):
            target = by_id.get(value.get("target_id"))
            if target is None or (value.get("value") is None and not value.get("method")):
                continue
            shown = "chưa có số liệu" if value.get("value") is None else (
                format_number(float(value["value"]), 1 if target.unit == "%" else 2, strip=True) + (target.unit or ""))
            parts = [f"{target.label}: {shown} (mục tiêu {target_phrase(target)})"]
            if value.get("method"):
                parts.append(f"cách đo: {value['method'].rstrip('.')}")
            if value.get("source_url"):
                parts.append(f"nguồn: {value['source_url']}")
            groups[home(target).pk]["results"].append(f"{unit} — " + "; ".join(parts) + ".")

    sections: list[dict] = [{"key": "results", "title": "Kết quả thực hiện các mục tiêu, nhiệm vụ", "level": 1, "text": ""}]
    for target_id, bucket in groups.items():
        if not any(bucket.values()):
            continue
        target = by_id[target_id]
        baseline = ""
        if target.baseline_value is not None and target.baseline_year:
            unit = "%" if target.unit == "%" else f" {target.unit or 'điểm'}"
            source = f" (nguồn: {target.baseline_source})" if target.baseline_source else ""
            baseline = (f"Năm {target.baseline_year} đạt {format_number(target.baseline_value, 2, strip=True)}{unit}"
                        f"{source}; mục tiêu năm {plan.year}: {target_phrase(target)}.")
            if target.kind == TargetKind.RANK:
                baseline = (f"Năm {target.baseline_year} xếp thứ {format_number(target.baseline_value, 0)}{source}; "
                            f"mục tiêu năm {plan.year}: {target_phrase(target)}.")
        key = f"t{target.pk}"
        sections.append({"key": key, "title": target_heading(target), "level": 2,
                         "text": baseline or f"Mục tiêu năm {plan.year}: {target_phrase(target)}."})
        sections.append({"key": f"{key}-done", "title": "Công việc đã thực hiện", "level": 3,
                         "text": _bullets(bucket["done"]) or "Các đơn vị chưa báo cáo công việc cụ thể trong kỳ."})
        sections.append({"key": f"{key}-results", "title": "Kết quả", "level": 3,
                         "text": _bullets(bucket["results"]) or "Chưa có kết quả đo được trong kỳ."})
        if bucket["difficulties"]:
            sections.append({"key": f"{key}-difficulties", "title": "Khó khăn, vướng mắc", "level": 3,
                             "text": _bullets(bucket["difficulties"])})
        if bucket["proposals"]:
            sections.append({"key": f"{key}-proposals", "title": "Đề xuất, kiến nghị", "level": 3,
                             "text": _bullets(bucket["proposals"])})

    board = selectors.board(period, today)
    total = board.total
    counts = {o: total.counts.get(o, 0) for o in selectors.OUTCOME_ORDER}
    dated = total.with_deadline
    outcome_text = (
        f"Tính đến ngày {format_date(board.asof)}"
        f"{' (ngày chốt số liệu)' if board.asof == period.cutoff else ''}, Kế hoạch có {total.total} nhiệm vụ, "
        f"trong đó {dated} nhiệm vụ có thời hạn, {counts['continuous']} nhiệm vụ thường xuyên và "
        f"{counts['recurring']} nhiệm vụ định kỳ. Trong các nhiệm vụ có thời hạn: {counts['done_on_time']} hoàn thành "
        f"đúng hạn, {counts['done_late']} hoàn thành quá hạn, {counts['in_progress_on_time']} đang thực hiện trong hạn, "
        f"{counts['overdue']} quá hạn chưa hoàn thành. Nhiệm vụ thường xuyên, định kỳ được theo dõi theo kết quả "
        "thực hiện trong kỳ, không tính quá hạn.")
    required = [r for r in board.rows if r.required]
    on_time = [r for r in required if r.sent and not r.late_days]
    late = [r for r in board.rows if r.sent and r.late_days]
    missing = [r for r in required if not r.sent]
    sending = [f"Có {len(on_time)}/{len(required)} đơn vị chủ trì gửi báo cáo đúng hạn (hạn: hết ngày "
               f"{format_date(period.due_date)})."]
    if late:
        sending.append("Gửi muộn: " + "; ".join(f"{r.unit.name} ({r.late_days} ngày)" for r in late) + ".")
    if missing:
        sending.append("Chưa gửi: " + "; ".join(r.unit.name for r in missing) + ".")
    sections.append({"key": OUTCOMES_KEY, "title": "Tình hình thực hiện nhiệm vụ và chế độ báo cáo", "level": 1,
                     "text": outcome_text + "\n" + " ".join(sending)})

    general_difficulties = [f"{v.report.unit.short_name or v.report.unit.name}: {v.content.get('difficulties')}"
                            for v in versions if v.content.get("difficulties")]
    general_proposals = [f"{v.report.unit.short_name or v.report.unit.name}: {v.content.get('proposals')}"
                         for v in versions if v.content.get("proposals")]
    sections.append({"key": "difficulties", "title": "Khó khăn, vướng mắc", "level": 1,
                     "text": _bullets(general_difficulties) or "Không có khó khăn, vướng mắc chung được báo cáo."})
    sections.append({"key": "proposals", "title": "Đề xuất, kiến nghị", "level": 1,
                     "text": _bullets(general_proposals) or "Không có đề xuất, kiến nghị chung."})
    if any(v.content.get("is_sample") for v in versions):
        sections.append({"key": "sample-note", "title": "Ghi chú", "level": 3, "numbered": False,
                         "text": "Nội dung báo cáo của các đơn vị trong bản trình diễn này là dữ liệu mẫu."})
    return sections


def default_opening(period: Period) -> str:
    plan = period.plan
    issuer = agency_title(plan.issuer)
    when = f"ngày {format_date_long(plan.issued_date)[5:]}" if plan.issued_date else (
        f"tháng {plan.date_month} năm {plan.date_year}" if plan.date_month else f"năm {plan.date_year}")
    reference = f"Kế hoạch số {plan.number or '…'}/{plan.symbol} {when}"
    what = f"trong {period.label}" if period.kind == PeriodKind.QUARTER else f"năm {period.year}"
    return (f"Thực hiện {reference} của {issuer} về {plan.title[0].lower() + plan.title[1:]}; trên cơ sở báo cáo "
            f"của các phòng, đơn vị, {issuer} báo cáo kết quả thực hiện {what} như sau:")


def default_summary(period: Period) -> str:
    plan = period.plan
    title = plan.title[0].lower() + plan.title[1:]
    if period.kind == PeriodKind.QUARTER:
        return f"Kết quả thực hiện Kế hoạch {title} — {period.label}"
    return f"Kết quả thực hiện Kế hoạch {title}"


def default_recipients(period: Period) -> list[str]:
    plan = period.plan
    rule = period.rule
    out = []
    if rule is not None and rule.upward_recipient:
        out.append(f"{rule.upward_recipient} (b/c)")
    for name in plan.electronic_recipients or []:
        if name and name not in (rule.upward_recipient if rule else "") and name not in out:
            out.append(name)
    return out or ["Lãnh đạo Sở"]


def _archive(period: Period) -> str:
    consolidator = period.consolidator
    short = (consolidator.short_name or "").replace("Phòng ", "").replace("&", "").replace(" ", "")
    return f"VT, {short}" if short and len(short) <= 8 else "VT"


@transaction.atomic
def consolidated_for(*, actor, period: Period, today: dt.date) -> ConsolidatedReport:
    """The period's consolidated report, assembled on first use."""
    existing = ConsolidatedReport.objects.filter(period=period).first()
    if existing is not None:
        return existing
    if actor is not None and not may_coordinate(scope_for(actor), period):
        raise DomainError("Chỉ cán bộ điều phối của cơ quan mới lập báo cáo tổng hợp.")
    src = sources(period)
    plan = period.plan
    report = ConsolidatedReport.objects.create(
        period=period, summary=default_summary(period)[:400], opening=default_opening(period),
        sections=default_sections(period, src.versions, today), recipients=default_recipients(period),
        archive=_archive(period), signer_authority=plan.signer_authority, signer_title=plan.signer_title,
        signer_name=plan.signer_name, built_from=src.built_from, updated_by=actor)
    audit_create(actor=actor, obj=report, root=plan,
                 message=f"Lập dự thảo báo cáo tổng hợp {period.label} từ {len(src.versions)} báo cáo đã tiếp nhận")
    return report


EDITABLE = ("summary", "opening", "recipients", "archive", "signer_authority", "signer_title", "signer_name")


@transaction.atomic
def consolidated_save(*, actor, report: ConsolidatedReport, expected_version: int, sections: list[dict] | None = None,
                      **changes) -> ConsolidatedReport:
    """Save the edited text (same optimistic check as unit drafts)."""
    period = report.period
    if not may_coordinate(scope_for(actor), period):
        raise DomainError("Chỉ cán bộ điều phối của cơ quan mới sửa báo cáo tổng hợp.")
    current = ConsolidatedReport.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=report.pk)
    if current.version != int(expected_version):
        who = current.updated_by.get_full_name() if current.updated_by_id else "người khác"
        raise DomainError(f"Báo cáo tổng hợp vừa được {who} lưu; nội dung bạn nhập chưa được lưu và vẫn còn bên "
                          "dưới. Hãy đối chiếu rồi lưu lại.", code="conflict")
    before, after = {}, {}
    for name, value in changes.items():
        if name not in EDITABLE:
            raise DomainError(f"Không sửa được trường “{name}”.")
        if name == "recipients":
            value = [line.strip().lstrip("-– ").rstrip(";.").strip() for line in value if line and line.strip()]
        elif isinstance(value, str):
            value = value.strip()
        if name == "summary" and not value:
            raise DomainError("Trích yếu không được để trống.", field="summary")
        if getattr(current, name) != value:
            before[name], after[name] = getattr(current, name), value
            setattr(current, name, value)
    if sections is not None:
        by_key = {s["key"]: s for s in current.sections}
        new_sections = []
        for item in sections:
            old = by_key.get(item["key"])
            if old is None:
                raise DomainError("Mục không có trong báo cáo tổng hợp.")
            title = (item.get("title") or "").strip() or old["title"]
            text = (item.get("text") or "").replace("\r\n", "\n").strip()
            if len(text) > 50_000:
                raise DomainError(f"Mục “{title}”: nội dung quá dài.")
            new_sections.append({**old, "title": title, "text": text})
        if new_sections != current.sections:
            before["sections"], after["sections"] = "…", f"{len(new_sections)} mục"
            current.sections = new_sections
    if not before:
        return current
    current.version += 1
    current.updated_by = actor
    current.save()
    audit_record(actor=actor, obj=current, action=AuditEntry.Action.UPDATE, before=before, after=after,
                 root=period.plan, message="Sửa nội dung báo cáo tổng hợp")
    return current


@transaction.atomic
def consolidated_rebuild(*, actor, report: ConsolidatedReport, today: dt.date) -> ConsolidatedReport:
    """Assemble the sections again from the accepted reports (the edited text is replaced)."""
    period = report.period
    if not may_coordinate(scope_for(actor), period):
        raise DomainError("Chỉ cán bộ điều phối của cơ quan mới lập lại báo cáo tổng hợp.")
    src = sources(period)
    current = ConsolidatedReport.objects.select_for_update().get(pk=report.pk)
    current.sections = default_sections(period, src.versions, today)
    current.built_from = src.built_from
    current.version += 1
    current.updated_by = actor
    current.save()
    audit_record(actor=actor, obj=current, action=AuditEntry.Action.UPDATE, root=period.plan,
                 message=f"Lập lại nội dung từ {len(src.versions)} báo cáo đã tiếp nhận")
    return current


def is_stale(report: ConsolidatedReport) -> bool:
    """Accepted reports changed since the sections were assembled."""
    return sources(report.period).built_from != report.built_from


def numbered_sections(sections: list[dict]) -> list[dict]:
    """The sections with their labels (``I.``, ``1.``, ``a)``) for the editor and the preview."""
    from pciplan.officedoc import heading_label

    counters = [0, 0, 0]
    out = []
    for section in sections:
        level = int(section.get("level", 1))
        label = ""
        if section.get("numbered", True):
            counters[level - 1] += 1
            for deeper in range(level, 3):
                counters[deeper] = 0
            label = heading_label(level, counters[level - 1])
        out.append({**section, "label": label, "lines": split_lines(section.get("text", ""))})
    return out


def split_lines(text: str) -> list[tuple[str, str]]:
    """``[(kind, text)]`` with kind ``p`` (paragraph), ``-`` or ``+`` (bullets)."""
    out = []
    for raw in (text or "").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line[:2] in ("- ", "+ "):
            out.append((line[0], line[2:].strip()))
        else:
            out.append(("p", line))
    return out


def unit_roles(period: Period) -> dict[int, str]:
    out = defaultdict(list)
    for version in selectors.accepted_versions(period):
        out[version.report.unit_id].append(version.number)
    return dict(out)
