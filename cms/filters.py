"""Server-side filters for the section index pages; every filter lives in the URL."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models.taxonomy import OrganisationUnit, Principle, RightsArea, StaircaseStep, TargetGroup


class M2MSubqueryFilter(django_filters.ModelMultipleChoiceFilter):
    """OR within one filter as `pk IN (SELECT page FROM link table WHERE term IN …)`.

    Joining the link tables and then removing duplicates with DISTINCT gave the same pages,
    but PostgreSQL spent 20–30 ms planning it per request (tests/benchmarks/bench_cms_pages.py).
    """

    def __init__(self, *args, m2m_field: str, **kwargs):
        self.m2m_field = m2m_field
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        from .models import ContentPage

        field = ContentPage._meta.get_field(self.m2m_field)
        links = field.remote_field.through.objects.filter(
            **{f"{field.m2m_reverse_field_name()}__in": value}
        ).values(field.m2m_field_name())
        return qs.filter(pk__in=links)


class ContentFilterSet(django_filters.FilterSet):
    """Filters by slug (or step number): `?omrade=jamstalldhet&steg=3`."""

    omrade = M2MSubqueryFilter(
        m2m_field="rights_areas",
        label=_("Rättighetsområde"), to_field_name="slug",
        queryset=RightsArea.objects.all(), widget=forms.CheckboxSelectMultiple,
    )
    forvaltning = django_filters.ModelChoiceFilter(
        label=_("Förvaltning eller bolag"), field_name="organisation_unit", to_field_name="slug",
        queryset=OrganisationUnit.objects.all(), empty_label=_("Alla"),
    )
    steg = M2MSubqueryFilter(
        m2m_field="staircase_steps",
        label=_("Steg i MR-trappan"), to_field_name="number",
        queryset=StaircaseStep.objects.all(), widget=forms.CheckboxSelectMultiple,
    )
    princip = M2MSubqueryFilter(
        m2m_field="principles",
        label=_("Vägledande princip"), to_field_name="slug",
        queryset=Principle.objects.all(), widget=forms.CheckboxSelectMultiple,
    )
    malgrupp = M2MSubqueryFilter(
        m2m_field="target_groups",
        label=_("Målgrupp"), to_field_name="slug",
        queryset=TargetGroup.objects.all(), widget=forms.CheckboxSelectMultiple,
    )

    FILTER_NAMES = ("omrade", "forvaltning", "steg", "princip", "malgrupp")

    @property
    def active_count(self) -> int:
        return sum(1 for name in self.FILTER_NAMES if self.data.getlist(name))
