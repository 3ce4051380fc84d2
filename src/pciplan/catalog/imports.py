"""Writing a year's published results into the catalog: the DB side of the results import.

A file is read by the engine's pure parser (row and column errors, tolerant province names); this
module takes the parsed rows as plain values, checks them against the catalog (the year's edition and
sub-indices, the provinces, the ranges) and writes them in one transaction — all rows or none. Every
problem is reported with its row and column, in Vietnamese, and nothing is written.

The same module records single published indicator values (typed from VCCI's province profile), each
with its source.

Published values are stored as published: scores, totals and indicator values at the precision given,
ranks and groups as VCCI printed them, never recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from pciplan.audit.services import audit_record
from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import format_number

from .models import (
    Edition,
    EditionYear,
    Group,
    Indicator,
    IndicatorValue,
    Province,
    Result,
    SubIndex,
    SubIndexScore,
)

SCORE_TOLERANCE = 0.0  # a published value that differs at all is an update


@dataclass(frozen=True)
class ResultRow:
    """One province's published result, as parsed from a file (values as published)."""

    row: int | None
    province_slug: str
    province_name: str = ""
    total: float | None = None
    rank: int | None = None
    group: str = ""
    scores: Mapping[str, float] = field(default_factory=dict)
    source_url: str = ""


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        prefix = ", ".join(where)
        return (prefix[:1].upper() + prefix[1:] + ": " if prefix else "") + self.message


class ImportRefused(DomainError):
    """The import was refused; ``problems`` lists every problem found (row, column, message)."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"Không nhập được: {n} lỗi. Sửa tệp rồi nhập lại; chưa có dữ liệu nào được ghi.",
                         code="import_refused")


@dataclass
class Change:
    province: str
    action: str  # "create" | "update" | "same"
    fields: list[tuple[str, object, object]] = field(default_factory=list)


@dataclass
class ImportSummary:
    year: int
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    scores_created: int = 0
    scores_updated: int = 0
    changes: list[Change] = field(default_factory=list)

    @property
    def text(self) -> str:
        return (f"PCI {self.year}: {self.created} tỉnh mới, {self.updated} tỉnh cập nhật, {self.unchanged} không đổi; "
                f"điểm chỉ số thành phần: {self.scores_created} mới, {self.scores_updated} cập nhật.")


def _check_url(url: str, *, row: int | None = None, column: str = "nguồn") -> Problem | None:
    if not url:
        return Problem(row, column, "thiếu nguồn số liệu (địa chỉ trang VCCI hoặc văn bản công bố).")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return Problem(row, column, f"“{url}” không phải là địa chỉ trang web hợp lệ.")
    return None


def edition_for_year(year: int) -> Edition | None:
    editions = [e for e in Edition.objects.filter(is_example=False, first_year__lte=year).order_by("-first_year")
                if e.last_year is None or e.last_year >= year]
    return editions[0] if editions else None


def _edition_year(year: int, *, create: bool) -> EditionYear:
    edition_year = EditionYear.objects.select_related("edition").filter(year=year).first()
    if edition_year is not None:
        return edition_year
    edition = edition_for_year(year)
    if edition is None:
        raise ImportRefused([Problem(None, "năm", f"không có phương pháp PCI nào áp dụng cho năm {year}.")])
    if not create:
        return EditionYear(edition=edition, year=year)
    return EditionYear.objects.create(edition=edition, year=year)


def _validate(rows: Sequence[ResultRow], *, year: EditionYear, subindices: dict[str, SubIndex],
              provinces: dict[str, Province], source_url: str) -> list[Problem]:
    problems: list[Problem] = []
    if (p := _check_url(source_url)) is not None and not all(r.source_url for r in rows):
        problems.append(p)
    if not rows:
        problems.append(Problem(None, None, "tệp không có dòng kết quả nào."))
    seen_provinces: dict[str, int | None] = {}
    n_ranked = year.n_ranked or 63
    for r in rows:
        name = r.province_name or r.province_slug
        if r.province_slug not in provinces:
            problems.append(Problem(r.row, "tỉnh", f"không tìm thấy tỉnh, thành phố “{name}”."))
        elif r.province_slug in seen_provinces:
            problems.append(Problem(r.row, "tỉnh", f"“{name}” đã có ở dòng {seen_provinces[r.province_slug]}."))
        seen_provinces.setdefault(r.province_slug, r.row)
        if r.total is not None and not (0 <= r.total <= 100):
            problems.append(Problem(r.row, "tổng điểm", f"tổng điểm {format_number(r.total)} nằm ngoài 0–100."))
        # Equal printed ranks are accepted: published ranks are stored as published (the engine's parser
        # accepts them too); the 2020 table breaks the 63,98 tie (Khánh Hòa 26, Bắc Giang 27).
        if r.rank is not None and not (1 <= r.rank <= n_ranked):
            problems.append(Problem(r.row, "thứ hạng", f"thứ hạng {r.rank} nằm ngoài 1–{n_ranked}."))
        if r.group and Group.from_label(r.group) is None:
            problems.append(Problem(r.row, "nhóm", f"“{r.group}” không phải nhóm xếp hạng (Rất tốt, Tốt, Khá, "
                                                  "Trung bình, Tương đối thấp, Thấp)."))
        for code, value in r.scores.items():
            if code not in subindices:
                problems.append(Problem(r.row, code, f"chỉ số thành phần “{code}” không có trong phương pháp "
                                                     f"{year.edition.code}."))
            elif value is not None and not (0 <= value <= 10):
                problems.append(Problem(r.row, subindices[code].name,
                                        f"điểm {format_number(value)} nằm ngoài thang 0–10."))
        if r.source_url and (p := _check_url(r.source_url, row=r.row)) is not None:
            problems.append(p)
        if r.total is None and r.rank is None and not any(v is not None for v in r.scores.values()):
            problems.append(Problem(r.row, None, "dòng không có số liệu nào."))
    return problems


@transaction.atomic
def results_apply(*, actor, year: int, rows: Sequence[ResultRow], source_url: str,
                  dry_run: bool = False) -> ImportSummary:
    """Write the published results of ``year`` (all rows or none); ``dry_run`` says what would change."""
    edition_year = _edition_year(year, create=not dry_run)
    subindices = {s.code: s for s in SubIndex.objects.filter(edition=edition_year.edition_id)}
    slugs = {r.province_slug for r in rows}
    provinces = {p.slug: p for p in Province.objects.filter(slug__in=slugs)}
    problems = _validate(rows, year=edition_year, subindices=subindices, provinces=provinces, source_url=source_url)
    if problems:
        raise ImportRefused(problems)
    summary = ImportSummary(year=year, dry_run=dry_run)
    existing = {} if edition_year.pk is None else {
        r.province_id: r for r in Result.objects.filter(year=edition_year, province__in=provinces.values())
        .prefetch_related("scores")}
    new_scores, changed_scores = [], []
    for r in rows:
        province = provinces[r.province_slug]
        group = Group.from_label(r.group) if r.group else None
        values = {"total": r.total, "rank": r.rank, "group": group.value if group else ""}
        source = r.source_url or source_url
        result = existing.get(province.pk)
        change = Change(province=province.name, action="create" if result is None else "same")
        old_scores = {} if result is None else {sc.subindex_id: sc for sc in result.scores.all()}
        # A value missing from the file is kept, never erased by an import.
        diffs = [(k, None if result is None else getattr(result, k), v) for k, v in values.items()
                 if v not in (None, "") and (result is None or getattr(result, k) != v)]
        score_changes = []
        for code, value in r.scores.items():
            if value is None:
                continue
            current = old_scores.get(subindices[code].pk)
            if current is None or abs(current.score - value) > SCORE_TOLERANCE:
                score_changes.append((subindices[code], current, value))
        change.fields = [(FIELD_LABELS[k], _shown(k, old), _shown(k, new)) for k, old, new in diffs]
        change.fields += [(si.name, _shown("score", cur.score if cur else None), _shown("score", v))
                          for si, cur, v in score_changes]
        if result is None:
            summary.created += 1
            if not dry_run:
                result = Result(year=edition_year, province=province, source_url=source, precision=_precision(r),
                                **values)
                result.full_clean(validate_constraints=False, validate_unique=False)
                result.save()
        elif diffs or score_changes:
            change.action = "update"
            summary.updated += 1
            if result.source_url != source:
                change.fields.append((FIELD_LABELS["source_url"], result.source_url, source))
            if not dry_run:
                for k, _old, v in diffs:
                    setattr(result, k, v)
                result.source_url = source  # the source of the values as they now stand
                result.full_clean(validate_constraints=False, validate_unique=False)
                result.save()
        else:
            summary.unchanged += 1
        for subindex, current, value in score_changes:
            if current is None:
                summary.scores_created += 1
                if not dry_run:
                    new_scores.append(SubIndexScore(result=result, subindex=subindex, score=value))
            else:
                summary.scores_updated += 1
                current.score = value
                changed_scores.append(current)
        summary.changes.append(change)
    if dry_run:
        transaction.set_rollback(True)
        return summary
    SubIndexScore.objects.bulk_create(new_scores)
    SubIndexScore.objects.bulk_update(changed_scores, ["score"])
    ranked = set(Result.objects.filter(year=edition_year, rank__isnull=False).values_list("province_id", flat=True))
    if ranked and set(edition_year.ranked_provinces.values_list("pk", flat=True)) != ranked:
        edition_year.ranked_provinces.set(ranked)
    audit_record(actor=actor, obj=edition_year, action="import", message=summary.text[:500],
                 after={"source_url": source_url, "rows": len(rows), "created": summary.created,
                        "updated": summary.updated, "scores_created": summary.scores_created,
                        "scores_updated": summary.scores_updated,
                        "changes": [{"province": c.province, "action": c.action,
                                     "fields": [[str(f), o, n] for f, o, n in c.fields]}
                                    for c in summary.changes if c.action != "same"]})
    return summary


FIELD_LABELS = {"total": "Tổng điểm", "rank": "Thứ hạng", "group": "Nhóm", "source_url": "Nguồn"}


def _shown(field: str, value) -> str:
    """A value as the preview shows it: ``64,74``, ``27``, ``Khá``."""
    if value is None or value == "":
        return "—"
    if field == "group":
        return str(Group(value).label) if value in Group.values else str(value)
    if field == "rank":
        return str(value)
    if isinstance(value, float | int):
        return format_number(value, 2, strip=True)
    return str(value)


def _precision(row: ResultRow) -> str:
    """How many decimals the file carried (``2dp`` for VCCI's web tables)."""
    decimals = 0
    for value in [row.total, *row.scores.values()]:
        if value is None:
            continue
        text = repr(float(value))
        if "e" in text:
            return "full"
        decimals = max(decimals, len(text.partition(".")[2].rstrip("0")))
    return f"{decimals}dp" if decimals <= 2 else "full"


# ----------------------------------------------------------------------------------- indicator values
def indicator_choices(year: int):
    return (Indicator.objects.filter(year__year=year).select_related("subindex")
            .order_by("subindex__number", "number", "code"))


@transaction.atomic
def indicator_value_set(*, actor, year: int, province: Province, code: str, value: float,
                        source_url: str) -> IndicatorValue:
    """Record one published indicator value with its source (a share in percent, 0–100, as published)."""
    indicator = Indicator.objects.filter(year__year=year, code=code).select_related("year").first()
    if indicator is None:
        raise DomainError(f"Chỉ tiêu “{code}” không có trong danh mục PCI {year}.", field="code")
    if (p := _check_url(source_url)) is not None:
        raise DomainError(p.message.capitalize(), field="source_url")
    if value is None:
        raise DomainError("Chưa nhập giá trị.", field="value")
    if indicator.is_percent and not (0 <= value <= 100):
        raise DomainError("Tỷ lệ phải nằm trong khoảng 0–100%.", field="value")
    current = IndicatorValue.objects.select_for_update().filter(indicator=indicator, province=province).first()
    if current is None:
        current = IndicatorValue.objects.create(indicator=indicator, province=province, value=value,
                                                source_url=source_url)
        audit_record(actor=actor, obj=current, action="import", after={"value": value, "source_url": source_url},
                     message=f"{indicator.code} {province.name} {year}")
        return current
    before = {"value": current.value, "source_url": current.source_url}
    current.value = value
    current.source_url = source_url
    current.save(update_fields=["value", "source_url"])
    audit_record(actor=actor, obj=current, action="update", before=before,
                 after={"value": value, "source_url": source_url}, message=f"{indicator.code} {province.name} {year}")
    return current
