"""Home page and standard pages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock
from .taxonomy import RightsArea

NEWEST_ON_HOME = 6


class HomePage(Page):
    """The start page: entry points per rights area and the newest content."""

    intro = RichTextField(_("introduktion"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("startsida")

    def get_context(self, request, *args, **kwargs):
        from .content import ContentPage
        from .indexes import RightsAreaPage

        context = super().get_context(request, *args, **kwargs)
        area_pages = {
            page.rights_area_id: page
            for page in RightsAreaPage.objects.live().child_of(self).only(
                "id", "rights_area_id", "url_path", "path", "depth", "title"
            )
        }
        area_counts = dict(
            # order_by() drops Wagtail's default ordering, which would split the groups.
            ContentPage.objects.live().order_by().values_list("rights_areas")
            .annotate(n=models.Count("pk", distinct=True)).values_list("rights_areas", "n")
        )
        context["rights_areas"] = [
            {"area": area, "page": area_pages.get(area.pk), "count": area_counts.get(area.pk, 0)}
            for area in RightsArea.objects.all()
        ]
        context["newest"] = list(
            ContentPage.objects.live().select_related("organisation_unit", "content_type")
            .order_by("-first_published_at", "-pk")[:NEWEST_ON_HOME]
        )
        return context


class StandardPage(Page):
    """Plain pages: Om MR-navet, Tillgänglighetsredogörelse, Personuppgifter."""

    summary = models.TextField(_("ingress"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("innehåll"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    template = "cms/standard_page.html"

    class Meta:
        verbose_name = _("standardsida")
        verbose_name_plural = _("standardsidor")
