"""Wagtail admin for the programme: rooms, time slots and sessions under one "Konferens" menu.

Editions themselves are pages (Sidor → Konferens). Only superusers and holders of
`conference.manage_conference` (the Konferensarrangör group, see setup.py) may see or edit
these lists. Both conference permissions — manage_conference and view_needs — are shown in
the group editor (Inställningar → Grupper, under "konferensår"); view_needs is given to no
group by default: a superuser creates a small group for the named people who handle diet
and accessibility needs and ticks it there.

The forms refuse what would break bookings: a slot from another edition, fewer places than
are already taken, and moving a session or slot that people have booked.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Room, Session, SessionBooking, TimeSlot

MANAGE_CODENAME = "manage_conference"
MANAGE_PERM = f"conference.{MANAGE_CODENAME}"


class ConferenceAdminPolicy(BasePermissionPolicy):
    """Every action on the model needs `conference.manage_conference` (superusers have it)."""

    def user_has_permission(self, user, action):
        return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE_PERM))

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        permission = Permission.objects.filter(content_type__app_label="conference",
                                               codename=MANAGE_CODENAME)
        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission),
            is_active=True,
        ).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


for _model in (Room, TimeSlot, Session):
    register_permission_policy(_model, ConferenceAdminPolicy(_model), exact_class=True)


def _holding(session: Session) -> int:
    """Seats taken: confirmed bookings plus unexpired offers."""
    return session.bookings.filter(
        Q(status=SessionBooking.Status.CONFIRMED)
        | Q(status=SessionBooking.Status.OFFERED, offer_expires_at__gt=timezone.now())
    ).count()


def _has_active_bookings(session_ids) -> bool:
    return SessionBooking.objects.filter(session_id__in=session_ids,
                                         status__in=SessionBooking.ACTIVE).exists()


class TimeSlotForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Tidpasset måste sluta efter att det börjar."))
        slot = self.instance
        edition = data.get("edition")
        if slot.pk and edition and edition.pk != slot.edition_id and _has_active_bookings(
                slot.sessions.values_list("pk", flat=True)):
            self.add_error("edition", _("Det finns anmälningar till pass i tidpasset. Det kan "
                                        "inte flyttas till ett annat konferensår."))
        return data


class SessionForm(WagtailAdminModelForm):
    """Model clean() checks slot/edition and the explicit capacity; this adds the room's
    capacity (when none is set), unexpired offers, and moves of booked sessions."""

    def clean(self):
        data = super().clean()
        session = self.instance
        if not session.pk:
            return data
        old = Session.objects.select_related("room").get(pk=session.pk)
        booked = _has_active_bookings([session.pk])
        slot, edition = data.get("slot"), data.get("edition")
        if booked and slot and slot.pk != old.slot_id:
            self.add_error("slot", _("Passet har anmälningar och kan inte flyttas till ett annat "
                                     "tidpass. Skapa ett nytt pass i stället."))
        if booked and edition and edition.pk != old.edition_id:
            self.add_error("edition", _("Passet har anmälningar och kan inte flyttas till ett "
                                        "annat konferensår."))
        if "capacity" in data and "room" in data:
            room = data.get("room")
            capacity = data["capacity"] if data["capacity"] is not None else (
                room.capacity if room else None)
            taken = _holding(old)
            if capacity is not None and capacity < taken and not self.has_error("capacity"):
                self.add_error("capacity", _(
                    "%(n)s deltagare har redan plats på passet (bekräftade eller med ett "
                    "erbjudande som gäller). Antalet platser kan inte vara lägre än så.")
                    % {"n": taken})
        return data


class RoomViewSet(SnippetViewSet):
    model = Room
    icon = "home"
    menu_label = gettext_lazy("Lokaler")
    list_display = ["name", "capacity", "step_free", "hearing_loop"]
    list_filter = ["step_free", "hearing_loop"]
    search_fields = ["name", "notes"]
    ordering = ["name"]
    panels = [FieldPanel("name"), FieldPanel("capacity"),
              FieldRowPanel([FieldPanel("step_free"), FieldPanel("hearing_loop")]),
              FieldPanel("notes")]

    def get_permissions_to_register(self):
        return Permission.objects.none()


class TimeSlotViewSet(SnippetViewSet):
    model = TimeSlot
    icon = "time"
    menu_label = gettext_lazy("Tidpass")
    list_display = ["__str__", "edition", "starts_at", "ends_at"]
    list_filter = ["edition"]
    search_fields = ["label"]
    ordering = ["-edition__year", "starts_at"]
    edit_handler = ObjectList([
        FieldPanel("edition"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("label"),
    ], base_form_class=TimeSlotForm)

    def get_permissions_to_register(self):
        return Permission.objects.none()


class SessionViewSet(SnippetViewSet):
    model = Session
    icon = "calendar-alt"
    menu_label = gettext_lazy("Programpunkter")
    list_display = ["title", "edition", "slot", "kind", "room", "capacity", "requires_signup"]
    list_filter = ["edition", "kind", "requires_signup", "room"]
    search_fields = ["title", "description", "presenters"]
    ordering = ["-edition__year", "slot__starts_at", "title"]
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("edition"), FieldPanel("slot")]),
        FieldPanel("kind"), FieldPanel("title"), FieldPanel("description"),
        MultiFieldPanel([FieldPanel("presenters"), FieldPanel("organisation_unit"),
                         FieldPanel("rights_areas"),
                         PageChooserPanel("good_example", "cms.GoodExamplePage")],
                        heading=gettext_lazy("Medverkande och innehåll")),
        MultiFieldPanel([FieldPanel("room"), FieldPanel("capacity"),
                         FieldPanel("requires_signup")],
                        heading=gettext_lazy("Lokal och platser")),
    ], base_form_class=SessionForm)

    def get_queryset(self, request):
        return Session.objects.select_related("edition", "slot", "room")

    def get_permissions_to_register(self):
        # The two conference permissions, shown once in the group editor.
        return Permission.objects.filter(
            content_type__app_label="conference",
            codename__in=[MANAGE_CODENAME, "view_needs"])


class ConferenceAdminGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Konferens")
    menu_icon = "date"
    menu_order = 270
    items = (SessionViewSet, TimeSlotViewSet, RoomViewSet)


register_snippet(ConferenceAdminGroup)

from . import admin_emails  # noqa: E402,F401  (email engineer: the email-template snippet)
