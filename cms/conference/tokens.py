"""The personal self-service link: find a registration by its token, make a new token.

Only the SHA-256 of a token is stored; looking it up by that hash is the comparison, so
no token is ever compared character by character in Python.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from . import events
from .booking import hash_token, new_token
from .models import Registration

MAX_TOKEN_LENGTH = 100  # ours are 43 characters; anything far longer is not one of them


def registration_for_token(token: str, user) -> Registration:
    """The registration the token belongs to, or 404 (unknown, malformed or replaced, or
    another person's).

    Every page needs a signed-in user, so the link is tied to its owner too: a forwarded or
    leaked link shows nobody else the registration's needs, and lets nobody else cancel it.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH or not user.is_authenticated:
        raise Http404
    registration = (Registration.objects.select_related("edition", "organisation_unit")
                    .filter(token_hash=hash_token(token), user_id=user.pk).first())
    if registration is None or not registration.edition.live:
        raise Http404
    return registration


@transaction.atomic
def reissue_token(registration: Registration) -> str:
    """Give the registration a new token (the old link stops working) and send it by email."""
    token, token_hash = new_token()
    Registration.objects.filter(pk=registration.pk).update(token_hash=token_hash)
    registration.token_hash = token_hash
    events.link_reissued(registration, token)
    return token
