"""The roles (Django groups) every installation starts with.

The data migration creates them; after that they are data, edited in the Wagtail admin
(Inställningar → Grupper). Permissions listed here are granted only when a group is created;
page, document and image permissions and the review workflow come from cms migration 0005.
"""

from __future__ import annotations

MEDARBETARE = "Medarbetare"
SAMORDNARE = "Samordnare"
GRANSKARE = "Granskare"
MODERATOR = "Moderator"
KONFERENSARRANGOR = "Konferensarrangör"

ROLE_NAMES = [MEDARBETARE, SAMORDNARE, GRANSKARE, MODERATOR, KONFERENSARRANGOR]
DEFAULT_ROLE = MEDARBETARE

_ADMIN_ACCESS = [("wagtailadmin", "admin", "access_admin")]

# (app_label, model, codename) triples per role, granted at creation.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str, str]]] = {
    MEDARBETARE: [],
    SAMORDNARE: _ADMIN_ACCESS,
    GRANSKARE: _ADMIN_ACCESS,
    MODERATOR: [],
    KONFERENSARRANGOR: _ADMIN_ACCESS,
}


def create_roles(group_model, permission_model, content_type_model) -> None:
    """Create missing role groups with their initial permissions (idempotent)."""
    for name in ROLE_NAMES:
        group, created = group_model.objects.get_or_create(name=name)
        if not created:
            continue
        for app_label, model, codename in ROLE_PERMISSIONS[name]:
            content_type, _ = content_type_model.objects.get_or_create(
                app_label=app_label, model=model
            )
            permission, _ = permission_model.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": codename.replace("_", " ").capitalize()},
            )
            group.permissions.add(permission)


def ensure_roles() -> None:
    """Runtime counterpart of the data migration (used by load_demo and tests)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    create_roles(Group, Permission, ContentType)
