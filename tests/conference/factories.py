"""Conference factories: an index under the home page, editions (open for registration by
default), rooms, time slots and sessions, plus `register()` going through booking.py.

Other engineers: add your factories at the end of this file.
"""

from __future__ import annotations

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from cms.conference import booking
from cms.conference.models import ConferenceIndexPage, EditionPage, Room, Session, TimeSlot
from cms.site_structure import get_home


def conference_index() -> ConferenceIndexPage:
    """The single Konferens index (created on first use)."""
    return ConferenceIndexPage.objects.first() or ConferenceIndexFactory()


def _in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


class ConferenceIndexFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ConferenceIndexPage
        django_get_or_create = ("parent", "slug")

    parent = factory.LazyFunction(get_home)
    title = "Konferens"
    slug = "konferens"
    live = True
    show_in_menus = True


class EditionFactory(wagtail_factories.PageFactory):
    """An edition whose registration opened yesterday and closes in 30 days."""

    class Meta:
        model = EditionPage

    parent = factory.LazyFunction(conference_index)
    year = factory.Sequence(lambda n: 2100 + n)
    title = factory.LazyAttribute(lambda o: f"MR-konferensen {o.year}")
    slug = factory.LazyAttribute(lambda o: str(o.year))
    live = True
    starts_at = factory.LazyFunction(lambda: _in_days(40))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=7))
    venue = "Malmö Live"
    venue_address = "Dag Hammarskjölds torg 4, Malmö"
    capacity = 100
    registration_opens_at = factory.LazyFunction(lambda: _in_days(-1))
    registration_closes_at = factory.LazyFunction(lambda: _in_days(30))
    change_deadline = factory.LazyFunction(lambda: _in_days(20))
    privacy_notice = "<p>Vi behandlar dina uppgifter för att kunna genomföra konferensen.</p>"
    contact_email = "konferens@malmo.se"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Sal {n}")
    capacity = 50
    step_free = True
    hearing_loop = False


class TimeSlotFactory(factory.django.DjangoModelFactory):
    """A one-hour slot on the edition's day; pass `starts_at=` for another time."""

    class Meta:
        model = TimeSlot

    edition = factory.SubFactory(EditionFactory)
    starts_at = factory.LazyAttribute(lambda o: o.edition.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    label = factory.Sequence(lambda n: f"Pass {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    """A session needing signup; capacity None means the room's capacity.

    Pass `edition=` (a new slot in it is made) or `slot=` (its edition is used).
    """

    class Meta:
        model = Session
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory)
    slot = factory.SubFactory(TimeSlotFactory, edition=factory.SelfAttribute("..edition"))
    kind = Session.Kind.PARALLEL
    title = factory.Sequence(lambda n: f"Programpunkt {n}")
    description = "Ett pass om hur vi arbetar med mänskliga rättigheter."
    presenters = "Anna Andersson, Bo Berg"
    room = factory.SubFactory(RoomFactory)
    capacity = None
    requires_signup = True

    @factory.post_generation
    def rights_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.rights_areas.set(extracted)

    @classmethod
    def _generate(cls, strategy, params):
        if "edition" not in params:
            if params.get("slot") is not None:
                params["edition"] = params["slot"].edition
            elif "slot__edition" in params:
                params["edition"] = params["slot__edition"]
        return super()._generate(strategy, params)


def register(user, edition, sessions=(), needs=None, organisation_unit=None, now=None):
    """Register through booking.register; returns (registration, token).

    `sessions` are Session objects or ids; `needs` a booking.Needs or a dict of its fields.
    The organisation unit defaults to the user's own.
    """
    session_ids = [getattr(s, "pk", s) for s in sessions]
    if isinstance(needs, dict):
        needs = booking.Needs(**needs)
    if organisation_unit is None:
        organisation_unit = getattr(user, "organisation_unit", None)
    return booking.register(user, edition, organisation_unit, session_ids, needs, now=now)


# --- organiser, proposals and feedback (appended by the organiser engineer) -----------------

def grant(user, *codenames: str):
    """Give `user` conference permissions directly (e.g. "view_needs"); returns a fresh copy
    so the permission cache is empty."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="conference", codename__in=codenames))
    return type(user).objects.get(pk=user.pk)


def organiser(view_needs: bool = False, **kwargs):
    """A Konferensarrangör (the role carries conference.manage_conference), optionally also
    holding conference.view_needs."""
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import KONFERENSARRANGOR, ensure_roles
    from tests.factories import UserFactory

    ensure_roles()
    group = Group.objects.get(name=KONFERENSARRANGOR)
    # Idempotent: the conference data migration grants this to the role as well.
    group.permissions.add(Permission.objects.get(content_type__app_label="conference",
                                                 codename="manage_conference"))
    user = UserFactory(roles=[KONFERENSARRANGOR], **kwargs)
    return grant(user, "view_needs") if view_needs else type(user).objects.get(pk=user.pk)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A submitted proposal; pass `rights_areas=[...]` to set them."""

    class Meta:
        model = "conference.Proposal"
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory, proposals_open=True)
    submitted_by = factory.SubFactory("tests.factories.UserFactory")
    title = factory.Sequence(lambda n: f"Ett gott exempel {n}")
    abstract = "Så arbetade vi med barns rätt till delaktighet."
    format = "presentation"
    organisation_unit = factory.SubFactory("tests.factories.OrganisationUnitFactory")
    co_presenters = "Cecilia Ceder"

    @factory.post_generation
    def rights_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.rights_areas.set(extracted)


# --- attendee pages (attendee engineer) ---------------------------------------------------

def build_programme(edition, slots: int = 2, per_slot: int = 2, **session_kwargs):
    """`slots` consecutive one-hour time slots with `per_slot` sessions each; returns the
    sessions as a list per slot."""
    programme = []
    for n in range(slots):
        starts_at = edition.starts_at + datetime.timedelta(hours=n)
        slot = TimeSlotFactory(edition=edition, starts_at=starts_at,
                               ends_at=starts_at + datetime.timedelta(hours=1))
        programme.append([SessionFactory(slot=slot, **session_kwargs) for _ in range(per_slot)])
    return programme
