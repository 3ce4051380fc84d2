"""Survey estimates on other apps' pages (plan overview, target page) without those apps importing surveys.

``{% load surveys %}{% plan_survey_estimates plan as estimates %}`` then
``{% survey_estimate_badge estimates|get_item:target.pk %}``.
"""

from __future__ import annotations

from django import template

from ..selectors import latest_estimates_for_plan

register = template.Library()


@register.simple_tag
def plan_survey_estimates(plan):
    """``{target_id: Estimate}`` for the plan (two queries)."""
    return latest_estimates_for_plan(plan)


@register.inclusion_tag("surveys/_estimate_inline.html")
def survey_estimate_inline(estimate, target=None):
    """The estimate as "≈ 46,2% (KTC 95%: 39,1–53,4%) · n = 186 · 19/11/2020", marked as a survey estimate."""
    return {"e": estimate, "target": target}


@register.inclusion_tag("surveys/_estimate_card.html")
def survey_estimate_card(estimate, target=None):
    return {"e": estimate, "target": target}
