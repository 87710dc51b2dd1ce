"""`{{ post|author_name }}`: erased accounts show as "Tidigare medarbetare"."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from cms.models import OrganisationUnit
from forum.authors import organisation_user
from forum.models import Post, Thread
from tests.factories import UserFactory

from .factories import ThreadFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load forum_tags %}{{ post|author_name }}|{{ thread|author_name }}|"
                    "{{ user|author_name }}")


def render(**context) -> str:
    return TEMPLATE.render(Context(context))


def test_active_author_shows_their_name():
    author = UserFactory(display_name="Amira Haddad")
    thread = ThreadFactory(author=author)
    assert render(post=thread.last_post, thread=thread, user=author) == (
        "Amira Haddad|Amira Haddad|Amira Haddad")


def test_erased_or_missing_author_is_a_former_colleague():
    author = UserFactory(display_name="Amira Haddad")
    thread = ThreadFactory(author=author)
    author.is_active = False
    author.save()
    post = Post.objects.select_related("author").get(pk=thread.last_post.pk)
    assert render(post=post, thread=thread, user=author) == (
        "Tidigare medarbetare|Tidigare medarbetare|Tidigare medarbetare")
    Thread.objects.filter(pk=thread.pk).update(author=None)
    Post.objects.filter(pk=post.pk).update(author=None)
    thread.refresh_from_db()
    post.refresh_from_db()
    assert render(post=post, thread=thread, user=None) == (
        "Tidigare medarbetare|Tidigare medarbetare|Tidigare medarbetare")


def test_organisation_accounts_show_the_organisation():
    unit = OrganisationUnit.objects.get(slug="mkb-fastighets-ab")
    account = organisation_user(unit.name, unit)
    assert not account.is_active
    thread = ThreadFactory(author=account)
    assert render(post=thread.last_post, thread=thread, user=account) == (
        "MKB Fastighets AB|MKB Fastighets AB|MKB Fastighets AB")
    assert organisation_user(unit.name, unit) == account  # one account per organisation


def test_names_are_escaped():
    author = UserFactory(display_name="<b>Fet</b>")
    thread = ThreadFactory(author=author)
    html = render(post=thread.last_post, thread=thread, user=author)
    assert "<b>" not in html and "&lt;b&gt;Fet&lt;/b&gt;" in html
