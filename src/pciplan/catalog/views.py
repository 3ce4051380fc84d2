from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import EditionYear, Indicator


@login_required
def index(request):
    return render(request, "catalog/index.html", {"editions": selectors.edition_list(), "years": selectors.year_list()})


@login_required
def year_detail(request, year):
    try:
        edition_year = EditionYear.objects.select_related("edition").get(year=year)
    except EditionYear.DoesNotExist:
        raise Http404
    subindices, rows = selectors.results_table(edition_year)
    indicators = Indicator.objects.filter(year=edition_year).select_related("subindex")
    return render(request, "catalog/year.html", {"year": edition_year, "subindices": subindices, "rows": rows,
                                                 "indicators": indicators,
                                                 "cutoffs": edition_year.cutoffs.order_by("-min_score")})
