"""The call for good examples: submit, review (1–5 and a comment, one per reviewer), and
decide. Accepting turns the proposal into a Session in a chosen slot and room.

Views call these functions only; each raises ProposalError with a Swedish message and
changes nothing when the input is refused.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import EditionPage, Proposal, Review, Room, Session, TimeSlot

P = Proposal.Status


class ProposalError(Exception):
    """A Swedish message for the user; nothing was changed."""


def call_is_open(edition: EditionPage, now=None) -> bool:
    now = now or timezone.now()
    return edition.proposals_open and (edition.proposals_close_at is None
                                       or now < edition.proposals_close_at)


def default_kind(proposal: Proposal) -> str:
    return Session.Kind.WORKSHOP if proposal.format == Proposal.Format.WORKSHOP else Session.Kind.PARALLEL


@transaction.atomic
def submit(user, edition: EditionPage, *, title: str, abstract: str, format: str,
           organisation_unit, co_presenters: str = "", rights_areas=(), good_example=None,
           now=None) -> Proposal:
    """A new proposal from `user`; refused when the call is closed or it is a duplicate."""
    now = now or timezone.now()
    edition = EditionPage.objects.select_for_update().get(pk=edition.pk)  # serialises duplicates
    if not call_is_open(edition, now):
        raise ProposalError(_("Inlämningen av förslag till %(year)s års konferens är stängd.")
                            % {"year": edition.year})
    title = title.strip()
    if Proposal.objects.filter(edition=edition, submitted_by=user, title__iexact=title).exclude(
            status=P.WITHDRAWN).exists():
        raise ProposalError(_("Du har redan skickat in ett förslag med titeln ”%(title)s”.")
                            % {"title": title})
    proposal = Proposal.objects.create(
        edition=edition, submitted_by=user, title=title, abstract=abstract.strip(), format=format,
        organisation_unit=organisation_unit, co_presenters=co_presenters.strip(),
        good_example=good_example, created_at=now)
    proposal.rights_areas.set(rights_areas)
    return proposal


def review(proposal: Proposal, reviewer, score: int, comment: str = "") -> Review:
    """Create or update `reviewer`'s one review of a proposal still being decided."""
    if proposal.status != P.SUBMITTED:
        raise ProposalError(_("Förslaget är redan beslutat och kan inte bedömas längre."))
    if score not in range(1, 6):
        raise ProposalError(_("Betyget ska vara mellan 1 och 5."))
    try:
        with transaction.atomic():
            result, _created = Review.objects.update_or_create(
                proposal=proposal, reviewer=reviewer,
                defaults={"score": score, "comment": comment.strip()})
    except IntegrityError:  # two tabs saving at once: the other one won, save again
        result = Review.objects.get(proposal=proposal, reviewer=reviewer)
        result.score, result.comment = score, comment.strip()
        result.save(update_fields=["score", "comment"])
    return result


def _locked_undecided(proposal: Proposal) -> Proposal:
    proposal = (Proposal.objects.select_for_update(of=("self",)).select_related("submitted_by")
                .get(pk=proposal.pk))
    if proposal.status != P.SUBMITTED:
        raise ProposalError(_("Förslaget är redan beslutat (%(status)s).")
                            % {"status": proposal.get_status_display()})
    return proposal


def _presenters(proposal: Proposal) -> str:
    names = [proposal.submitted_by.get_full_name()] if proposal.submitted_by else []
    if proposal.co_presenters:
        names.append(proposal.co_presenters)
    return ", ".join(names)[:300]


@transaction.atomic
def accept(proposal: Proposal, actor, *, slot: TimeSlot, room: Room | None, kind: str,
           requires_signup: bool = True) -> Session:
    """Accept: create the Session in `slot` and `room`, link it, record the decision."""
    proposal = _locked_undecided(proposal)
    if slot.edition_id != proposal.edition_id:
        raise ProposalError(_("Tidpasset hör till ett annat konferensår."))
    if kind not in Session.Kind.values:
        raise ProposalError(_("Välj en giltig typ av programpunkt."))
    if room is not None and Session.objects.filter(slot=slot, room=room).exists():
        raise ProposalError(_("Lokalen %(room)s är redan upptagen under tidpasset %(slot)s.")
                            % {"room": room.name, "slot": slot})
    session = Session.objects.create(
        edition_id=proposal.edition_id, slot=slot, kind=kind, title=proposal.title,
        description=proposal.abstract, presenters=_presenters(proposal),
        organisation_unit_id=proposal.organisation_unit_id, good_example_id=proposal.good_example_id,
        room=room, requires_signup=requires_signup)
    session.rights_areas.set(proposal.rights_areas.all())
    proposal.status, proposal.session = P.ACCEPTED, session
    proposal.save(update_fields=["status", "session"])
    audit.log(actor, proposal.edition, "proposal_accepted",
              {"proposal": proposal.pk, "session": session.pk})
    return session


@transaction.atomic
def reject(proposal: Proposal, actor) -> Proposal:
    proposal = _locked_undecided(proposal)
    proposal.status = P.REJECTED
    proposal.save(update_fields=["status"])
    audit.log(actor, proposal.edition, "proposal_rejected", {"proposal": proposal.pk})
    return proposal
