"""Template filters that show numbers and dates the Vietnamese way (loaded as builtins)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html

from pciplan.lib import dates, numbers

register = template.Library()


@register.filter
def vnum(value, decimals=2):
    """``7,61`` — two decimals unless told: ``{{ x|vnum:1 }}``."""
    return numbers.format_number(value, int(decimals))


@register.filter
def vnum_strip(value, decimals=2):
    """``7`` for 7.00, ``7,5`` for 7.50."""
    return numbers.format_number(value, int(decimals), strip=True)


@register.filter
def vsigned(value, decimals=2):
    return numbers.format_signed(value, int(decimals))


@register.filter
def vpct(value, decimals=1):
    return numbers.format_percent(value, int(decimals))


@register.filter
def vdate(value):
    if isinstance(value, dt.datetime):
        value = value.date()
    return dates.format_date(value)


@register.filter
def vdatetime(value):
    if not value:
        return "—"
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{local:%H:%M} {dates.format_date(local.date())}"


@register.simple_tag
def status_badge(code, label):
    """A status as a word and a colour (never colour alone)."""
    return format_html('<span class="badge-status st-{}">{}</span>', code, label)


@register.filter
def get_item(mapping, key):
    """``{{ scores|get_item:code }}``"""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


_COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


@register.filter
def cmp(value):
    """``≥`` for ``>=``: comparators as a person writes them."""
    return _COMPARATORS.get(value, value)


@register.filter
def roman(value):
    from pciplan.lib.dates import ROMAN

    try:
        return ROMAN[int(value)]
    except (KeyError, TypeError, ValueError):
        return value
