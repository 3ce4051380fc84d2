"""Fuzz the offline report upload: ``pciplan.reports.offline.parse(report, bytes)``.

    .venv/bin/python fuzz/fuzz_report_offline.py -runs=10000 fuzz/corpus/report_offline

``parse`` needs a report: the harness builds one *unsaved* report (model instances, no database) with two
task entries and one indicator value, and stands in for the one query ``parse`` makes
(``selectors.report_detail``) with those rows. Everything after that — reading the three sheets with
``read_sheet``, the row codes, the status labels, ``services._clean_entry`` / ``_clean_value`` on every
cell — is the product's code. ``templates/report.xlsx`` is ``offline.workbook`` of that report.

Expected: an ``ImportPreview`` whose errors are Vietnamese, or ``DomainError`` (Vietnamese). The preview's
payload (kept in the session until confirmed) must be JSON.

Input layout (integers from the end): mode (0 raw bytes, 1 the template with its XML mutated); the rest
is the file.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from unittest import mock

import _common

NAME = "report_offline"
_t = None


def _report():
    from pciplan.orgs.models import Organisation
    from pciplan.plans.models import Plan, Target, Task, TaskStatus
    from pciplan.reports.models import Period, ReportIndicatorValue, ReportTaskEntry, UnitReport

    plan = Plan(pk=3, number="222", symbol="KH-UBND", year=2020, date_year=2020, date_month=8, date_day=3)
    period = Period(pk=5, plan=plan, code="2020-Q3", kind="quarter", year=2020, quarter=3,
                    start=dt.date(2020, 7, 1), cutoff=dt.date(2020, 9, 15), due_date=dt.date(2020, 9, 20))
    unit = Organisation(pk=9, name="Phòng Quản lý Công nghệ")
    report = UnitReport(pk=7, period=period, unit=unit, version=4, summary="Đã triển khai kế hoạch.",
                        difficulties="", proposals="")
    entries = [
        ReportTaskEntry(pk=11, report=report, task=Task(pk=101, plan=plan, text="Niêm yết công khai thủ tục hành chính",
                                                        timing="deadline", deadline=dt.date(2020, 9, 30)),
                        status=TaskStatus.IN_PROGRESS, progress=50, done_text="Đã niêm yết 40 thủ tục."),
        ReportTaskEntry(pk=12, report=report, task=Task(pk=102, plan=plan, text="Tiếp nhận hồ sơ qua bưu chính",
                                                        timing="continuous"),
                        status=TaskStatus.DONE, progress=100, completed_on=dt.date(2020, 8, 20)),
    ]
    values = [ReportIndicatorValue(pk=21, report=report,
                                   target=Target(pk=201, plan=plan, label="Doanh nghiệp sử dụng dịch vụ công nghệ",
                                                 comparator=">", value=Decimal("45"), unit="%"),
                                   value=Decimal("47.5"), method="Khảo sát", measured_on=dt.date(2020, 9, 1))]
    return report, {"entries": entries, "values": values, "evidence": [], "versions": []}


def load():
    global _t
    if _t is None:
        _common.setup_django()
        from pciplan.lib.errors import DomainError
        from pciplan.reports import offline

        report, detail = _report()
        _t = {"offline": offline, "error": DomainError, "report": report, "detail": detail}
        _t["xlsx"] = _common.read_members(_common.template("report.xlsx"))
    return _t


def workbook() -> bytes:
    """The template (written by ``make_corpus.py``): what a unit downloads for the stand-in report."""
    from pciplan.reports import offline

    report, detail = _report()
    with mock.patch.object(offline.selectors, "report_detail", lambda report: detail):
        return offline.workbook(report)


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    t = load()
    fdp = _common.provider(data)
    mode = fdp.ConsumeIntInRange(0, 1)
    raw = fdp.ConsumeBytes(fdp.remaining_bytes()) if mode == 0 else _common.mutate_zip(fdp, t["xlsx"])
    offline = t["offline"]
    with mock.patch.object(offline.selectors, "report_detail", lambda report: t["detail"]):
        preview = _common.expect(lambda: offline.parse(t["report"], raw), t["error"])
    if preview is None:
        return
    for message in preview.errors:
        assert _common.is_vietnamese(message), f"error without a Vietnamese message: {message!r}"
    json.dumps(preview.payload(), allow_nan=False)


if __name__ == "__main__":
    _common.main(load, TestOneInput, include=["pciplan", "openpyxl"])
