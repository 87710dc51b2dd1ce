"""Authorisation matrix: every URL pattern × role × object, with the status that is right.

The URL conf is walked (tests/urlwalk.py). Every pattern must have an entry in EXPECTATIONS
(project views and the admin entry points, by URL name) or in FAMILIES (the many internal
views of Wagtail's admin, the Django admin and allauth, by name pattern); a pattern with
neither fails `test_every_pattern_has_an_expectation`, so a new view cannot be forgotten.

Roles: anonymous, Medarbetare, Samordnare, Granskare, Moderator, Konferensarrangör and a
superuser; admin roles have TOTP set up. Objects: the requesting user's own thread, post,
notification, registration and proposal; another person's; a thread in a closed forum
category (readable by Samordnare and Granskare); a draft page; a page restricted to the
Samordnare group. The data is built once for the module (tests/site/authz_world.py,
the `world` fixture in tests/site/conftest.py).

Outcomes: an HTTP status, or LOGIN (a redirect to the sign-in page). Unreadable objects
are 404 (indistinguishable from missing ones); readable ones the user may not change, and
pages of a role the user does not hold, are 403.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import resolve, reverse

from tests.urlwalk import ENDPOINTS

from .authz_world import ADMIN_ROLES, ANONYMOUS, ROLES, SEARCH_WORD, SIGNED_IN, World

LOGIN = "login"
UrlBuilder = Callable[[World, str], str]


# --- building expectations --------------------------------------------------------------


def everyone(outcome, **overrides) -> dict[str, object]:
    """Anonymous visitors go to sign-in; every signed-in role gets `outcome` unless named."""
    result = {ANONYMOUS: LOGIN, **{role: outcome for role in SIGNED_IN}}
    result.update(overrides)
    return result


def only(roles, allowed, denied, **overrides) -> dict[str, object]:
    """`allowed` for the named roles, `denied` for the other signed-in ones."""
    result = everyone(denied)
    result.update({role: allowed for role in roles})
    result.update(overrides)
    return result


CLOSED_READERS = ["samordnare", "granskare", "superuser"]  # the closed category's groups
MODERATORS = ["moderator", "superuser"]  # Moderator moderates every open category
ORGANISERS = ["konferensarrangor", "superuser"]
PRIVATE_PAGE_READERS = ["samordnare", "superuser"]


def url(name: str, *args: Callable[[World, str], object]) -> UrlBuilder:
    """A URL builder; each argument is a function of (world, role)."""
    return lambda world, role: reverse(name, args=[arg(world, role) for arg in args])


def own(attribute: str, pk: bool = True):
    def get(world, role):
        if role == ANONYMOUS:  # anonymous visitors own nothing: use Medarbetare's
            role = "medarbetare"
        value = getattr(world.own[role], attribute)
        return value.pk if pk and hasattr(value, "pk") else value
    return get


def other(attribute: str, pk: bool = True):
    def get(world, role):
        value = getattr(world.other, attribute)
        return value.pk if pk and hasattr(value, "pk") else value
    return get


def own_uid(world, role):
    return world.own["medarbetare" if role == ANONYMOUS else role].registration.uid


def others_uid(world, role):
    return world.other.registration.uid


def obj(name: str, attribute: str = "pk"):
    return lambda world, role: getattr(world.objects[name], attribute)


def fixed(value):
    return lambda world, role: value


@dataclass(frozen=True)
class Row:
    """Expected outcomes per object (label → URL builder) and role."""

    objects: dict[str, UrlBuilder]
    expect: dict[str, dict[str, object]]
    method: str = "GET"
    data: dict = field(default_factory=dict)
    note: str = ""


def get(url_builder: UrlBuilder, expect: dict, **kwargs) -> Row:
    return Row({"-": url_builder}, {"-": expect}, **kwargs)


def post(url_builder: UrlBuilder, expect: dict, data=None, **kwargs) -> Row:
    return Row({"-": url_builder}, {"-": expect}, method="POST", data=data or {}, **kwargs)


def path(value: str) -> UrlBuilder:
    return lambda world, role: value


EDITION_YEAR = obj("edition", "year")

# --- the table ----------------------------------------------------------------------------

OPEN_THREAD = other("thread")
CLOSED_THREAD = obj("closed_thread")
CLOSED_POST = obj("closed_post")
OTHERS_POST = other("post")
OWN_POST = own("post")
OPEN_SLUG = obj("open_category", "slug")
CLOSED_SLUG = obj("closed_category", "slug")


def closed(allowed, denied=404, **overrides):
    """An object in the closed category: readable only by its groups (and superusers)."""
    return only(CLOSED_READERS, allowed, denied, **overrides)


def thread_rows(name: str, method: str = "GET", *, open_=200, closed_=200, data=None) -> Row:
    return Row({"open": url(name, OPEN_THREAD), "closed": url(name, CLOSED_THREAD)},
               {"open": everyone(open_), "closed": closed(closed_)}, method=method,
               data=data or {})


def category_rows(name: str, method: str = "GET", *, outcome=200, data=None) -> Row:
    return Row({"open": url(name, OPEN_SLUG), "closed": url(name, CLOSED_SLUG)},
               {"open": everyone(outcome), "closed": closed(outcome)}, method=method,
               data=data or {})


def post_rows(name: str, *, own_, others, closed_, hidden, deleted, method="GET",
              data=None, note="") -> Row:
    """A view on one post: the user's own reply, another person's, one in the closed
    category, a hidden one and a (softly) deleted one, both by another person."""
    return Row(
        {"own": url(name, OWN_POST), "other's": url(name, OTHERS_POST),
         "closed": url(name, CLOSED_POST), "hidden": url(name, obj("hidden_post")),
         "deleted": url(name, obj("deleted_post"))},
        {"own": own_, "other's": others, "closed": closed_, "hidden": hidden,
         "deleted": deleted},
        method=method, data=data or {}, note=note,
    )


def organiser_only(name: str, *args, allowed=200, method="GET", data=None) -> Row:
    builder = url(name, EDITION_YEAR, *args)
    return Row({"-": builder}, {"-": only(ORGANISERS, allowed, 403)}, method=method,
               data=data or {})


def page_rows(builder_for: Callable[[str], UrlBuilder], *, live, draft, private) -> Row:
    return Row({"live": builder_for("live_page"), "draft": builder_for("draft_page"),
                "private": builder_for("private_page")},
               {"live": live, "draft": draft, "private": private})


def page_url(name: str) -> UrlBuilder:
    return lambda world, role: world.objects[name].url


def admin_page_url(view: str) -> Callable[[str], UrlBuilder]:
    return lambda name: url(view, obj(name))


# Wagtail admin gate: signed-in users without admin access get a 403 before any admin view
# (accounts.middleware.AdminRequiresMFAMiddleware).
def admin(allowed, denied=403, **overrides):
    return only(ADMIN_ROLES, allowed, denied, **overrides)


EXPECTATIONS: dict[str, Row] = {
    # --- site-wide -----------------------------------------------------------------------
    "healthz": get(path("/healthz"), everyone(200, anonymous=200)),
    "accounts:profile": get(path("/profil/"), everyone(200)),
    # The other logins forward to allauth's, for everyone.
    "admin_login_redirect": get(path("/admin/login/"), admin(LOGIN),
                                note="behind the admin gate: 403 for roles without admin"),
    "wagtail_frontend_login_redirect": get(path("/_util/login/"),
                                           everyone(LOGIN, anonymous=LOGIN)),
    "wagtailcore_login": get(path("/_util/login/"), everyone(LOGIN, anonymous=LOGIN),
                             note="shadowed by wagtail_frontend_login_redirect"),
    # Accessibility feedback (site/accessibility, the a11y helper's app)
    "accessibility:feedback": get(path("/tillganglighet/synpunkter/"), everyone(200)),
    "accessibility:feedback_thanks": get(path("/tillganglighet/synpunkter/tack/"),
                                         everyone(200)),
    # Privacy (site/privacy, the privacy helper's app): always the signed-in user's own data
    "privacy:my_data": get(path("/mina-uppgifter/"), everyone(200)),
    "privacy:my_data_export": get(path("/mina-uppgifter/export.json"), everyone(200)),
    "privacy:erase_account": get(path("/mina-uppgifter/radera-konto/"), everyone(302),
                                 note="asks for the password again first (reauthentication)"),
    "privacy:retention": get(path("/personuppgifter/lagring/"), everyone(200)),
    # --- pages (Wagtail serve): drafts are never served, the private page only to its group
    "wagtail_serve": page_rows(
        page_url, live=everyone(200), draft=everyone(404),
        private=only(PRIVATE_PAGE_READERS, 200, 403)),
    "wagtailcore_authenticate_with_password": get(
        path("/_util/authenticate_with_password/999999/999999/"), everyone(404),
        note="pages have no password restrictions; Wagtail's form for a missing one"),
    "wagtaildocs_serve": get(path("/dokument/999999/x.pdf"), everyone(404)),
    "wagtaildocs_authenticate_with_password": get(
        path("/dokument/authenticate_with_password/999999/"), everyone(404)),
    # --- search (what each role finds: test_search_shows_only_readable_objects) --------
    "search": get(path(f"/sok/?q={SEARCH_WORD}"), everyone(200)),
    "search_api": get(path(f"/api/sok/?q={SEARCH_WORD}"), everyone(200)),
    "search_suggest": get(path(f"/api/sok/forslag/?q={SEARCH_WORD[:4]}"), everyone(200)),
    # --- forum: reading ------------------------------------------------------------------
    "forum:index": get(path("/forum/"), everyone(200)),
    "forum:category": category_rows("forum:category"),
    "forum:tag": get(url("forum:tag", obj("tag", "slug")), everyone(200)),
    "forum:thread": thread_rows("forum:thread"),
    "forum:post": post_rows(
        "forum:post", own_=everyone(302), others=everyone(302), closed_=closed(302),
        hidden=everyone(302), deleted=everyone(302),
        note="a permalink redirects to the thread page, where the post's text is decided"),
    "forum:profile": Row(
        {"other's": url("forum:profile", lambda world, role: world.users["stranger"].pk),
         "missing": url("forum:profile", fixed(2_000_000_000))},
        {"other's": everyone(200), "missing": everyone(404)},
        note="public within MR-navet; lists only posts the viewer may read "
             "(test_forum_profile_lists_only_readable_posts)"),
    # --- forum: writing ------------------------------------------------------------------
    "forum:new_thread": category_rows("forum:new_thread"),
    "forum:reply": thread_rows("forum:reply"),
    "forum:save_draft": thread_rows("forum:save_draft", "POST", open_=302, closed_=302,
                                    data={"text": "Ett utkast."}),
    "forum:preview": post(path("/forum/forhandsvisning/"), everyone(200),
                          data={"text": "**fet**"}),
    "forum:edit_post": post_rows(
        "forum:edit_post", own_=everyone(200), others=only(MODERATORS, 200, 403),
        closed_=closed(403, superuser=200),
        hidden=only(MODERATORS, 200, 404), deleted=only(MODERATORS, 200, 404)),
    "forum:delete_post": post_rows(
        "forum:delete_post", own_=everyone(200), others=only(MODERATORS, 200, 403),
        closed_=closed(403, superuser=200),
        hidden=only(MODERATORS, 200, 404), deleted=only(MODERATORS, 302, 404)),
    "forum:post_history": post_rows(
        "forum:post_history", own_=everyone(200), others=everyone(200), closed_=closed(200),
        hidden=only(MODERATORS, 200, 404), deleted=only(MODERATORS, 200, 404)),
    "forum:react": post_rows(
        "forum:react", method="POST", data={"kind": "tack"},
        own_=everyone(403), others=everyone(302), closed_=closed(302),
        hidden=everyone(404), deleted=everyone(404)),
    "forum:accept_answer": Row(
        {"own": url("forum:accept_answer", own("thread")),
         "other's": url("forum:accept_answer", OPEN_THREAD)},
        {"own": everyone(400), "other's": only(MODERATORS, 400, 403)},
        method="POST", data={"post": "not-a-number"},
        note="allowed: the bad post id is a 400; not allowed: 403 before the form"),
    "forum:flag_post": post_rows(
        "forum:flag_post", own_=everyone(403), others=everyone(200), closed_=closed(200),
        hidden=only(MODERATORS, 200, 404), deleted=only(MODERATORS, 200, 404)),
    # --- forum: following and notifications ---------------------------------------------
    "forum:watch_thread": thread_rows("forum:watch_thread", "POST", open_=302, closed_=302,
                                      data={"level": "2"}),
    "forum:watch_category": category_rows("forum:watch_category", "POST", outcome=302,
                                          data={"level": "2"}),
    "forum:watch_tag": post(url("forum:watch_tag", obj("tag", "slug")), everyone(302),
                            data={"level": "2"}),
    "forum:mark_category_read": category_rows("forum:mark_category_read", "POST",
                                              outcome=302),
    "forum:notifications": get(path("/forum/aviseringar/"), everyone(200)),
    "forum:notifications_mark_read": post(path("/forum/aviseringar/markera-lasta/"),
                                          everyone(302)),
    "forum:open_notification": Row(
        {"own": url("forum:open_notification", own("notification")),
         "other's": url("forum:open_notification", other("notification"))},
        {"own": everyone(302), "other's": everyone(404)}, method="POST"),
    "forum:settings": get(path("/forum/installningar/"), everyone(200)),
    "forum:unsubscribe": get(path("/forum/avregistrera/okand-nyckel/"),
                             everyone(404, anonymous=404),
                             note="public one-click link: the secret token is the key"),
    # --- forum: moderation ---------------------------------------------------------------
    # Samordnare and Granskare moderate the seeded closed Samordnarnätverket (full access),
    # so they have a (then empty) queue and log; the flag itself is in an open category.
    "forum:moderation_queue": get(path("/forum/moderering/"),
                                  only([*MODERATORS, *CLOSED_READERS], 200, 403)),
    "forum:moderation_log": get(path("/forum/moderering/logg/"),
                                only([*MODERATORS, *CLOSED_READERS], 200, 403)),
    "forum:resolve_flag": post(url("forum:resolve_flag", obj("flag")),
                               only(MODERATORS, 400, 403), data={"decision": "nonsense"}),
    "forum:hide_post": post_rows(
        "forum:hide_post", own_=only(MODERATORS, 200, 403),
        others=only(MODERATORS, 200, 403), closed_=closed(403, superuser=200),
        hidden=only(MODERATORS, 200, 404), deleted=only(MODERATORS, 200, 404)),
    "forum:thread_tools": Row(
        {"open": url("forum:thread_tools", OPEN_THREAD),
         "closed": url("forum:thread_tools", CLOSED_THREAD)},
        {"open": only(MODERATORS, 200, 403), "closed": closed(403, superuser=200)}),
    # --- conference: attendees -----------------------------------------------------------
    "conference:programme_ics": get(url("conference:programme_ics", EDITION_YEAR),
                                    everyone(200)),
    "conference:register": get(url("conference:register", EDITION_YEAR), everyone(200)),
    "conference:my_registration": get(url("conference:my_registration", EDITION_YEAR),
                                      everyone(200)),
    "conference:manage": Row(
        {"own": url("conference:manage", own("token")),
         "other's": url("conference:manage", other("token"))},
        {"own": everyone(200), "other's": everyone(404)},
        note="the personal link works only for the registration's owner"),
    "conference:change_sessions": Row(
        {"own": url("conference:change_sessions", own("token")),
         "other's": url("conference:change_sessions", other("token"))},
        {"own": everyone(302), "other's": everyone(404)}, method="POST",
        data={"slot": "x"}, note="unknown fields are ignored: the same sessions, no change"),
    "conference:cancel": Row(
        {"own": url("conference:cancel", own("token")),
         "other's": url("conference:cancel", other("token"))},
        {"own": everyone(200), "other's": everyone(404)}),
    "conference:respond_to_offer": Row(
        {"own": url("conference:respond_to_offer", own("token")),
         "other's": url("conference:respond_to_offer", other("token"))},
        {"own": everyone(400), "other's": everyone(404)}, method="POST",
        data={"answer": "x"}),
    "conference:personal_ics": Row(
        {"own": url("conference:personal_ics", own("token")),
         "other's": url("conference:personal_ics", other("token"))},
        {"own": everyone(200), "other's": everyone(404)}),
    "conference:feedback": get(url("conference:feedback", EDITION_YEAR), everyone(200),
                               note="before the event: the survey is closed"),
    # --- conference: proposals -----------------------------------------------------------
    "conference:submit_proposal": get(url("conference:submit_proposal", EDITION_YEAR),
                                      everyone(200)),
    "conference:my_proposals": get(url("conference:my_proposals", EDITION_YEAR),
                                   everyone(200)),
    "conference:review_list": organiser_only("conference:review_list"),
    "conference:review": Row(
        {"own": url("conference:review", EDITION_YEAR, own("proposal")),
         "other's": url("conference:review", EDITION_YEAR, other("proposal"))},
        {"own": only(ORGANISERS, 200, 403), "other's": only(ORGANISERS, 200, 403)}),
    # --- conference: organisers ----------------------------------------------------------
    "conference:dashboard": organiser_only("conference:dashboard"),
    "conference:participants": organiser_only("conference:participants"),
    "conference:needs": get(url("conference:needs", EDITION_YEAR),
                            only(["superuser"], 200, 403),
                            note="needs data: conference.view_needs, held by no role"),
    "conference:export": organiser_only("conference:export", fixed("deltagare"),
                                        fixed("csv")),
    "conference:badges": organiser_only("conference:badges"),
    "conference:checkin": organiser_only("conference:checkin"),
    "conference:checkin_one": Row(
        {"own": url("conference:checkin_one", EDITION_YEAR, own_uid),
         "other's": url("conference:checkin_one", EDITION_YEAR, others_uid)},
        {"own": only(ORGANISERS, 200, 403), "other's": only(ORGANISERS, 200, 403)}),
    "conference:audit_log": organiser_only("conference:audit_log"),
    # --- Wagtail admin entry points ------------------------------------------------------
    "wagtailadmin_home": get(path("/admin/"), admin(200)),
    "wagtailadmin_explore_root": get(path("/admin/pages/"), admin(200, konferensarrangor=302),
                                     note="Konferensarrangör is sent to the Konferens pages"),
    "wagtailadmin_pages:edit": Row(
        {"live": admin_page_url("wagtailadmin_pages:edit")("live_page"),
         "draft": admin_page_url("wagtailadmin_pages:edit")("draft_page")},
        {"live": admin(200, konferensarrangor=302), "draft": admin(200, konferensarrangor=302)},
        note="editors edit drafts and live pages alike; Konferensarrangör only the Konferens "
             "pages (Wagtail's 'no permission' is a redirect to the dashboard)"),
    "wagtailadmin_pages:history": get(
        admin_page_url("wagtailadmin_pages:history")("draft_page"),
        admin(200, konferensarrangor=302)),
}


@dataclass(frozen=True)
class Family:
    """Many third-party views behind one gate. `pattern` matches the URL name (or, for
    unnamed patterns, the pattern as written); `probe` is requested per role."""

    pattern: str
    expect: dict[str, object]
    probe: str  # a URL name in the family, requested with every role
    note: str
    gate: tuple[str, ...] = ("/admin/", "/django-admin/")  # where every member must live

    def matches(self, endpoint) -> bool:
        return re.fullmatch(self.pattern, endpoint.name or endpoint.description) is not None


SUPERUSER_ONLY = admin(302, superuser=200)  # Wagtail's "no permission": back to the dashboard


def snippets(app_model: str, editors, note: str) -> list[Family]:
    """A snippet model's admin views (list, add, edit, delete, history, ...) and its
    chooser, probed at the list; `editors` are the roles whose group may change it."""
    return [
        Family(rf"wagtailsnippets_{app_model}:.*", admin(302, **dict.fromkeys(editors, 200)),
               f"wagtailsnippets_{app_model}:list", note),
        Family(rf"wagtailsnippetchoosers_{app_model}:.*", admin(200),
               f"wagtailsnippetchoosers_{app_model}:choose",
               "choosers list the items to link to, for every admin role"),
    ]


FAMILIES: list[Family] = [
    # --- the project's snippets: who edits what ----------------------------------------
    *snippets("forum_category", ["superuser"], "forum structure: superusers"),
    *snippets("forum_categorypermission", ["superuser"], "forum permissions: superusers"),
    *snippets("forum_tag", ["superuser"], "forum tags: superusers"),
    *snippets("conference_session", ORGANISERS, "programme: Konferensarrangör"),
    *snippets("conference_room", ORGANISERS, "rooms: Konferensarrangör"),
    *snippets("conference_timeslot", ORGANISERS, "time slots: Konferensarrangör"),
    *snippets("conference_conferenceemailtemplate", ORGANISERS, "emails: Konferensarrangör"),
    *snippets("search_synonym", ["samordnare", "superuser"], "synonyms: Samordnare"),
    *snippets("search_pinnedresult", ["samordnare", "superuser"], "pinned results: Samordnare"),
    *snippets("cms_rightsarea", ["superuser"], "taxonomy: superusers"),
    *snippets("cms_organisationunit", ["superuser"], "taxonomy: superusers"),
    *snippets("cms_principle", ["superuser"], "taxonomy: superusers"),
    *snippets("cms_staircasestep", ["superuser"], "taxonomy: superusers"),
    *snippets("cms_targetgroup", ["superuser"], "taxonomy: superusers"),
    Family(r"accessibility_feedback:.*", SUPERUSER_ONLY, "accessibility_feedback:list",
           "accessibility reports: view_accessibilityfeedback (superusers); read-only"),
    Family(r"wagtailsnippetchoosers_accessibility_accessibilityfeedback:.*", admin(200),
           "wagtailsnippetchoosers_accessibility_accessibilityfeedback:choose",
           "the chooser Wagtail adds for every snippet"),
    # --- Wagtail's own admin ---------------------------------------------------------------
    Family(r"wagtailsnippets:.*", admin(302), "wagtailsnippets:index",
           "the old snippet index redirects to the admin's menu entries"),
    Family(r"wagtailadmin_pages:.*|wagtailadmin_explore.*|wagtailadmin_choose_page.*"
           r"|wagtail_bulk_action|wagtailadmin_editing_sessions:.*|wagtailadmin_block_preview",
           admin(200), "wagtailadmin_choose_page",
           "page tree views; page permissions decide per page (rows above)"),
    Family(r"wagtailadmin_workflows:.*", SUPERUSER_ONLY, "wagtailadmin_workflows:index",
           "workflow set-up: superusers"),
    Family(r"wagtailadmin_reports:.*", admin(200), "wagtailadmin_reports:aging_pages",
           "page reports for editors"),
    Family(r"wagtailimages.*", admin(200), "wagtailimages:index",
           "images: every admin role's collection permissions"),
    Family(r"wagtaildocs:.*|wagtaildocs_chooser:.*", admin(200), "wagtaildocs:index",
           "documents: every admin role's collection permissions"),
    Family(r"wagtailusers_users:.*|wagtailusers_groups:.*", SUPERUSER_ONLY,
           "wagtailusers_users:index", "users and groups: superusers"),
    Family(r"wagtailsites:.*|wagtailredirects:.*|wagtailsettings:.*|wagtailadmin_collections:.*",
           SUPERUSER_ONLY, "wagtailsites:index", "site settings: superusers"),
    Family(r"wagtailforms:.*", admin(200), "wagtailforms:index", "form submissions (none)"),
    Family(r"wagtailembeds:.*|wagtailadmin_api:.*|wagtailadmin_tag.*|wagtailadmin_sprite"
           r"|wagtailadmin_javascript_catalog|wagtailadmin_dismissibles|wagtailadmin_account"
           r"|wagtailadmin_error_test|wagtailadmin_logout|admin/test404/|admin/.*",
           admin(200), "wagtailadmin_account",
           "helpers of the admin's own pages, behind the admin gate"),
    Family(r"wagtailadmin_login|wagtailadmin_password_reset.*", admin(200), "wagtailadmin_home",
           "shadowed by admin/login/ (allauth) or unused; the gate is the same"),
    # --- allauth: the signed-in user's own account ----------------------------------------
    Family(r"account_(email|change_password|set_password|reauthenticate"
           r"|request_reauthentication_code|confirm_reauthentication_code)|mfa_(index"
           r"|reauthenticate|activate_totp|deactivate_totp|view_recovery_codes"
           r"|generate_recovery_codes|download_recovery_codes)|socialaccount_connections"
           r"|konto/social/connections/",
           everyone(200), "account_email", "about the signed-in user only; no other user's "
           "data is reachable through these URLs", gate=("/konto/",)),
    Family(r"account_(login|signup|reset_password|reset_password_done|inactive"
           r"|email_verification_sent|confirm_email|confirm_login_code|logout"
           r"|reset_password_from_key|reset_password_from_key_done)|mfa_authenticate"
           r"|socialaccount_(login_cancelled|login_error|signup)|openid_connect_.*"
           r"|konto/social/.*",
           everyone(302, anonymous=200), "account_login",
           "public sign-in pages; a signed-in user is sent on", gate=("/konto/",)),
    # --- Django admin: staff only (superusers here) ------------------------------------------
    Family(r"admin:.*|django-admin/.*", admin(LOGIN, superuser=200), "admin:index",
           "Django admin: superusers; other admin roles are not staff"),
]


# --- running ------------------------------------------------------------------------------


def outcome_of(response) -> object:
    if response.status_code == 302:
        location = urlsplit(response["Location"]).path
        if location in (reverse("account_login"), "/admin/login/", "/django-admin/login/"):
            return LOGIN
    return response.status_code


def request(client, row: Row, target: str):
    if row.method == "POST":
        return client.post(target, row.data)
    return client.get(target)


def check_row(name: str, row: Row, world: World, clients) -> list[str]:
    problems = []
    for label, builder in row.objects.items():
        for role in ROLES:
            expected = row.expect[label][role]
            target = builder(world, role)
            response = request(clients[role], row, target)
            found = outcome_of(response)
            if found != expected:
                problems.append(f"{name} [{label}] {row.method} {target} as {role}: "
                                f"expected {expected}, got {found}")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_expected_outcomes(name, world, clients):
    problems = check_row(name, EXPECTATIONS[name], world, clients)
    assert not problems, "\n".join(problems)


def test_every_pattern_has_an_expectation():
    missing = sorted(
        f"{endpoint.name or '(unnamed)'}: {endpoint.description}"
        for endpoint in ENDPOINTS
        if endpoint.name not in EXPECTATIONS and not any(f.matches(endpoint) for f in FAMILIES)
    )
    assert not missing, (
        "URL patterns without an entry in the authorisation matrix "
        "(tests/site/test_authz_matrix.py EXPECTATIONS or FAMILIES):\n" + "\n".join(missing)
    )


def test_the_admin_gate_is_the_middlewares():
    assert tuple(settings.CSP_ADMIN_PATH_PREFIXES) == Family.gate


@pytest.mark.django_db
@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.probe)
def test_family_gate(family, world, clients):
    """Every member lies behind the admin gate, and the probe answers each role as
    expected."""
    members = [e for e in ENDPOINTS if family.matches(e) and e.name not in EXPECTATIONS]
    assert members, f"{family.pattern} matches no URL pattern"
    outside = [e.url for e in members if not e.url.startswith(family.gate)]
    assert not outside, f"{family.pattern}: outside the admin gate: {outside}"
    row = get(path(reverse(family.probe)), family.expect)
    problems = check_row(family.probe, row, world, clients)
    assert not problems, "\n".join(problems)


# --- search: what each role finds ---------------------------------------------------------

FINDABLE = {  # title fragment → roles that find it (drafts: nobody)
    "Öppen tråd": SIGNED_IN,
    "Stängd tråd": CLOSED_READERS,
    "Publicerad metod": SIGNED_IN,
    "Privat metod": PRIVATE_PAGE_READERS,
    "Utkast metod": [],
    "Konferenspass": SIGNED_IN,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_search_shows_only_readable_objects(role, world, clients):
    client = clients[role]
    page = client.get("/sok/", {"q": SEARCH_WORD}).content.decode()
    api = client.get("/api/sok/", {"q": SEARCH_WORD}).json()
    api_titles = " ".join(hit["title"] for hit in api["results"])
    suggestions = " ".join(
        item["title"]
        for item in client.get("/api/sok/forslag/", {"q": SEARCH_WORD}).json()["suggestions"])
    for fragment, readers in FINDABLE.items():
        expected = role in readers
        assert (fragment in page) == expected, (role, fragment, "/sok/")
        assert (fragment in api_titles) == expected, (role, fragment, "/api/sok/")
        if not expected:
            assert fragment not in suggestions, (role, fragment, "/api/sok/forslag/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["medarbetare", "samordnare"])
def test_forum_profile_lists_only_readable_posts(role, world, clients):
    url = reverse("forum:profile", args=[world.users["stranger"].pk])
    html = clients[role].get(url).content.decode()
    assert ("Stängd tråd" in html) == (role in CLOSED_READERS)
    assert "Öppen tråd" in html
