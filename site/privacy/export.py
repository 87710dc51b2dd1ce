"""Everything stored about one user, as plain data ("Mina uppgifter" and its JSON export).

The schema is stable and versioned (SCHEMA, VERSION): top-level sections profile, forum,
conference, content and audit, each a dict of lists of flat dicts (README lists them). Add
keys freely; renaming or removing one means a new VERSION.

Each list is one query (values() with the joins it needs), so the number of queries does
not grow with the amount of data (tests/privacy/test_export.py asserts the budget).
"""

from __future__ import annotations

import json

from django.contrib.auth.models import Group
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Q
from django.utils import timezone

SCHEMA = "mr-navet/mina-uppgifter"
VERSION = 1


def _rows(queryset, **columns) -> list[dict]:
    """queryset.values() with the output keys renamed: _rows(qs, thread="thread__title")."""
    lookups = list(columns.values())
    return [{key: row[lookup] for key, lookup in columns.items()}
            for row in queryset.values(*lookups)]


def _choice_labels(rows: list[dict], key: str, choices) -> list[dict]:
    labels = dict(choices)
    for row in rows:
        row[key] = str(labels.get(row[key], row[key]))
    return rows


# --- sections -----------------------------------------------------------------------------

def profile(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from wagtail.users.models import UserProfile

    unit = user.organisation_unit.name if user.organisation_unit_id else ""
    admin_preferences = UserProfile.objects.filter(user=user).values().first()
    if admin_preferences is not None:
        admin_preferences = {key: value for key, value in admin_preferences.items()
                             if key not in {"id", "user_id"}}
        admin_preferences["avatar"] = bool(admin_preferences.get("avatar"))
    return {
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation_unit": unit,
        "job_title": user.job_title,
        "roles": list(Group.objects.filter(user=user).order_by("name")
                      .values_list("name", flat=True)),
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": _rows(EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
                                 email="email", verified="verified", primary="primary"),
        # Type and dates only: never secrets or recovery codes.
        "mfa_devices": _rows(Authenticator.objects.filter(user=user).order_by("created_at"),
                             type="type", created_at="created_at", last_used_at="last_used_at"),
        "social_accounts": _rows(SocialAccount.objects.filter(user=user).order_by("pk"),
                                 provider="provider", uid="uid", date_joined="date_joined",
                                 last_login="last_login"),
        "admin_preferences": admin_preferences,
    }


def forum(user) -> dict:
    from forum.models import (CategoryRead, Draft, EmailPreference, Flag, Notification, Post,
                              PostRevision, Reaction, ThreadRead, Watch, WatchLevel)
    from forum.models import Thread

    thread_reads = ThreadRead.objects.filter(user=user).aggregate(n=Count("pk"), latest=Max("updated_at"))
    category_reads = CategoryRead.objects.filter(user=user).aggregate(n=Count("pk"),
                                                                      latest=Max("marked_at"))
    preference = EmailPreference.objects.filter(user=user).values("frequency", "last_digest_at").first()
    return {
        "threads": _rows(Thread.objects.filter(author=user).order_by("created_at"),
                         id="id", title="title", category="category__name",
                         created_at="created_at", is_hidden="is_hidden"),
        "posts": _rows(Post.objects.filter(author=user).order_by("created_at", "pk"),
                       id="id", thread_id="thread_id", thread="thread__title", number="number",
                       markdown="markdown", created_at="created_at", edited_at="edited_at",
                       is_deleted="is_deleted", is_hidden="is_hidden",
                       hidden_reason="hidden_reason"),
        "post_revisions": _rows(PostRevision.objects.filter(edited_by=user).order_by("created_at", "pk"),
                                post_id="post_id", markdown="markdown", created_at="created_at"),
        "reactions": _rows(Reaction.objects.filter(user=user).order_by("created_at", "pk"),
                           post_id="post_id", thread="post__thread__title", kind="kind",
                           created_at="created_at"),
        "watches": _choice_labels(
            _rows(Watch.objects.filter(user=user).order_by("pk"), thread="thread__title",
                  category="category__name", tag="tag__name", level="level"),
            "level", WatchLevel.choices),
        "drafts": _rows(Draft.objects.filter(user=user).order_by("-updated_at"),
                        thread="thread__title", category="category__name", title="title",
                        markdown="markdown", updated_at="updated_at"),
        "read_marks": {
            "threads": thread_reads["n"], "threads_latest": thread_reads["latest"],
            "categories": category_reads["n"], "categories_latest": category_reads["latest"],
        },
        "notifications": _choice_labels(
            _rows(Notification.objects.filter(user=user).order_by("-created_at", "-pk"),
                  kind="kind", thread="thread__title", message="message",
                  created_at="created_at", read_at="read_at", emailed_at="emailed_at"),
            "kind", Notification.Kind.choices),
        "notification_settings": {
            "email_frequency": (preference or {}).get("frequency",
                                                      EmailPreference.Frequency.IMMEDIATE),
            "last_digest_at": (preference or {}).get("last_digest_at"),
        },
        "flags": _rows(Flag.objects.filter(reporter=user).order_by("created_at"),
                       post_id="post_id", thread="post__thread__title", reason="reason",
                       text="text", created_at="created_at", resolved_at="resolved_at",
                       resolution="resolution"),
    }


def _needs(needs) -> dict | None:
    """The user's own diet and accessibility needs (always shown to themselves)."""
    from cms.conference.models import AttendeeNeeds

    if needs is None:
        return None
    diet, access = dict(AttendeeNeeds.Diet.choices), dict(AttendeeNeeds.Access.choices)
    return {
        "diet": [str(diet.get(code, code)) for code in needs.diet],
        "diet_other": needs.diet_other,
        "access": [str(access.get(code, code)) for code in needs.access],
        "access_other": needs.access_other,
        "purged_at": needs.purged_at,
    }


def conference(user) -> dict:
    from cms.conference.models import (AttendeeNeeds, FeedbackReceipt, Proposal, Registration,
                                       Review, SessionBooking)

    registrations = list(Registration.objects.filter(user=user)
                         .select_related("edition", "organisation_unit").order_by("created_at"))
    needs = {n.registration_id: n for n in AttendeeNeeds.objects.filter(registration__user=user)}
    bookings: dict[int, list] = {}
    booking_rows = _choice_labels(
        _rows(SessionBooking.objects.filter(registration__user=user)
              .order_by("session__slot__starts_at", "pk"),
              registration_id="registration_id", session="session__title", status="status"),
        "status", SessionBooking.Status.choices)
    for row in booking_rows:
        bookings.setdefault(row.pop("registration_id"), []).append(row)
    statuses = dict(Registration.Status.choices)
    return {
        "registrations": [{
            "edition": r.edition.title, "year": r.edition.year, "name": r.name,
            "email": r.email,
            "organisation_unit": r.organisation_unit.name if r.organisation_unit else "",
            "status": str(statuses.get(r.status, r.status)), "created_at": r.created_at,
            "confirmed_at": r.confirmed_at, "cancelled_at": r.cancelled_at,
            "checked_in_at": r.checked_in_at, "needs": _needs(needs.get(r.pk)),
            "sessions": bookings.get(r.pk, []),
        } for r in registrations],
        "proposals": _rows(Proposal.objects.filter(submitted_by=user).order_by("created_at"),
                           year="edition__year", title="title", abstract="abstract",
                           format="format", organisation_unit="organisation_unit__name",
                           co_presenters="co_presenters", status="status",
                           created_at="created_at"),
        "reviews": _rows(Review.objects.filter(reviewer=user).order_by("created_at"),
                         year="proposal__edition__year", proposal="proposal__title",
                         score="score", comment="comment", created_at="created_at"),
        # The answers themselves are anonymous by design: only the receipt names the user.
        "feedback_receipts": _rows(FeedbackReceipt.objects.filter(user=user).order_by("pk"),
                                   year="edition__year", session="session__title"),
    }


def content(user) -> dict:
    from wagtail.images import get_image_model
    from wagtail.models import (Comment, CommentReply, Page, PageSubscription, Revision,
                                TaskState, WorkflowState)

    from cms.models import ContentPage, MRDocument

    from .relations import app_installed

    optional = {}
    if app_installed("accessibility"):
        from accessibility.models import AccessibilityFeedback

        optional["accessibility_feedback"] = _rows(
            AccessibilityFeedback.objects.filter(user=user).order_by("created_at"),
            page_url="page_url", description="description", wants_contact="wants_contact",
            created_at="created_at")
    return {
        "pages_created": _rows(Page.objects.filter(owner=user).order_by("path"),
                               id="id", title="title", live="live",
                               first_published_at="first_published_at"),
        "pages_locked": _rows(Page.objects.filter(locked_by=user).order_by("path"),
                              id="id", title="title", locked_at="locked_at"),
        "pages_responsible": _rows(ContentPage.objects.filter(content_owner=user).order_by("path"),
                                   id="id", title="title", contact_email="contact_email",
                                   next_review_date="next_review_date"),
        "revisions": _rows(Revision.objects.filter(user=user).order_by("created_at", "pk"),
                           object="object_str", created_at="created_at"),
        "workflow_requests": _rows(WorkflowState.objects.filter(requested_by=user).order_by("created_at"),
                                   workflow="workflow__name", status="status",
                                   created_at="created_at"),
        "workflow_decisions": _rows(TaskState.objects.filter(finished_by=user).order_by("finished_at"),
                                    task="task__name", status="status",
                                    finished_at="finished_at", comment="comment"),
        "comments": _rows(Comment.objects.filter(user=user).order_by("created_at"),
                          page="page__title", text="text", created_at="created_at",
                          resolved_at="resolved_at"),
        "comments_resolved": _rows(Comment.objects.filter(resolved_by=user).order_by("resolved_at"),
                                   page="page__title", resolved_at="resolved_at"),
        "comment_replies": _rows(CommentReply.objects.filter(user=user).order_by("created_at"),
                                 page="comment__page__title", text="text", created_at="created_at"),
        "page_subscriptions": _rows(PageSubscription.objects.filter(user=user).order_by("pk"),
                                    page="page__title",
                                    comment_notifications="comment_notifications"),
        "documents": _rows(MRDocument.objects.filter(uploaded_by_user=user).order_by("created_at"),
                           title="title", created_at="created_at"),
        "images": _rows(get_image_model().objects.filter(uploaded_by_user=user).order_by("created_at"),
                        title="title", created_at="created_at"),
    } | optional


def audit(user, registration_uids: list[str]) -> dict:
    """Log entries where the user acted, or is the subject (their registration was checked
    in; a moderator acted on their post or thread). Other people are never named."""
    from django.contrib.admin.models import LogEntry
    from wagtail.models import ModelLogEntry, PageLogEntry

    from cms.conference.models import AuditEvent
    from forum.models import ModerationAction

    from .models import ErasureRecord

    about = Q(actor=user)
    if registration_uids:
        about |= Q(details__registration__in=registration_uids)
    conference_rows = _rows(AuditEvent.objects.filter(about).order_by("created_at", "pk"),
                            actor_id="actor_id", action="action", year="edition__year",
                            details="details", created_at="created_at")
    forum_rows = _choice_labels(
        _rows(ModerationAction.objects.filter(
            Q(moderator=user) | Q(post__author=user) | Q(thread__author=user))
            .order_by("created_at", "pk"),
            moderator_id="moderator_id", action="action", reason="reason",
            thread_id="thread_id", post_id="post_id", details="details",
            created_at="created_at"),
        "action", ModerationAction.Action.choices)
    for row in conference_rows:
        row["role"] = "actor" if row.pop("actor_id") == user.pk else "subject"
    for row in forum_rows:
        row["role"] = "moderator" if row.pop("moderator_id") == user.pk else "subject"
        details = row.pop("details") or {}
        row["thread"] = details.get("thread_title", "")
    return {
        "conference": conference_rows,
        "forum_moderation": forum_rows,
        "page_history": _rows(PageLogEntry.objects.filter(user=user).order_by("timestamp", "pk"),
                              action="action", label="label", timestamp="timestamp"),
        "admin_history": _rows(ModelLogEntry.objects.filter(user=user).order_by("timestamp", "pk"),
                               action="action", label="label", timestamp="timestamp"),
        "django_admin": _rows(LogEntry.objects.filter(user=user).order_by("action_time", "pk"),
                              action_time="action_time", object="object_repr",
                              action_flag="action_flag"),
        "erasures_performed": _rows(ErasureRecord.objects.filter(actor=user).order_by("created_at"),
                                    via="via", created_at="created_at"),
    }


# --- the whole export ----------------------------------------------------------------------

def collect(user) -> dict:
    """Everything stored about `user`, in the documented schema."""
    conference_data = conference(user)
    from cms.conference.models import Registration

    uids = [str(uid) for uid in Registration.objects.filter(user=user).values_list("uid", flat=True)]
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "generated_at": timezone.now(),
        "user_id": user.pk,
        "profile": profile(user),
        "forum": forum(user),
        "conference": conference_data,
        "content": content(user),
        "audit": audit(user, uids),
    }


def to_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
