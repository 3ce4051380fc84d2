"""Business-survey estimates shown beside published values — for information, never deciding.

The survey app (to the right of this one in the architecture) registers a provider here, so that the
evaluation does not import it::

    from pciplan.evaluation.estimates import register_provider

    @register_provider
    def survey_estimates(*, province_slug: str, year: int, indicator_codes: list[str]):
        return {"e761_use": Estimate(value=46.2, low=41.0, high=51.4, source="Khảo sát DN 2020 (n=212)")}

A provider returns ``{indicator_code: Estimate}`` (values on the target's scale, e.g. percent).
"""

from __future__ import annotations

from collections.abc import Callable

from .rules import Estimate

Provider = Callable[..., dict[str, Estimate]]
_PROVIDERS: list[Provider] = []


def register_provider(func: Provider) -> Provider:
    if func not in _PROVIDERS:
        _PROVIDERS.append(func)
    return func


def unregister_provider(func: Provider) -> None:
    if func in _PROVIDERS:
        _PROVIDERS.remove(func)


def estimates_for(*, province_slug: str, year: int, indicator_codes: list[str]) -> dict[str, Estimate]:
    """Every registered provider's estimates; the first provider to give a code wins."""
    out: dict[str, Estimate] = {}
    for provider in _PROVIDERS:
        for code, estimate in (provider(province_slug=province_slug, year=year,
                                        indicator_codes=indicator_codes) or {}).items():
            out.setdefault(code, estimate)
    return out
