"""Server-side filters for the section index pages; every filter lives in the URL."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models.taxonomy import OrganisationUnit, Principle, RightsArea, StaircaseStep, TargetGroup


class ContentFilterSet(django_filters.FilterSet):
    """Filters by slug (or step number): `?omrade=jamstalldhet&steg=3`."""

    omrade = django_filters.ModelMultipleChoiceFilter(
        label=_("Rättighetsområde"), field_name="rights_areas__slug", to_field_name="slug",
        queryset=RightsArea.objects.all(), widget=forms.CheckboxSelectMultiple,
    )
    forvaltning = django_filters.ModelChoiceFilter(
        label=_("Förvaltning eller bolag"), field_name="organisation_unit", to_field_name="slug",
        queryset=OrganisationUnit.objects.all(), empty_label=_("Alla"),
    )
    steg = django_filters.ModelMultipleChoiceFilter(
        label=_("Steg i MR-trappan"), field_name="staircase_steps__number", to_field_name="number",
        queryset=StaircaseStep.objects.all(), widget=forms.CheckboxSelectMultiple,
    )
    princip = django_filters.ModelMultipleChoiceFilter(
        label=_("Vägledande princip"), field_name="principles__slug", to_field_name="slug",
        queryset=Principle.objects.all(), widget=forms.CheckboxSelectMultiple,
    )
    malgrupp = django_filters.ModelMultipleChoiceFilter(
        label=_("Målgrupp"), field_name="target_groups__slug", to_field_name="slug",
        queryset=TargetGroup.objects.all(), widget=forms.CheckboxSelectMultiple,
    )

    FILTER_NAMES = ("omrade", "forvaltning", "steg", "princip", "malgrupp")

    def filter_queryset(self, queryset):
        # Each M2M filter joins its table; distinct() keeps a page from appearing twice.
        return super().filter_queryset(queryset).distinct()

    @property
    def active_count(self) -> int:
        return sum(1 for name in self.FILTER_NAMES if self.data.getlist(name))
