"""`{% accessibility_feedback_form page %}`: the feedback form, on the statement page only."""

from __future__ import annotations

from django import template

from ..forms import AccessibilityFeedbackForm
from ..statement import is_statement_page

register = template.Library()


@register.inclusion_tag("accessibility/_feedback_form.html", takes_context=True)
def accessibility_feedback_form(context, page):
    show = is_statement_page(page)
    return {
        "show": show,
        "form": AccessibilityFeedbackForm(initial={"page_url": ""}) if show else None,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
