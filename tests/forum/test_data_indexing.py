"""forum.indexing: the plain document search indexes, and who may read it."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import OrganisationUnit
from forum import services
from forum.indexing import document_id, iter_thread_documents, plain_text, thread_document
from forum.models import Category, CategoryPermission, Thread
from tests.factories import UserFactory

from .factories import PostFactory, TagFactory, ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory(display_name="Elin Svensson",
                       organisation_unit=OrganisationUnit.objects.get(slug="stadsbyggnadskontoret"))


def test_document_has_text_category_tags_rights_area_and_author_unit(author):
    category = Category.objects.get(slug="barnets-rattigheter")
    created = timezone.now() - datetime.timedelta(days=400)
    thread = ThreadFactory(
        category=category, author=author, title="BKA i bygglov",
        text="Räcker **kortversionen** av barnkonsekvensanalys?\n\n- skolgård\n- förskola",
        tags=[TagFactory(name="BKA", slug="bka"), TagFactory(name="bygglov", slug="bygglov")],
        now=created,
    )
    reply = PostFactory(thread=thread, text="Ja, om ni visar att ni ställt frågan.",
                        now=created + datetime.timedelta(hours=2))
    hidden = PostFactory(thread=thread, text="Hemligt moderatorsdolt innehåll")
    hidden.is_hidden = True
    hidden.save()
    deleted = PostFactory(thread=thread, text="Borttaget av författaren")
    services.delete_post(deleted.author, deleted)

    document = thread_document(thread.pk)

    assert document["id"] == f"forum-{thread.pk}" == document_id(thread.pk)
    assert document["kind"] == "forumtrad"
    assert document["thread_id"] == thread.pk
    assert document["external_id"] is None
    assert document["title"] == "BKA i bygglov"
    assert document["summary"] == ("Räcker kortversionen av barnkonsekvensanalys? skolgård "
                                   "förskola")
    body = document["body"]
    assert body.startswith("BKA i bygglov\n\n")
    assert "Räcker kortversionen av barnkonsekvensanalys?\nskolgård\nförskola" in body
    assert "Ja, om ni visar att ni ställt frågan." in body
    assert "**" not in body and "<" not in body
    assert "Hemligt" not in body and "Borttaget" not in body
    assert document["category"] == "barnets-rattigheter"
    assert document["tags"] == ["BKA", "bygglov"]
    assert document["rights_areas"] == ["barnets-rattigheter"]
    assert document["organisation_unit"] == "stadsbyggnadskontoret"
    assert document["year"] == timezone.localtime(created).year
    assert document["url"] == f"/forum/trad/{thread.pk}/"
    assert document["created"] == created
    assert document["updated"] == reply.created_at
    assert document["permission_scope"] == {"category_id": category.pk, "closed": False,
                                            "group_ids": []}


def test_edits_move_updated_and_change_the_text(author):
    thread = ThreadFactory(author=author, text="Första versionen",
                           now=timezone.now() - datetime.timedelta(days=3))
    services.edit_post(author, thread.last_post, "Andra versionen")
    document = thread_document(thread.pk)
    assert "Andra versionen" in document["body"] and "Första" not in document["body"]
    assert document["updated"] > document["created"]


def test_hidden_or_missing_threads_have_no_document(author):
    thread = ThreadFactory(author=author)
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    assert thread_document(thread.pk) is None
    assert thread_document(999_999) is None


def test_closed_category_scope_lists_the_groups_that_may_read(author):
    network = Category.objects.get(slug="samordnarnatverket")
    reader_only = Group.objects.create(name="Läsare")
    CategoryPermission.objects.create(category=network, group=reader_only, can_start=False,
                                      can_reply=False)
    CategoryPermission.objects.create(category=network, group=Group.objects.create(name="Blind"),
                                      can_see=False, can_read=False)
    thread = ThreadFactory(category=network, author=author)
    scope = thread_document(thread.pk)["permission_scope"]
    expected = sorted(CategoryPermission.objects.filter(category=network, can_read=True)
                      .values_list("group_id", flat=True))
    assert scope == {"category_id": network.pk, "closed": True, "group_ids": expected}
    assert reader_only.pk in expected
    assert set(Group.objects.filter(pk__in=expected).values_list("name", flat=True)) == {
        "Samordnare", "Granskare", "Läsare"}
    assert thread_document(thread.pk)["rights_areas"] == []


def test_quotes_are_not_indexed_twice():
    html = ('<blockquote><p>Citerad text</p><blockquote><p>djupare</p></blockquote></blockquote>'
            '<p>Eget svar &amp; mer</p><ul><li>ett</li><li>två</li></ul><p>a<br>b</p>')
    assert plain_text(html) == "Eget svar & mer\nett\ntvå\na\nb"


def test_author_without_unit_and_erased_author(author):
    thread = ThreadFactory(author=UserFactory(organisation_unit=None))
    assert thread_document(thread.pk)["organisation_unit"] is None
    orphan = ThreadFactory(author=author)
    Thread.objects.filter(pk=orphan.pk).update(author=None)
    assert thread_document(orphan.pk)["organisation_unit"] is None


def test_iter_thread_documents_yields_every_visible_thread_in_few_queries(author):
    threads = [ThreadFactory(author=author, tags=[TagFactory()]) for _ in range(7)]
    for thread in threads[:3]:
        PostFactory(thread=thread)
    Thread.objects.filter(pk=threads[0].pk).update(is_hidden=True)
    with CaptureQueriesContext(connection) as queries:
        documents = list(iter_thread_documents(batch_size=3))
    assert [d["thread_id"] for d in documents] == [t.pk for t in threads[1:]]
    assert documents == [thread_document(t.pk) for t in threads[1:]]
    # one for the permission rows, then per batch: threads, tags, posts (+1 empty batch)
    assert len(queries) <= 1 + 4 * 3
