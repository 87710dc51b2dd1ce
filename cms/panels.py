"""Editor panels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .readability import lix
from .text import page_body_text


class ReadabilityPanel(Panel):
    """Shows the LIX score of the saved summary and body, with the Swedish bands."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Läsbarhet (LIX)"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/panels/readability.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["summary_lix"] = lix(getattr(page, "summary", "") or "")
            context["body_lix"] = lix(page_body_text(page)) if page.pk or page.summary else None
            return context
