"""The "forum" search source (forum/search_source.py): thread documents and who finds them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.models import OrganisationUnit
from forum.models import Category, Thread
from forum.search_source import forum_document, forum_documents
from search.documents import forum_category_token
from search.indexing import rebuild
from search.models import IndexedDocument
from search.registry import get_source
from search.service import run_search
from tests.factories import SuperuserFactory, UserFactory
from tests.forum.factories import PostFactory, TagFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory(organisation_unit=OrganisationUnit.objects.get(slug="stadsbyggnadskontoret"))


def test_the_forum_source_is_registered():
    source = get_source("forum")
    assert source.document is forum_document and source.documents is forum_documents


def test_thread_document(author):
    category = Category.objects.get(slug="barnets-rattigheter")
    created = datetime.datetime(2023, 12, 31, 23, 30, tzinfo=datetime.UTC)  # 2024 in Malmö
    thread = ThreadFactory(category=category, author=author, title="BKA i bygglov",
                           text="Räcker kortversionen av **barnkonsekvensanalys**?",
                           tags=[TagFactory(name="bygglov", slug="bygglov")], now=created)
    PostFactory(thread=thread, text="Ja, om ni visar att ni ställt frågan.",
                now=created + datetime.timedelta(hours=1))

    document = forum_document(thread.pk)

    assert document.key == f"forum:{thread.pk}"
    assert document.public_id == f"forum-{thread.pk}"
    assert document.kind == "forumtrad"
    assert document.title == "BKA i bygglov"
    assert document.url == f"/forum/trad/{thread.pk}/"
    assert document.summary == "Räcker kortversionen av barnkonsekvensanalys?"
    assert "Ja, om ni visar att ni ställt frågan." in document.body
    assert document.tags == ["bygglov"]
    assert category.name in document.meta and "Stadsbyggnadskontoret" in document.meta
    assert document.rights_areas == ["barnets-rattigheter"]
    assert document.organisation_unit == "stadsbyggnadskontoret"
    assert document.year == 2024 and document.date == datetime.date(2024, 1, 1)
    assert document.access == [forum_category_token(category.pk)]


def test_imported_threads_keep_their_corpus_id():
    thread = ThreadFactory(author=None)
    Thread.objects.filter(pk=thread.pk).update(external_id="forum-import-17")
    document = forum_document(thread.pk)
    assert document.public_id == "forum-import-17"
    assert document.organisation_unit is None
    assert document.key == f"forum:{thread.pk}"


def test_hidden_and_missing_threads_are_not_documents():
    visible = ThreadFactory()
    hidden = ThreadFactory()
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    assert forum_document(hidden.pk) is None
    assert forum_document(999_999) is None
    assert [d.key for d in forum_documents() if d.key.startswith("forum:")] == [
        f"forum:{visible.pk}"]


def test_documents_match_one_by_one(author):
    threads = [ThreadFactory(author=author, now=timezone.now()) for _ in range(3)]
    assert [d.key for d in forum_documents()] == [f"forum:{t.pk}" for t in threads]
    assert list(forum_documents()) == [forum_document(t.pk) for t in threads]


def test_closed_category_thread_is_found_only_by_readers():
    group = Group.objects.create(name="Tolkgruppen")
    reader, outsider = UserFactory(), UserFactory()
    reader.groups.add(group)
    closed = closed_category(group, name="Samordnarnas rum", slug="samordnare")
    secret = ThreadFactory(category=closed, title="Budget för tolkning", text="Internt underlag.")
    open_thread = ThreadFactory(title="Tolkning vid möten", text="Hur bokar ni tolk?")
    rebuild()

    assert IndexedDocument.objects.get(key=f"forum:{secret.pk}").access == [
        forum_category_token(closed.pk)]

    def found(user):
        return {hit.key for hit in run_search("tolkning", user=user).hits}

    assert found(reader) == {f"forum:{secret.pk}", f"forum:{open_thread.pk}"}
    assert found(outsider) == {f"forum:{open_thread.pk}"}
    assert f"forum:{secret.pk}" in found(SuperuserFactory())
