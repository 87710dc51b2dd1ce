"""The accessibility statement (DIGG's required content) and its feedback form."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accessibility.emails import send_feedback_email
from accessibility.models import AccessibilityFeedback
from accessibility.wagtail_hooks import feedback_viewset
from tests.factories import SuperuserFactory, UserFactory, enable_totp

FEEDBACK_URL = "/tillganglighet/synpunkter/"
VALID = {
    "page_url": "/metoder/barnkonsekvensanalys/",
    "description": "Knappen Skicka går inte att nå med tangentbordet i Firefox.",
    "wants_contact": "on",
}


@pytest.fixture
def statement(db):
    from wagtail.models import Page

    from fixtures.standard_pages import ensure_standard_pages

    ensure_standard_pages()
    return Page.objects.get(slug="tillganglighetsredogorelse").specific


def test_statement_carries_diggs_required_content(user_client, statement):
    response = user_client.get(statement.url)

    assert response.status_code == 200
    text = response.content.decode()
    required = [
        "Malmö stad",  # who stands behind it, and its commitment
        "lagen (2018:1937) om tillgänglighet till digital offentlig service",
        "delvis förenlig",  # compliance status
        "Innehåll som inte är tillgängligt",  # known shortcomings, as a list
        "<li>Bifogade dokument",
        "självskattning",  # how the statement was made: method and date
        "Den senaste bedömningen gjordes den",
        "Rapportera brister",  # how to report and ask for accessible content
        "i ett annat format",
        "Myndigheten för digital förvaltning (DIGG)",  # supervision and complaints
        "digg.se/tdosanmalan",
        "uppdaterades senast den",  # date of the statement and last review
    ]
    missing = [phrase for phrase in required if phrase not in text]
    assert not missing, missing
    # The feedback form is on the page and posts to the form view, without JavaScript.
    assert f'action="{FEEDBACK_URL}"' in text
    assert 'name="description"' in text and 'name="page_url"' in text


def test_other_standard_pages_have_no_feedback_form(user_client, statement):
    from wagtail.models import Page

    response = user_client.get(Page.objects.get(slug="om-mr-navet").url)
    assert response.status_code == 200
    assert FEEDBACK_URL not in response.content.decode().split("<footer", 1)[0]


def test_form_page_prefills_the_page_address(user_client):
    response = user_client.get(FEEDBACK_URL, {"sida": "/forum/trad/3/"})
    assert response.status_code == 200
    assert 'value="/forum/trad/3/"' in response.content.decode()


def test_valid_report_is_stored_mailed_and_confirmed(
        user_client, user, settings, django_capture_on_commit_callbacks):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "tillganglighet@malmo.se"

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(FEEDBACK_URL, VALID, follow=True)

    assert response.redirect_chain == [(reverse("accessibility:feedback_thanks"), 302)]
    assert "Tack för din synpunkt" in response.content.decode()
    report = AccessibilityFeedback.objects.get()
    assert (report.user, report.page_url, report.wants_contact) == (
        user, VALID["page_url"], True)
    assert report.email_sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tillganglighet@malmo.se"]
    assert message.reply_to == [user.email]
    assert VALID["description"] in message.body
    assert f"/admin/tillganglighet/synpunkter/inspect/{report.pk}/" in message.body


def test_report_without_contact_wish_has_no_reply_to(
        user_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(FEEDBACK_URL, {**VALID, "wants_contact": ""})
    assert AccessibilityFeedback.objects.get().wants_contact is False
    assert mail.outbox[0].reply_to == []


def test_email_is_sent_once(user_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(FEEDBACK_URL, VALID)
    assert send_feedback_email(AccessibilityFeedback.objects.get().pk) is False
    assert send_feedback_email(123456) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"page_url": ""}, "page_url", "Ange adressen till sidan där problemet finns."),
    ({"page_url": "javascript:alert(1)"}, "page_url", "Ange en adress som börjar med /"),
    ({"page_url": "//evil.example/"}, "page_url", "Ange en adress som börjar med /"),
    ({"page_url": "/sida med mellanslag/"}, "page_url", "mellanslag eller styrtecken"),
    ({"page_url": "/" + "a" * 600}, "page_url", "högst 500 tecken"),
    ({"description": ""}, "description", "Beskriv problemet."),
    ({"description": "  kort  "}, "description", "minst 10 tecken"),
    ({"description": "x" * 5001}, "description", "högst 5000 tecken"),
    ({"description": "Text med \x07 styrtecken i sig"}, "description", "otillåtna tecken"),
    ({"description": "Text med \x00 nolltecken i sig"}, "description", "tecken"),
])
def test_bad_input_rerenders_with_swedish_errors(user_client, data, field, message):
    response = user_client.post(FEEDBACK_URL, {**VALID, **data})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    body = response.content.decode()
    assert "Synpunkten skickades inte" in body
    assert 'aria-invalid="true"' in body
    assert not AccessibilityFeedback.objects.exists()
    assert mail.outbox == []


def test_missing_fields_and_wrong_types_never_500(user_client):
    response = user_client.post(FEEDBACK_URL, {})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"page_url", "description"}
    response = user_client.post(FEEDBACK_URL, {"page_url": ["/a/", "/b/"], "description": ["x"]})
    assert response.status_code == 400
    assert user_client.put(FEEDBACK_URL).status_code == 405
    assert user_client.post(reverse("accessibility:feedback_thanks")).status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.post(FEEDBACK_URL, VALID)
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    assert not AccessibilityFeedback.objects.exists()


@pytest.fixture
def superuser_client(client, db):
    admin = SuperuserFactory()
    enable_totp(admin)  # the admin requires MFA
    client.force_login(admin)
    return client


def test_admins_list_and_inspect_reports_but_cannot_add_or_edit(superuser_client):
    report = AccessibilityFeedback.objects.create(
        user=UserFactory(), page_url="/forum/", description="Kontrasten är för låg i menyn.")

    listing = superuser_client.get(reverse(feedback_viewset.get_url_name("list")))
    assert listing.status_code == 200
    assert "/forum/" in listing.content.decode()
    inspect = superuser_client.get(reverse(feedback_viewset.get_url_name("inspect"),
                                           args=[report.pk]))
    assert inspect.status_code == 200
    assert "Kontrasten är för låg i menyn." in inspect.content.decode()

    add = superuser_client.post(reverse(feedback_viewset.get_url_name("add")),
                                {"page_url": "/", "description": "Ny synpunkt här."})
    edit = superuser_client.post(reverse(feedback_viewset.get_url_name("edit"), args=[report.pk]),
                                 {"page_url": "/x/", "description": "Ändrad synpunkt."})
    assert add.status_code in {302, 403}
    assert edit.status_code in {302, 403}
    assert AccessibilityFeedback.objects.count() == 1
    report.refresh_from_db()
    assert report.page_url == "/forum/"


def test_staff_without_the_permission_do_not_see_reports(client, db):
    editor = UserFactory(roles=["Samordnare"])
    enable_totp(editor)
    client.force_login(editor)
    response = client.get(reverse(feedback_viewset.get_url_name("list")))
    assert response.status_code in {302, 403}
