"""The call for good examples: submitting (any signed-in staff member), the submitter's own
list, and review and decision (conference.manage_conference). Submitters see the status of
their proposals, never reviewers' scores or comments. The work is done by ..proposals.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Avg, Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from cms.models import GoodExamplePage, OrganisationUnit, RightsArea

from .. import proposals as service
from ..access import edition_or_404, require_manage
from ..models import Proposal, Review, Room, Session, TimeSlot


class ProposalForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titel"), max_length=200)
    abstract = forms.CharField(
        label=gettext_lazy("Sammanfattning"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Vad gjorde ni, för vilka, och vad kan andra lära sig? Högst 3 000 tecken."))
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=Proposal.Format.choices,
                               widget=forms.RadioSelect)
    organisation_unit = forms.ModelChoiceField(
        label=gettext_lazy("Förvaltning eller bolag"), queryset=OrganisationUnit.objects.all(),
        empty_label=gettext_lazy("Välj …"))
    co_presenters = forms.CharField(
        label=gettext_lazy("Medverkande"), max_length=300, required=False,
        help_text=gettext_lazy("Namn på dem som presenterar tillsammans med dig."))
    rights_areas = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Rättighetsområden"), queryset=RightsArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Välj minst ett rättighetsområde.")})
    good_example = forms.ModelChoiceField(
        label=gettext_lazy("Gott exempel i MR-navet"), required=False,
        queryset=GoodExamplePage.objects.none(), empty_label=gettext_lazy("Inget"),
        help_text=gettext_lazy("Om exemplet redan är beskrivet i MR-navet."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["good_example"].queryset = GoodExamplePage.objects.live().order_by("title")


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("Betyg (1 = svagt, 5 = mycket starkt)"), coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)], widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Välj ett betyg mellan 1 och 5.")})
    comment = forms.CharField(label=gettext_lazy("Kommentar"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class AcceptForm(forms.Form):
    slot = forms.ModelChoiceField(label=gettext_lazy("Tidpass"), queryset=TimeSlot.objects.none(),
                                  empty_label=gettext_lazy("Välj …"))
    room = forms.ModelChoiceField(label=gettext_lazy("Lokal"), queryset=Room.objects.all(),
                                  required=False, empty_label=gettext_lazy("Ingen lokal ännu"))
    kind = forms.ChoiceField(label=gettext_lazy("Typ av programpunkt"), choices=Session.Kind.choices)
    requires_signup = forms.BooleanField(label=gettext_lazy("Kräver anmälan till passet"),
                                         required=False, initial=True)

    def __init__(self, edition, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = TimeSlot.objects.filter(edition=edition)


def _proposal_or_404(edition, pk: int) -> Proposal:
    proposal = (Proposal.objects.filter(edition=edition, pk=pk)
                .select_related("organisation_unit", "submitted_by", "good_example",
                                "session__slot", "session__room")
                .prefetch_related("rights_areas").first())
    if proposal is None:
        raise Http404
    return proposal


# --- submitters ----------------------------------------------------------------------------

@require_http_methods(["GET", "HEAD", "POST"])
def submit(request, year: int):
    edition = edition_or_404(year)
    is_open = service.call_is_open(edition)
    if request.method != "POST":
        if not is_open:
            return render(request, "conference/proposals/submit.html",
                          {"edition": edition, "closed": True})
        form = ProposalForm(initial={"organisation_unit": request.user.organisation_unit_id})
        return render(request, "conference/proposals/submit.html", {"edition": edition, "form": form})
    form = ProposalForm(request.POST)
    if not is_open:
        form.is_valid()
        form.add_error(None, _("Inlämningen av förslag till %(year)s års konferens är stängd.")
                       % {"year": edition.year})
        return render(request, "conference/proposals/submit.html",
                      {"edition": edition, "form": form, "closed": True}, status=400)
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.submit(request.user, edition, title=data["title"], abstract=data["abstract"],
                           format=data["format"], organisation_unit=data["organisation_unit"],
                           co_presenters=data["co_presenters"], rights_areas=data["rights_areas"],
                           good_example=data["good_example"])
        except service.ProposalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tack! Ditt förslag är inskickat. "
                                        "Du ser beslutet under Mina förslag."))
            return redirect("conference:my_proposals", year=edition.year)
    return render(request, "conference/proposals/submit.html",
                  {"edition": edition, "form": form, "closed": not is_open}, status=400)


@require_safe
def my_proposals(request, year: int):
    edition = edition_or_404(year)
    own = (Proposal.objects.filter(edition=edition, submitted_by=request.user)
           .select_related("organisation_unit", "session__slot", "session__room")
           .prefetch_related("rights_areas"))
    return render(request, "conference/proposals/my_proposals.html",
                  {"edition": edition, "proposals": own, "call_open": service.call_is_open(edition)})


# --- reviewers -------------------------------------------------------------------------------

STATUS_FILTERS = {"": None, **{value: value for value in Proposal.Status.values}}


@require_safe
def review_list(request, year: int):
    require_manage(request.user)
    edition = edition_or_404(year, live=False)
    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS:
        status = ""
    rows = (Proposal.objects.filter(edition=edition)
            .select_related("organisation_unit", "submitted_by")
            .annotate(average=Avg("reviews__score"), review_count=Count("reviews", distinct=True),
                      reviewed_by_me=Count("reviews", filter=Q(reviews__reviewer=request.user)))
            .order_by("status", "-created_at"))
    if status:
        rows = rows.filter(status=status)
    return render(request, "conference/proposals/review_list.html", {
        "edition": edition, "proposals": rows, "status": status,
        "status_choices": Proposal.Status.choices, "current": "proposals"})


def _review_context(request, edition, proposal, review_form, accept_form):
    reviews = list(proposal.reviews.select_related("reviewer").order_by("created_at"))
    mine = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    scores = [r.score for r in reviews]
    return {
        "edition": edition, "proposal": proposal, "review_form": review_form,
        "accept_form": accept_form, "my_review": mine, "current": "proposals",
        # Others' reviews after one's own (or once decided): no anchoring on others' scores.
        "show_reviews": mine is not None or proposal.status != Proposal.Status.SUBMITTED,
        "reviews": reviews, "average": sum(scores) / len(scores) if scores else None,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def review(request, year: int, pk: int):
    require_manage(request.user)
    edition = edition_or_404(year, live=False)
    proposal = _proposal_or_404(edition, pk)
    own = Review.objects.filter(proposal=proposal, reviewer=request.user).first()
    review_form = ReviewForm(initial={"score": own.score, "comment": own.comment} if own else None)
    accept_form = AcceptForm(edition, initial={"kind": service.default_kind(proposal),
                                               "requires_signup": True})
    if request.method == "POST":
        action = request.POST.get("action")
        error_message = ""
        url = reverse("conference:review", args=[edition.year, proposal.pk])
        try:
            if action == "review":
                review_form = ReviewForm(request.POST)
                if review_form.is_valid():
                    service.review(proposal, request.user, review_form.cleaned_data["score"],
                                   review_form.cleaned_data["comment"])
                    messages.success(request, _("Din bedömning är sparad."))
                    return redirect(url)
            elif action == "accept":
                accept_form = AcceptForm(edition, request.POST)
                if accept_form.is_valid():
                    data = accept_form.cleaned_data
                    session = service.accept(proposal, request.user, slot=data["slot"], room=data["room"],
                                             kind=data["kind"], requires_signup=data["requires_signup"])
                    messages.success(request, _("Förslaget är antaget och finns nu i programmet som "
                                                "”%(title)s”.") % {"title": session.title})
                    return redirect(url)
            elif action == "reject":
                service.reject(proposal, request.user)
                messages.success(request, _("Förslaget är markerat som inte antaget."))
                return redirect(url)
            else:
                error_message = _("Okänd åtgärd.")
        except service.ProposalError as error:
            error_message = str(error)
        context = _review_context(request, edition, proposal, review_form, accept_form)
        context["error_message"] = error_message
        return render(request, "conference/proposals/review.html", context, status=400)
    return render(request, "conference/proposals/review.html",
                  _review_context(request, edition, proposal, review_form, accept_form))
