"""Conference data: editions (Wagtail pages), programme, registrations, bookings, needs.

Capacity is never stored as a counter: availability is recounted from the rows inside a
transaction that has locked them (see booking.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class ConferenceIndexPage(Page):
    """"Konferens": lists the editions, newest first."""

    intro = RichTextField(_("introduktion"), blank=True, features=["bold", "italic", "link"])
    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["conference.EditionPage"]
    max_count = 1
    template = "conference/index_page.html"

    class Meta:
        verbose_name = _("konferens (lista)")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["editions"] = EditionPage.objects.live().child_of(self).order_by("-year")
        return context


class EditionPage(Page):
    """One year's conference."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    intro = RichTextField(_("introduktion"), blank=True, features=["bold", "italic", "link", "ul"])
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    venue = models.CharField(_("plats"), max_length=200)
    venue_address = models.CharField(_("adress"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("antal platser totalt"))
    registration_opens_at = models.DateTimeField(_("anmälan öppnar"))
    registration_closes_at = models.DateTimeField(_("anmälan stänger"))
    change_deadline = models.DateTimeField(
        _("sista dag för ändringar"), help_text=_("Efter detta kan deltagare inte ändra eller avboka själva."))
    offer_hours = models.PositiveSmallIntegerField(
        _("giltighet för erbjudanden (timmar)"), default=48,
        help_text=_("Så länge håller en erbjuden plats från väntelistan."))
    needs_retention_days = models.PositiveSmallIntegerField(
        _("dagar som behov sparas efter konferensen"), default=30)
    privacy_notice = RichTextField(_("information om personuppgifter"),
                                   features=["bold", "italic", "link", "ul"])
    contact_email = models.EmailField(_("kontakt"))
    proposals_open = models.BooleanField(_("ta emot förslag på goda exempel"), default=False)
    proposals_close_at = models.DateTimeField(_("sista dag för förslag"), null=True, blank=True)
    feedback_open = models.BooleanField(_("utvärderingen är öppen"), default=False)

    content_panels = Page.content_panels + [
        FieldPanel("year"),
        FieldPanel("intro"),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldPanel("venue"), FieldPanel("venue_address"), FieldPanel("contact_email"),
        ], heading=_("När och var")),
        MultiFieldPanel([
            FieldPanel("capacity"),
            FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
            FieldPanel("change_deadline"), FieldPanel("offer_hours"),
        ], heading=_("Anmälan")),
        MultiFieldPanel([FieldPanel("privacy_notice"), FieldPanel("needs_retention_days")],
                        heading=_("Personuppgifter")),
        MultiFieldPanel([FieldPanel("proposals_open"), FieldPanel("proposals_close_at"),
                         FieldPanel("feedback_open")], heading=_("Förslag och utvärdering")),
    ]
    parent_page_types = ["conference.ConferenceIndexPage"]
    subpage_types: list[str] = []
    template = "conference/edition_page.html"

    class Meta:
        verbose_name = _("konferensår")
        verbose_name_plural = _("konferensår")
        permissions = [
            ("view_needs", "Kan se deltagares behov (kost och tillgänglighet)"),
            ("manage_conference", "Kan administrera konferensen (anmälningar, export, incheckning)"),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Konferensen måste sluta efter att den börjar.")
        if (self.registration_closes_at and self.registration_opens_at
                and self.registration_closes_at <= self.registration_opens_at):
            errors["registration_closes_at"] = _("Anmälan måste stänga efter att den öppnar.")
        if self.pk and self.capacity is not None:
            confirmed = Registration.objects.filter(
                edition_id=self.pk, status=Registration.Status.CONFIRMED).count()
            if self.capacity < confirmed:
                errors["capacity"] = _(
                    "Det finns redan %(n)s bekräftade deltagare. Antalet platser kan inte "
                    "vara lägre än så.") % {"n": confirmed}
        if errors:
            raise ValidationError(errors)

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.registration_closes_at

    def changes_allowed(self, now=None) -> bool:
        return (now or timezone.now()) < self.change_deadline


class Room(models.Model):
    name = models.CharField(_("namn"), max_length=120, unique=True)
    capacity = models.PositiveIntegerField(_("antal platser"))
    step_free = models.BooleanField(_("stegfritt"), default=True)
    hearing_loop = models.BooleanField(_("hörslinga"), default=False)
    notes = models.CharField(_("övrigt om tillgänglighet"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lokal")
        verbose_name_plural = _("lokaler")

    def __str__(self) -> str:
        return self.name


class TimeSlot(models.Model):
    edition = models.ForeignKey(EditionPage, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    label = models.CharField(_("benämning"), max_length=120, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("tidpass")
        verbose_name_plural = _("tidpass")

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%H:%M}–{timezone.localtime(self.ends_at):%H:%M} {self.label}".strip()


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Gemensamt pass")
        PARALLEL = "parallel", _("Parallellt pass")
        WORKSHOP = "workshop", _("Workshop")

    edition = models.ForeignKey(EditionPage, on_delete=models.CASCADE, related_name="sessions")
    slot = models.ForeignKey(TimeSlot, verbose_name=_("tidpass"), on_delete=models.PROTECT,
                             related_name="sessions")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.PARALLEL)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    presenters = models.CharField(_("medverkande"), max_length=300, blank=True)
    organisation_unit = models.ForeignKey(
        "cms.OrganisationUnit", verbose_name=_("förvaltning eller bolag"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="conference_sessions")
    rights_areas = models.ManyToManyField("cms.RightsArea", verbose_name=_("rättighetsområden"),
                                          blank=True, related_name="conference_sessions")
    good_example = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("gott exempel"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="conference_sessions")
    room = models.ForeignKey(Room, verbose_name=_("lokal"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="sessions")
    capacity = models.PositiveIntegerField(
        _("antal platser"), null=True, blank=True,
        help_text=_("Lämna tomt för att använda lokalens antal platser."))
    requires_signup = models.BooleanField(_("kräver anmälan till passet"), default=True)
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    external_id = models.CharField(max_length=100, blank=True, db_index=True)

    class Meta:
        ordering = ["slot__starts_at", "title"]
        verbose_name = _("programpunkt")
        verbose_name_plural = _("programpunkter")

    def __str__(self) -> str:
        return self.title

    @property
    def effective_capacity(self) -> int | None:
        if self.capacity is not None:
            return self.capacity
        return self.room.capacity if self.room_id else None

    def clean(self):
        super().clean()
        if self.slot_id and self.edition_id and self.slot.edition_id != self.edition_id:
            raise ValidationError({"slot": _("Tidpasset hör till ett annat konferensår.")})
        if self.pk and self.capacity is not None:
            confirmed = self.bookings.filter(status=SessionBooking.Status.CONFIRMED).count()
            if self.capacity < confirmed:
                raise ValidationError({"capacity": _(
                    "%(n)s deltagare har redan plats på passet. Antalet platser kan inte vara "
                    "lägre än så.") % {"n": confirmed}})


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bekräftad")
        WAITLISTED = "waitlisted", _("På väntelista")
        OFFERED = "offered", _("Erbjuden plats")
        CANCELLED = "cancelled", _("Avbokad")

    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)

    edition = models.ForeignKey(EditionPage, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="conference_registrations")
    name = models.CharField(_("namn"), max_length=150)  # kept for badges and lists
    email = models.EmailField(_("e-post"))
    organisation_unit = models.ForeignKey(
        "cms.OrganisationUnit", verbose_name=_("förvaltning eller bolag"), null=True,
        on_delete=models.SET_NULL, related_name="conference_registrations")
    status = models.CharField(max_length=20, choices=Status.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    ics_sequence = models.PositiveIntegerField(default=0)
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user"], condition=~Q(status="cancelled"),
                name="conference_one_active_registration_per_user"),
        ]
        indexes = [models.Index(fields=["edition", "status", "created_at"],
                                name="conf_reg_queue")]
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")

    def __str__(self) -> str:
        return f"{self.name} ({self.edition.year})"


class SessionBooking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bekräftad")
        WAITLISTED = "waitlisted", _("På väntelista")
        OFFERED = "offered", _("Erbjuden plats")
        DECLINED = "declined", _("Tackat nej")
        EXPIRED = "expired", _("Erbjudandet gick ut")
        CANCELLED = "cancelled", _("Avbokad")

    HOLDING = (Status.CONFIRMED, Status.OFFERED)  # take a seat
    ACTIVE = (Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED)

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="bookings")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(TimeSlot, on_delete=models.CASCADE, related_name="+")  # = session.slot
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One seat-holding booking per person and time slot, enforced by the database.
            models.UniqueConstraint(fields=["registration", "slot"],
                                    condition=Q(status__in=["confirmed", "offered"]),
                                    name="conference_one_booking_per_slot"),
            models.UniqueConstraint(fields=["registration", "session"],
                                    condition=Q(status__in=["confirmed", "offered", "waitlisted"]),
                                    name="conference_one_active_booking_per_session"),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"],
                                name="conf_booking_queue")]


class AttendeeNeeds(models.Model):
    """Diet and accessibility needs: readable only with conference.view_needs, purged N days
    after the edition ends, never in general lists, badges or check-in."""

    class Diet(models.TextChoices):
        VEGETARIAN = "vegetarisk", _("Vegetarisk")
        VEGAN = "vegansk", _("Vegansk")
        GLUTEN = "glutenfri", _("Glutenfri")
        LACTOSE = "laktosfri", _("Laktosfri")
        NUTS = "notfri", _("Nötfri")
        HALAL = "halal", _("Halal")
        KOSHER = "kosher", _("Kosher")
        NO_PORK = "utan-flask", _("Utan fläskkött")

    class Access(models.TextChoices):
        WHEELCHAIR = "rullstol", _("Rullstolsplats")
        HEARING_LOOP = "horslinga", _("Hörslinga")
        INTERPRETER = "teckensprak", _("Teckenspråkstolk")
        CAPTIONS = "skrivtolk", _("Skrivtolk")
        ASSISTANT = "assistent", _("Personlig assistent följer med")
        QUIET_ROOM = "vilorum", _("Tillgång till vilorum")
        LARGE_PRINT = "storstil", _("Material i större text")

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="needs")
    diet = models.JSONField(default=list, blank=True)
    diet_other = models.CharField(_("annat om kost"), max_length=200, blank=True)
    access = models.JSONField(default=list, blank=True)
    access_other = models.CharField(_("annat om tillgänglighet"), max_length=200, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()  # only conference.view_needs (on EditionPage) grants reading


class Proposal(models.Model):
    class Format(models.TextChoices):
        TALK = "presentation", _("Presentation (20 min)")
        WORKSHOP = "workshop", _("Workshop (45–60 min)")
        POSTER = "utstallning", _("Utställning eller monter")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Inskickat")
        ACCEPTED = "accepted", _("Antaget")
        REJECTED = "rejected", _("Inte antaget")
        WITHDRAWN = "withdrawn", _("Tillbakadraget")

    edition = models.ForeignKey(EditionPage, on_delete=models.CASCADE, related_name="proposals")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="conference_proposals")
    title = models.CharField(_("titel"), max_length=200)
    abstract = models.TextField(_("sammanfattning"), max_length=3000)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    organisation_unit = models.ForeignKey("cms.OrganisationUnit", verbose_name=_("förvaltning eller bolag"),
                                          on_delete=models.PROTECT, related_name="+")
    co_presenters = models.CharField(_("medverkande"), max_length=300, blank=True)
    rights_areas = models.ManyToManyField("cms.RightsArea", verbose_name=_("rättighetsområden"),
                                          related_name="+")
    good_example = models.ForeignKey("wagtailcore.Page", verbose_name=_("gott exempel i MR-navet"),
                                     null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    session = models.OneToOneField(Session, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="proposal")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("förslag")
        verbose_name_plural = _("förslag")


class Review(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("betyg"), choices=[(i, str(i)) for i in range(1, 6)])
    comment = models.TextField(_("kommentar"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"],
                                               name="conference_one_review_per_reviewer")]


class Feedback(models.Model):
    """Anonymous: no link to a person or a registration, by design."""

    edition = models.ForeignKey(EditionPage, on_delete=models.CASCADE, related_name="feedback")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="feedback")
    rating = models.PositiveSmallIntegerField(choices=[(i, str(i)) for i in range(1, 6)])
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateField(default=timezone.localdate)  # a date only: no timing link


class FeedbackReceipt(models.Model):
    """Who has answered (to allow one answer each) — kept apart from the answers."""

    edition = models.ForeignKey(EditionPage, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "session", "user"],
                                               name="conference_one_feedback_each",
                                               nulls_distinct=False)]


class AuditEvent(models.Model):
    """Every export and every view of needs data, and the tick runs."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    edition = models.ForeignKey(EditionPage, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    action = models.CharField(max_length=50)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
