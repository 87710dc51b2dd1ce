"""The forum categories every installation starts with, and the forum admin permission.

Loaded by a data migration and again, idempotently, by `load_demo`. After that they are data,
edited in the Wagtail admin (Forum → Kategorier). Model classes are passed in so that the
migration can use its historical models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.roles import GRANSKARE, SAMORDNARE
from cms.taxonomy_data import RIGHTS_AREAS

# The one permission that lets a non-superuser edit categories, tags and category permissions.
MANAGE_PERMISSION = ("manage_forum",
                     "Kan administrera forumets kategorier, taggar och behörigheter")
GENERAL_SLUG = "allmant"
CONFERENCE_SLUG = "konferensen"
NETWORK_SLUG = "samordnarnatverket"


@dataclass(frozen=True)
class DefaultCategory:
    slug: str
    name: str
    description: str
    rights_area: str | None = None
    qa_mode: bool = False
    is_closed: bool = False
    # Groups with a permission row (all rights, moderation included); for closed categories
    # these are the only groups that see anything.
    full_access_groups: tuple[str, ...] = field(default=())


_AREA_DESCRIPTIONS = {
    "manskliga-rattigheter": "Frågor om MR-policyn, MR-trappan, årsanalysen och det "
                             "övergripande rättighetsarbetet i nämnder och bolag.",
    "barnets-rattigheter": "Barnkonventionen i vardagen: barnkonsekvensanalyser, prövning av "
                           "barnets bästa och barns delaktighet.",
    "jamstalldhet": "Jämställdhetsintegrering, könsuppdelad statistik och jämställd "
                    "resursfördelning.",
    "antidiskriminering": "Diskrimineringslagen, aktiva åtgärder och likabehandling i "
                          "verksamheten.",
    "antirasism": "Stadens arbete mot rasism: rutiner, kunskap och erfarenheter från "
                  "verksamheterna.",
    "nationella-minoriteter": "Minoritetslagen, samråd, finskt förvaltningsområde och "
                              "minoritetsspråk.",
    "funktionsratt": "Tillgänglighet, bemötande och delaktighet för personer med "
                     "funktionsnedsättning.",
    "hbtqi": "Hbtqi-certifiering, bemötande och inkludering i stadens verksamheter.",
}

DEFAULT_CATEGORIES: list[DefaultCategory] = [
    DefaultCategory(GENERAL_SLUG, "Allmänt",
                    "Frågor och tips som inte hör till ett särskilt rättighetsområde."),
    *[
        DefaultCategory(slug, name.removesuffix(" (övergripande)"), _AREA_DESCRIPTIONS[slug],
                        rights_area=slug, qa_mode=True)
        for slug, name, _description in RIGHTS_AREAS
    ],
    DefaultCategory(CONFERENCE_SLUG, "Konferensen",
                    "Spridningskonferensen: program, goda exempel att lyfta och samtal efteråt."),
    DefaultCategory(NETWORK_SLUG, "Samordnarnätverket",
                    "Sluten kategori för stadens MR-samordnare och granskare.",
                    is_closed=True, full_access_groups=(SAMORDNARE, GRANSKARE)),
]


def ensure_default_categories(category_model, permission_model, rights_area_model,
                              group_model) -> int:
    """Create the default categories that are missing (existing ones are left as edited).

    Returns the number of categories created.
    """
    areas = {area.slug: area for area in rights_area_model.objects.all()}
    created_count = 0
    for order, default in enumerate(DEFAULT_CATEGORIES):
        category, created = category_model.objects.get_or_create(
            slug=default.slug,
            defaults={
                "name": default.name,
                "description": default.description,
                "rights_area": areas.get(default.rights_area),
                "sort_order": order,
                "qa_mode": default.qa_mode,
                "is_closed": default.is_closed,
            },
        )
        if not created:
            continue
        created_count += 1
        for group_name in default.full_access_groups:
            group, _ = group_model.objects.get_or_create(name=group_name)
            permission_model.objects.get_or_create(
                category=category, group=group,
                defaults={"can_see": True, "can_read": True, "can_start": True,
                          "can_reply": True, "can_moderate": True},
            )
    return created_count


def ensure_manage_permission(permission_model, content_type_model):
    """The `forum.manage_forum` permission (on the Category content type)."""
    content_type, _ = content_type_model.objects.get_or_create(app_label="forum",
                                                               model="category")
    codename, name = MANAGE_PERMISSION
    permission, _ = permission_model.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name})
    return permission


def ensure_defaults() -> int:
    """Runtime counterpart of the data migration (used by load_demo and tests)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from cms.models import RightsArea

    from .models import Category, CategoryPermission

    ensure_manage_permission(Permission, ContentType)
    return ensure_default_categories(Category, CategoryPermission, RightsArea, Group)
