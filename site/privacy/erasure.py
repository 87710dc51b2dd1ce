"""Account erasure ("Radera mitt konto", `manage.py erase_user`, the admin action).

One transaction, idempotent. The user row is kept as an inactive *tombstone*: a random
address at ERASED_EMAIL_DOMAIN, no name, job title, unit, roles or usable password, and the
display name "Tidigare medarbetare". Why not delete the row: Wagtail revisions store owner
ids in their JSON (publishing an old revision must not fail on a missing user), role
records kept for accountability (moderation and audit logs, proposal reviews, Django admin
history) need something to point at, and `ErasureRecord.subject_id` lets an erasure be
repeated on a restored backup. The tombstone holds no personal data.

What happens to each relation is declared in privacy.relations (DELETE, DETACH or KEEP);
the steps below do what needs more than a delete or an update first:

- conference registrations of editions that have not ended are cancelled through
  booking.cancel (the seat goes to the waiting list), then every registration is
  anonymised (name, email, token) and its needs are deleted;
- the threads the user wrote in are reindexed once the authors are detached;
- pages locked by the user are unlocked; contact addresses that were the user's are cleared,
  also in the pages' stored revisions, as are the owner ids there;
- sessions are deleted and the admin avatar file removed.

Mentions of the user's name or @handle inside other people's posts are not rewritten.
"""

from __future__ import annotations

import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import ErasureRecord
from .relations import Erase, app_installed, installed_relations

ERASED_EMAIL_DOMAIN = "raderad.mr-navet.invalid"
FORMER_COLLEAGUE = "Tidigare medarbetare"  # stored, so not translated at runtime


def is_erased(user) -> bool:
    return bool(user.email and user.email.endswith("@" + ERASED_EMAIL_DOMAIN))


def erase(user, *, actor=None, via: str = "self-service", now=None) -> dict[str, int]:
    """Erase `user`; returns counts per step (also stored in the ErasureRecord)."""
    now = now or timezone.now()
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        first_time = not is_erased(user)
        emails = _addresses(user)
        counts = {
            "registrations_cancelled": _cancel_future_registrations(user, now),
            "registrations_anonymised": _anonymise_registrations(user),
            "threads_reindexed": _reindex_forum_threads(user),
            "pages_unlocked": _unlock_pages(user),
            "contacts_cleared": _clear_contacts(user, emails),
            "revisions_scrubbed": _scrub_revisions(user, emails),
            "sessions": _end_sessions(user),
        }
        _remove_avatar(user)
        for relation in installed_relations():
            changed = _apply(relation, user)
            if changed:
                counts[relation.field] = changed
        _make_tombstone(user, now)
        if first_time:
            ErasureRecord.objects.create(
                subject_id=user.pk, actor=actor if actor is not None and actor.pk != user.pk else None,
                by_self=actor is not None and actor.pk == user.pk, via=via, counts=counts,
                created_at=now)
    return counts


# --- steps ----------------------------------------------------------------------------------

def _addresses(user) -> set[str]:
    from allauth.account.models import EmailAddress

    emails = {user.email.lower()} if user.email else set()
    emails |= {e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    return emails


def _cancel_future_registrations(user, now) -> int:
    """Cancel through the booking code, so freed seats are offered to the waiting list."""
    from cms.conference import booking
    from cms.conference.models import Registration

    active = (Registration.objects.filter(user=user, status__in=Registration.ACTIVE,
                                          edition__ends_at__gt=now).order_by("pk"))
    cancelled = 0
    for registration in active:
        booking.cancel(registration, now=now, by_organiser=True)
        cancelled += 1
    return cancelled


def _anonymise_registrations(user) -> int:
    """Name and email go (an empty email also stops every conference email, including the
    cancellation queued above); unit, status and dates stay for the statistics."""
    from cms.conference.booking import new_token
    from cms.conference.models import AttendeeNeeds, Registration

    AttendeeNeeds.objects.filter(registration__user=user).delete()
    registrations = list(Registration.objects.filter(user=user))
    for registration in registrations:
        registration.user = None
        registration.name = FORMER_COLLEAGUE
        registration.email = ""
        registration.token_hash = new_token()[1]  # the old personal link stops working
    Registration.objects.bulk_update(registrations, ["user", "name", "email", "token_hash"])
    return len(registrations)


def _reindex_forum_threads(user) -> int:
    from forum import signals
    from forum.models import Post, Thread

    ids = set(Thread.objects.filter(author=user).values_list("pk", flat=True))
    ids |= set(Post.objects.filter(author=user).values_list("thread_id", flat=True))
    for thread_id in sorted(ids):
        transaction.on_commit(lambda thread_id=thread_id: signals.thread_changed.send(
            sender=Thread, thread_id=thread_id))
    return len(ids)


def _unlock_pages(user) -> int:
    from wagtail.models import Page

    return Page.objects.filter(locked_by=user).update(locked=False, locked_at=None, locked_by=None)


def _clear_contacts(user, emails: set[str]) -> int:
    from cms.models import ContentPage

    if not emails:
        return 0
    match = Q()
    for email in emails:
        match |= Q(contact_email__iexact=email)
    return ContentPage.objects.filter(match).update(contact_email="")


def _scrub_revisions(user, emails: set[str]) -> int:
    """Stored page revisions keep owner ids and the contact address in their JSON: clear
    those that point at the user, keeping the rest of each revision."""
    from wagtail.models import Revision

    match = Q(content__owner=user.pk) | Q(content__content_owner=user.pk) | Q(content__locked_by=user.pk)
    if emails:
        match |= Q(content__contact_email__in=sorted(emails))
    scrubbed = 0
    for revision in Revision.objects.filter(match).only("pk", "content").iterator():
        content = dict(revision.content)
        for key in ("owner", "content_owner", "locked_by"):
            if content.get(key) == user.pk:
                content[key] = None
        if key_matches(content.get("contact_email"), emails):
            content["contact_email"] = ""
        if content.get("locked_by") is None and revision.content.get("locked_by") == user.pk:
            content["locked"], content["locked_at"] = False, None
        revision.content = content
        revision.save(update_fields=["content"])
        scrubbed += 1
    return scrubbed


def key_matches(value, emails: set[str]) -> bool:
    return isinstance(value, str) and value.lower() in emails


def _end_sessions(user) -> int:
    """Delete the user's database sessions. (They are dead anyway: the tombstone is inactive
    and its password hash changed, which invalidates every session's auth hash.)"""
    if app_installed("security"):
        from security.sessions import end_sessions_for  # its user-to-session table: no scan

        return end_sessions_for(user)
    if settings.SESSION_ENGINE not in ("django.contrib.sessions.backends.db",
                                       "django.contrib.sessions.backends.cached_db"):
        return 0
    from django.contrib.sessions.models import Session

    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    wanted, ended = str(user.pk), []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == wanted:
            ended.append(session.session_key)
    for key in ended:
        store(session_key=key).delete()  # also clears cached_db's cache entry
    return len(ended)


def _remove_avatar(user) -> None:
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None and profile.avatar:
        storage, name = profile.avatar.storage, profile.avatar.name
        transaction.on_commit(lambda: storage.delete(name))


def _apply(relation, user) -> int:
    model = apps.get_model(relation.model_label)
    rows = model._base_manager.filter(**{relation.field_name: user})
    if relation.erase == Erase.DELETE:
        return rows.delete()[0]
    if relation.erase == Erase.DETACH:
        return rows.update(**{relation.field_name: None})
    return 0


def _make_tombstone(user, now) -> None:
    if not is_erased(user):
        user.email = f"{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"
        user.date_joined = now
    user.display_name = FORMER_COLLEAGUE
    user.first_name = user.last_name = user.job_title = ""
    user.organisation_unit = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
