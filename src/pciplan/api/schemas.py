from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class Error(Schema):
    detail: str
    field: str | None = None


class ValidationErrorOut(Schema):
    detail: list[dict]


# Every operation may answer these besides its success.
ERRORS = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}


def responses(ok, code: int = 200, **extra):
    return {code: ok, **ERRORS, **extra}


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=500, description="Số dòng mỗi trang (tối đa 500)")
        offset: int = Field(0, ge=0, le=1_000_000, description="Bỏ qua bao nhiêu dòng đầu")

    def __init__(self, **kwargs):
        super().__init__(max_limit=500, **kwargs)


class SubIndexOut(Schema):
    code: str
    number: int
    name: str
    name_en: str
    weight: float


class EditionOut(Schema):
    code: str
    index: str
    name: str
    first_year: int
    last_year: int | None
    subindices: list[SubIndexOut]


class YearOut(Schema):
    year: int
    edition: str
    n_ranked: int | None
    published_top: int | None
    survey_firms: int | None
    source_url: str


class IndicatorOut(Schema):
    code: str
    number: int
    label: str
    subindex: str
    direction: int
    is_percent: bool
    lower_bound: float | None
    upper_bound: float | None

    @staticmethod
    def resolve_subindex(obj):
        return obj.subindex.code


class ProvinceOut(Schema):
    slug: str
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class ResultOut(Schema):
    year: int
    province: str
    province_name: str
    total: float | None
    rank: int | None
    group: str
    precision: str
    source_url: str
    scores: dict[str, float]

    @staticmethod
    def resolve_year(obj):
        return obj.year.year

    @staticmethod
    def resolve_province(obj):
        return obj.province.slug

    @staticmethod
    def resolve_province_name(obj):
        return obj.province.name

    @staticmethod
    def resolve_scores(obj):
        return {s.subindex.code: s.score for s in obj.scores.all()}


class OrgRef(Schema):
    id: int
    code: str
    name: str


class PlanOut(Schema):
    id: int
    code: str
    reference: str
    title: str
    year: int
    status: str
    issuer: OrgRef
    province: str
    edition: str
    date: str
    parent_id: int | None


class AssignmentOut(Schema):
    organisation: OrgRef
    role: str


class TargetOut(Schema):
    id: int
    plan_id: int
    key: str
    kind: str
    label: str
    comparator: str
    value: float | None
    value_text: str
    of: int | None
    unit: str
    subindex: str | None
    indicator_code: str
    increase: float | None
    baseline_year: int | None
    baseline_value: float | None
    assignments: list[AssignmentOut]


class PlanDetailOut(PlanOut):
    purpose: str
    signer_name: str
    signer_title: str
    targets: list[TargetOut]


class TaskOut(Schema):
    id: int
    plan_id: int
    key: str
    section: str
    text: str
    timing: str
    deadline: dt.date | None
    recurrence: str
    output: str
    status: str
    completed_on: dt.date | None
    progress: int
    outcome: str
    target_ids: list[int]
    assignments: list[AssignmentOut]


class TaskStatusIn(Schema):
    status: str = Field(..., description="not_started, in_progress, done, cancelled")
    completed_on: dt.date | None = Field(None, description="Ngày hoàn thành (bắt buộc khi status=done)")
    progress: int | None = Field(None, ge=0, le=100)


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    organisation: OrgRef | None


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    root_type: str | None
    root_id: str
    message: str
    before: dict | None
    after: dict | None
