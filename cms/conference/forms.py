"""Attendee forms: registration (organisation unit, a session per time slot, optional needs)
and changing sessions. Validation here is for a clear message; booking.py checks again
under its locks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.models import OrganisationUnit

from .booking import Needs
from .models import AttendeeNeeds
from .schedule import SlotGroup

NO_SESSION = ""
TEXT_MAX = 200
SESSION_NOT_IN_SLOT = _(
    "Passet du valde finns inte i det här tidpasset. Välj ett av passen i listan.")
CHOOSE_ANSWER = _("Välj om du tackar ja eller nej.")


def slot_field_name(slot) -> str:
    return f"pass_{slot.pk}"


class SessionChoiceMixin:
    """One radio group per time slot that has sessions needing signup, plus "no session"."""

    current: dict[int, str] = {}  # session id -> status of the attendee's booking

    def add_slot_fields(self, groups: list[SlotGroup]) -> None:
        self.slot_groups = [g for g in groups if g.signup_sessions]
        for group in self.slot_groups:
            self.fields[slot_field_name(group.slot)] = forms.TypedChoiceField(
                label=str(group.slot), required=False, coerce=int, empty_value=None,
                choices=[(NO_SESSION, _("Inget pass valt"))]
                + [(s.pk, s.title) for s in group.signup_sessions],
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": SESSION_NOT_IN_SLOT},
            )

    def clean(self):
        """Two values for one slot can only come from a tampered form."""
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        for group in self.slot_groups:
            name = slot_field_name(group.slot)
            if getlist and len(getlist(name)) > 1:
                self.add_error(name, _("Du kan bara välja ett pass per tidpass."))
        return cleaned

    def session_ids(self) -> list[int]:
        return [pk for group in self.slot_groups
                if (pk := self.cleaned_data.get(slot_field_name(group.slot)))]

    def slot_rows(self):
        """For the template: each slot with its bound field and its sessions as options."""
        rows = []
        for group in self.slot_groups:
            bound = self[slot_field_name(group.slot)]
            value = str(bound.value() or "")
            rows.append({
                "group": group, "field": bound,
                "options": [{"session": s, "value": str(s.pk), "checked": value == str(s.pk),
                             "id": f"{bound.auto_id}_{s.pk}", "current": self.current.get(s.pk)}
                            for s in group.signup_sessions],
                "none_checked": value == "",
                "none_id": f"{bound.auto_id}_none",
            })
        return rows


class RegistrationForm(SessionChoiceMixin, forms.Form):
    organisation_unit = forms.ModelChoiceField(
        label=_("Förvaltning eller bolag"), queryset=OrganisationUnit.objects.all(),
        empty_label=_("Välj förvaltning eller bolag"),
        error_messages={"required": _("Välj din förvaltning eller ditt bolag."),
                        "invalid_choice": _("Välj en förvaltning eller ett bolag i listan.")},
    )
    diet = forms.MultipleChoiceField(
        label=_("Kost"), required=False, choices=AttendeeNeeds.Diet.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj bland alternativen för kost.")},
    )
    diet_other = forms.CharField(
        label=_("Annat om kost, till exempel allergier"), required=False, max_length=TEXT_MAX,
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )
    access = forms.MultipleChoiceField(
        label=_("Tillgänglighet"), required=False, choices=AttendeeNeeds.Access.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj bland alternativen för tillgänglighet.")},
    )
    access_other = forms.CharField(
        label=_("Annat om tillgänglighet"), required=False, max_length=TEXT_MAX,
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )

    def __init__(self, *args, groups: list[SlotGroup], **kwargs):
        super().__init__(*args, **kwargs)
        self.add_slot_fields(groups)

    def needs(self) -> Needs:
        data = self.cleaned_data
        return Needs(diet=list(data.get("diet") or []), diet_other=data.get("diet_other", ""),
                     access=list(data.get("access") or []),
                     access_other=data.get("access_other", ""))


class ChangeSessionsForm(SessionChoiceMixin, forms.Form):
    def __init__(self, *args, groups: list[SlotGroup], current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.add_slot_fields(groups)


class OfferResponseForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")],
                               error_messages={"required": CHOOSE_ANSWER,
                                               "invalid_choice": CHOOSE_ANSWER})
    booking = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
