"""The anonymous evaluation after the event: a rating (1–5) and a comment for the edition and
for each session the person attended, once each. Only people with a confirmed registration
answer; what they answer is stored without any link to them (see ..feedback).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import feedback as service
from ..access import edition_or_404
from ..models import Registration

RATING_CHOICES = [(1, gettext_lazy("1 (mycket dåligt)")), (2, "2"), (3, "3"), (4, "4"),
                  (5, gettext_lazy("5 (mycket bra)"))]


class SurveyForm(forms.Form):
    """A rating and a comment per target not answered yet; everything optional, but a
    comment needs a rating and something must be answered."""

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = []
        for session in targets:
            key = f"s{session.pk}" if session else "edition"
            self.fields[f"{key}_rating"] = forms.TypedChoiceField(
                label=gettext_lazy("Betyg"), choices=RATING_CHOICES, coerce=int, required=False,
                widget=forms.RadioSelect, empty_value=None)
            self.fields[f"{key}_comment"] = forms.CharField(
                label=gettext_lazy("Kommentar"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=gettext_lazy("Skriv inte ditt namn eller annat som avslöjar vem du är."))
            self.targets.append({"session": session, "key": key,
                                 "rating": self[f"{key}_rating"], "comment": self[f"{key}_comment"]})

    def clean(self):
        data = super().clean()
        for target in self.targets:
            key = target["key"]
            if data.get(f"{key}_comment", "").strip() and not data.get(f"{key}_rating"):
                self.add_error(f"{key}_rating", _("Välj ett betyg för att kunna lämna en kommentar."))
        if not self.errors and not any(data.get(f"{t['key']}_rating") for t in self.targets):
            raise forms.ValidationError(_("Välj ett betyg för minst en sak innan du skickar."))
        return data

    def answers(self) -> list[service.Answer]:
        data = self.cleaned_data
        return [service.Answer(session=t["session"], rating=data[f"{t['key']}_rating"],
                               comment=data.get(f"{t['key']}_comment", ""))
                for t in self.targets if data.get(f"{t['key']}_rating")]


def _render(request, edition, status=200, **context):
    return render(request, "conference/feedback/survey.html", {"edition": edition, **context},
                  status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, year: int):
    edition = edition_or_404(year)
    is_post = request.method == "POST"
    if not edition.feedback_open:
        return _render(request, edition, status=400 if is_post else 200, closed=True)
    registration = Registration.objects.filter(
        edition=edition, user=request.user, status=Registration.Status.CONFIRMED).first()
    if registration is None:
        return _render(request, edition, status=403, not_attendee=True)
    done = service.answered(request.user, edition)
    sessions = service.attended_sessions(edition, registration)
    targets = [None, *sessions]
    pending = [t for t in targets if (t.pk if t else None) not in done]
    if not pending:
        return _render(request, edition, status=400 if is_post else 200, all_done=True)
    form = SurveyForm(request.POST if is_post else None, targets=pending)
    if is_post:
        if form.is_valid():
            saved = service.submit(request.user, edition, form.answers())
            if saved:
                messages.success(request, _("Tack för dina svar! De sparas utan koppling till dig."))
            else:
                messages.info(request, _("Du hade redan svarat. Inget nytt sparades."))
            return redirect("conference:feedback", year=edition.year)
        return _render(request, edition, status=400, form=form, answered_count=len(targets) - len(pending))
    return _render(request, edition, form=form, answered_count=len(targets) - len(pending))
