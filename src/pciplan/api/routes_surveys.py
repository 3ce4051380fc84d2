"""Survey estimates (percentages with their Wilson interval), never the answers: groups with fewer than
five answers are left out, as on the pages."""

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from pciplan.orgs.access import get_for_user, scope_for
from pciplan.surveys import selectors

from .schemas import Pagination, responses

router = Router(tags=["Khảo sát"])


class SurveyOut(Schema):
    id: int
    title: str
    year: int
    status: str
    plan_id: int | None
    owner: str
    is_synthetic: bool


class EstimateOut(Schema):
    measure: str
    label: str
    indicator_codes: list[str]
    segment: str
    segment_label: str
    value: float | None
    low: float | None
    high: float | None
    n: int
    as_of: dt.date


class EstimatesOut(Schema):
    survey: SurveyOut
    confidence: float
    estimates: list[EstimateOut]
    hidden_groups: int


def _survey(s) -> dict:
    return {"id": s.pk, "title": s.title, "year": s.year, "status": s.status, "plan_id": s.plan_id,
            "owner": s.owner.name if s.owner_id else "", "is_synthetic": s.is_synthetic}


@router.get("/surveys", response=responses(list[SurveyOut]), summary="Cuộc khảo sát người dùng được xem")
@paginate(Pagination)
def survey_list(request):
    return [_survey(s) for s in selectors.survey_list(scope_for(request))]


@router.get("/surveys/{survey_id}/estimates", response=responses(EstimatesOut), summary="Ước lượng của một cuộc khảo sát")
def survey_estimates(request, survey_id: int):
    survey, _ = get_for_user(request, selectors.survey_queryset(), survey_id)
    out, hidden = [], 0

    def row(view, r):
        m = view.measure
        return {"measure": m.key, "label": m.label, "indicator_codes": list(m.indicator_codes), "segment": r.segment,
                "segment_label": r.segment_label, "value": r.value, "low": r.low, "high": r.high, "n": r.n,
                "as_of": r.as_of}

    for view in selectors.survey_estimates(survey):
        if view.overall is not None:
            out.append(row(view, view.overall))
        for group in view.segments:
            hidden += group.hidden
            out.extend(row(view, r) for r in group.rows)
    return {"survey": _survey(survey), "confidence": survey.confidence, "estimates": out, "hidden_groups": hidden}
