"""The product's "today": the real date, or the demo day set by ``PCIPLAN_TODAY`` (e.g. 2020-11-20)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    fixed = getattr(settings, "PCIPLAN_TODAY", None)
    return fixed or timezone.localdate()
