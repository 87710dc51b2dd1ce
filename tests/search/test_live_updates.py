"""Live updates: the events that (re)index pages, forum threads and conference sessions,
and the ones that must not (draft saves). Tasks run immediately in tests; the on-commit
callbacks are executed by django_capture_on_commit_callbacks."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from cms.conference.models import Session
from cms.models import (
    Attachment,
    GuidanceIndexPage,
    MethodIndexPage,
    MRDocument,
    OrganisationUnit,
    RightsArea,
)
from cms.search_signals import live_updates_paused
from cms.site_structure import get_home
from cms.tasks import extract_document_text_task
from forum import moderation, services
from forum.models import Category
from search.documents import ACCESS_ALL, forum_category_token, group_token
from search.indexing import all_documents
from search.models import IndexedDocument
from search.service import run_search
from tests.cms.factories import GuidancePageFactory, MethodPageFactory, section_index
from tests.cms.test_documents import make_pdf
from tests.conference.factories import EditionFactory, SessionFactory
from tests.factories import SuperuserFactory, UserFactory
from tests.forum.factories import PostFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db


def indexed(key: str) -> IndexedDocument | None:
    return IndexedDocument.objects.filter(key=key).first()


def found(text: str, user=None) -> set[str]:
    return {hit.key for hit in run_search(text, user=user or SuperuserFactory()).hits}


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs the block's on-commit callbacks (and the tasks they queue)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def published(commit):
    """A method page published through Wagtail, so the index has it."""
    page = MethodPageFactory(live=False, title="Trygghetsvandring med unga",
                             summary="Gå runt i området tillsammans.")
    with commit():
        page.save_revision().publish()
    page.refresh_from_db()
    return page


# --- pages ------------------------------------------------------------------------------

def test_publish_indexes_a_page(published):
    row = indexed(f"page:{published.pk}")
    assert row.title == "Trygghetsvandring med unga"
    assert row.url == f"/metoder/{published.slug}/"
    assert row.access == [ACCESS_ALL]


def test_creating_a_draft_indexes_nothing(commit):
    with commit():
        page = MethodPageFactory(live=False, title="Utkast om vattenlek")
        page.save_revision()
    assert indexed(f"page:{page.pk}") is None
    assert found("vattenlek") == set()


def test_a_draft_of_a_live_page_never_leaks(published, commit):
    published.title = "Hemlig utkastrubrik"
    published.summary = "Ordet plaskdamm finns bara i utkastet."
    with commit():
        published.save_revision()
    row = indexed(f"page:{published.pk}")
    assert row.title == "Trygghetsvandring med unga"
    assert found("plaskdamm") == set()

    with commit():
        published.get_latest_revision().publish()
    assert indexed(f"page:{published.pk}").title == "Hemlig utkastrubrik"
    assert found("plaskdamm") == {f"page:{published.pk}"}


def test_unpublish_removes_the_page(published, commit):
    with commit():
        published.unpublish()
    assert indexed(f"page:{published.pk}") is None


def test_move_updates_url_and_access(published, commit):
    group = Group.objects.create(name="Arkivläsare")
    archive = get_home().add_child(instance=MethodIndexPage(title="Arkiv", slug="arkiv"))
    restriction = PageViewRestriction.objects.create(page=archive,
                                                     restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([group])
    with commit():
        published.move(archive, pos="last-child")
    row = indexed(f"page:{published.pk}")
    assert row.url == f"/arkiv/{published.slug}/"
    assert row.access == [group_token(group.pk)]


def test_slug_change_of_the_page_and_of_a_parent(published, commit):
    published.slug = "trygghetsvandring"
    with commit():
        published.save_revision().publish()
    assert indexed(f"page:{published.pk}").url == "/metoder/trygghetsvandring/"
    assert indexed(f"page:{published.pk}").public_id == "trygghetsvandring"

    index = section_index(MethodIndexPage)
    index.slug = "metodbank"
    with commit():
        index.save_revision().publish()
    assert indexed(f"page:{published.pk}").url == "/metodbank/trygghetsvandring/"


def test_delete_removes_the_page_and_its_descendants(published, commit):
    other = MethodPageFactory(live=False)
    with commit():
        other.save_revision().publish()
    guidance = GuidancePageFactory(live=False)
    with commit():
        guidance.save_revision().publish()
    assert IndexedDocument.objects.filter(key__startswith="page:").count() == 3

    with commit():
        published.delete()
    assert indexed(f"page:{published.pk}") is None
    with commit():
        section_index(MethodIndexPage).delete()  # the other method page goes with it
    assert list(IndexedDocument.objects.values_list("key", flat=True)) == [f"page:{guidance.pk}"]


def test_view_restriction_changes_reindex_the_subtree(commit):
    page = GuidancePageFactory(live=False, title="Tolkning i vården")
    with commit():
        page.save_revision().publish()
    section = section_index(GuidanceIndexPage)
    group = Group.objects.create(name="Vårdgruppen")
    member = UserFactory()
    member.groups.add(group)

    with commit():
        restriction = PageViewRestriction.objects.create(
            page=section, restriction_type=PageViewRestriction.GROUPS)
    assert indexed(f"page:{page.pk}").access == []  # no group yet: only superusers
    with commit():
        restriction.groups.add(group)
    assert indexed(f"page:{page.pk}").access == [group_token(group.pk)]
    assert found("tolkning", member) == {f"page:{page.pk}"}
    assert found("tolkning", UserFactory()) == set()

    with commit():
        restriction.restriction_type = PageViewRestriction.PASSWORD
        restriction.password = "hemligt"
        restriction.save()
    assert indexed(f"page:{page.pk}") is None

    with commit():
        restriction.delete()
    assert indexed(f"page:{page.pk}").access == [ACCESS_ALL]


def test_extracted_document_text_reaches_the_page(published, commit):
    document = MRDocument.objects.create(title="Underlag",
                                         file=ContentFile(make_pdf("Kartlagg lekplatser"),
                                                          name="underlag.pdf"))
    Attachment.objects.create(page=published, document=document)
    with commit():
        published.save_revision().publish()
    assert "Kartlagg" not in indexed(f"page:{published.pk}").body  # not extracted yet

    with commit():
        extract_document_text_task.enqueue(document.pk)
    assert "Kartlagg lekplatser" in indexed(f"page:{published.pk}").body

    document.refresh_from_db()
    document.title = "Inventering av lekplatser"
    with commit():
        document.save()
    assert "Inventering av lekplatser" in indexed(f"page:{published.pk}").body

    with commit():
        document.delete()
    assert "Kartlagg" not in indexed(f"page:{published.pk}").body


def test_renaming_an_organisation_unit_reindexes_its_pages(commit):
    unit = OrganisationUnit.objects.get(slug="miljoforvaltningen")
    page = MethodPageFactory(live=False, organisation_unit=unit, title="Bullerkartläggning")
    with commit():
        page.save_revision().publish()
    with commit():
        unit.name = "Klimatförvaltningen"
        unit.save()
    assert found("klimatförvaltningen") == {f"page:{page.pk}"}


def test_paused_live_updates_queue_nothing(commit):
    page = MethodPageFactory(live=False)
    with live_updates_paused(), commit():
        page.save_revision().publish()
    assert indexed(f"page:{page.pk}") is None


# --- forum ------------------------------------------------------------------------------

def test_forum_post_edit_hide_and_move_reindex_the_thread(commit):
    author = UserFactory()
    with commit():
        thread = ThreadFactory(author=author, title="Skolgårdens utformning",
                               text="Hur involverar ni eleverna?")
    key = f"forum:{thread.pk}"
    assert "Hur involverar ni eleverna?" in indexed(key).body

    with commit():
        reply = PostFactory(thread=thread, text="Vi ritade med eleverna på asfalten.")
    assert "asfalten" in indexed(key).body

    with commit():
        services.edit_post(reply.author, reply, "Vi ritade med eleverna på kritor.")
    assert "kritor" in indexed(key).body and "asfalten" not in indexed(key).body

    moderator = SuperuserFactory()
    with commit():
        moderation.hide_post(moderator, reply, "Fel tråd.")
    assert "kritor" not in indexed(key).body

    group = Group.objects.create(name="Skolgruppen")
    reader, outsider = UserFactory(), UserFactory()
    reader.groups.add(group)
    closed = closed_category(group, name="Skolfrågor internt", slug="skolfragor-internt")
    assert found("skolgården", outsider) == {key}
    with commit():
        moderation.move_thread(moderator, thread, closed)
    assert indexed(key).access == [forum_category_token(closed.pk)]
    assert found("skolgården", outsider) == set()
    assert found("skolgården", reader) == {key}


def test_a_title_only_edit_reindexes_the_thread(commit):
    with commit():
        thread = ThreadFactory(title="Tolk på möten", text="Hur bokar ni tolk?")
    opening = thread.posts.get(number=1)
    with commit():
        services.edit_post(opening.author, opening, opening.markdown, title="Teckenspråkstolk")
    assert indexed(f"forum:{thread.pk}").title == "Teckenspråkstolk"
    assert found("teckenspråkstolk") == {f"forum:{thread.pk}"}


def test_renaming_a_forum_category_reindexes_its_threads(commit):
    with commit():
        thread = ThreadFactory(title="Tillgängliga möten")
    category = Category.objects.get(pk=thread.category_id)
    with commit():
        category.name = "Delaktighetsforum"
        category.save()
    assert found("delaktighetsforum") == {f"forum:{thread.pk}"}


# --- conference -------------------------------------------------------------------------

def test_session_save_and_delete(commit):
    edition = EditionFactory(year=2040)
    with commit():
        session = SessionFactory(edition=edition, title="Nationella minoriteter")
    key = f"konferens:{session.pk}"
    assert indexed(key).title == "Nationella minoriteter"

    with commit():
        session.title = "Nationella minoriteter i Malmö"
        session.save()
    assert indexed(key).title == "Nationella minoriteter i Malmö"

    with commit():
        session.rights_areas.set([RightsArea.objects.get(slug="antirasism")])
    assert indexed(key).rights_areas == ["antirasism"]

    with commit():
        Session.objects.get(pk=session.pk).delete()
    assert indexed(key) is None


def test_sessions_appear_and_vanish_with_their_edition(commit):
    edition = EditionFactory(year=2041)
    with commit():
        sessions = [SessionFactory(edition=edition) for _ in range(2)]
    keys = {f"konferens:{s.pk}" for s in sessions}
    assert set(IndexedDocument.objects.values_list("key", flat=True)) == keys

    with commit():
        edition.unpublish()
    assert not IndexedDocument.objects.exists()

    edition.refresh_from_db()
    with commit():
        edition.save_revision().publish()
    assert set(IndexedDocument.objects.values_list("key", flat=True)) == keys


def test_a_draft_edition_keeps_its_sessions_out(commit):
    edition = EditionFactory(year=2042, live=False)
    with commit():
        SessionFactory(edition=edition)
    assert not IndexedDocument.objects.exists()


# --- bulk loads -------------------------------------------------------------------------

def test_import_content_leaves_the_index_current(tmp_path):
    lines = [
        {"id": "bullerkartan", "type": "metod", "title": "Bullerkartan",
         "summary": "Kartlägg buller kring skolor.", "body": "Så gör ni.",
         "rights_areas": ["barnets-rattigheter"], "department": "miljoforvaltningen",
         "principles": [], "trappsteg": [2], "tags": ["buller"], "published": "2024-02-01"},
        {"id": "konf-2030-tal", "type": "konferens", "title": "Öppningstal om buller",
         "summary": "Kort.", "body": "Lång text.", "rights_areas": ["manskliga-rattigheter"],
         "department": "stadskontoret", "published": "2030-11-20"},
    ]
    path = tmp_path / "innehall.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines),
                    encoding="utf-8")
    out = StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=StringIO())
    assert "Sökindexet: 2 dokument" in out.getvalue()
    assert {hit.public_id for hit in run_search("buller", user=UserFactory()).hits} == {
        "bullerkartan", "konf-2030-tal"}
    assert IndexedDocument.objects.count() == sum(1 for _ in all_documents())


def test_load_demo_leaves_the_index_current(settings):
    from fixtures.loader import load_demo

    settings.DEMO_MODE = False
    report: list[str] = []
    load_demo(report.append)
    keys = {document.key for document in all_documents()}
    assert {"page", "forum", "konferens"} <= {key.split(":")[0] for key in keys}
    assert set(IndexedDocument.objects.values_list("key", flat=True)) == keys
    assert f"Sökindexet: {len(keys)} dokument." in report
