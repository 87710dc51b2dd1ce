"""Who sees what in search: access tokens on documents (search.documents), the viewer's
tokens (search.access.viewer_tokens) and run_search, which must never show, count or
suggest a document the viewer may not read."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import PageViewRestriction

from accounts.roles import SAMORDNARE
from forum.defaults import NETWORK_SLUG, ensure_defaults
from forum.models import Category, CategoryPermission
from search.access import may_see, viewer_tokens
from search.documents import ACCESS_ALL, SearchDocument, forum_category_token, group_token
from search.models import PinnedResult
from search.service import run_search

from ..cms.factories import MethodPageFactory
from ..factories import SuperuserFactory, UserFactory
from ..forum.factories import CategoryFactory, closed_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, clean_synonym_cache):
    """Groups, forum categories and one document per kind of access."""
    ensure_defaults()
    secret = Group.objects.create(name="Ledningsgruppen")
    closed = closed_category(secret, name="Ledningens rum", slug="ledningens-rum")
    network = Category.objects.get(slug=NETWORK_SLUG)
    open_category = CategoryFactory(name="Öppen kategori", slug="oppen-kategori")
    return {"secret": secret, "closed": closed, "network": network, "open": open_category}


def make(key: str, title: str, access: list[str], *, kind: str = "metod", year: int = 2024,
         unit: str = "stadskontoret", areas=("manskliga-rattigheter",)) -> SearchDocument:
    return SearchDocument(
        key=f"test:{key}", public_id=key, kind=kind, title=title, url=f"/test/{key}/",
        summary="Kvartalsrapporten sammanfattar arbetet.", rights_areas=list(areas),
        organisation_unit=unit, year=year, date=datetime.date(year, 1, 1), access=access)


@pytest.fixture
def indexed(world, database_backend):
    documents = [
        make("publik", "Kvartalsrapport om tillgänglighet", [ACCESS_ALL]),
        make("grupp", "Kvartalsrapport för ledningsgruppen", [group_token(world["secret"].pk)],
             kind="vagledning", year=2019, unit="valnamnden", areas=["hbtqi"]),
        make("natverk", "Kvartalsrapport i samordnarnätverket",
             [forum_category_token(world["network"].pk)], kind="forumtrad", year=2020,
             unit="kulturforvaltningen", areas=["antirasism"]),
        make("stangd", "Kvartalsrapport från ledningens rum",
             [forum_category_token(world["closed"].pk)], kind="forumtrad", year=2021,
             unit="serviceforvaltningen"),
        make("oppen", "Kvartalsrapport i den öppna kategorin",
             [forum_category_token(world["open"].pk)], kind="forumtrad"),
        make("blandad", "Kvartalsrapport för alla och gruppen",
             [ACCESS_ALL, group_token(world["secret"].pk)]),
        make("ingen", "Kvartalsrapport som ingen får läsa", []),
    ]
    database_backend.index(documents)
    return world


def found(outcome) -> set[str]:
    return {hit.public_id for hit in outcome.hits}


def facet(outcome, name: str) -> dict[str, int]:
    return {value.value: value.count for value in outcome.results.facets[name]}


VISIBLE_TO_EVERYONE = {"publik", "oppen", "blandad"}


# --- viewer_tokens -----------------------------------------------------------------------


def test_tokens_of_an_ordinary_user(world):
    user = UserFactory()
    tokens = viewer_tokens(user)
    assert ACCESS_ALL in tokens
    assert forum_category_token(world["open"].pk) in tokens
    assert forum_category_token(Category.objects.get(slug="allmant").pk) in tokens
    assert forum_category_token(world["network"].pk) not in tokens
    assert forum_category_token(world["closed"].pk) not in tokens
    # Group tokens: exactly the user's own groups (every new user gets the default role).
    assert {t for t in tokens if t.startswith("grupp-")} == {
        group_token(pk) for pk in user.groups.values_list("pk", flat=True)}
    assert group_token(world["secret"].pk) not in tokens


def test_tokens_of_a_group_member(world):
    user = UserFactory()
    user.groups.add(world["secret"])
    tokens = viewer_tokens(user)
    assert group_token(world["secret"].pk) in tokens
    assert forum_category_token(world["closed"].pk) in tokens
    assert forum_category_token(world["network"].pk) not in tokens


def test_coordinators_read_the_closed_network_category(world):
    tokens = viewer_tokens(UserFactory(roles=[SAMORDNARE]))
    assert forum_category_token(world["network"].pk) in tokens
    assert group_token(Group.objects.get(name=SAMORDNARE).pk) in tokens
    assert forum_category_token(world["closed"].pk) not in tokens


def test_a_row_that_may_see_but_not_read_gives_no_token(world):
    viewers = Group.objects.create(name="Får bara se")
    CategoryPermission.objects.create(category=world["closed"], group=viewers,
                                      can_see=True, can_read=False)
    CategoryPermission.objects.create(category=world["open"], group=viewers,
                                      can_see=True, can_read=False)
    user = UserFactory()
    user.groups.add(viewers)
    tokens = viewer_tokens(user)
    assert forum_category_token(world["closed"].pk) not in tokens
    # A row overrides the open default for its group.
    assert forum_category_token(world["open"].pk) not in tokens
    assert group_token(viewers.pk) in tokens


def test_inactive_and_anonymous_users_hold_no_tokens(world):
    inactive = UserFactory(is_active=False)
    inactive.groups.add(world["secret"])
    assert viewer_tokens(inactive) == frozenset()
    assert viewer_tokens(AnonymousUser()) == frozenset()


def test_superusers_are_unrestricted(world):
    assert viewer_tokens(SuperuserFactory()) is None


def test_may_see():
    assert may_see(["alla"], frozenset({"alla"}))
    assert may_see(["grupp-1", "grupp-2"], frozenset({"alla", "grupp-2"}))
    assert not may_see(["grupp-1"], frozenset({"alla", "grupp-2"}))
    assert not may_see([], frozenset({"alla"}))
    assert may_see([], None)


# --- run_search ----------------------------------------------------------------------------


def search(text: str = "kvartalsrapport", **kwargs):
    return run_search(text, backend="database", **kwargs)


def test_ordinary_user_sees_only_what_they_may_read(indexed):
    outcome = search(user=UserFactory())
    assert found(outcome) == VISIBLE_TO_EVERYONE
    assert outcome.results.total == 3


def test_facet_counts_do_not_leak_hidden_documents(indexed):
    outcome = search(user=UserFactory())
    assert facet(outcome, "typ") == {"metod": 2, "forumtrad": 1}
    assert facet(outcome, "ar") == {"2024": 3}
    assert facet(outcome, "forvaltning") == {"stadskontoret": 3}
    assert facet(outcome, "omrade") == {"manskliga-rattigheter": 3}


def test_filtered_facet_counts_do_not_leak_either(indexed):
    # The selected facet is counted without its own filter: the access filter must stay.
    outcome = search(user=UserFactory(), filters={"typ": ["metod"], "ar": ["2024"]})
    assert found(outcome) == {"publik", "blandad"}
    assert facet(outcome, "typ") == {"metod": 2, "forumtrad": 1}
    assert facet(outcome, "ar") == {"2024": 2}


def test_filtering_on_a_hidden_documents_values_finds_nothing(indexed):
    outcome = search(user=UserFactory(), filters={"ar": ["2019"]})
    assert outcome.hits == [] and outcome.results.total == 0
    assert facet(outcome, "ar") == {"2024": 3}
    assert facet(outcome, "typ") == {}


def test_group_member_sees_the_group_and_closed_category_documents(indexed):
    user = UserFactory()
    user.groups.add(indexed["secret"])
    outcome = search(user=user)
    assert found(outcome) == VISIBLE_TO_EVERYONE | {"grupp", "stangd"}
    assert facet(outcome, "ar") == {"2024": 3, "2019": 1, "2021": 1}


def test_coordinator_sees_the_network_thread(indexed):
    outcome = search(user=UserFactory(roles=[SAMORDNARE]))
    assert found(outcome) == VISIBLE_TO_EVERYONE | {"natverk"}


def test_superuser_sees_everything(indexed):
    outcome = search(user=SuperuserFactory())
    assert found(outcome) == VISIBLE_TO_EVERYONE | {"grupp", "natverk", "stangd", "ingen"}
    assert outcome.results.total == 7
    assert search(tokens=None).results.total == 7


def test_inactive_user_sees_nothing(indexed):
    user = UserFactory(is_active=False)
    user.groups.add(indexed["secret"])
    outcome = search(user=user)
    assert outcome.hits == [] and outcome.results.total == 0
    assert all(values == [] for values in outcome.results.facets.values())


def test_explicit_tokens(indexed):
    token = forum_category_token(indexed["closed"].pk)
    assert found(search(tokens=frozenset({token}))) == {"stangd"}
    assert search(tokens=frozenset()).results.total == 0


def test_paging_totals_count_only_visible_documents(indexed):
    outcome = search(user=UserFactory(), per_page=2, page=2)
    assert outcome.results.total == 3
    assert len(outcome.hits) == 1 and outcome.num_pages == 2


def test_access_changes_in_the_forum_apply_without_reindexing(indexed):
    user = UserFactory()
    assert "stangd" not in found(search(user=user))
    user.groups.add(indexed["secret"])
    assert "stangd" in found(search(user=user))
    CategoryPermission.objects.filter(category=indexed["closed"]).update(can_read=False)
    assert "stangd" not in found(search(user=user))


def test_suggestions_respect_access(indexed, database_backend):
    user = UserFactory()
    titles = {s.title for s in database_backend.suggest("kvartalsr", viewer_tokens(user))}
    assert titles == {"Kvartalsrapport om tillgänglighet", "Kvartalsrapport i den öppna kategorin",
                      "Kvartalsrapport för alla och gruppen"}
    assert database_backend.suggest("kvartalsr", frozenset()) == []
    assert len(database_backend.suggest("kvartalsr", None)) == 7


def test_pinned_page_is_shown_only_to_those_who_may_see_it(indexed):
    page = MethodPageFactory(title="Mall för kvartalsrapport", summary="Ledningens mall.")
    restriction = PageViewRestriction.objects.create(page=page,
                                                     restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([indexed["secret"]])
    PinnedResult.objects.create(query="Kvartalsrapport", page=page)

    outsider = search(user=UserFactory())
    assert outsider.pinned == []
    assert page.title not in {hit.title for hit in outsider.hits}

    member = UserFactory()
    member.groups.add(indexed["secret"])
    outcome = search(user=member)
    assert [hit.title for hit in outcome.pinned] == ["Mall för kvartalsrapport"]
    assert outcome.hits[0].title == "Mall för kvartalsrapport"
    # Shown once: the pinned page is left out of the ranked results.
    assert [hit.title for hit in outcome.hits].count("Mall för kvartalsrapport") == 1
