"""Forum forms. Validation of text and titles is the services' (one set of rules and
Swedish messages for views, imports and tests); the forms turn PostingError into field
errors."""

from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from . import services
from .models import Reaction

MAX_TAGS = 5
MAX_DRAFT_LENGTH = 200_000  # drafts keep even over-long text so nothing is lost
MAX_QUERY_LENGTH = 200


class TextField(forms.CharField):
    """Post text; the services' clean_markdown does the real checks (and strips)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Inlägg"))
        kwargs.setdefault("strip", False)
        kwargs.setdefault("error_messages", {
            "required": _("Skriv något i inlägget innan du skickar det.")})
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 10, "class": "post-editor__text",
                                                          "data-preview-source": ""}))
        kwargs.setdefault("help_text", _("Du kan använda Markdown: **fet**, *kursiv*, > citat, "
                                         "- punktlista, [länk](https://…) och @namn för att "
                                         "nämna någon."))
        super().__init__(**kwargs)


def _clean_with(function, value):
    try:
        return function(value)
    except services.PostingError as error:
        raise forms.ValidationError(str(error)) from None


class PostForm(forms.Form):
    """A reply."""

    text = TextField()

    def clean_text(self):
        return _clean_with(services.clean_markdown, self.cleaned_data.get("text"))


class ThreadForm(forms.Form):
    """A new thread: title, opening post, tags and an optional linked content page."""

    title = forms.CharField(label=_("Rubrik"), strip=False,
                            widget=forms.TextInput(attrs={"maxlength": services.MAX_TITLE_LENGTH}),
                            error_messages={"required": _("Skriv en rubrik för tråden.")})
    text = TextField()
    tags = forms.CharField(
        label=_("Taggar"), required=False, max_length=400,
        help_text=_("Skriv ämnen åtskilda med kommatecken, till exempel: barnrätt, "
                    "nationella minoriteter."),
        error_messages={"max_length": _("Taggarna får vara högst %(limit_value)d tecken "
                                        "tillsammans.")},
    )
    linked_page = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_title(self):
        return _clean_with(services.clean_title, self.cleaned_data.get("title"))

    def clean_text(self):
        return _clean_with(services.clean_markdown, self.cleaned_data.get("text"))

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        names = [" ".join(part.split()) for part in raw.split(",")]
        names = [name for name in names if name]
        unique: dict[str, str] = {}
        for name in names:
            if len(name) > 60:
                raise forms.ValidationError(_("En tagg får vara högst 60 tecken."))
            slug = slugify(name)
            if not slug:
                raise forms.ValidationError(
                    _("Taggen ”%(name)s” behöver innehålla bokstäver eller siffror.")
                    % {"name": name})
            unique.setdefault(slug, name)
        if len(unique) > MAX_TAGS:
            raise forms.ValidationError(_("Ange högst %(max)s taggar.") % {"max": MAX_TAGS})
        return list(unique.values())

    def clean_linked_page(self):
        page_id = self.cleaned_data.get("linked_page")
        if page_id is None:
            return None
        page = Page.objects.live().filter(pk=page_id, depth__gt=1).first()
        if page is None:
            raise forms.ValidationError(_("Sidan som tråden skulle kopplas till finns inte."))
        return page


class EditForm(forms.Form):
    """Editing a post; the opening post also edits the thread title."""

    title = forms.CharField(label=_("Rubrik"), strip=False,
                            widget=forms.TextInput(attrs={"maxlength": services.MAX_TITLE_LENGTH}),
                            error_messages={"required": _("Skriv en rubrik för tråden.")})
    text = TextField()

    def __init__(self, *args, with_title: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]

    def clean_title(self):
        return _clean_with(services.clean_title, self.cleaned_data.get("title"))

    def clean_text(self):
        return _clean_with(services.clean_markdown, self.cleaned_data.get("text"))


class DraftForm(forms.Form):
    title = forms.CharField(required=False, max_length=services.MAX_TITLE_LENGTH * 2)
    text = forms.CharField(
        required=False, strip=False, max_length=MAX_DRAFT_LENGTH,
        error_messages={"max_length": _("Utkastet är för långt för att sparas.")})


class PreviewForm(forms.Form):
    text = forms.CharField(required=False, strip=False, max_length=MAX_DRAFT_LENGTH)


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices,
                             error_messages={"invalid_choice": _("Okänd reaktion.")})


class AcceptForm(forms.Form):
    post = forms.IntegerField(error_messages={"required": _("Välj ett svar."),
                                              "invalid": _("Välj ett svar.")})


class FilterForm(forms.Form):
    """The forum's simple database filter (until the search issue indexes the forum)."""

    q = forms.CharField(label=_("Sök i forumet"), required=False, max_length=MAX_QUERY_LENGTH,
                        error_messages={"max_length": _("Sökningen får vara högst %(limit_value)d "
                                                        "tecken.")})

    def clean_q(self) -> str:
        return " ".join((self.cleaned_data.get("q") or "").split())
