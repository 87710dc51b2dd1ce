"""The "page" search source (cms/search_source.py): what a page's document holds, who may
see it, and which pages are never documents."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.models import (
    Attachment,
    GuidanceIndexPage,
    MethodIndexPage,
    MRDocument,
    OrganisationUnit,
    Principle,
    RightsArea,
    StaircaseStep,
    TargetGroup,
)
from cms.search_source import Restrictions, html_text, page_document, page_documents
from search.documents import ACCESS_ALL, group_token
from search.indexing import rebuild
from search.models import IndexedDocument
from search.registry import get_source
from search.service import run_search
from tests.cms.factories import (
    GoodExamplePageFactory,
    GuidancePageFactory,
    MethodPageFactory,
    StandardPageFactory,
    section_index,
)
from tests.factories import SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db


def restrict(page, kind, groups=(), password=""):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind,
                                                     password=password)
    if groups:
        restriction.groups.set(groups)
    return restriction


@pytest.fixture
def taxonomy():
    return {
        "unit": OrganisationUnit.objects.get(slug="miljoforvaltningen"),
        "areas": list(RightsArea.objects.filter(slug__in=["barnets-rattigheter",
                                                         "jamstalldhet"])),
        "principle": Principle.objects.order_by("pk").first(),
        "target_group": TargetGroup.objects.order_by("pk").first(),
        "steps": list(StaircaseStep.objects.filter(number__in=[2, 4])),
    }


def test_the_page_source_is_registered():
    source = get_source("page")
    assert source.document is page_document and source.documents is page_documents


def test_method_page_document_has_every_field(taxonomy):
    attached = MRDocument.objects.create(title="Mall för kartläggning",
                                         file=ContentFile(b"x", name="mall.pdf"))
    MRDocument.objects.filter(pk=attached.pk).update(
        extracted_text="Checklista för trygghetsvandring i bostadsområdet")
    page = MethodPageFactory(
        title="Barnkonsekvensanalys steg för steg", slug="bka-steg-for-steg",
        summary="Så gör ni en BKA.", purpose="Att sätta barnets bästa först.",
        when_to_use="<p>Innan beslut</p><p>som rör barn</p>",
        participants="Handläggare och barn",
        steps=[("step", {"title": "Samla underlag", "text": "<p>Fråga barnen själva.</p>"})],
        body=[("paragraph", "<p>Läs mer om <b>barnrätt</b> &amp; delaktighet.</p>")],
        organisation_unit=taxonomy["unit"], rights_areas=taxonomy["areas"],
        principles=[taxonomy["principle"]], target_groups=[taxonomy["target_group"]],
        staircase_steps=taxonomy["steps"],
        first_published_at=datetime.datetime(2023, 5, 4, 22, 30, tzinfo=datetime.UTC),
    )
    page.tags.add("BKA", "barnrätt")
    Attachment.objects.create(page=page, document=attached, description="Mall att fylla i")
    page.save()

    document = page_document(page.pk)

    assert document.key == f"page:{page.pk}"
    assert document.public_id == "bka-steg-for-steg"
    assert document.kind == "metod"
    assert document.title == "Barnkonsekvensanalys steg för steg"
    assert document.url == "/metoder/bka-steg-for-steg/"
    assert document.summary == "Så gör ni en BKA."
    body = document.body
    for text in ("Att sätta barnets bästa först.", "Innan beslut\nsom rör barn",
                 "Handläggare och barn", "Samla underlag", "Fråga barnen själva.",
                 "Läs mer om barnrätt & delaktighet.", "Mall för kartläggning",
                 "Mall att fylla i", "Checklista för trygghetsvandring i bostadsområdet"):
        assert text in body, text
    assert "<" not in body and "&amp;" not in body
    assert document.tags == ["BKA", "barnrätt"]
    for name in [taxonomy["unit"].name, *(a.name for a in taxonomy["areas"]),
                 taxonomy["principle"].name, taxonomy["target_group"].name,
                 *(s.name for s in taxonomy["steps"])]:
        assert name in document.meta, name
    assert document.rights_areas == ["barnets-rattigheter", "jamstalldhet"]
    assert document.organisation_unit == "miljoforvaltningen"
    assert document.staircase_steps == [2, 4]
    # Dates are local: 22:30 UTC on 4 May is 5 May in Malmö.
    assert document.date == datetime.date(2023, 5, 5) and document.year == 2023
    assert document.access == [ACCESS_ALL]


def test_kinds_and_good_example_year():
    guidance = GuidancePageFactory()
    example = GoodExamplePageFactory(year=2019, what_was_done="<p>Vi bjöd in unga.</p>",
                                     first_published_at=datetime.datetime(
                                         2024, 3, 1, 9, tzinfo=datetime.UTC))
    assert page_document(guidance.pk).kind == "vagledning"
    document = page_document(example.pk)
    assert document.kind == "gott-exempel"
    assert document.year == 2019  # the example's own year, not its publication
    assert document.date == datetime.date(2024, 3, 1)
    assert "Vi bjöd in unga." in document.body and "Så började det." in document.body


def test_drafts_are_never_documents():
    never_published = MethodPageFactory(live=False, title="Hemligt utkast")
    assert page_document(never_published.pk) is None

    page = MethodPageFactory(title="Publicerad titel", summary="Publicerad ingress.")
    page.title = "Ändrad utkasttitel"
    page.summary = "Utkastets ingress."
    page.save_revision()  # a draft of a live page: only the revision changes
    document = page_document(page.pk)
    assert document.title == "Publicerad titel"
    assert document.summary == "Publicerad ingress."

    page.refresh_from_db()
    page.unpublish()
    assert page_document(page.pk) is None
    keys = {d.key for d in page_documents()}
    assert f"page:{page.pk}" not in keys and f"page:{never_published.pk}" not in keys


def test_other_pages_and_missing_ids_are_not_documents():
    standard = StandardPageFactory()
    index = section_index(MethodIndexPage)
    assert page_document(standard.pk) is None
    assert page_document(index.pk) is None
    assert page_document(999_999) is None
    MethodPageFactory()
    assert {d.kind for d in page_documents()} == {"metod"}


def test_password_protection_keeps_a_page_and_its_subtree_out():
    protected = MethodPageFactory()
    restrict(protected, PageViewRestriction.PASSWORD, password="hemligt")
    guidance = GuidancePageFactory()
    restrict(section_index(GuidanceIndexPage), PageViewRestriction.PASSWORD, password="x")
    assert page_document(protected.pk) is None
    assert page_document(guidance.pk) is None
    assert list(page_documents()) == []


def test_login_restriction_is_everyone_signed_in():
    page = MethodPageFactory()
    restrict(page, PageViewRestriction.LOGIN)
    assert page_document(page.pk).access == [ACCESS_ALL]


def test_group_restriction_on_an_ancestor_gives_group_tokens():
    editors, readers = Group.objects.create(name="Redaktion"), Group.objects.create(name="Läsare")
    page = GuidancePageFactory()
    restrict(section_index(GuidanceIndexPage), PageViewRestriction.GROUPS,
             groups=[editors, readers])
    assert page_document(page.pk).access == sorted([group_token(editors.pk),
                                                    group_token(readers.pk)])
    # A second group restriction on the page itself: only groups allowed by both.
    restrict(page, PageViewRestriction.GROUPS, groups=[readers])
    assert page_document(page.pk).access == [group_token(readers.pk)]
    [document] = page_documents()
    assert document.access == [group_token(readers.pk)]


def test_restrictions_match_by_tree_path_only():
    rows = Restrictions([])
    rows.rows = [("00010001", PageViewRestriction.GROUPS, frozenset({3})),
                 ("000100020001", PageViewRestriction.PASSWORD, frozenset())]
    assert rows.access("000100010005") == [group_token(3)]
    assert rows.access("00010002") == [ACCESS_ALL]
    assert rows.access("0001000200010001") is None


def test_documents_take_a_constant_number_of_queries():
    for _ in range(3):
        page = MethodPageFactory(principles=[Principle.objects.first()])
        page.tags.add("bka")
        page.save()
    GuidancePageFactory()
    GoodExamplePageFactory()

    def queries(batch_size):
        with CaptureQueriesContext(connection) as context:
            documents = list(page_documents(batch_size=batch_size))
        return len(documents), len(context.captured_queries)

    list(page_documents())  # warm Wagtail's cached site root paths
    count, few = queries(batch_size=100)
    assert count == 5
    for _ in range(6):
        MethodPageFactory()
    count, more = queries(batch_size=100)
    assert count == 11 and more == few


def test_html_text_keeps_blocks_apart():
    assert html_text("<p>Ett</p><p>två &amp; tre</p><ul><li>fyra</li></ul>") == (
        "Ett\ntvå & tre\nfyra")
    assert html_text("") == ""


# --- through the index ------------------------------------------------------------------

def test_group_restricted_page_is_found_only_by_that_group():
    group = Group.objects.create(name="Barnrättsnätverket")
    member, outsider = UserFactory(), UserFactory()
    member.groups.add(group)
    page = MethodPageFactory(title="Vattenplaneringens barnperspektiv")
    restrict(page, PageViewRestriction.GROUPS, groups=[group])
    MethodPageFactory(title="Öppen metod om vattenplanering")
    rebuild()

    assert IndexedDocument.objects.get(key=f"page:{page.pk}").access == [group_token(group.pk)]
    def found(user):
        return {hit.key for hit in run_search("vattenplanering", user=user).hits}
    assert f"page:{page.pk}" in found(member)
    assert f"page:{page.pk}" not in found(outsider)
    assert len(found(outsider)) == 1
    assert f"page:{page.pk}" in found(SuperuserFactory())


def test_unit_and_rights_area_names_find_the_units_pages(taxonomy):
    page = MethodPageFactory(title="Trygghetsvandring", organisation_unit=taxonomy["unit"],
                             rights_areas=[RightsArea.objects.get(slug="barnets-rattigheter")])
    MethodPageFactory(title="Annan metod")
    rebuild()
    hits = run_search("miljöförvaltningen trygghetsvandring", user=UserFactory()).hits
    assert [hit.key for hit in hits][:1] == [f"page:{page.pk}"]
