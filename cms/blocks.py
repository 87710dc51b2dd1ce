"""StreamField blocks shared by the content pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Rubrik"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Nivå"), choices=[("h2", _("Rubrik 2")), ("h3", _("Rubrik 3"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Rubrik")
        template = "cms/blocks/heading.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Steg"), max_length=200)
    text = blocks.RichTextBlock(label=_("Beskrivning"), features=RICH_TEXT_FEATURES, required=False)

    class Meta:
        icon = "list-ol"
        label = _("Steg")


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Rubrik"), required=False, max_length=200)
    steps = blocks.ListBlock(StepBlock(), label=_("Steg"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Numrerade steg")
        template = "cms/blocks/steps.html"


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Rubrik"), max_length=200)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Punkt"), max_length=300), min_num=1,
                             label=_("Punkter"))

    class Meta:
        icon = "tasks"
        label = _("Checklista")
        template = "cms/blocks/checklist.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Rubrik"), max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "info-circle"
        label = _("Faktaruta")
        template = "cms/blocks/fact_box.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citat"))
    attribution = blocks.CharBlock(label=_("Vem sa det"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Citat")
        template = "cms/blocks/quote.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(label=_("Länktext"), required=False, max_length=200,
                             help_text=_("Lämna tomt för att använda dokumentets titel."))
    description = blocks.CharBlock(label=_("Kort beskrivning"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("Dokumentlänk")
        template = "cms/blocks/document_link.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Bild"))
    alt_text = blocks.CharBlock(
        label=_("Alternativtext"), max_length=300, required=False,
        help_text=_("Beskriv vad bilden visar för den som inte ser den. "
                    "Markera \"Dekorativ\" om bilden inte tillför information."),
    )
    decorative = blocks.BooleanBlock(label=_("Dekorativ bild"), required=False)
    caption = blocks.CharBlock(label=_("Bildtext"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "cms/blocks/image.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decorative") and not (value.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={"alt_text": ValidationError(
                    _("Skriv en alternativtext, eller markera bilden som dekorativ."))}
            )
        return value


class LinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Sida i MR-navet"), required=False)
    url = blocks.URLBlock(label=_("Eller extern adress"), required=False)
    title = blocks.CharBlock(label=_("Länktext"), required=False, max_length=200)

    class Meta:
        icon = "link"
        label = _("Länk")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError(_("Välj en sida eller skriv en adress."))}
            )
        if value.get("url") and not value.get("title"):
            raise blocks.StructBlockValidationError(
                block_errors={"title": ValidationError(_("Externa länkar behöver en länktext."))}
            )
        return value


class RelatedLinksBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Rubrik"), default=_("Läs mer"), max_length=200)
    links = blocks.ListBlock(LinkBlock(), min_num=1, label=_("Länkar"))

    class Meta:
        icon = "link"
        label = _("Relaterade länkar")
        template = "cms/blocks/related_links.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES,
                                     template="cms/blocks/paragraph.html")
    heading = HeadingBlock()
    steps = StepsBlock()
    checklist = ChecklistBlock()
    fact_box = FactBoxBlock()
    quote = QuoteBlock()
    document = DocumentLinkBlock()
    image = ImageBlock()
    related_links = RelatedLinksBlock()
