"""Section index pages (Metoder, Vägledning, Goda exempel) and rights-area pages."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..filters import ContentFilterSet
from .content import ContentPage, GoodExamplePage, GuidancePage, MethodPage

PAGE_SIZE = 20


def listing_queryset(model):
    """Live pages of one kind with everything a result card shows, in a fixed query count."""
    return (
        model.objects.live()
        .select_related("organisation_unit")
        .prefetch_related("rights_areas")
        .order_by("-first_published_at", "-pk")
    )


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("sida") or 1
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class SectionIndexPage(Page):
    """Lists and filters the pages of one kind below it."""

    intro = RichTextField(_("introduktion"), blank=True, features=["bold", "italic", "link"])
    listed_model: type[ContentPage] = ContentPage

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    template = "cms/section_index_page.html"

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        queryset = listing_queryset(self.listed_model).child_of(self)
        filterset = ContentFilterSet(request.GET or None, queryset=queryset)
        status = 200
        if filterset.is_bound and not filterset.is_valid():
            status = 400
            results = queryset.none()
        else:
            results = filterset.qs
        page_obj = paginate(request, results)
        query = request.GET.copy()
        query.pop("sida", None)
        context = self.get_context(request, *args, **kwargs)
        context.update({
            "filterset": filterset,
            "page_obj": page_obj,
            "results": page_obj.object_list,
            "filter_query": query.urlencode(),
        })
        return TemplateResponse(request, self.get_template(request), context, status=status)


class MethodIndexPage(SectionIndexPage):
    template = "cms/section_index_page.html"
    listed_model = MethodPage
    subpage_types = ["cms.MethodPage"]
    max_count = 1

    class Meta:
        verbose_name = _("metodbank (lista)")


class GuidanceIndexPage(SectionIndexPage):
    template = "cms/section_index_page.html"
    listed_model = GuidancePage
    subpage_types = ["cms.GuidancePage"]
    max_count = 1

    class Meta:
        verbose_name = _("vägledningar (lista)")


class GoodExampleIndexPage(SectionIndexPage):
    template = "cms/section_index_page.html"
    listed_model = GoodExamplePage
    subpage_types = ["cms.GoodExamplePage"]
    max_count = 1

    class Meta:
        verbose_name = _("goda exempel (lista)")


class RightsAreaPage(Page):
    """Everything about one rights area: newest of each kind, with counts."""

    rights_area = models.OneToOneField(
        "cms.RightsArea", verbose_name=_("rättighetsområde"), on_delete=models.PROTECT,
        related_name="page",
    )
    intro = RichTextField(_("introduktion"), blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("rights_area"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    template = "cms/rights_area_page.html"
    NEWEST = 5

    class Meta:
        verbose_name = _("rättighetsområde (sida)")
        verbose_name_plural = _("rättighetsområden (sidor)")

    def kind_sections(self) -> list[dict]:
        """Newest pages and total count per kind: one count query plus one per kind."""
        kinds = [MethodPage, GuidancePage, GoodExamplePage]
        counts = (
            ContentPage.objects.live().filter(rights_areas=self.rights_area_id)
            .aggregate(**{
                model._meta.model_name: Count("pk", filter=Q(content_type__model=model._meta.model_name))
                for model in kinds
            })
        )
        index_pages = {
            type(page): page for page in
            Page.objects.type(MethodIndexPage, GuidanceIndexPage, GoodExampleIndexPage).live().specific()
        }
        sections = []
        for model, index_model in zip(kinds, [MethodIndexPage, GuidanceIndexPage, GoodExampleIndexPage]):
            newest = list(
                listing_queryset(model).filter(rights_areas=self.rights_area_id)[: self.NEWEST]
            )
            index_page = index_pages.get(index_model)
            sections.append({
                "label": model._meta.verbose_name_plural,
                "kind": model._meta.model_name,
                "count": counts[model._meta.model_name],
                "pages": newest,
                "more_url": (f"{index_page.url}?omrade={self.rights_area.slug}"
                             if index_page else None),
            })
        return sections

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.kind_sections()
        from forum.page_links import rights_area_threads

        context.update(rights_area_threads(request, self.rights_area_id))
        return context
