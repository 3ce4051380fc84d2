"""A plan document turned into a plan: the draft :mod:`pciplan.plandoc` reads, reviewed by a person, then
created in one transaction.

Three steps, and nothing reaches the database before the last:

1. :func:`review_from_draft` turns a :class:`~pciplan.plandoc.PlanDraft` into a *review*: a plain,
   JSON-friendly dict the review screen shows and edits (numbers as typed, ``"7,61"``; dates day-first;
   each unit as a reference to an existing organisation, ``"org:12"``, or to a name not yet in the
   system, ``"new:Phòng …"``), with the spans of the source text every field came from.
2. The screen edits the review (the person corrects, adds, removes rows and decides what each unknown
   unit is); the review is kept between requests outside the domain tables.
3. :func:`plan_import` creates the plan as a draft through the plan services (``plan_create``,
   ``target_set`` + ``target_assign``, ``task_create``) and a reporting rule, in one transaction. Every
   refusal of every row is collected; if there is any, nothing is kept and :class:`ImportRefused` lists
   them, each with the section, row and field it belongs to.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pciplan.audit.models import AuditEntry
from pciplan.audit.services import audit_create, audit_record
from pciplan.catalog.models import Edition, Group, Province, Result, SubIndex
from pciplan.lib.dates import end_of_month, format_date, parse_date
from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import NumberFormatError, format_number, parse_decimal
from pciplan.lib.text import fold, fold_key, nfc
from pciplan.orgs.models import Organisation
from pciplan.plandoc import PlanDraft, same_unit, unit_key

from . import services
from .models import Comparator, Plan, PlanStatus, ReportingRule, Role, TargetKind, TimingKind

REVIEW_VERSION = 1
KIND_ORDER = {TargetKind.RANK: 0, TargetKind.GROUP: 1, TargetKind.TOTAL: 2, TargetKind.SUBINDEX: 3, TargetKind.INDICATOR: 4}
#: the longest source text the review screen shows beside the form (characters)
MAX_TEXT_CHARS = 400_000

#: plandoc's role names → the plan's roles
ROLE_FROM_DRAFT = {"lead": Role.LEAD, "owner": Role.OWNER, "supporting": Role.SUPPORT}
#: what a name without a match becomes: a unit of the issuing agency, an agency of the province, nothing
NEW_UNIT = "unit"
NEW_AGENCY = "agency"
SKIP = "skip"
#: collective names ("Các phòng, đơn vị trực thuộc Sở") stand for the issuing agency as a whole
_COLLECTIVE = re.compile(r"^(cac|tat ca cac|toan the cac) (phong|don vi|co quan|so|ban|nganh|to chuc)\b")
#: names that read as an agency of the province rather than a unit inside one
_AGENCY_HEADS = re.compile(r"^(so|uy ban|ubnd|cuc|ban quan ly|cong an|bo chi huy|kho bac|ngan hang|bao hiem|thanh tra tinh"
                           r"|van phong uy ban|van phong ubnd|trung tam phuc vu hanh chinh cong|hiep hoi|lien minh)\b")


# --- the review ------------------------------------------------------------------------------------

def vnum_input(value) -> str:
    """A number as a person types it: ``7,61``, ``45`` (no thousands dot, which would read as a decimal)."""
    if value is None or value == "":
        return ""
    return format_number(value, 4, thousands=False, strip=True)


def _span(value):
    if not value:
        return None
    if isinstance(value[0], list | tuple):
        return [list(v) for v in value]
    return list(value)


def _first_span(value):
    span = _span(value)
    if span and isinstance(span[0], list):
        return span[0]
    return span


def _date_text(iso: str | None) -> str:
    """``2020-08-15`` → ``15/8/2020``; ``2020-08`` → ``8/2020``."""
    if not iso:
        return ""
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])}/{int(parts[1])}/{parts[0]}"
    if len(parts) == 2:
        return f"{int(parts[1])}/{parts[0]}"
    return parts[0]


def edition_for_year(year: int | None) -> Edition | None:
    """The methodology that holds for ``year`` (none for an unknown year)."""
    if not year:
        return None
    editions = [e for e in Edition.objects.filter(is_example=False, first_year__lte=year).order_by("-first_year")
                if e.last_year is None or e.last_year >= year]
    return editions[0] if editions else None


def province_of(org: Organisation) -> Province | None:
    slug = org.province_slug
    node = org
    while not slug and node.parent_id:
        node = node.parent
        slug = node.province_slug
    return Province.objects.filter(slug=slug).first() if slug else None


def province_org(issuer: Organisation) -> Organisation | None:
    """The provincial People's Committee above ``issuer`` (the issuer itself for a province)."""
    node = issuer
    while node is not None and node.kind != Organisation.Kind.PROVINCE:
        node = node.parent
    return node


class UnitMatcher:
    """Finds the organisation a name in the plan means, tolerantly (abbreviations, missing marks, one typo).

    Candidates are loaded once: the issuing agency with its units first, then the organisations of the
    same province. Among equal matches the one nearest the issuer and in force on the plan's date wins.
    A collective name ("Các phòng, đơn vị trực thuộc Sở") means the issuing agency itself.
    """

    def __init__(self, issuer: Organisation, on: dt.date | None = None, orgs: list[Organisation] | None = None):
        self.issuer = issuer
        self.on = on
        all_orgs = orgs if orgs is not None else list(Organisation.objects.all())
        by_parent: dict[int | None, list[Organisation]] = {}
        for org in all_orgs:
            by_parent.setdefault(org.parent_id, []).append(org)
        subtree, stack = [], [issuer]
        while stack:
            node = stack.pop()
            subtree.append(node)
            stack.extend(by_parent.get(node.pk, []))
        inside = {o.pk for o in subtree}
        province = issuer.province_slug
        self.orgs = {o.pk: o for o in all_orgs}
        self.own = sorted(subtree, key=lambda o: (o.pk != issuer.pk, o.kind, o.name))
        self.others = sorted((o for o in all_orgs if o.pk not in inside and (not province or o.province_slug == province)),
                             key=lambda o: (o.kind != Organisation.Kind.PROVINCE, o.name))
        province_name = ""
        if province:
            p = Province.objects.filter(slug=province).values_list("name", flat=True).first()
            province_name = fold_key(p or "")
        self._keys: list[tuple[int, Organisation, set[str]]] = []
        for rank, org in enumerate([*self.own, *self.others]):
            keys = set()
            for name in [org.name, org.short_name, *org.aliases]:
                if not name:
                    continue
                key = unit_key(name)
                keys.add(key)
                if province_name and key.endswith(" " + province_name):
                    stripped = key[: -len(province_name) - 1].strip()
                    keys.add(stripped)
                    keys.add(re.sub(r" (tinh|thanh pho)$", "", stripped))
            self._keys.append((rank, org, {k for k in keys if k}))

    def _valid(self, org: Organisation) -> bool:
        return self.on is None or org.is_valid_on(self.on)

    def match(self, name: str | None) -> Organisation | None:
        if not name or not name.strip():
            return None
        if _COLLECTIVE.match(fold_key(name)):
            return self.issuer
        key = unit_key(name)
        exact = [(not self._valid(org), rank, org) for rank, org, keys in self._keys if key in keys]
        if exact:
            return min(exact, key=lambda t: t[:2])[2]
        near = []
        for rank, org, keys in self._keys:
            best = max((difflib.SequenceMatcher(None, key, k).ratio() for k in keys if abs(len(k) - len(key)) <= 2),
                       default=0)
            if best >= 0.92:
                near.append((-best, not self._valid(org), rank, org))
        return min(near, key=lambda t: t[:3])[3] if near else None

    def same_as_issuer(self, name: str | None) -> bool:
        if not name:
            return True
        names = [self.issuer.name, self.issuer.short_name, *self.issuer.aliases]
        return any(same_unit(name, n) for n in names if n) or self.match(name) == self.issuer


def default_new_choice(name: str) -> str:
    """What an unknown unit most likely is: an agency of the province ("Sở …") or a unit of the issuer."""
    return NEW_AGENCY if _AGENCY_HEADS.match(fold_key(name)) else NEW_UNIT


def unit_ref(name: str, matcher: UnitMatcher) -> str:
    org = matcher.match(name)
    return f"org:{org.pk}" if org else f"new:{nfc(name)}"


def _units(draft_units: list[tuple[str, str, list | None]], matcher: UnitMatcher, text: str) -> list[dict]:
    """``[(name, role, span)]`` → unit entries, one per (organisation, role); ``name`` as the text writes it."""
    out, seen = [], set()
    for name, role, span in draft_units:
        if not name:
            continue
        ref = unit_ref(name, matcher)
        if (ref, role) in seen:
            continue
        seen.add((ref, role))
        written = nfc(text[span[0]:span[1]]) if span and 0 <= span[0] < span[1] <= len(text) else ""
        out.append({"ref": ref, "role": role, "name": written if written and unit_key(written) == unit_key(name) else nfc(name),
                    "span": span})
    return out


def _with_spans(items, spans) -> list[tuple]:
    """Pair each item of a list field with its span (``None`` where the reader gave none)."""
    items = list(items or [])
    spans = _span(spans) or []
    if spans and not isinstance(spans[0], list):
        spans = [spans]
    return [(item, spans[i] if i < len(spans) else None) for i, item in enumerate(items)]


def _target_rows(draft: PlanDraft, matcher: UnitMatcher, year: int, province: Province | None) -> tuple[list, list]:
    rows, spans = [], []
    where = f" của tỉnh {province.name}" if province else ""
    for item in draft.targets:
        d = item.to_dict(spans=True)
        s = d.get("spans") or {}
        fields: dict = {}
        row = {"kind": "", "subindex": "", "label": "", "comparator": "", "value": "", "value_text": "", "of": "",
               "unit": "", "increase": vnum_input(d.get("increase")), "baseline_year": str(d.get("baseline_year") or ""),
               "indicator_code": "", "text": d.get("text") or "", "note": "", "units": [], "remove": False}
        op = d.get("operator")
        target_year = d.get("year") or year
        if "subindex_code" in d and "target_score" in d:  # a sub-index target
            row.update(kind=TargetKind.SUBINDEX, subindex=d["subindex_code"] or "", unit="điểm",
                       value=vnum_input(d.get("target_score")), comparator=_comparator(op, TargetKind.SUBINDEX))
            fields.update(subindex=_first_span(s.get("subindex_text")), value=_first_span(s.get("target_score")),
                          comparator=_first_span(s.get("operator")))
            units = [(d.get("lead_unit"), Role.LEAD, _first_span(s.get("lead_unit")))]
            units += [(n, Role.OWNER, sp) for n, sp in _with_spans(d.get("owner_units"), s.get("owner_units"))]
            units += [(n, Role.SUPPORT, sp) for n, sp in _with_spans(d.get("supporting_units"), s.get("supporting_units"))]
            row["units"] = _units(units, matcher, draft.text)
        elif "rank" in d and "group" in d:  # an overall target
            kind = d["kind"]
            if kind == "rank":
                row.update(kind=TargetKind.RANK, value=str(d.get("rank") or ""), of=str(d.get("of") or ""), unit="hạng",
                           comparator=_comparator(op, TargetKind.RANK), label=f"Thứ hạng PCI năm {target_year}{where}")
                fields.update(value=_first_span(s.get("rank")), of=_first_span(s.get("rank")))
            elif kind == "group":
                row.update(kind=TargetKind.GROUP, value_text=_group_label(d.get("group")), comparator=Comparator.GTE,
                           label=f"Nhóm xếp hạng PCI năm {target_year}{where}")
                fields.update(value_text=_first_span(s.get("group")))
            else:
                row.update(kind=TargetKind.TOTAL, value=vnum_input(d.get("score")), unit="điểm",
                           comparator=_comparator(op, TargetKind.TOTAL), label=f"Tổng điểm PCI năm {target_year}{where}")
                fields.update(value=_first_span(s.get("score")))
            fields.setdefault("comparator", _first_span(s.get("operator")))
        else:  # an indicator
            row.update(kind=TargetKind.INDICATOR, label=nfc(d.get("text"))[:400], value=vnum_input(d.get("value")),
                       unit=(d.get("unit") or "")[:20], subindex=d.get("subindex_code") or "",
                       comparator=_comparator(op, TargetKind.INDICATOR))
            row["text"] = draft.text[item.span[0]:item.span[1]] if item.span else row["label"]
            fields.update(label=_first_span(s.get("text")), value=_first_span(s.get("value")),
                          comparator=_first_span(s.get("operator")))
            row["units"] = _units([(n, Role.OWNER, sp) for n, sp in _with_spans(d.get("owner_units"), s.get("owner_units"))],
                                  matcher, draft.text)
        fields.update(increase=_first_span(s.get("increase")), baseline_year=_first_span(s.get("baseline_year")))
        rows.append(row)
        spans.append({"span": _span(d.get("span")), "fields": {k: v for k, v in fields.items() if v}})
    return rows, spans


def _fill_from_published(rows: list[dict], province: Province | None) -> None:
    """A target written only as an increase ("tăng 5 bậc so với năm 2019") gets its value from the published
    result of the baseline year, with a note saying so."""
    wanted = [r for r in rows if not r["value"] and r["increase"] and r["baseline_year"].isdigit()
              and r["kind"] in (TargetKind.SUBINDEX, TargetKind.TOTAL, TargetKind.RANK)]
    if not wanted:
        return
    published = published_baselines(province, {int(r["baseline_year"]) for r in wanted})
    for row in wanted:
        key = row["subindex"] if row["kind"] == TargetKind.SUBINDEX else str(row["kind"])
        found = published.get((int(row["baseline_year"]), key))
        if found is None:
            continue
        base = Decimal(str(found[0]))
        try:
            increase = parse_decimal(row["increase"])
        except NumberFormatError:
            continue
        value = base - increase if row["kind"] == TargetKind.RANK else base + increase
        row["value"] = vnum_input(value)
        sign = "−" if row["kind"] == TargetKind.RANK else "+"
        row["note"] = (f"Giá trị tính từ kết quả công bố năm {row['baseline_year']} ({vnum_input(base)}) {sign} mức tăng "
                       f"{row['increase']}; kiểm tra lại.")


def indicator_catalog(year: int | None) -> list[tuple[str, str, str]]:
    """``(code, label, sub-index code)`` of the published indicators of the latest year up to ``year``."""
    from pciplan.catalog.models import Indicator

    if not year:
        return []
    latest = (Indicator.objects.filter(year__year__lte=year).order_by("-year__year")
              .values_list("year__year", flat=True).first())
    if latest is None:
        return []
    return list(Indicator.objects.filter(year__year=latest).order_by("subindex__number", "code")
                .values_list("code", "label", "subindex__code"))


def _indicator_words(text: str) -> str:
    text = fold_key(re.sub(r"\(%\)|%", " ", text or ""))
    text = re.sub(r"\bdn\b", "doanh nghiep", text)
    text = re.sub(r"\btoi\b", "den", text)
    return " ".join(w for w in text.split() if w not in {"da", "nhung", "cac", "co", "so"})


def match_indicator(label: str, catalog: list[tuple[str, str, str]], subindex: str | None = None) -> str:
    """The catalog indicator a plan's wording names ("doanh nghiệp từng sử dụng dịch vụ liên quan tới công nghệ"
    → ``e761_use``), or ``""`` when no indicator is clearly the one.

    The score mixes the closeness of the whole wording with how many of the plan's words the indicator has,
    so "có ý định tiếp tục sử dụng …" goes to the *continue* indicator and not the *use* one.
    """
    query = _indicator_words(label)
    words = set(query.split())
    if not words:
        return ""
    scored = []
    for code, text, sub in catalog:
        if subindex and sub and sub != subindex:
            continue
        cand = _indicator_words(text)
        ratio = difflib.SequenceMatcher(None, query, cand).ratio()
        recall = len(words & set(cand.split())) / len(words)
        scored.append((0.5 * ratio + 0.5 * recall, code))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < 0.85 or (len(scored) > 1 and scored[0][0] - scored[1][0] < 0.05):
        return ""
    return scored[0][1]


class Sections:
    """The numbered section of the plan each offset of the text lies in: ``III.1.a`` (Roman part, number, letter)."""

    _ROMAN = re.compile(r"^([IVX]{1,5})[.\-–]\s")
    _NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)\.?\s")
    _LETTER = re.compile(r"^([a-zđ])\)\s")

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.labels: list[str] = []
        roman = number = letter = ""
        offset = 0
        for line in text.split("\n"):
            if m := self._ROMAN.match(line):
                roman, number, letter = m.group(1), "", ""
            elif m := self._NUMBER.match(line):
                number, letter = m.group(1), ""
            elif m := self._LETTER.match(line):
                letter = m.group(1)
            else:
                offset += len(line) + 1
                continue
            self.starts.append(offset)
            self.labels.append(".".join(p for p in (roman, number, letter) if p))
            offset += len(line) + 1

    def at(self, offset: int | None) -> str:
        if offset is None:
            return ""
        import bisect

        i = bisect.bisect_right(self.starts, offset) - 1
        return self.labels[i][:20] if i >= 0 else ""


def _comparator(op: str | None, kind: str) -> str:
    """The plan's comparator for plandoc's operator; ``=`` ("đứng thứ 30", "đạt 7,2 điểm") means "at least"."""
    if op in Comparator.values:
        return op
    if op == "=" or op is None:
        return Comparator.LTE if kind == TargetKind.RANK else Comparator.GTE
    return ""


def _group_label(name: str | None) -> str:
    group = Group.from_label(name)
    return str(group.label) if group else (name or "")


def _task_rows(draft: PlanDraft, matcher: UnitMatcher) -> tuple[list, list]:
    rows, spans = [], []
    deadlines = [d for d in draft.deadlines if d.span]
    for task in draft.tasks:
        d = task.to_dict(spans=True)
        s = d.get("spans") or {}
        units = [(u.name, ROLE_FROM_DRAFT.get(u.role or "owner", Role.OWNER), sp)
                 for u, sp in _with_spans(task.units, s.get("units"))]
        entries = _units(units, matcher, draft.text)
        # The unit a task is listed under carries it: one unit is its owner; several keep their roles, and the
        # first becomes the owner when none is.
        if entries and not any(e["role"] == Role.OWNER for e in entries):
            entries[0]["role"] = Role.OWNER
        for e in entries:
            if e["role"] == Role.LEAD:
                e["role"] = Role.OWNER
        timing, deadline, recurrence, timing_text, deadline_span = TimingKind.CONTINUOUS, "", "", "", None
        inside = [x for x in deadlines if task.span and task.span[0] <= x.span[0] and x.span[1] <= task.span[1]]
        recurring = next((x for x in inside if x.recurrence in ("quarterly", "yearly")), None)
        if recurring is not None:
            timing, recurrence, timing_text, deadline_span = (TimingKind.RECURRING, recurring.recurrence, recurring.text,
                                                              list(recurring.span))
        elif task.deadline is not None:
            timing, deadline = TimingKind.DEADLINE, format_date(task.deadline)
            first = next((x for x in inside if x.date == task.deadline), inside[0] if inside else None)
            timing_text = first.text if first else ""
            deadline_span = _first_span(s.get("deadline")) or (list(first.span) if first else None)
        elif inside:
            timing_text = inside[0].text
        rows.append({"text": nfc(task.text), "subindex": task.subindex_code or "", "timing": timing,
                     "deadline": deadline, "recurrence": recurrence, "timing_text": timing_text[:200],
                     "units": entries, "remove": False})
        spans.append({"span": _span(d.get("span")), "fields": {k: v for k, v in {"deadline": deadline_span}.items() if v}})
    return rows, spans


def _reporting(draft: PlanDraft, matcher: UnitMatcher) -> tuple[dict, dict]:
    duties = draft.reporting_duties
    quarterly = next((r for r in duties if r.recurrence == "quarterly"), None)
    yearly = next((r for r in duties if r.recurrence == "yearly"), None)
    first = quarterly or yearly or (duties[0] if duties else None)
    out = {"enabled": bool(quarterly or yearly), "who": ReportingRule.Who.TARGET_OWNERS, "quarterly": bool(quarterly),
           "quarter_due_day": "5", "quarter_due_text": "", "annual": bool(yearly), "annual_due_day": "5",
           "annual_due_month": "12", "annual_due_text": "", "consolidator": "", "monitor": "", "text": "",
           "consolidator_name": "", "consolidator_span": None}
    fields: dict = {}
    if first is None:
        return out, {"span": None, "fields": {}}
    reporters = fold(" ".join(first.reporters))
    if reporters and "chu tri" not in reporters and "dau moi" not in reporters:
        out["who"] = ReportingRule.Who.ALL_UNITS
    if quarterly is not None:
        if quarterly.deadline:
            out["quarter_due_day"] = str(min(quarterly.deadline.day, 28))
        due = next((x for x in draft.deadlines if x.recurrence == "quarterly" and x.span and quarterly.span
                    and quarterly.span[0] <= x.span[0] < quarterly.span[1]), None)
        out["quarter_due_text"] = (due.text if due else "")[:200]
        fields["quarter_due_day"] = _first_span(quarterly.to_dict(spans=True)["spans"].get("deadline"))
    if yearly is not None:
        if yearly.deadline:
            out["annual_due_day"], out["annual_due_month"] = str(yearly.deadline.day), str(yearly.deadline.month)
        due = next((x for x in draft.deadlines if x.recurrence == "yearly" and x.span and yearly.span
                    and yearly.span[0] <= x.span[0] < yearly.span[1]), None)
        out["annual_due_text"] = (f"{due.text} hàng năm" if due and "năm" not in due.text else (due.text if due else ""))[:200]
        fields["annual_due_day"] = _first_span(yearly.to_dict(spans=True)["spans"].get("deadline"))
    s = first.to_dict(spans=True)["spans"]
    if first.recipient:
        out["consolidator"] = unit_ref(first.recipient, matcher)
        out["consolidator_name"] = nfc(first.recipient)
        fields["consolidator"] = _first_span(s.get("recipient"))
    fields["who"] = _first_span(s.get("reporters"))
    out["text"] = nfc(first.text)
    return out, {"span": _span(first.to_dict(spans=True).get("span")), "fields": {k: v for k, v in fields.items() if v}}


def _document(draft: PlanDraft, year: int | None, edition: Edition | None) -> tuple[dict, dict]:
    doc = draft.document.to_dict(spans=True)
    s = doc.get("spans") or {}
    plan_year = year or doc.get("year") or (int(doc["date"][:4]) if doc.get("date") else None)
    if edition is None:
        edition = edition_for_year(plan_year)
    out = {
        "title": nfc(doc.get("title"))[:400], "number": (doc.get("number") or "")[:20],
        "symbol": (doc.get("symbol") or "KH")[:40], "place": nfc(doc.get("place"))[:80],
        "date": _date_text(doc.get("date")), "year": str(plan_year or ""), "edition": edition.code if edition else "",
        "signer_name": nfc(doc.get("signer"))[:120], "signer_title": nfc(doc.get("signer_title"))[:120],
        "implements": doc.get("implements") or "", "parent": "", "issuer_name": nfc(doc.get("issuer")),
    }
    fields = {"title": s.get("title"), "number": s.get("number"), "symbol": s.get("number"), "place": s.get("place"),
              "date": s.get("date"), "year": s.get("year"), "signer_name": s.get("signer"),
              "parent": s.get("implements")}
    return out, {"span": None, "fields": {k: _first_span(v) for k, v in fields.items() if v}}


def _parent_for(implements: str, province: Province | None) -> Plan | None:
    """The plan the document implements ("222/KH-UBND"), when the system knows it."""
    match = re.match(r"^\s*(\d+)\s*/\s*([\w.\-]+)", implements or "")
    if not match or province is None:
        return None
    return Plan.objects.filter(province=province, number=match.group(1), symbol__iexact=match.group(2)).first()


def review_from_draft(draft: PlanDraft, *, issuer: Organisation, year: int | None = None, edition: Edition | None = None,
                      filename: str = "") -> dict:
    """The review of ``draft`` for a plan of ``issuer`` (``year`` and ``edition`` override the document's)."""
    if len(draft.text) > MAX_TEXT_CHARS:
        raise DomainError(f"Văn bản quá dài để rà soát trên màn hình ({len(draft.text):,} ký tự; tối đa "
                          f"{MAX_TEXT_CHARS:,}).".replace(",", "."), field="file")
    doc, doc_spans = _document(draft, year, edition)
    plan_year = int(doc["year"]) if doc["year"].isdigit() else None
    province = province_of(issuer)
    matcher = UnitMatcher(issuer, on=dt.date(plan_year, 1, 1) if plan_year else None)
    parent = _parent_for(doc["implements"], province)
    if parent is not None:
        doc["parent"] = str(parent.pk)
    targets, target_spans = _target_rows(draft, matcher, plan_year or 0, province)
    _fill_from_published(targets, province)
    indicators = indicator_catalog(plan_year) if any(t["kind"] == TargetKind.INDICATOR for t in targets) else []
    for row in targets:
        if row["kind"] == TargetKind.INDICATOR:
            row["indicator_code"] = match_indicator(row["label"], indicators, row["subindex"] or None)
            if row["indicator_code"] and not row["subindex"]:
                row["subindex"] = next((sub for code, _, sub in indicators if code == row["indicator_code"]), "")
    # Shown (and numbered) as the plan shows them: overall targets, sub-indices, then indicators.
    order = sorted(range(len(targets)), key=lambda i: (KIND_ORDER.get(targets[i]["kind"], 9),
                                                       (target_spans[i]["span"] or [0])[0]))
    targets, target_spans = [targets[i] for i in order], [target_spans[i] for i in order]
    tasks, task_spans = _task_rows(draft, matcher)
    sections = Sections(draft.text)
    for row, sp in zip(targets, target_spans, strict=True):
        row["section"] = sections.at((sp["span"] or [None])[0])
    for row, sp in zip(tasks, task_spans, strict=True):
        row["section"] = sections.at((sp["span"] or [None])[0])
    reporting, reporting_spans = _reporting(draft, matcher)
    warnings = list(draft.warnings)
    if doc["issuer_name"] and not matcher.same_as_issuer(doc["issuer_name"]):
        warnings.append(f"Văn bản ghi cơ quan ban hành “{doc['issuer_name']}”, khác với cơ quan đã chọn "
                        f"({issuer.name}). Kiểm tra lại trước khi tạo kế hoạch.")
    review = {
        "version": REVIEW_VERSION, "filename": filename, "source_format": draft.source_format, "issuer_id": issuer.pk,
        "doc": doc, "targets": targets, "tasks": tasks, "reporting": reporting, "new_units": {},
        "text": draft.text, "warnings": warnings,
        "spans": {"doc": doc_spans, "targets": target_spans, "tasks": task_spans, "reporting": reporting_spans},
        "baselines": [{"text": b.text, "year": b.year, "kind": b.kind, "subindex": b.subindex_code,
                       "score": vnum_input(b.score), "rank": b.rank, "of": b.of, "group": b.group,
                       "span": list(b.span) if b.span else None} for b in draft.baselines],
    }
    for i, row in enumerate(review["targets"]):
        row["src"] = i
    for i, row in enumerate(review["tasks"]):
        row["src"] = i
    sync_new_units(review)
    return review


def used_refs(review: dict) -> list[str]:
    """Every unit reference the kept rows and the reporting rule use, in order of first use."""
    refs: list[str] = []
    for section in ("targets", "tasks"):
        for row in review[section]:
            if row.get("remove"):
                continue
            refs.extend(u["ref"] for u in row["units"] if u.get("ref"))
    rep = review["reporting"]
    if rep.get("enabled"):
        refs.extend(r for r in (rep.get("consolidator"), rep.get("monitor")) if r)
    return list(dict.fromkeys(refs))


def sync_new_units(review: dict) -> dict:
    """Keep one decision per unknown name in use (the default guessed from its name)."""
    names = [ref[4:] for ref in used_refs(review) if ref.startswith("new:")]
    current = review.get("new_units") or {}
    review["new_units"] = {name: current.get(name) or default_new_choice(name) for name in names}
    return review


# --- creating the plan ----------------------------------------------------------------------------

@dataclass
class Problem:
    """One refusal: ``section`` is doc, targets, tasks, reporting or units; ``row`` the row's index."""

    section: str
    row: int | None
    field: str | None
    message: str


class ImportRefused(DomainError):
    """The plan was not created; ``problems`` says every place that needs correcting."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"Chưa tạo được kế hoạch: {n} chỗ cần sửa." if n != 1 else
                         f"Chưa tạo được kế hoạch: {self.problems[0].message}")


def _clean(obj) -> None:
    """``full_clean`` with the first message as a DomainError naming the field."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        label = obj._meta.get_field(name).verbose_name if name != "__all__" else ""
        prefix = f"{str(label).capitalize()}: " if label else ""
        raise DomainError(f"{prefix}{messages[0]}", field=None if name == "__all__" else name)


def _int(value, field_name: str, label: str, *, low: int | None = None, high: int | None = None) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d+", text):
        raise DomainError(f"{label}: “{text}” không phải là số nguyên.", field=field_name)
    number = int(text)
    if (low is not None and number < low) or (high is not None and number > high):
        raise DomainError(f"{label} phải từ {low} đến {high}.", field=field_name)
    return number


def parse_document_date(text: str) -> tuple[int, int | None, int | None]:
    """``15/8/2020`` → (2020, 8, 15); ``8/2020`` → (2020, 8, None); ``2020`` → (2020, None, None)."""
    raw = (text or "").strip()
    if re.fullmatch(r"\d{4}", raw):
        return int(raw), None, None
    match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{4})", raw)
    if match and 1 <= int(match.group(1)) <= 12:
        return int(match.group(2)), int(match.group(1)), None
    try:
        day = parse_date(raw)
    except ValueError:
        raise DomainError("Ngày ban hành phải có dạng ngày/tháng/năm (15/8/2020), tháng/năm (8/2020) hoặc năm.",
                          field="date")
    return day.year, day.month, day.day


def parse_task_date(text: str) -> dt.date | None:
    raw = (text or "").strip()
    if not raw:
        return None
    try:
        match = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{4})", raw)
        if match and 1 <= int(match.group(1)) <= 12:
            return end_of_month(int(match.group(2)), int(match.group(1)))  # year 0000 is no date: ValueError
        return parse_date(raw)
    except ValueError:
        raise DomainError(f"Hạn hoàn thành “{raw[:40]}” không phải là ngày: ghi ngày/tháng/năm, ví dụ 15/8/2020.",
                          field="deadline")


def _unique(base: str, taken: set[str], limit: int) -> str:
    base = base[:limit]
    key, n = base, 2
    while key in taken:
        suffix = f"-{n}"
        key, n = base[: limit - len(suffix)] + suffix, n + 1
    taken.add(key)
    return key


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


class _Run:
    """One attempt at creating the plan: collects problems, resolves unit references."""

    def __init__(self, actor, review: dict, issuer: Organisation):
        self.actor, self.review, self.issuer = actor, review, issuer
        self.problems: list[Problem] = []
        self.orgs: dict[str, Organisation | None] = {}

    def refuse(self, section: str, row: int | None, exc: DomainError, default_field: str | None = None):
        self.problems.append(Problem(section, row, exc.field or default_field, exc.message))

    def org(self, ref: str) -> Organisation | None:
        return self.orgs.get(ref)


def _resolve_units(run: _Run, plan: Plan) -> None:
    """Existing organisations by id (one query) and the unknown names as decided: created, matched or skipped."""
    refs = used_refs(run.review)
    ids = {int(r[4:]) for r in refs if r.startswith("org:") and r[4:].isdigit()}
    decided = run.review.get("new_units") or {}
    ids |= {int(c[4:]) for c in decided.values() if c.startswith("org:") and c[4:].isdigit()}
    # Only organisations of the issuer and of its province can be given a plan's work.
    matcher = UnitMatcher(run.issuer)
    allowed = {o.pk: o for o in [*matcher.own, *matcher.others]}
    known = {pk: allowed[pk] for pk in ids if pk in allowed}
    for ref in refs:
        if ref.startswith("org:"):
            org = known.get(int(ref[4:])) if ref[4:].isdigit() else None
            if org is None:
                run.problems.append(Problem("units", None, None, "Một đơn vị được chọn không còn trong hệ thống hoặc không "
                                                                 "thuộc tỉnh của cơ quan ban hành; chọn lại."))
            run.orgs[ref] = org
    taken = set(Organisation.objects.filter(code__startswith=f"{run.issuer.code}-").values_list("code", flat=True))
    parent_agency = province_org(run.issuer)
    for index, name in enumerate(n for n in (r[4:] for r in refs if r.startswith("new:"))):
        choice = decided.get(name) or default_new_choice(name)
        if choice == SKIP:
            run.orgs[f"new:{name}"] = None
            continue
        if choice.startswith("org:"):
            org = known.get(int(choice[4:])) if choice[4:].isdigit() else None
            if org is None:
                run.problems.append(Problem("units", index, "choice", f"Chọn lại tổ chức cho “{name}”."))
            run.orgs[f"new:{name}"] = org
            continue
        if choice == NEW_AGENCY and parent_agency is None:
            run.problems.append(Problem("units", index, "choice", f"Không có UBND tỉnh để đặt “{name}” dưới đó; "
                                                                   "chọn tạo mới thuộc cơ quan ban hành."))
            continue
        parent = parent_agency if choice == NEW_AGENCY else run.issuer
        org = Organisation(code=_unique(f"{run.issuer.code}-{_slug(name)}"[:70] or f"{run.issuer.code}-don-vi", taken, 80),
                           name=nfc(name)[:255], kind=Organisation.Kind.AGENCY if choice == NEW_AGENCY else Organisation.Kind.UNIT,
                           parent=parent, province_slug=run.issuer.province_slug)
        try:
            _clean(org)
            org.save()
        except DomainError as exc:
            run.problems.append(Problem("units", index, "choice", f"Không tạo được đơn vị “{name}”: {exc.message}"))
            continue
        audit_create(actor=run.actor, obj=org, root=plan, message="Tạo khi nhập kế hoạch từ văn bản")
        run.orgs[f"new:{name}"] = org


def _assignments(run: _Run, units: list[dict], *, task: bool) -> list[tuple[Organisation, str]]:
    out: dict[int, tuple[Organisation, str]] = {}
    pairs = []
    for unit in units:
        org = run.org(unit.get("ref") or "")
        if org is None:
            continue
        role = unit.get("role") or Role.OWNER
        if task:
            role = Role.SUPPORT if role == Role.SUPPORT else Role.OWNER
            if org.pk in out:
                if role == Role.OWNER:
                    out[org.pk] = (org, role)
                continue
            out[org.pk] = (org, role)
        elif (org.pk, role) not in {(o.pk, r) for o, r in pairs}:
            pairs.append((org, role))
    return list(out.values()) if task else pairs


def _plan(run: _Run) -> Plan | None:
    doc = run.review["doc"]
    try:
        year = _int(doc.get("year"), "year", "Năm kế hoạch", low=2005, high=2100)
        if year is None:
            raise DomainError("Cần năm kế hoạch (ví dụ 2020).", field="year")
        edition = (Edition.objects.filter(code=doc.get("edition")).first() if doc.get("edition") else None) or \
            edition_for_year(year)
        if edition is None:
            raise DomainError(f"Không có phương pháp PCI nào áp dụng cho năm {year}.", field="edition")
        province = province_of(run.issuer)
        if province is None:
            raise DomainError(f"Chưa biết {run.issuer.name} thuộc tỉnh nào; quản trị viên cần bổ sung.", field="issuer")
        date_year, date_month, date_day = parse_document_date(doc.get("date") or str(year))
        title = nfc(doc.get("title"))
        if not title:
            raise DomainError("Cần trích yếu của kế hoạch.", field="title")
        parent = None
        if doc.get("parent"):
            parent = Plan.objects.filter(pk=doc["parent"] if str(doc["parent"]).isdigit() else 0, province=province).first()
        taken = set(Plan.objects.filter(code__startswith=f"{run.issuer.code}-pci-{year}").values_list("code", flat=True))
        code = _unique(f"{run.issuer.code}-pci-{year}", taken, 80)
        with transaction.atomic():
            return services.plan_create(
                actor=run.actor, code=code, issuer=run.issuer, year=year, title=title, edition=edition, province=province,
                symbol=(doc.get("symbol") or "KH").strip(), number=(doc.get("number") or "").strip(),
                place=nfc(doc.get("place")), date_year=date_year, date_month=date_month, date_day=date_day,
                parent=parent, signer_name=nfc(doc.get("signer_name")), signer_title=nfc(doc.get("signer_title")))
    except DomainError as exc:
        field_name = {"date_day": "date", "date_month": "date", "date_year": "date", "code": "title"}.get(exc.field, exc.field)
        run.problems.append(Problem("doc", None, field_name, exc.message))
    return None


def _targets(run: _Run, plan: Plan) -> dict[str, list]:
    by_subindex: dict[str, list] = {}
    taken: set[str] = set()
    years = {int(r["baseline_year"]) for r in run.review["targets"] if str(r.get("baseline_year") or "").isdigit()}
    published = published_baselines(plan.province, years)
    for i, row in enumerate(run.review["targets"]):
        if row.get("remove"):
            continue
        kind = row.get("kind") or ""
        base = {TargetKind.RANK: f"rank-{plan.year}", TargetKind.GROUP: f"group-{plan.year}",
                TargetKind.TOTAL: f"total-{plan.year}", TargetKind.SUBINDEX: f"si-{row.get('subindex') or 'x'}",
                TargetKind.INDICATOR: f"ind-{i + 1}"}.get(kind, f"target-{i + 1}")
        try:
            spec = services.TargetSpec(
                kind=kind, label=nfc(row.get("label"))[:400], comparator=row.get("comparator") or None,
                value=(row.get("value") or "").strip() or None, value_text=nfc(row.get("value_text")),
                of=_int(row.get("of"), "of", "Trên tổng số", low=1, high=1000),
                unit=(row.get("unit") or "")[:20],
                subindex_code=row.get("subindex") or None, indicator_code=(row.get("indicator_code") or "")[:60],
                increase=(row.get("increase") or "").strip() or None,
                baseline_year=_int(row.get("baseline_year"), "baseline_year", "Năm gốc", low=2005, high=2100),
                section=(row.get("section") or "")[:20], text=row.get("text") or "", order=i + 1)
            # The baseline is the published result of the baseline year when the catalog has it (with its
            # source), not the target minus the increase.
            key = spec.subindex_code if kind == TargetKind.SUBINDEX else str(kind)
            found = published.get((spec.baseline_year, key)) if spec.baseline_year else None
            if found is not None and kind != TargetKind.GROUP:
                spec.baseline_value, spec.baseline_source = Decimal(str(found[0])), found[1]
            if kind == TargetKind.INDICATOR and not spec.label:
                raise DomainError("Chỉ tiêu cần có nội dung (điều được đo).", field="label")
            with transaction.atomic():
                target = services.target_set(actor=run.actor, plan=plan, key=_unique(base, taken, 60), spec=spec)
                for org, role in _assignments(run, row.get("units") or [], task=False):
                    services.target_assign(actor=run.actor, target=target, organisation=org, role=role)
        except DomainError as exc:
            run.refuse("targets", i, exc)
            continue
        except IntegrityError:
            run.problems.append(Problem("targets", i, None, "Mục tiêu này không hợp lệ; kiểm tra giá trị và loại."))
            continue
        if target.subindex_id:
            by_subindex.setdefault(row.get("subindex"), []).append(target)
    return by_subindex


def _tasks(run: _Run, plan: Plan, by_subindex: dict[str, list]) -> int:
    n = 0
    for i, row in enumerate(run.review["tasks"]):
        if row.get("remove"):
            continue
        try:
            units = [services.UnitRole(org, role) for org, role in _assignments(run, row.get("units") or [], task=True)]
            timing = row.get("timing") or TimingKind.CONTINUOUS
            deadline = parse_task_date(row.get("deadline")) if timing == TimingKind.DEADLINE else None
            subindex = row.get("subindex") or ""
            targets = [t for t in by_subindex.get(subindex, []) if t.kind == TargetKind.SUBINDEX]
            with transaction.atomic():
                services.task_create(
                    actor=run.actor, plan=plan, key=f"nv-{i + 1:03d}", text=row.get("text") or "", units=units,
                    section=(row.get("section") or "")[:20],
                    targets=targets, timing=timing, deadline=deadline, timing_text=(row.get("timing_text") or "")[:200],
                    recurrence=row.get("recurrence") or "", order=i + 1)
            n += 1
        except DomainError as exc:
            run.refuse("tasks", i, exc)
        except IntegrityError:
            run.problems.append(Problem("tasks", i, None, "Nhiệm vụ này không hợp lệ; kiểm tra thời hạn và đơn vị."))
    return n


def _reporting_rule(run: _Run, plan: Plan) -> None:
    rep = run.review["reporting"]
    if not rep.get("enabled"):
        return
    try:
        if not rep.get("quarterly") and not rep.get("annual"):
            raise DomainError("Chọn báo cáo quý, báo cáo năm hoặc cả hai (hoặc bỏ chọn “Tạo quy định báo cáo”).",
                              field="quarterly")
        consolidator = run.org(rep.get("consolidator") or "")
        if consolidator is None:
            raise DomainError("Chọn đơn vị tổng hợp báo cáo.", field="consolidator")
        quarter_day = _int(rep.get("quarter_due_day"), "quarter_due_day", "Hạn báo cáo quý", low=1, high=28) or 5
        annual_day = _int(rep.get("annual_due_day"), "annual_due_day", "Ngày hạn báo cáo năm", low=1, high=31) or 5
        annual_month = _int(rep.get("annual_due_month"), "annual_due_day", "Tháng hạn báo cáo năm", low=1, high=12) or 12
        try:
            dt.date(2000, annual_month, annual_day)
        except ValueError:
            raise DomainError("Hạn báo cáo năm không phải là một ngày có thật.", field="annual_due_day")
        quarters = ([1, 2, 3] if rep.get("annual") else [1, 2, 3, 4]) if rep.get("quarterly") else []
        rule = ReportingRule(
            plan=plan, who=rep.get("who") or ReportingRule.Who.TARGET_OWNERS, quarters=quarters,
            annual=bool(rep.get("annual")), quarter_due_day=quarter_day,
            quarter_due_text=(rep.get("quarter_due_text") or "")[:200], annual_due_month=annual_month,
            annual_due_day=annual_day, annual_due_text=(rep.get("annual_due_text") or "")[:200],
            consolidator=consolidator, monitor=run.org(rep.get("monitor") or ""), text=rep.get("text") or "")
        if rule.who not in ReportingRule.Who.values:
            raise DomainError("Chọn đơn vị phải báo cáo.", field="who")
        _clean(rule)
        rule.save()
        audit_create(actor=run.actor, obj=rule, root=plan)
    except DomainError as exc:
        run.refuse("reporting", None, exc)


def plan_import(*, actor, review: dict) -> Plan:
    """Create the reviewed plan as a draft, all or nothing; :class:`ImportRefused` lists every problem."""
    issuer = Organisation.objects.filter(pk=review.get("issuer_id")).first()
    if issuer is None or issuer.kind == Organisation.Kind.UNIT:
        raise ImportRefused([Problem("doc", None, "issuer", "Chọn cơ quan ban hành (Sở, ngành hoặc UBND).")])
    sync_new_units(review)
    run = _Run(actor, review, issuer)
    with transaction.atomic():
        plan = _plan(run)
        if plan is None:
            raise ImportRefused(run.problems)
        _resolve_units(run, plan)
        by_subindex = _targets(run, plan)
        n_tasks = _tasks(run, plan, by_subindex)
        _reporting_rule(run, plan)
        if not plan.targets.exists() and not any(p.section == "targets" for p in run.problems):
            run.problems.append(Problem("targets", None, None, "Kế hoạch cần ít nhất một mục tiêu."))
        if run.problems:
            raise ImportRefused(run.problems)
        n_targets = plan.targets.count()
        name = review.get("filename") or "văn bản"
        audit_record(actor=actor, obj=plan, action=AuditEntry.Action.IMPORT, root=plan,
                     message=f"Tạo từ văn bản “{name}”: {n_targets} mục tiêu, {n_tasks} nhiệm vụ.")
    assert plan.status == PlanStatus.DRAFT
    return plan


# --- reading for the screen -----------------------------------------------------------------------

def published_baselines(province: Province | None, years: set[int]) -> dict:
    """Published results of ``province`` for ``years``: ``{(year, "total"|"rank"|"group"|code): (value, url)}``."""
    out: dict = {}
    if province is None or not years:
        return out
    results = (Result.objects.filter(province=province, year__year__in=years).select_related("year")
               .prefetch_related("scores__subindex"))
    for r in results:
        y = r.year.year
        if r.total is not None:
            out[(y, "total")] = (r.total, r.source_url)
        if r.rank is not None:
            out[(y, "rank")] = (r.rank, r.source_url)
        if r.group:
            out[(y, "group")] = (Group(r.group).label, r.source_url)
        for s in r.scores.all():
            out[(y, s.subindex.code)] = (s.score, r.source_url)
    return out


def subindex_choices(edition_code: str | None) -> list[tuple[str, str]]:
    qs = SubIndex.objects.order_by("number")
    qs = qs.filter(edition__code=edition_code) if edition_code else qs.filter(edition__is_example=False)
    seen, out = set(), []
    for code, name in qs.values_list("code", "name"):
        if code not in seen:
            seen.add(code)
            out.append((code, name))
    return out
