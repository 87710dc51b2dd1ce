"""One of every kind of personal data for a user (export and erasure tests)."""

from __future__ import annotations

import datetime

from allauth.socialaccount.models import SocialAccount
from django.utils import timezone

from cms.conference import audit
from cms.conference.models import FeedbackReceipt
from forum import moderation, services
from forum.models import CategoryRead, Draft, EmailPreference, ModerationAction, Notification, Reaction
from tests.cms.factories import MethodPageFactory
from tests.conference.factories import EditionFactory, ProposalFactory, SessionFactory, register
from tests.factories import UserFactory, enable_totp
from tests.forum.factories import CategoryFactory, PostFactory, ThreadFactory

NEEDS_TEXT = "Allergi mot sesamfrö, ta med adrenalinpenna"
ACCESS_TEXT = "Behöver plats nära utgången på grund av epilepsi"


def past_edition():
    ago = timezone.now() - datetime.timedelta(days=100)
    return EditionFactory(starts_at=ago, ends_at=ago + datetime.timedelta(hours=7),
                          registration_opens_at=ago - datetime.timedelta(days=30),
                          registration_closes_at=ago - datetime.timedelta(days=5),
                          change_deadline=ago - datetime.timedelta(days=5))


def personal_data(user, *, items: int = 1, edition=None, category=None) -> dict:
    """Give `user` `items` of each kind of forum data plus one of everything else."""
    category = category or CategoryFactory()
    other = UserFactory()
    others_thread = ThreadFactory(author=other, category=category)
    own_threads = [ThreadFactory(author=user, category=category, title=f"Min tråd {n} {user.pk}")
                   for n in range(items)]
    replies = [PostFactory(thread=others_thread, author=user, text=f"Mitt svar {n} {user.pk}")
               for n in range(items)]
    services.edit_post(user, replies[0], f"Mitt ändrade svar {user.pk}")
    for post in replies:
        Reaction.objects.create(post=post, user=other, kind="tack")
    Reaction.objects.create(post=others_thread.posts.first(), user=user, kind="tack")
    Draft.objects.create(user=user, category=category, title="Utkast", markdown=f"Utkast {user.pk}")
    services.mark_read(user, others_thread, 1)
    CategoryRead.objects.create(user=user, category=category)
    for _ in range(items):
        Notification.objects.create(user=user, kind="reply", thread=others_thread,
                                    message="Nytt svar")
    EmailPreference.objects.create(user=user, frequency="daily")
    moderation.create_flag(user, others_thread.posts.first(), "annat", f"Flaggad av {user.pk}")
    ModerationAction.objects.create(moderator=other, action="hide", thread=own_threads[0],
                                    post=own_threads[0].posts.first(), reason="Fel kategori",
                                    details={"thread_title": own_threads[0].title})

    edition = edition or EditionFactory()
    session = SessionFactory(edition=edition)
    registration, _ = register(user, edition, [session],
                               needs={"diet": ["vegansk"], "diet_other": NEEDS_TEXT,
                                      "access": ["vilorum"], "access_other": ACCESS_TEXT})
    old = past_edition()
    old_registration, _ = register(user, old, needs={"diet_other": NEEDS_TEXT},
                                   now=old.registration_opens_at + datetime.timedelta(days=1))
    ProposalFactory(submitted_by=user, edition=edition)
    FeedbackReceipt.objects.create(edition=old, user=user)
    audit.log(user, edition, "export", {"kind": "deltagare", "format": "csv", "rows": 1})
    audit.log(other, old, "checkin", {"registration": str(old_registration.uid)})

    page = MethodPageFactory(owner=user, content_owner=user, contact_email=user.email)
    page.save_revision(user=user)
    enable_totp(user)
    SocialAccount.objects.create(user=user, provider="openid_connect", uid=f"entra-{user.pk}")
    return {"other": other, "registration": registration, "old_registration": old_registration,
            "page": page, "threads": own_threads, "replies": replies, "edition": edition,
            "session": session}
