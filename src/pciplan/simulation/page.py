"""Everything the "Mô phỏng" page shows, from a resolved setting and the submitted inputs.

Actions (``ap_dung``) replace the scores before they are checked: ``ke_hoach`` (the plan's targets),
``nam_goc`` (the starting year's scores), ``giai_hang`` / ``giai_nhom`` (the solver's answer) and
``khao_sat`` (the starting year moved by the survey estimates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from pciplan.lib.numbers import format_number
from pciplan.surveys.selectors import latest_estimates_for_plan

from . import charts, compute
from .forms import CAP_PREFIX, DIFFICULTY_PREFIX, SCORE_PREFIX, SimulationForm, initial_for
from .setup import Setup

TEXT_COLUMN = {"radar": 1, "xep-hang": 2, "xu-huong": 0}  # the column of names in each chart's table
ACTIONS = ("ke_hoach", "nam_goc", "giai_hang", "giai_nhom", "khao_sat")


@dataclass
class InputRow:
    code: str
    number: int
    name: str
    weight_percent: float
    base: float
    plan: float | None
    cap: float
    field: object
    row: compute.Row | None = None

    @property
    def errors(self):
        return self.field.errors


@dataclass
class Page:
    setup: Setup
    form: SimulationForm
    inputs: list[InputRow]
    outcome: compute.Outcome | None = None
    checks: list = field(default_factory=list)
    answers: list[compute.Answer] = field(default_factory=list)
    marginal: compute.Marginal | None = None
    effects: list[compute.Effect] = field(default_factory=list)
    basis: list[compute.Basis] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    query: str = ""
    applied: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome is not None

    @property
    def quick_ranks(self) -> list[int]:
        """A few ranks to try in one click (better than the current result, within the field)."""
        n = self.setup.n_ranked
        return [r for r in (30, 20, 10, 5, 3, 1) if r <= n]

    @property
    def solver_errors(self) -> list[str]:
        errors = []
        for name in ("hang", "nhom"):
            errors += list(self.form.errors.get(name, []))
        return errors

    @property
    def advanced_errors(self) -> bool:
        return any(k.startswith((DIFFICULTY_PREFIX, CAP_PREFIX)) for k in self.form.errors)


def _formatted(value: float) -> str:
    return format_number(value, 2)


def _with_scores(data, scores: dict[str, float]):
    data = data.copy()
    for code, value in scores.items():
        data[SCORE_PREFIX + code] = _formatted(value)
    return data


def _answers(setup: Setup, form: SimulationForm) -> list[compute.Answer]:
    cd = form.cleaned_data
    if any(k.startswith((DIFFICULTY_PREFIX, CAP_PREFIX)) or k in ("hang", "nhom") for k in form.errors):
        return []
    out = []
    if cd.get("hang"):
        out.append(compute.solve(setup, rank=cd["hang"], difficulty=form.difficulty(), caps=form.caps()))
    if cd.get("nhom"):
        out.append(compute.solve(setup, group=cd["nhom"], difficulty=form.difficulty(), caps=form.caps()))
    return out


def _query(setup: Setup, form: SimulationForm) -> str:
    params = setup.params()
    cd = form.cleaned_data
    for code in setup.codes:
        params[SCORE_PREFIX + code] = _formatted(cd[SCORE_PREFIX + code])
        for prefix in (DIFFICULTY_PREFIX, CAP_PREFIX):
            if cd.get(prefix + code) is not None:
                params[prefix + code] = format_number(cd[prefix + code], 4, strip=True)
    if cd.get("hang"):
        params["hang"] = str(cd["hang"])
    if cd.get("nhom"):
        params["nhom"] = cd["nhom"]
    return urlencode(params)


def build(setup: Setup, data, *, bound: bool, lazy_charts: bool, with_statics: bool = True) -> Page:
    """The page for ``data`` (request parameters). ``bound`` is false on a first visit: the plan's defaults."""
    if not bound:
        data = initial_for(setup)
    action = data.get("ap_dung", "")
    action = action if action in ACTIONS else ""
    estimates = latest_estimates_for_plan(setup.plan) if setup.plan is not None else {}
    effects = compute.survey_effects(setup, estimates)
    if action == "ke_hoach":
        data = _with_scores(data, setup.default_scores())
    elif action == "nam_goc":
        data = _with_scores(data, dict(zip(setup.codes, setup.base.tolist(), strict=True)))
    elif action == "khao_sat":
        data = _with_scores(data, compute.estimated_scores(setup, effects))
    form = SimulationForm(data, setup=setup)
    form.is_valid()
    if action in ("giai_hang", "giai_nhom"):
        kind = "rank" if action == "giai_hang" else "group"
        answer = next((a for a in _answers(setup, form) if a.kind == kind and a.reached), None)
        if answer is not None:
            data = _with_scores(data, answer.scores_after)
            form = SimulationForm(data, setup=setup)
            form.is_valid()
        else:
            action = ""
    inputs = [InputRow(code=s.code, number=s.number, name=s.name_vi, weight_percent=s.weight_percent, base=float(b),
                       plan=setup.plan_score(s.code), cap=float(c), field=form[SCORE_PREFIX + s.code])
              for s, b, c in zip(setup.spec.subindices, setup.base, setup.caps, strict=True)]
    page = Page(setup=setup, form=form, inputs=inputs, effects=effects, applied=action)
    if with_statics:
        page.marginal = compute.marginal(setup, {t.indicator_code for t in (setup.targets.indicators
                                                                            if setup.targets else [])})
        page.basis = compute.data_basis(setup, effects, page.marginal)
    page.answers = _answers(setup, form)
    if any(k.startswith(SCORE_PREFIX) for k in form.errors):
        return page  # nothing is computed from a score that is not a score; the solver still answers
    page.outcome = compute.what_if(setup, form.scores())
    for row, out in zip(page.inputs, page.outcome.rows, strict=True):
        row.row = out
    page.checks = compute.target_checks(setup, page.outcome)
    page.query = _query(setup, form)
    page.charts = chart_list(page, lazy=lazy_charts)
    return page


def main_answer(page: Page) -> compute.Answer | None:
    """The answer drawn on the ranking chart: the rank target's, else the group's."""
    return next((a for a in page.answers if a.kind == "rank"), None) or next(iter(page.answers), None)


def chart_list(page: Page, *, lazy: bool) -> list[dict]:
    out = []
    if not page.query:
        return out
    answer = main_answer(page)
    for kind in charts.KINDS:
        chart = charts.build(kind, page.setup, page.outcome, answer)
        url = reverse("simulation:chart", args=[kind]) + "?" + page.query
        out.append({"kind": kind, "chart": chart, "text_col": TEXT_COLUMN[kind], "title": chart.title, "alt": chart.alt, "table": chart.table,
                    "svg": None if lazy else charts.svg(kind, chart), "url": url,
                    "png_url": url + "&dinh_dang=png"})
    return out
