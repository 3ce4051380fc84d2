"""The index catalog and published results: public data, read by every signed-in person."""


from django.db.models import Prefetch
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from pciplan.catalog.models import Edition, EditionYear, Indicator, Province, Result, SubIndex, SubIndexScore

from .schemas import EditionOut, IndicatorOut, Pagination, ProvinceOut, ResultOut, YearOut, responses

router = Router(tags=["Danh mục và kết quả"])


def _edition(e: Edition) -> dict:
    return {"code": e.code, "index": e.index, "name": e.name, "first_year": e.first_year, "last_year": e.last_year,
            "subindices": [{"code": s.code, "number": s.number, "name": s.name, "name_en": s.name_en,
                            "weight": float(s.weight)} for s in e.subindices.all()]}


@router.get("/catalog/editions", response=responses(list[EditionOut]), summary="Các phiên bản phương pháp")
def editions(request):
    qs = Edition.objects.prefetch_related(Prefetch("subindices", queryset=SubIndex.objects.order_by("number")))
    return [_edition(e) for e in qs.order_by("index", "first_year")]


@router.get("/catalog/years", response=responses(list[YearOut]), summary="Các năm công bố")
def years(request):
    return [{"year": y.year, "edition": y.edition.code, "n_ranked": y.n_ranked, "published_top": y.published_top,
             "survey_firms": y.survey_firms, "source_url": y.source_url}
            for y in EditionYear.objects.select_related("edition").order_by("year")]


@router.get("/catalog/years/{year}/indicators", response=responses(list[IndicatorOut]), summary="Chỉ tiêu của một năm")
@paginate(Pagination)
def indicators(request, year: int):
    if not EditionYear.objects.filter(year=year).exists():
        raise Http404
    return (Indicator.objects.filter(year__year=year).select_related("subindex")
            .order_by("subindex__number", "number", "code"))


@router.get("/catalog/provinces", response=responses(list[ProvinceOut]), summary="Tỉnh, thành phố")
def provinces(request):
    return list(Province.objects.order_by("name").values("slug", "name", "valid_from", "valid_to"))


class ResultFilter(Schema):
    year: int | None = None
    province: str | None = None


@router.get("/results", response=responses(list[ResultOut]), summary="Kết quả PCI đã công bố")
@paginate(Pagination)
def results(request, filters: Query[ResultFilter]):
    qs = (Result.objects.select_related("year", "province")
          .prefetch_related(Prefetch("scores", queryset=SubIndexScore.objects.select_related("subindex")))
          .order_by("year__year", "rank", "province__name"))
    if filters.year is not None:
        qs = qs.filter(year__year=filters.year)
    if filters.province:
        qs = qs.filter(province__slug=filters.province[:60])
    return qs
