"""The anonymous evaluation: one answer per person and target (the edition, or a session).

A FeedbackReceipt records that someone answered; the Feedback row holds the answer with no
link to a person. They are written in one transaction but share nothing that joins them:
Feedback.created_at is a date only, and Feedback gets a random id so that insertion order
(sequential ids in both tables) does not pair an answer with its receipt.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from .models import EditionPage, Feedback, FeedbackReceipt, Registration, Session, SessionBooking

ID_FLOOR = 2**40  # far above any sequence-generated id
ID_RANGE = 2**53 - ID_FLOOR  # stays exact in JavaScript and JSON, should it ever get there


@dataclass
class Answer:
    session: Session | None  # None: the edition as a whole
    rating: int
    comment: str = ""


def attended_sessions(edition: EditionPage, registration: Registration) -> list[Session]:
    """Sessions the registrant held a confirmed place in, plus those needing no signup."""
    return list(Session.objects.filter(edition=edition).filter(
        Q(requires_signup=False)
        | Q(pk__in=SessionBooking.objects.filter(registration=registration,
                                                  status=SessionBooking.Status.CONFIRMED)
            .values("session_id"))).select_related("slot").order_by("slot__starts_at", "title"))


def answered(user, edition: EditionPage) -> set[int | None]:
    """Targets (session ids; None for the edition) this user has already answered."""
    receipts = FeedbackReceipt.objects.filter(edition=edition, user=user)
    return set(receipts.values_list("session_id", flat=True))


def _create_feedback(edition: EditionPage, answer: Answer) -> None:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                Feedback.objects.create(pk=ID_FLOOR + secrets.randbelow(ID_RANGE), edition=edition,
                                        session=answer.session, rating=answer.rating,
                                        comment=answer.comment.strip())
            return
        except IntegrityError:  # an id collision: astronomically rare, draw again
            continue
    raise IntegrityError("could not draw a free feedback id")


@transaction.atomic
def submit(user, edition: EditionPage, answers: list[Answer]) -> int:
    """Save the answers not given before; returns how many were saved."""
    # The edition lock serialises one person's double submit (and stands in for the unique
    # constraint on databases without NULLS NOT DISTINCT, such as SQLite).
    EditionPage.objects.select_for_update().filter(pk=edition.pk).first()
    done = answered(user, edition)
    fresh = []
    for answer in answers:
        if (answer.session.pk if answer.session else None) in done:
            continue
        try:
            with transaction.atomic():
                FeedbackReceipt.objects.create(edition=edition, session=answer.session, user=user)
        except IntegrityError:  # answered already (another tab, a double click)
            continue
        fresh.append(answer)
    random.shuffle(fresh)
    for answer in fresh:
        _create_feedback(edition, answer)
    return len(fresh)
