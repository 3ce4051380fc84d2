"""Template tags for the dashboards' repeated cells — a status and its reasons, written in Python because
the province roll-up shows hundreds of them and nested template includes are slow."""

from __future__ import annotations

from html import escape  # the stdlib's: these tags escape plain strings, many of them

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _status_html(row) -> str:
    s = row.status
    detail = s.basis_label + (f": {s.summary}" if s.summary and s.summary != "—" else "")
    synthetic = (' <span class="sample-tag">Dữ liệu mô phỏng</span>'
                 if s.basis == "estimate" and row.estimate is not None and row.estimate.synthetic else "")
    return (f'<span class="badge-status st-{s.tone}">{escape(s.label)}</span>'
            f'<div class="pp-source">{escape(detail)}</div>{synthetic}')


@register.simple_tag
def target_status(row):
    """The status word and colour, what decided it, and a "mô phỏng" mark for synthetic survey data."""
    return mark_safe(_status_html(row))  # every text in it is escaped


@register.simple_tag
def why(status):
    """"Vì sao?" — the steps of the rule on screen (a disclosure); on paper the deciding step (the rule itself
    is printed once at the end of the page)."""
    steps = list(status.steps)
    items = "".join(f'<li class="dash-decides">{escape(step)}</li>' if i == len(steps) - 1 else f"<li>{escape(step)}</li>"
                    for i, step in enumerate(steps))
    return mark_safe(f'<details class="dash-why"><summary>Vì sao?</summary><ol>{items}</ol></details>'
                     f'<div class="print-only dash-steps-print">{escape(status.reason)}</div>')  # escaped above


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
        return f'<strong class="text-danger">{tally.overdue}</strong>/{tally.dated}'
    return f"0/{tally.dated}"


@register.simple_tag
def subindex_department_rows(sub):
    """The rows of one sub-index in the roll-up: each department's targets toward it with their status, and
    its tasks toward it (one cell per department). Built as a string: the roll-up has hundreds of rows."""
    target_url, plan_url = _url_maker("dashboards:target"), _url_maker("plans:detail")
    out = []
    for dept in sub.departments:
        span = max(1, len(dept.rows))
        agency = (f'{escape(dept.agency.name)}<div class="pp-source"><a href="{plan_url(dept.plan.pk)}">'
                  f'{escape(dept.plan.reference)}</a></div>')
        tasks = (f'<td class="num" rowspan="{span}">{dept.tasks.total}</td>'
                 f'<td class="num" rowspan="{span}">{_overdue_cell(dept.tasks)}</td>')
        if not dept.rows:
            out.append(f'<tr><td>{agency}</td><td class="text-secondary small">Có nhiệm vụ, không đặt mục tiêu riêng'
                       f'</td><td>—</td>{tasks}</tr>')
            continue
        for i, row in enumerate(dept.rows):
            t = row.target
            name = "Điểm chỉ số" if t.kind == "subindex" else (t.label if len(t.label) <= 70 else t.label[:69] + "…")
            first = f'<td rowspan="{span}">{agency}</td>' if i == 0 else ""
            out.append(f'<tr>{first}<td><a href="{target_url(t.pk)}">{escape(name)}</a> <strong class="text-nowrap">'
                       f'{escape(t.value_display)}</strong></td><td>{_status_html(row)}</td>{tasks if i == 0 else ""}</tr>')
    return mark_safe("".join(out))  # every text above is escaped
