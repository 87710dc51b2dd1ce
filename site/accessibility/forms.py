"""The feedback form: which page, what is wrong, and whether the reader wants an answer."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DESCRIPTION_MAX_LENGTH, PAGE_URL_MAX_LENGTH, AccessibilityFeedback

MIN_DESCRIPTION_LENGTH = 10


def _has_control_characters(text: str, allowed: str = "") -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


class AccessibilityFeedbackForm(forms.ModelForm):
    page_url = forms.CharField(
        label=_("Sidans adress"),
        max_length=PAGE_URL_MAX_LENGTH,
        help_text=_("Adressen till sidan där problemet finns, till exempel /metoder/barnkonsekvensanalys/."),
        error_messages={
            "required": _("Ange adressen till sidan där problemet finns."),
            "max_length": _("Adressen får vara högst %(limit_value)d tecken."),
        },
    )
    description = forms.CharField(
        label=_("Beskriv problemet"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Vad hände, vad försökte du göra och vilket hjälpmedel använde du? "
                    "Skriv också om du behöver innehållet i ett annat format."),
        error_messages={
            "required": _("Beskriv problemet."),
            "max_length": _("Beskrivningen får vara högst %(limit_value)d tecken."),
        },
    )
    wants_contact = forms.BooleanField(
        label=_("Jag vill bli kontaktad om min synpunkt"),
        required=False,
        help_text=_("Vi svarar till e-postadressen på ditt konto."),
    )

    class Meta:
        model = AccessibilityFeedback
        fields = ["page_url", "description", "wants_contact"]

    def clean_page_url(self) -> str:
        value = self.cleaned_data["page_url"].strip()
        if _has_control_characters(value) or any(ch.isspace() for ch in value):
            raise forms.ValidationError(_("Adressen får inte innehålla mellanslag eller styrtecken."))
        parts = urlsplit(value)
        if value.startswith("/") and not value.startswith("//"):
            return value
        if parts.scheme in {"http", "https"} and parts.netloc:
            return value
        raise forms.ValidationError(
            _("Ange en adress som börjar med / eller https://, till exempel /forum/."))

    def clean_description(self) -> str:
        value = self.cleaned_data["description"].strip()
        if _has_control_characters(value, allowed="\n\r\t"):
            raise forms.ValidationError(_("Beskrivningen innehåller otillåtna tecken."))
        if len(value) < MIN_DESCRIPTION_LENGTH:
            raise forms.ValidationError(
                _("Beskriv problemet med minst %(count)d tecken.") % {"count": MIN_DESCRIPTION_LENGTH})
        return value
