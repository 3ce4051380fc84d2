"""The template tags that write status cells and reasons: right markup, everything escaped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from pciplan.dashboards.status import Interval, TargetSpec, Work, roll_up, target_status
from pciplan.dashboards.templatetags.dashboards import status_chips, why
from pciplan.dashboards.templatetags.dashboards import target_status as status_tag

SPEC = TargetSpec(key="i", label="<b>DN</b>", kind="indicator", comparator=">", value=Decimal(45), unit="%")


def test_why_marks_the_deciding_step_and_escapes():
    s = target_status(SPEC, plan_year=2020, today=dt.date(2020, 11, 20),
                      estimate=Interval(41.3, 55.5, 48.4, source="Khảo sát <thử>", synthetic=True), work=Work(2, 1))
    html = str(why(s))
    assert html.count('<li class="dash-decides">') == 1
    assert html.index('class="dash-decides"') > html.index("<li>")
    assert "Khảo sát &lt;thử&gt;" in html and "<thử>" not in html
    assert '<div class="print-only dash-steps-print">' in html


def test_status_cell_and_chips():
    s = target_status(SPEC, plan_year=2020, today=dt.date(2020, 11, 20), estimate=Interval(41.3, 55.5, 48.4, synthetic=True))
    row = SimpleNamespace(status=s, estimate=Interval(41.3, 55.5, 48.4, synthetic=True))
    html = str(status_tag(row))
    assert html.startswith('<span class="badge-status st-warn">Có nguy cơ</span>')
    assert "Dữ liệu mô phỏng" in html
    chips = str(status_chips(roll_up([s.status, s.status])))
    assert '<span class="badge-status st-warn">2 Có nguy cơ</span>' in chips
