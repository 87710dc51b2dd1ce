"""Page factories for the cms page types, placed in the real page tree.

Content pages go below their section index (created on demand by
`ensure_section_indexes()`), section indexes, rights-area pages and standard pages below
the home page from `get_home()`. Pages are live by default; taxonomy is passed as lists
(`rights_areas=[area]`) and stored by modelcluster when the page is saved.
"""

from __future__ import annotations

import datetime

import factory
import wagtail_factories
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils.text import slugify
from wagtail.models import Page

from cms.models import (
    ContentPage,
    GoodExampleIndexPage,
    GoodExamplePage,
    GuidanceIndexPage,
    GuidancePage,
    MethodIndexPage,
    MethodPage,
    RightsArea,
    RightsAreaPage,
    StandardPage,
)
from cms.site_structure import ensure_section_indexes, get_home

# Sequence-based publication times keep listing order (-first_published_at) deterministic:
# a page created later is newer.
PUBLISHED_BASE = datetime.datetime(2024, 1, 1, 9, 0, tzinfo=datetime.UTC)


def section_index(model):
    """The section index of `model` below the home page (created on first use)."""
    return model.objects.first() or ensure_section_indexes()[model]


def default_rights_areas():
    return [RightsArea.objects.order_by("sort_order", "pk").first()]


class _ContentPageFactory(wagtail_factories.PageFactory):
    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Innehållssida {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "En kort ingress som sammanfattar sidan."
    live = True
    first_published_at = factory.Sequence(lambda n: PUBLISHED_BASE + datetime.timedelta(hours=n))
    last_published_at = factory.SelfAttribute("first_published_at")
    rights_areas = factory.LazyFunction(default_rights_areas)
    principles = factory.LazyFunction(list)
    staircase_steps = factory.LazyFunction(list)
    target_groups = factory.LazyFunction(list)
    organisation_unit = None


class MethodPageFactory(_ContentPageFactory):
    class Meta:
        model = MethodPage

    title = factory.Sequence(lambda n: f"Metod {n}")
    parent = factory.LazyFunction(lambda: section_index(MethodIndexPage))
    purpose = "Att kartlägga hur verksamheten tillgodoser rättigheterna."
    time_needed = "2–3 timmar"


class GuidancePageFactory(_ContentPageFactory):
    class Meta:
        model = GuidancePage

    title = factory.Sequence(lambda n: f"Vägledning {n}")
    parent = factory.LazyFunction(lambda: section_index(GuidanceIndexPage))


class GoodExamplePageFactory(_ContentPageFactory):
    class Meta:
        model = GoodExamplePage

    title = factory.Sequence(lambda n: f"Gott exempel {n}")
    parent = factory.LazyFunction(lambda: section_index(GoodExampleIndexPage))
    year = 2024
    background = "<p>Så började det.</p>"


class _SectionIndexPageFactory(wagtail_factories.PageFactory):
    """Get-or-create below the home page: each section index exists at most once."""

    class Meta:
        abstract = True
        django_get_or_create = ("parent", "slug")

    parent = factory.LazyFunction(get_home)
    live = True
    show_in_menus = True


class MethodIndexPageFactory(_SectionIndexPageFactory):
    class Meta:
        model = MethodIndexPage

    title = "Metoder"
    slug = "metoder"


class GuidanceIndexPageFactory(_SectionIndexPageFactory):
    class Meta:
        model = GuidanceIndexPage

    title = "Vägledning"
    slug = "vagledning"


class GoodExampleIndexPageFactory(_SectionIndexPageFactory):
    class Meta:
        model = GoodExampleIndexPage

    title = "Goda exempel"
    slug = "goda-exempel"


class RightsAreaPageFactory(wagtail_factories.PageFactory):
    """A rights-area page; pass `rights_area=`, defaults to the first area without a page."""

    class Meta:
        model = RightsAreaPage

    parent = factory.LazyFunction(get_home)
    rights_area = factory.LazyFunction(
        lambda: RightsArea.objects.filter(page__isnull=True).order_by("sort_order", "pk").first()
    )
    title = factory.LazyAttribute(lambda o: o.rights_area.name)
    slug = factory.LazyAttribute(lambda o: slugify(o.rights_area.slug))
    live = True


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    parent = factory.LazyFunction(get_home)
    title = factory.Sequence(lambda n: f"Standardsida {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "En sida om plattformen."
    live = True


INDEX_FOR = {
    MethodPage: MethodIndexPage,
    GuidancePage: GuidanceIndexPage,
    GoodExamplePage: GoodExampleIndexPage,
}
M2M_FIELDS = ("rights_areas", "principles", "staircase_steps", "target_groups")


def bulk_create_content_pages(factory_class, count: int, **kwargs) -> list[ContentPage]:
    """Create `count` live pages below their section index in a handful of queries.

    The factory builds the (unsaved) instances; the rows of the three tables of the
    multi-table hierarchy (Page, ContentPage, the page type) and the taxonomy links are
    then inserted in bulk, with tree paths computed as treebeard would. Skips Wagtail's
    per-page save() (log entries, search index, revisions), so only for volume tests.
    """
    model = factory_class._meta.model
    if count <= 0:
        return []
    parent = Page.objects.get(pk=section_index(INDEX_FOR[model]).pk)
    taxonomy = {name: list(kwargs.pop(name, None) or []) for name in M2M_FIELDS}
    if not taxonomy["rights_areas"]:
        taxonomy["rights_areas"] = default_rights_areas()
    instances = factory_class.build_batch(count, **kwargs)

    last_child = parent.get_last_child()
    first_step = last_child._get_lastpos_in_path() + 1 if last_child else 1
    content_type = ContentType.objects.get_for_model(model)
    depth = parent.depth + 1
    page_rows = []
    for offset, page in enumerate(instances):
        page.path = Page._get_path(parent.path, depth, first_step + offset)
        page.depth = depth
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.content_type = content_type
        page.locale_id = parent.locale_id
        if page.next_review_date is None:
            page.next_review_date = datetime.date.today() + datetime.timedelta(days=365)
        row = Page()
        for field in Page._meta.concrete_fields:
            setattr(row, field.attname, getattr(page, field.attname))
        page_rows.append(row)
    Page.objects.bulk_create(page_rows)
    for page, row in zip(instances, page_rows, strict=True):
        page.id = page.page_ptr_id = page.contentpage_ptr_id = row.pk
        page._state.adding = False
    for table_model in (ContentPage, model):
        table_model._base_manager._insert(
            instances, fields=table_model._meta.local_concrete_fields
        )
    for name, terms in taxonomy.items():
        field = ContentPage._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create([
            through(**{f"{source}_id": page.pk, f"{target}_id": term.pk})
            for page in instances for term in terms
        ])
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)
    return list(model.objects.filter(pk__in=[p.pk for p in instances]).order_by("path"))
