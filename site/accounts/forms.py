"""Profile forms: sign-up extras, the profile page, and Wagtail's user admin."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from cms.models import OrganisationUnit

from .models import User

PROFILE_FIELDS = ["display_name", "organisation_unit", "job_title"]


def _organisation_unit_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=OrganisationUnit.objects.order_by("sort_order", "name"),
        required=False,
        label=_("Förvaltning eller bolag"),
        empty_label=_("Välj förvaltning eller bolag"),
    )


class ProfileSignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Namn"), max_length=150,
        help_text=_("Ditt namn så som kollegor känner dig."),
    )
    organisation_unit = _organisation_unit_field()
    job_title = forms.CharField(label=_("Befattning"), max_length=150, required=False)

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Skriv ditt namn."))
        return name

    def signup(self, request, user) -> None:
        for field in PROFILE_FIELDS:
            setattr(user, field, self.cleaned_data.get(field) or getattr(user, field))
        user.save(update_fields=PROFILE_FIELDS)


class ProfileForm(forms.ModelForm):
    organisation_unit = _organisation_unit_field()

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        labels = {"display_name": _("Namn"), "job_title": _("Befattning")}

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Skriv ditt namn."))
        return name


class WagtailUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)


class WagtailUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)
