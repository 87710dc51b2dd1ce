"""Wagtail admin for the forum's structure: categories, tags and per-group permissions.

Three snippet lists under one "Forum" menu item. CategoryPermission is a plain foreign-key
model (no InlinePanel), so permissions get their own list, filterable by category and group.
Only superusers and holders of `forum.manage_forum` (granted to groups under Inställningar →
Grupper) may see or edit any of them; the per-model add/change/delete permissions are not
used.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .defaults import MANAGE_PERMISSION
from .models import Category, CategoryPermission, Tag

MANAGE_CODENAME = MANAGE_PERMISSION[0]
MANAGE_PERM = f"forum.{MANAGE_CODENAME}"


class ForumAdminPolicy(BasePermissionPolicy):
    """Every action on the model needs `forum.manage_forum` (superusers have it)."""

    def user_has_permission(self, user, action):
        return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE_PERM))

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        permission = Permission.objects.filter(content_type__app_label="forum",
                                               codename=MANAGE_CODENAME)
        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission),
            is_active=True,
        ).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


for _model in (Category, Tag, CategoryPermission):
    register_permission_policy(_model, ForumAdminPolicy(_model), exact_class=True)


def _only_manage_permission():
    return Permission.objects.filter(content_type__app_label="forum", codename=MANAGE_CODENAME)


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Kategorier")
    list_display = ["name", "slug", "rights_area", "is_closed", "qa_mode", "thread_count"]
    list_filter = ["is_closed", "qa_mode", "rights_area"]
    search_fields = ["name", "description"]
    ordering = ["sort_order", "name"]
    form_fields = ["name", "slug", "description", "rights_area", "sort_order", "is_closed",
                   "qa_mode"]

    def get_permissions_to_register(self):
        # Shown once, under "Forumkategori", in the group editor.
        return _only_manage_permission()


class TagViewSet(SnippetViewSet):
    model = Tag
    icon = "tag"
    menu_label = _("Taggar")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]
    form_fields = ["name", "slug"]

    def get_permissions_to_register(self):
        return Permission.objects.none()


class CategoryPermissionViewSet(SnippetViewSet):
    model = CategoryPermission
    icon = "key"
    menu_label = _("Behörigheter")
    list_display = ["category", "group", "can_see", "can_read", "can_start", "can_reply",
                    "can_moderate"]
    list_filter = ["category", "group"]
    ordering = ["category__sort_order", "category__name", "group__name"]
    form_fields = ["category", "group", "can_see", "can_read", "can_start", "can_reply",
                   "can_moderate"]

    def get_permissions_to_register(self):
        return Permission.objects.none()


class ForumAdminGroup(SnippetViewSetGroup):
    menu_label = _("Forum")
    menu_icon = "comment"
    menu_order = 260
    items = (CategoryViewSet, TagViewSet, CategoryPermissionViewSet)


register_snippet(ForumAdminGroup)
