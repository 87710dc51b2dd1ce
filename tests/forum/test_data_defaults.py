"""The default categories from the data migration, and the forum's Wagtail admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.roles import GRANSKARE, KONFERENSARRANGOR, MEDARBETARE, MODERATOR, SAMORDNARE
from cms.taxonomy_data import RIGHTS_AREAS
from forum.defaults import ensure_defaults
from forum.models import Category, CategoryPermission
from forum.permissions import ForumPermissions
from tests.factories import SuperuserFactory, UserFactory, enable_totp

pytestmark = pytest.mark.django_db

AREA_SLUGS = [slug for slug, _name, _description in RIGHTS_AREAS]


def test_default_categories_exist_after_migrations():
    slugs = list(Category.objects.values_list("slug", flat=True))
    assert slugs == ["allmant", *AREA_SLUGS, "konferensen", "samordnarnatverket"]
    for slug in AREA_SLUGS:
        category = Category.objects.get(slug=slug)
        assert category.rights_area.slug == slug
        assert category.qa_mode and not category.is_closed
    assert Category.objects.get(slug="barnets-rattigheter").name == "Barnets rättigheter"
    assert Category.objects.get(slug="manskliga-rattigheter").name == "Mänskliga rättigheter"
    for slug, name in [("allmant", "Allmänt"), ("konferensen", "Konferensen")]:
        category = Category.objects.get(slug=slug)
        assert category.name == name
        assert category.rights_area is None and not category.qa_mode and not category.is_closed
        assert not category.permissions.exists()


def test_the_coordinators_network_is_closed_to_everyone_else():
    network = Category.objects.get(slug="samordnarnatverket")
    assert network.is_closed
    rows = {row.group.name: row for row in CategoryPermission.objects.filter(category=network)}
    assert set(rows) == {SAMORDNARE, GRANSKARE}
    for row in rows.values():
        assert row.can_see and row.can_read and row.can_start and row.can_reply and row.can_moderate

    for role in (MEDARBETARE, MODERATOR, KONFERENSARRANGOR):
        perms = ForumPermissions(UserFactory(roles=[role]))
        assert network.pk not in perms.visible_category_ids(), role
        assert not perms.category(network.pk).can_read, role
    for role in (SAMORDNARE, GRANSKARE):
        access = ForumPermissions(UserFactory(roles=[role])).category(network.pk)
        assert access.can_see and access.can_read and access.can_start and access.can_moderate
    general = Category.objects.get(slug="allmant")
    assert ForumPermissions(UserFactory(roles=[MEDARBETARE])).category(general.pk).can_start


def test_runtime_defaults_are_idempotent_and_keep_admin_edits():
    Category.objects.filter(slug="allmant").update(name="Allmänt och övrigt")
    Category.objects.filter(slug="konferensen").delete()
    assert ensure_defaults() == 1
    assert ensure_defaults() == 0
    assert Category.objects.get(slug="allmant").name == "Allmänt och övrigt"
    assert Category.objects.filter(slug="konferensen").exists()
    assert Permission.objects.filter(content_type__app_label="forum",
                                     codename="manage_forum").count() == 1


# --- admin ------------------------------------------------------------------------------

ADMIN_URLS = ["/admin/snippets/forum/category/", "/admin/snippets/forum/tag/",
              "/admin/snippets/forum/categorypermission/"]


def _admin_client(client, user):
    enable_totp(user)  # the admin requires MFA
    client.force_login(user)
    return client


def test_superuser_manages_categories_tags_and_permissions(client):
    admin = _admin_client(client, SuperuserFactory())
    for url in ADMIN_URLS:
        assert admin.get(url).status_code == 200, url
    # The permission is offered in the group editor.
    group_editor = admin.get("/admin/groups/new/").content.decode()
    assert "Kan administrera forumets kategorier" in group_editor
    html = admin.get(ADMIN_URLS[0]).content.decode()
    assert "Samordnarnätverket" in html and "Barnets rättigheter" in html
    network = Category.objects.get(slug="samordnarnatverket")
    filtered = admin.get(ADMIN_URLS[2], {"category": network.pk})
    assert filtered.status_code == 200
    assert SAMORDNARE in filtered.content.decode()

    response = admin.post("/admin/snippets/forum/category/add/", {
        "name": "Metodverkstad", "slug": "metodverkstad", "description": "",
        "sort_order": 20, "qa_mode": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Category.objects.get(slug="metodverkstad").qa_mode


def test_admin_access_alone_does_not_give_forum_admin(client):
    coordinator = _admin_client(client, UserFactory(roles=[SAMORDNARE]))
    for url in ADMIN_URLS:
        assert coordinator.get(url).status_code in (302, 403), url
    response = coordinator.post("/admin/snippets/forum/category/add/",
                                {"name": "X", "slug": "x", "sort_order": 1})
    assert response.status_code in (302, 403)
    assert not Category.objects.filter(slug="x").exists()


def test_the_manage_permission_opens_the_forum_admin(client):
    group = Group.objects.create(name="Forumadministratörer")
    group.permissions.add(Permission.objects.get(content_type__app_label="forum",
                                                 codename="manage_forum"))
    user = UserFactory(roles=[SAMORDNARE])
    user.groups.add(group)
    admin = _admin_client(client, user)
    for url in ADMIN_URLS:
        assert admin.get(url).status_code == 200, url
