"""Filters for report pages: ISO dates kept in sent versions shown the Vietnamese way."""

from __future__ import annotations

import datetime as dt

from django import template

from pciplan.lib.dates import format_date

register = template.Library()


@register.filter
def isodate(value):
    """``2020-09-30`` → ``30/9/2020``."""
    if not value:
        return "—"
    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return value
