"""The Konferens index page and the organiser role's permissions (setup.py, migration 0003)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from accounts.roles import KONFERENSARRANGOR, MEDARBETARE, SAMORDNARE
from cms.conference.models import ConferenceIndexPage, EditionPage
from cms.conference.setup import grant_organiser_permissions
from cms.site_structure import ensure_section_indexes

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def page_codenames(group) -> set[str]:
    return set(GroupPagePermission.objects.filter(
        group=group, page__in=ConferenceIndexPage.objects.all()
    ).values_list("permission__codename", flat=True))


def test_the_migration_gives_the_organisers_the_manage_permission():
    group = Group.objects.get(name=KONFERENSARRANGOR)
    codenames = set(group.permissions.filter(content_type__app_label="conference")
                    .values_list("codename", flat=True))
    assert codenames == {"manage_conference"}


def test_view_needs_belongs_to_no_group():
    permission = Permission.objects.get(content_type__app_label="conference",
                                        codename="view_needs")
    assert not permission.group_set.exists()


def test_the_section_indexes_include_konferens_once_with_page_permissions():
    indexes = ensure_section_indexes()
    index = indexes[ConferenceIndexPage]
    assert list(indexes)[-1] is ConferenceIndexPage
    assert (index.title, index.slug, index.show_in_menus, index.live) == (
        "Konferens", "konferens", True, True)
    assert index.url == "/konferens/"
    assert ensure_section_indexes()[ConferenceIndexPage].pk == index.pk
    assert ConferenceIndexPage.objects.count() == 1
    organisers = Group.objects.get(name=KONFERENSARRANGOR)
    assert page_codenames(organisers) == {"add_page", "change_page", "publish_page"}
    grant_organiser_permissions()  # idempotent
    assert GroupPagePermission.objects.filter(group=organisers).count() == 3
    assert not page_codenames(Group.objects.get(name=SAMORDNARE))


def test_organisers_may_add_and_publish_editions_and_nothing_else(client):
    index = ensure_section_indexes()[ConferenceIndexPage]
    organiser = UserFactory(roles=[KONFERENSARRANGOR])
    tester = index.permissions_for_user(organiser)
    assert tester.can_add_subpage() and tester.can_publish_subpage()
    assert not index.get_parent().permissions_for_user(organiser).can_add_subpage()
    assert organiser.has_perm("conference.manage_conference")
    assert not organiser.has_perm("conference.view_needs")
    staff = UserFactory(roles=[MEDARBETARE])
    assert not staff.has_perm("conference.manage_conference")


def test_konferens_is_in_the_main_menu(user_client):
    ensure_section_indexes()
    html = user_client.get("/").content.decode()
    assert 'href="/konferens/"' in html


def test_edition_pages_go_under_the_index_only():
    assert EditionPage.parent_page_types == ["conference.ConferenceIndexPage"]
