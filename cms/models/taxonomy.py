"""Taxonomy terms as data: ordered, slugged, edited as Wagtail snippets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class TaxonomyTerm(models.Model):
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn (slug)"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(_("ordning"), default=0, db_index=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class RightsArea(TaxonomyTerm):
    description = models.TextField(_("beskrivning"), blank=True)

    panels = TaxonomyTerm.panels + [FieldPanel("description")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("rättighetsområde")
        verbose_name_plural = _("rättighetsområden")


class OrganisationUnit(TaxonomyTerm):
    class Kind(models.TextChoices):
        FORVALTNING = "forvaltning", _("Förvaltning")
        NAMND = "namnd", _("Nämnd")
        BOLAG = "bolag", _("Bolag")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices,
                            default=Kind.FORVALTNING)

    panels = TaxonomyTerm.panels + [FieldPanel("kind")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("förvaltning, nämnd eller bolag")
        verbose_name_plural = _("förvaltningar, nämnder och bolag")


class Principle(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("vägledande princip")
        verbose_name_plural = _("vägledande principer")


class StaircaseStep(TaxonomyTerm):
    number = models.PositiveSmallIntegerField(_("steg"), unique=True)
    description = models.TextField(_("beskrivning"), blank=True)

    panels = [FieldPanel("number")] + TaxonomyTerm.panels + [FieldPanel("description")]

    class Meta(TaxonomyTerm.Meta):
        ordering = ["number"]
        verbose_name = _("steg i MR-trappan")
        verbose_name_plural = _("MR-trappan")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class TargetGroup(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("målgrupp")
        verbose_name_plural = _("målgrupper")
