"""Conference email texts: editable per kind (a Wagtail snippet), defaults in files.

A ConferenceEmailTemplate for a kind replaces the default text in
templates/conference/email/<kind>_subject.txt and <kind>.txt. Both are plain text with
Django template syntax, rendered by a restricted engine (no {% load %}, no {% include %},
no autoescaping) over a context of plain values only — no model instances, so a template
cannot reach other attendees' data or anyone's needs (see emails.py for the variables).

ReminderSent makes the 7- and 1-day reminders idempotent: one row per registration and kind.

These models live outside models.py and are loaded by ConferenceConfig.import_models().
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

VARIABLES_HELP = _(
    "Vanlig text. Variabler: {{ name }}, {{ email }}, {{ status }}, {{ manage_url }}, "
    "{{ my_registration_url }}, {{ edition.title }}, {{ edition.year }}, {{ edition.when }}, "
    "{{ edition.start_date }}, {{ edition.venue }}, {{ edition.venue_address }}, "
    "{{ edition.contact_email }}, {{ edition.url }}, {{ edition.change_deadline }}, "
    "{{ sessions }} (lista: title, when, room, status), {{ offer_expires_at }}, "
    "{{ session.title }}, {{ session.when }}, {{ session.room }}, och sant/falskt: "
    "{{ changed }}, {{ personal_link }}, {{ changes_allowed }}. "
    "Villkor och loopar skrivs som {% if … %} och {% for … %}. "
    "Lämna tomt för att utgå från standardtexten.")


class EmailKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Bekräftelse")
    WAITLISTED = "waitlisted", _("Väntelista")
    OFFER = "offer", _("Erbjuden plats")
    OFFER_EXPIRED = "offer_expired", _("Erbjudandet har gått ut")
    SESSION_OFFER = "session_offer", _("Erbjuden plats på ett pass")
    SESSION_OFFER_EXPIRED = "session_offer_expired", _("Erbjudandet om ett pass har gått ut")
    CANCELLED = "cancelled", _("Avbokning")
    REMINDER_7 = "reminder_7", _("Påminnelse en vecka före")
    REMINDER_1 = "reminder_1", _("Påminnelse dagen före")
    LINK_REISSUED = "link_reissued", _("Ny personlig länk")


REMINDER_KINDS = (EmailKind.REMINDER_7, EmailKind.REMINDER_1)

# Plain text, builtin tags and filters only; templates cannot load or include anything.
ENGINE = Engine(dirs=[], app_dirs=False, autoescape=False, libraries={}, debug=False)


def default_texts(kind: str) -> tuple[str, str]:
    """The default (subject, body) source for `kind`, from templates/conference/email/."""
    subject = get_template(f"conference/email/{kind}_subject.txt").template.source
    body = get_template(f"conference/email/{kind}.txt").template.source
    return subject, body


def _compile(source: str) -> Template:
    return Template(source, engine=ENGINE)


def render_texts(subject_source: str, body_source: str, context: dict) -> tuple[str, str]:
    subject = _compile(subject_source).render(Context(context, autoescape=False))
    body = _compile(body_source).render(Context(context, autoescape=False))
    return " ".join(subject.split()), body.strip() + "\n"


class ConferenceEmailTemplate(models.Model):
    """An edited email text for one kind; delete it to return to the default text."""

    kind = models.CharField(_("typ av e-post"), max_length=30, choices=EmailKind.choices,
                            unique=True)
    subject = models.CharField(_("ämnesrad"), max_length=200, blank=True,
                               help_text=_("Samma variabler som i texten nedan."))
    body = models.TextField(_("text"), blank=True, help_text=VARIABLES_HELP)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("kind"), FieldPanel("subject"), FieldPanel("body")]

    class Meta:
        ordering = ["kind"]
        verbose_name = _("e-postmall för konferensen")
        verbose_name_plural = _("e-postmallar för konferensen")

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self):
        super().clean()
        errors = {}
        for field in ("subject", "body"):
            try:
                _compile(getattr(self, field))
            except TemplateSyntaxError as error:
                errors[field] = _("Mallen går inte att läsa: %(error)s") % {"error": error}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.kind and not (self.subject.strip() and self.body.strip()):
            default_subject, default_body = default_texts(self.kind)
            self.subject = self.subject.strip() or default_subject.strip()
            self.body = self.body.strip() or default_body.strip()
        super().save(*args, **kwargs)

    def texts(self) -> tuple[str, str]:
        return self.subject, self.body


class ReminderSent(models.Model):
    """A reminder of `kind` was queued for `registration` (claimed by the tick, sent once)."""

    registration = models.ForeignKey("conference.Registration", on_delete=models.CASCADE,
                                     related_name="+")
    kind = models.CharField(max_length=20, choices=[(k.value, k.label) for k in REMINDER_KINDS])
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "kind"],
                                               name="conference_one_reminder_each")]
