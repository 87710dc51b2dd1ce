from django import forms
from django.utils.translation import gettext_lazy as _


class EraseAccountForm(forms.Form):
    understood = forms.BooleanField(
        label=_("Jag förstår att mitt konto och mina uppgifter raderas och inte kan återställas."),
        error_messages={"required": _("Kryssa i rutan för att bekräfta att du vill radera ditt konto.")},
    )
