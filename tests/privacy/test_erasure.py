"""Account erasure: what goes, what stays anonymised, and that nobody else is touched."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Revision

from cms.conference.models import AttendeeNeeds, Registration
from forum.authors import display_author
from forum.models import Draft, Notification, Post, Reaction, Thread, ThreadRead, Watch
from privacy import erasure, export
from privacy.models import ErasureRecord
from privacy.relations import Erase, installed_relations
from tests.conference.factories import EditionFactory, register
from tests.factories import UserFactory

from .factories import NEEDS_TEXT, personal_data

pytestmark = pytest.mark.django_db
User = get_user_model()


def _rows_pointing_at(user) -> dict[str, int]:
    counts = {}
    for relation in installed_relations():
        model = apps.get_model(relation.model_label)
        counts[relation.field] = model._base_manager.filter(**{relation.field_name: user}).count()
    return counts


def test_erasure_removes_or_detaches_every_relation_and_spares_others():
    user, bystander = UserFactory(), UserFactory()
    made = personal_data(user)
    personal_data(bystander)
    before = export.to_json(export.collect(bystander))
    threads = [t.pk for t in made["threads"]]
    posts = [p.pk for p in made["replies"]]

    erasure.erase(user, actor=user)

    left = _rows_pointing_at(user)
    for relation in installed_relations():
        if relation.erase in (Erase.DELETE, Erase.DETACH):
            assert left[relation.field] == 0, relation.field
    # Posts and threads stay, written by "Tidigare medarbetare".
    assert Thread.objects.filter(pk__in=threads, author=None).count() == len(threads)
    for post in Post.objects.filter(pk__in=posts):
        assert post.author_id is None and display_author(post) == "Tidigare medarbetare"
        assert post.markdown.startswith("Mitt")
    # The content page stays, without its owner and contact; revisions too, detached.
    page = made["page"].specific_class.objects.get(pk=made["page"].pk)
    assert page.live and page.content_owner_id is None and page.contact_email == ""
    revision = Revision.objects.filter(object_id=str(page.pk)).latest("created_at")
    assert revision.user_id is None
    assert revision.content.get("content_owner") is None and revision.content["contact_email"] == ""
    # Needs are deleted; registrations stay anonymised.
    assert not AttendeeNeeds.objects.filter(registration__in=[made["registration"],
                                                              made["old_registration"]]).exists()
    for registration in Registration.objects.filter(pk__in=[made["registration"].pk,
                                                            made["old_registration"].pk]):
        assert registration.user_id is None and registration.email == ""
        assert registration.name == "Tidigare medarbetare"
    # The tombstone holds no personal data.
    tombstone = User.objects.get(pk=user.pk)
    assert not tombstone.is_active and not tombstone.has_usable_password()
    assert tombstone.email.endswith("@" + erasure.ERASED_EMAIL_DOMAIN)
    assert (tombstone.first_name, tombstone.last_name, tombstone.job_title) == ("", "", "")
    assert tombstone.organisation_unit is None and not tombstone.groups.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not SocialAccount.objects.filter(user=user).exists()
    # The bystander's data is exactly as before (timestamps aside, the text is the same).
    after = export.to_json(export.collect(bystander))
    strip = lambda text: "\n".join(line for line in text.splitlines() if "generated_at" not in line)  # noqa: E731
    assert strip(after) == strip(before)
    assert NEEDS_TEXT in after


def test_future_registration_is_cancelled_and_the_waiting_list_promoted(
        django_capture_on_commit_callbacks):
    edition = EditionFactory(capacity=1)
    user, waiting = UserFactory(), UserFactory()
    registration, _ = register(user, edition)
    queued, _ = register(waiting, edition)
    assert queued.status == Registration.Status.WAITLISTED
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase(user)

    registration.refresh_from_db()
    queued.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert queued.status == Registration.Status.OFFERED
    assert [m.to for m in mail.outbox] == [[waiting.email]]  # no mail to the erased person


def test_past_registration_is_anonymised_not_cancelled():
    user = UserFactory()
    made = personal_data(user)
    status = made["old_registration"].status
    erasure.erase(user)
    made["old_registration"].refresh_from_db()
    assert made["old_registration"].status == status
    assert made["old_registration"].name == "Tidigare medarbetare"


def test_erasure_is_idempotent_and_logged_once_without_personal_data():
    user = UserFactory(display_name="Ada Lovelace")
    email = user.email
    personal_data(user)
    first = erasure.erase(user, via="command")
    tombstone = User.objects.get(pk=user.pk)
    erasure.erase(tombstone, via="command")
    again = User.objects.get(pk=user.pk)
    assert again.email == tombstone.email
    record = ErasureRecord.objects.get()
    assert record.subject_id == user.pk and record.via == "command"
    assert record.counts == first
    assert email not in str(record.counts) and "Ada" not in str(record.counts)
    assert first["registrations_cancelled"] == 1 and first["forum.Post.author"] >= 2


def test_erasure_ends_sessions(client):
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": "Testlösenord-för-MR-navet-1"})
    assert client.get(reverse("privacy:my_data")).status_code == 200
    assert Session.objects.exists()
    erasure.erase(user)
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_self_service_needs_reauthentication_and_confirmation(client, password):
    user = UserFactory()
    personal_data(user)
    client.force_login(user)
    url = reverse("privacy:erase_account")
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_reauthenticate") in response["Location"]

    client.post(reverse("account_reauthenticate"), {"password": password})
    response = client.get(url)
    assert response.status_code == 200 and "Tidigare medarbetare" in response.content.decode()
    response = client.post(url, {})
    assert response.status_code == 400 and "Kryssa i rutan" in response.content.decode()
    assert User.objects.get(pk=user.pk).is_active

    response = client.post(url, {"understood": "on"})
    assert response.status_code == 200 and "Ditt konto är raderat" in response.content.decode()
    assert not User.objects.get(pk=user.pk).is_active
    assert ErasureRecord.objects.get().by_self
    assert client.get(reverse("privacy:my_data")).status_code == 302  # signed out


def test_management_command_erases_by_email_and_refuses_unknown(capsys):
    user = UserFactory()
    personal_data(user)
    call_command("erase_user", user.email.upper())
    assert not User.objects.get(pk=user.pk).is_active
    assert "Kontot är raderat" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Ingen användare"):
        call_command("erase_user", user.email)


def test_forum_rows_of_the_user_are_gone_but_others_reactions_stay():
    user = UserFactory()
    made = personal_data(user)
    reactions_on_own_posts = Reaction.objects.filter(post__in=made["replies"]).count()
    erasure.erase(user)
    assert Reaction.objects.filter(post__in=made["replies"]).count() == reactions_on_own_posts
    for model in (Draft, Notification, Watch, ThreadRead):
        assert not model.objects.filter(user=user).exists()
