"""`load_demo` builds the whole demo site and can be run again without changing anything."""

from __future__ import annotations

import json
import warnings
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, Revision

from cms.models import (
    ContentPage,
    GoodExamplePage,
    GuidancePage,
    MethodPage,
    RightsArea,
    RightsAreaPage,
    StandardPage,
)
from cms.site_structure import get_home
from fixtures.loader import CONTENT_DIR, load_demo

pytestmark = pytest.mark.django_db

# The demo data set aims at (at least) this many pages of each kind.
TARGETS = {"metod": (MethodPage, 30), "vagledning": (GuidancePage, 20),
           "gott-exempel": (GoodExamplePage, 30)}
STANDARD_SLUGS = ["om-mr-navet", "tillganglighetsredogorelse", "personuppgifter"]


def demo_file_types() -> Counter:
    """Page lines per type in fixtures/content/demo-*.jsonl (the files may still be growing)."""
    counts: Counter = Counter()
    for path in sorted(CONTENT_DIR.glob("demo-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                counts[json.loads(line).get("type")] += 1
    return counts


def snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "live": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "content": {m.__name__: m.objects.count() for m in (MethodPage, GuidancePage, GoodExamplePage)},
        "rights area pages": RightsAreaPage.objects.count(),
        "standard pages": StandardPage.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_load_demo_twice(settings, user_client):
    settings.DEMO_MODE = True
    settings.MFA_TOTP_INSECURE_BYPASS_CODE = None
    first_report: list[str] = []
    load_demo(first_report.append)
    first = snapshot()
    second_report: list[str] = []
    load_demo(second_report.append)
    second = snapshot()
    assert second == first
    assert any("(0 nya, 0 uppdaterade)" in line for line in second_report), second_report

    # Content: one page per line of each type in the demo files, and the target sizes.
    file_types = demo_file_types()
    assert ContentPage.objects.count() == sum(file_types[kind] for kind in TARGETS)
    for kind, (model, target) in TARGETS.items():
        lines = file_types[kind]
        assert model.objects.live().count() == lines, kind
        if lines >= target:
            assert model.objects.count() >= target, kind
        else:
            warnings.warn(
                f"fixtures/content/demo-*.jsonl har bara {lines} rader av typen {kind} "
                f"(målet är minst {target}); kontrollen av antalet gjordes mot filerna.",
                stacklevel=1,
            )
    # Structure: a page per rights area, the standard pages, all under the home page.
    home = get_home()
    areas = set(RightsArea.objects.values_list("pk", flat=True))
    area_pages = RightsAreaPage.objects.child_of(home).live()
    assert {page.rights_area_id for page in area_pages} == areas
    assert area_pages.count() == len(areas) == 8
    standard = StandardPage.objects.child_of(home).live()
    assert sorted(standard.values_list("slug", flat=True)) == sorted(STANDARD_SLUGS)

    # Demo accounts, one per role, exist exactly once.
    emails = ["medarbetare@malmo.se", "samordnare@malmo.se", "granskare@malmo.se",
              "admin@malmo.se"]
    assert get_user_model().objects.filter(email__in=emails).count() == len(emails)

    # The demo site renders: start page, section indexes, rights-area and standard pages.
    urls = ["/", *(page.url for page in area_pages), *(page.url for page in standard),
            *(page.url for page in Page.objects.child_of(home).live().in_menu())]
    for url in urls:
        assert user_client.get(url).status_code == 200, url
    assert "/om-mr-navet/" in urls
