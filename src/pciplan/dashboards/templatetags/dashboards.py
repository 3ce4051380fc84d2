"""Template tags for the dashboards' repeated cells — a status and its reasons, written in Python because
the province roll-up shows hundreds of them and nested template includes are slow."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def target_status(row):
    """The status word and colour, what decided it, and a "mô phỏng" mark for synthetic survey data."""
    s = row.status
    detail = s.basis_label + (f": {s.summary}" if s.summary and s.summary != "—" else "")
    synthetic = (mark_safe(' <span class="sample-tag">Dữ liệu mô phỏng</span>')
                 if s.basis == "estimate" and row.estimate is not None and row.estimate.synthetic else "")
    return format_html('<span class="badge-status st-{}">{}</span><div class="pp-source">{}</div>{}',
                       s.tone, s.label, detail, synthetic)


@register.simple_tag
def why(status):
    """"Vì sao?" — the steps of the rule on screen (a disclosure); on paper the deciding step (the rule itself
    is printed once at the end of the page)."""
    steps = list(status.steps)
    items = format_html_join("", "<li{}>{}</li>", ((' class="dash-decides"' if i == len(steps) - 1 else "", step)
                                                     for i, step in enumerate(steps)))
    return format_html('<details class="dash-why"><summary>Vì sao?</summary><ol>{}</ol></details>'
                       '<div class="print-only dash-steps-print">{}</div>', items, status.reason)


@register.simple_tag
def status_chips(rollup):
    """Counts of each status, worst first: ``2 Có nguy cơ``, ``1 Đúng tiến độ`` …"""
    return format_html('<span class="dash-chips">{}</span>', format_html_join(
        "", '<span class="badge-status st-{}">{} {}</span>', ((tone, n, label) for tone, label, n in rollup.chips())))


def _url_maker(name: str):
    """``pk → url`` for a URL with one integer argument, reversed once (the roll-up links hundreds of rows)."""
    sentinel = 987654321
    pattern = reverse(name, args=[sentinel])
    head, tail = pattern.split(str(sentinel))
    return lambda pk: f"{head}{pk}{tail}"


def _overdue_cell(tally) -> str:
    if not tally.dated:
        return "—"
    if tally.overdue:
        return format_html('<strong class="text-danger">{}</strong>/{}', tally.overdue, tally.dated)
    return format_html("0/{}", tally.dated)


@register.simple_tag
def subindex_department_rows(sub):
    """The rows of one sub-index in the roll-up: each department's targets toward it with their status, and
    its tasks toward it (one cell per department)."""
    target_url, plan_url = _url_maker("dashboards:target"), _url_maker("plans:detail")
    rows = []
    for dept in sub.departments:
        agency = format_html('{}<div class="pp-source"><a href="{}">{}</a></div>', dept.agency.name,
                             plan_url(dept.plan.pk), dept.plan.reference)
        tasks = (format_html('<td class="num" rowspan="{}">{}</td><td class="num" rowspan="{}">{}</td>',
                             max(1, len(dept.rows)), dept.tasks.total, max(1, len(dept.rows)),
                             _overdue_cell(dept.tasks)))
        if not dept.rows:
            rows.append(format_html('<tr><td>{}</td><td class="text-secondary small">Có nhiệm vụ, không đặt mục tiêu '
                                    'riêng</td><td>—</td>{}</tr>', agency, tasks))
            continue
        for i, row in enumerate(dept.rows):
            t = row.target
            name = "Điểm chỉ số" if t.kind == "subindex" else (t.label if len(t.label) <= 70 else t.label[:69] + "…")
            first = format_html('<td rowspan="{}">{}</td>', len(dept.rows), agency) if i == 0 else ""
            rows.append(format_html(
                '<tr>{}<td><a href="{}">{}</a> <strong class="text-nowrap">{}</strong></td><td>{}</td>{}</tr>',
                first, target_url(t.pk), name, t.value_display, target_status(row), tasks if i == 0 else ""))
    return mark_safe("".join(rows))  # every part above is escaped by format_html
