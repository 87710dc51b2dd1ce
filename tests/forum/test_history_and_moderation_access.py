"""Edit history and moderation rights (found by the authorisation matrix, issue 7).

Discourse's practice: a post's earlier versions are public to its readers by default
(FORUM_EDIT_HISTORY_PUBLIC, like Discourse's edit_history_visible_to_public); with it off,
only the author and the category's moderators see them. Hidden and deleted posts, and their
histories, are for the author and that category's moderators only. A group row that grants
"moderera" without "läsa trådar" moderates nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.roles import MODERATOR
from forum import moderation, services
from forum.models import CategoryPermission, Draft
from forum.permissions import ForumPermissions

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def edited_post():
    author = UserFactory()
    post = PostFactory(author=author, text="Ring mig på 070-123 45 67.")
    services.edit_post(author, post, "Ring mig.")
    return post


def history_url(post) -> str:
    return reverse("forum:post_history", args=[post.pk])


def test_history_is_public_to_readers_by_default(edited_post):
    response = signed_in(UserFactory()).get(history_url(edited_post))
    assert response.status_code == 200
    assert "070-123 45 67" in response.content.decode()


def test_private_history_is_for_the_author_and_moderators(settings, edited_post):
    settings.FORUM_EDIT_HISTORY_PUBLIC = False
    assert signed_in(UserFactory()).get(history_url(edited_post)).status_code == 403
    assert signed_in(edited_post.author).get(history_url(edited_post)).status_code == 200
    moderator = UserFactory(roles=[MODERATOR])
    assert signed_in(moderator).get(history_url(edited_post)).status_code == 200


def test_the_edited_note_links_to_the_history_only_for_those_who_may_see_it(settings, edited_post):
    thread_url = reverse("forum:thread", args=[edited_post.thread.pk])
    assert history_url(edited_post) in signed_in(UserFactory()).get(thread_url).content.decode()
    settings.FORUM_EDIT_HISTORY_PUBLIC = False
    page = signed_in(UserFactory()).get(thread_url).content.decode()
    assert "Redigerat" in page and history_url(edited_post) not in page
    own = signed_in(edited_post.author).get(thread_url).content.decode()
    assert history_url(edited_post) in own


def test_history_of_a_hidden_post_only_for_the_author_and_the_categorys_moderators(
        edited_post):
    moderator = UserFactory(roles=[MODERATOR])
    moderation.hide_post(moderator, edited_post, "Personuppgifter")
    assert signed_in(UserFactory()).get(history_url(edited_post)).status_code == 404
    assert signed_in(edited_post.author).get(history_url(edited_post)).status_code == 200
    assert signed_in(moderator).get(history_url(edited_post)).status_code == 200


def test_the_moderator_role_sees_no_history_in_a_closed_category():
    group, _ = Group.objects.get_or_create(name="Samordnare")
    thread = ThreadFactory(category=closed_category(group, slug="stangd-historik"))
    post = PostFactory(thread=thread, text="Första")
    services.edit_post(post.author, post, "Andra")
    moderator = UserFactory(roles=[MODERATOR])
    assert signed_in(moderator).get(history_url(post)).status_code == 404


def test_a_moderate_row_without_read_moderates_nothing():
    group = Group.objects.create(name="Bara moderera")
    category = CategoryFactory(is_closed=True, slug="moderera-utan-lasa")
    CategoryPermission.objects.create(category=category, group=group, can_see=True,
                                      can_read=False, can_moderate=True)
    thread = ThreadFactory(category=category, text="Hemligt inlägg")
    moderation.create_flag(UserFactory(), thread.posts.get(number=1), "annat", "Titta här")
    user = UserFactory()
    user.groups.add(group)

    perms = ForumPermissions(user)
    assert perms.moderated_category_ids() == []
    assert not perms.category(category.pk).can_moderate
    client = signed_in(user)
    assert client.get(reverse("forum:moderation_queue")).status_code == 403
    assert client.get(reverse("forum:moderation_log")).status_code == 403


def test_a_draft_with_nul_is_kept_without_it():
    """PostgreSQL refuses NUL in text: the failed post's draft dropped it (was a 500)."""
    user = UserFactory()
    category = CategoryFactory()
    response = signed_in(user).post(reverse("forum:new_thread", args=[category.slug]),
                                    {"title": "Ti\x00tel", "text": "Te\x00xt"})
    assert response.status_code == 400
    draft = Draft.objects.get(user=user, category=category)
    assert (draft.title, draft.markdown) == ("Titel", "Text")
