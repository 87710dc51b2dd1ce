"""Permissions of the Konferensarrangör role, granted idempotently.

Used by migration 0003 (with historical models), by load_demo, and whenever
cms.site_structure creates the Konferens index page:
- the model permission conference.manage_conference (organiser views, exports, check-in,
  the programme lists in the admin);
- add, change and publish page permissions on the Konferens index page (its editions), if
  that page exists yet.
conference.view_needs goes to no group: a superuser gives it to named people (see
wagtail_hooks.py).
"""

from __future__ import annotations

ORGANISER_GROUP = "Konferensarrangör"
MANAGE_CODENAME = "manage_conference"
MANAGE_NAME = "Kan administrera konferensen (anmälningar, export, incheckning)"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def _permission(models, app_label, model, codename, name=None):
    content_type, _ = models["ContentType"].objects.get_or_create(app_label=app_label, model=model)
    permission, _ = models["Permission"].objects.get_or_create(
        content_type=content_type, codename=codename,
        defaults={"name": name or codename.replace("_", " ").capitalize()},
    )
    return permission


def grant_organiser_permissions(models: dict | None = None) -> None:
    """`models` maps names (Group, Permission, ContentType, Page, GroupPagePermission) to
    model classes — historical ones in migrations; the runtime ones by default."""
    if models is None:
        from cms.workflow_setup import runtime_models

        models = runtime_models()
    group, _ = models["Group"].objects.get_or_create(name=ORGANISER_GROUP)
    group.permissions.add(
        _permission(models, "conference", "editionpage", MANAGE_CODENAME, MANAGE_NAME))
    index_type = models["ContentType"].objects.filter(
        app_label="conference", model="conferenceindexpage").first()
    index = (models["Page"].objects.filter(content_type=index_type).order_by("path").first()
             if index_type else None)
    if index is None:
        return
    for codename in PAGE_PERMISSIONS:
        models["GroupPagePermission"].objects.get_or_create(
            group=group, page=index,
            permission=_permission(models, "wagtailcore", "page", codename),
        )
