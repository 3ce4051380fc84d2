"""Survey fixtures: a fresh survey of the technology-services instrument under the reference plan."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def tech_instrument(db):
    from pciplan.surveys.models import Instrument

    return Instrument.objects.get(code="pci-dich-vu-cong-nghe")


@pytest.fixture
def new_survey(db, personas, demo_plan, tech_instrument):
    """``new_survey(open=True, **fields)`` — a survey run by the technology unit, no responses yet."""
    from pciplan.surveys import services

    def make(open=True, **fields):
        values = {"title": "Khảo sát thử (kiểm thử)", "year": 2020, "plan": demo_plan}
        values.update(fields)
        survey = services.survey_create(actor=personas["unit_head"], instrument=tech_instrument,
                                        owner=personas["unit_head"].organisation, **values)
        if open:
            survey = services.survey_open(actor=personas["unit_head"], survey=survey)
        return survey

    return make


@pytest.fixture
def add_responses():
    """``add_responses(survey, [answers, …], weights=None)`` then recompute — synthetic rows for tests."""
    import datetime as dt

    from pciplan.surveys import services
    from pciplan.surveys.models import Response

    def add(survey, rows, weights=None):
        Response.objects.bulk_create([
            Response(survey=survey, source=Response.Source.SYNTHETIC, submitted_on=dt.date(2020, 10, 1), answers=a,
                     weight=(weights[i] if weights else 1.0), is_synthetic=True)
            for i, a in enumerate(rows)])
        services.estimates_recompute(survey=survey)

    return add


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads waiting for their column mapping go to a temporary folder, not the project's var/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
