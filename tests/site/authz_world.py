"""The data the authorisation matrix runs against: one user per role, and for each of them
their own forum thread, reply, edited post, notification, conference registration and
proposal, plus other people's, a closed forum category, a draft page and a private page.

Built once per test module (tests/site/test_authz_matrix.py) inside a transaction that is
rolled back at the end, so nothing leaks into other modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.test import TestCase
from wagtail.models import Page, PageViewRestriction

from accounts.roles import (
    GRANSKARE,
    KONFERENSARRANGOR,
    MEDARBETARE,
    MODERATOR,
    SAMORDNARE,
    ensure_roles,
)
from cms.conference.models import Proposal, Registration
from forum import moderation, services
from forum.models import Notification, Post, Thread
from search.indexing import rebuild
from tests.cms.factories import MethodPageFactory
from tests.conference.factories import (
    EditionFactory,
    ProposalFactory,
    SessionFactory,
    organiser,
    register,
)
from tests.factories import SuperuserFactory, UserFactory, enable_totp
from tests.forum.factories import (
    CategoryFactory,
    PostFactory,
    TagFactory,
    ThreadFactory,
    closed_category,
)

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, "medarbetare", "samordnare", "granskare", "moderator",
         "konferensarrangor", "superuser"]
SIGNED_IN = ROLES[1:]
ADMIN_ROLES = ["samordnare", "granskare", "konferensarrangor", "superuser"]
# A word in every searchable object's title, so one query finds them all.
SEARCH_WORD = "matrisord"


@dataclass
class Own:
    """What one user owns."""

    thread: Thread | None = None
    post: Post | None = None  # a reply in someone else's thread
    notification: Notification | None = None
    registration: Registration | None = None
    token: str = ""
    proposal: Proposal | None = None


@dataclass
class World:
    users: dict = field(default_factory=dict)
    own: dict = field(default_factory=dict)
    other: Own = field(default_factory=Own)  # owned by a user outside the matrix
    objects: dict = field(default_factory=dict)


def _user(role: str):
    ensure_roles()
    if role == "superuser":
        user = SuperuserFactory(email="matris-admin@malmo.se", display_name="Matris Admin")
    elif role == "konferensarrangor":
        user = organiser(email="matris-konferens@malmo.se", display_name="Matris Konferens")
        user.groups.add(Group.objects.get(name=MEDARBETARE))
    else:
        names = {"medarbetare": [MEDARBETARE], "samordnare": [MEDARBETARE, SAMORDNARE],
                 "granskare": [MEDARBETARE, GRANSKARE], "moderator": [MEDARBETARE, MODERATOR]}
        user = UserFactory(email=f"matris-{role}@malmo.se", display_name=f"Matris {role}",
                           roles=names[role])
    if role in ADMIN_ROLES:
        enable_totp(user)
    return type(user).objects.get(pk=user.pk)


def build_world() -> World:
    world = World()
    with TestCase.captureOnCommitCallbacks(execute=True):
        _build(world)
    rebuild("database")
    return world


def _build(world: World) -> None:
    for role in SIGNED_IN:
        world.users[role] = _user(role)
    stranger = UserFactory(email="matris-annan@malmo.se", display_name="Annan Person")
    world.users["stranger"] = stranger
    samordnare_group = Group.objects.get(name=SAMORDNARE)
    granskare_group = Group.objects.get(name=GRANSKARE)

    # --- forum ---------------------------------------------------------------------------
    open_category = CategoryFactory(name="Matris öppen", slug="matris-oppen", qa_mode=True)
    closed = closed_category(samordnare_group, granskare_group, name="Matris stängd",
                             slug="matris-stangd")
    tag = TagFactory(name="matristagg", slug="matristagg")
    other_thread = ThreadFactory(category=open_category, author=stranger, tags=[tag],
                                 title=f"Öppen tråd {SEARCH_WORD}", text="Öppen text.")
    closed_thread = ThreadFactory(category=closed, author=stranger,
                                  title=f"Stängd tråd {SEARCH_WORD}", text="Hemlig text.")
    closed_post = PostFactory(thread=closed_thread, author=stranger, text="Svar i stängd.")
    other_post = PostFactory(thread=other_thread, author=stranger, text="Första versionen.")
    services.edit_post(stranger, other_post, "Andra versionen, utan personnummer.")
    hidden_post = PostFactory(thread=other_thread, author=stranger, text="Dold text.")
    moderation.hide_post(world.users["superuser"], hidden_post, "Personuppgifter")
    deleted_post = PostFactory(thread=other_thread, author=stranger, text="Borttagen text.")
    services.delete_post(stranger, deleted_post)
    flag = moderation.create_flag(world.users["medarbetare"], other_post, "fel-amne")
    world.other = Own(thread=other_thread, post=other_post)
    world.objects.update(
        open_category=open_category, closed_category=closed, tag=tag,
        closed_thread=closed_thread, closed_post=closed_post, hidden_post=hidden_post,
        deleted_post=deleted_post, flag=flag,
    )

    # --- pages ---------------------------------------------------------------------------
    live_page = MethodPageFactory(title=f"Publicerad metod {SEARCH_WORD}")
    draft_page = MethodPageFactory(title=f"Utkast metod {SEARCH_WORD}", live=False,
                                   first_published_at=None, last_published_at=None)
    private_page = MethodPageFactory(title=f"Privat metod {SEARCH_WORD}")
    restriction = PageViewRestriction.objects.create(
        page=private_page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([samordnare_group])
    world.objects.update(live_page=live_page, draft_page=Page.objects.get(pk=draft_page.pk),
                         private_page=private_page)

    # --- conference ----------------------------------------------------------------------
    edition = EditionFactory(year=2091, proposals_open=True)
    session = SessionFactory(edition=edition, title=f"Konferenspass {SEARCH_WORD}")
    other_registration, other_token = register(stranger, edition, sessions=[session])
    other_proposal = ProposalFactory(edition=edition, submitted_by=stranger)
    world.other.registration, world.other.token = other_registration, other_token
    world.other.proposal = other_proposal
    world.objects.update(edition=edition, session=session)

    # --- what each role owns -------------------------------------------------------------
    for role in SIGNED_IN:
        user = world.users[role]
        own = Own()
        own.thread = ThreadFactory(category=open_category, author=user,
                                   title=f"Tråd av {role}", text=f"Text av {role}.")
        own.post = PostFactory(thread=other_thread, author=user, text=f"Svar av {role}.")
        services.edit_post(user, own.post, f"Ändrat svar av {role}.")
        own.notification = Notification.objects.create(
            user=user, kind=Notification.Kind.choices[0][0], thread=other_thread,
            post=other_post, actor=stranger)
        own.registration, own.token = register(user, edition, sessions=[session])
        own.proposal = ProposalFactory(edition=edition, submitted_by=user)
        world.own[role] = own
    world.other.notification = Notification.objects.create(
        user=stranger, kind=Notification.Kind.choices[0][0], thread=other_thread,
        post=other_post, actor=world.users["medarbetare"])
