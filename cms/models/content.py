"""The content pages: methods, guidance and good examples, sharing one concrete base.

A concrete (multi-table) base lets listings, filters and counts across the three kinds run
as single queries on ContentPage.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    TabbedInterface,
    ObjectList,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, BodyBlock, StepBlock
from ..panels import ReadabilityPanel

REVIEW_INTERVAL = datetime.timedelta(days=365)


class ContentPageTag(TaggedItemBase):
    content_object = ParentalKey("cms.ContentPage", related_name="tagged_items",
                                 on_delete=models.CASCADE)


class ContentPage(Page):
    """Shared fields of every knowledge-base page. Not creatable on its own."""

    KIND_LABEL = ""

    summary = models.TextField(_("ingress"), max_length=600,
                               help_text=_("En till två meningar som sammanfattar sidan."))
    body = StreamField(BodyBlock(), verbose_name=_("innehåll"), blank=True)
    rights_areas = ParentalManyToManyField("cms.RightsArea", verbose_name=_("rättighetsområden"),
                                           related_name="pages")
    organisation_unit = models.ForeignKey(
        "cms.OrganisationUnit", verbose_name=_("ansvarig förvaltning eller bolag"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="pages",
    )
    principles = ParentalManyToManyField("cms.Principle", verbose_name=_("vägledande principer"),
                                         blank=True, related_name="pages")
    staircase_steps = ParentalManyToManyField("cms.StaircaseStep", verbose_name=_("steg i MR-trappan"),
                                              blank=True, related_name="pages")
    target_groups = ParentalManyToManyField("cms.TargetGroup", verbose_name=_("målgrupper"),
                                            blank=True, related_name="pages")
    tags = ClusterTaggableManager(through=ContentPageTag, blank=True, verbose_name=_("nyckelord"))

    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("innehållsansvarig"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="content_owned_pages",
        help_text=_("Får påminnelser när sidan behöver granskas."),
    )
    contact_email = models.EmailField(_("kontakt (e-post)"), blank=True)
    last_reviewed = models.DateField(_("senast granskad"), null=True, blank=True)
    import_checksum = models.CharField(max_length=64, blank=True, editable=False,
                                       help_text="Hash of the imported line (import_content).")
    next_review_date = models.DateField(
        _("nästa granskning"), null=True, blank=True, db_index=True,
        help_text=_("Lämna tomt för att granska om tolv månader."),
    )

    taxonomy_panels = [
        FieldPanel("rights_areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("organisation_unit"),
        FieldPanel("principles", widget=forms.CheckboxSelectMultiple),
        FieldPanel("staircase_steps", widget=forms.CheckboxSelectMultiple),
        FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
    ]
    governance_panels = [
        FieldPanel("content_owner"),
        FieldPanel("contact_email"),
        FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review_date")]),
        InlinePanel("related_pages", label=_("Relaterade sidor")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("organisation_unit"),
    ]

    is_creatable = False

    class Meta:
        verbose_name = _("innehållssida")
        verbose_name_plural = _("innehållssidor")

    # Subclasses list their own fields first, then these.
    @classmethod
    def build_edit_handler(cls, type_panels):
        return TabbedInterface([
            ObjectList(
                [FieldPanel("title"), FieldPanel("summary"), *type_panels, FieldPanel("body"),
                 ReadabilityPanel()],
                heading=_("Innehåll"),
            ),
            ObjectList(cls.taxonomy_panels, heading=_("Kategorisering")),
            ObjectList(cls.governance_panels, heading=_("Ansvar och granskning")),
            ObjectList(Page.promote_panels, heading=_("Publicering")),
            ObjectList(Page.settings_panels, heading=_("Inställningar")),
        ])

    def save(self, *args, **kwargs):
        if self.next_review_date is None:
            start = self.last_reviewed or timezone.localdate()
            self.next_review_date = start + REVIEW_INTERVAL
        super().save(*args, **kwargs)

    def review_status(self, today: datetime.date | None = None) -> str:
        """'overdue', 'due' (within 14 days) or 'ok'."""
        today = today or timezone.localdate()
        if self.next_review_date is None:
            return "ok"
        if self.next_review_date < today:
            return "overdue"
        if self.next_review_date <= today + datetime.timedelta(days=14):
            return "due"
        return "ok"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related"] = [
            link.page.specific_deferred for link in
            self.related_pages.select_related("page").filter(page__live=True)
        ]
        from forum.page_links import page_discussion

        context.update(page_discussion(request, self))
        return context


class RelatedPage(Orderable):
    source = ParentalKey(ContentPage, related_name="related_pages", on_delete=models.CASCADE)
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("sida"), on_delete=models.CASCADE,
                             related_name="+")
    panels = [FieldPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("relaterad sida")


class MethodPage(ContentPage):
    KIND_LABEL = _("Metod")

    purpose = models.TextField(_("vad metoden är till för"), blank=True)
    when_to_use = models.TextField(_("när metoden används"), blank=True)
    steps = StreamField([("step", StepBlock())], verbose_name=_("steg för steg"), blank=True)
    time_needed = models.CharField(_("tidsåtgång"), max_length=200, blank=True)
    participants = models.TextField(_("vilka som deltar"), blank=True)

    search_fields = ContentPage.search_fields + [
        index.SearchField("purpose"), index.SearchField("when_to_use"), index.SearchField("steps"),
    ]
    parent_page_types = ["cms.MethodIndexPage"]
    subpage_types: list[str] = []
    template = "cms/method_page.html"

    class Meta:
        verbose_name = _("metod")
        verbose_name_plural = _("metoder")


class GuidancePage(ContentPage):
    KIND_LABEL = _("Vägledning")

    parent_page_types = ["cms.GuidanceIndexPage"]
    subpage_types: list[str] = []
    template = "cms/guidance_page.html"

    class Meta:
        verbose_name = _("vägledning")
        verbose_name_plural = _("vägledningar")


class Attachment(Orderable):
    """Documents attached to a guidance page (and any content page)."""

    page = ParentalKey(ContentPage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(settings.WAGTAILDOCS_DOCUMENT_MODEL, verbose_name=_("dokument"),
                                 on_delete=models.CASCADE, related_name="+")
    description = models.CharField(_("kort beskrivning"), max_length=300, blank=True)
    panels = [FieldPanel("document"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("bifogat dokument")
        verbose_name_plural = _("bifogade dokument")


class GoodExamplePage(ContentPage):
    KIND_LABEL = _("Gott exempel")

    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    background = RichTextField(_("bakgrund"), features=RICH_TEXT_FEATURES, blank=True)
    what_was_done = RichTextField(_("vad vi gjorde"), features=RICH_TEXT_FEATURES, blank=True)
    results = RichTextField(_("resultat"), features=RICH_TEXT_FEATURES, blank=True)
    lessons = RichTextField(_("lärdomar"), features=RICH_TEXT_FEATURES, blank=True)

    search_fields = ContentPage.search_fields + [
        index.SearchField("background"), index.SearchField("what_was_done"),
        index.SearchField("results"), index.SearchField("lessons"),
        index.FilterField("year"),
    ]
    parent_page_types = ["cms.GoodExampleIndexPage"]
    subpage_types: list[str] = []
    template = "cms/good_example_page.html"

    class Meta:
        verbose_name = _("gott exempel")
        verbose_name_plural = _("goda exempel")


ATTACHMENTS_PANEL = InlinePanel("attachments", label=_("Bifogade dokument"))
MethodPage.edit_handler = ContentPage.build_edit_handler([
    FieldPanel("purpose"), FieldPanel("when_to_use"), FieldPanel("steps"),
    FieldRowPanel([FieldPanel("time_needed")]), FieldPanel("participants"),
    MultiFieldPanel([ATTACHMENTS_PANEL], heading=_("Mallar att ladda ner")),
])
GuidancePage.edit_handler = ContentPage.build_edit_handler([ATTACHMENTS_PANEL])
GoodExamplePage.edit_handler = ContentPage.build_edit_handler([
    FieldPanel("year"), FieldPanel("background"), FieldPanel("what_was_done"),
    FieldPanel("results"), FieldPanel("lessons"), ATTACHMENTS_PANEL,
])
