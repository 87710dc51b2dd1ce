"""Pages restricted to groups: a signed-in user outside the groups gets a 403 (Wagtail
would send them to the sign-in page they have already passed)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from accounts.roles import MEDARBETARE, SAMORDNARE, ensure_roles
from tests.factories import SuperuserFactory, UserFactory

from .factories import MethodPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_page():
    ensure_roles()
    page = MethodPageFactory(title="Endast samordnare")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name=SAMORDNARE)])
    return page


def test_outsider_gets_403_not_a_sign_in_redirect(client, restricted_page):
    client.force_login(UserFactory(roles=[MEDARBETARE]))
    response = client.get(restricted_page.url)
    assert response.status_code == 403
    assert "Endast samordnare" not in response.content.decode()


@pytest.mark.parametrize("make_user", [lambda: UserFactory(roles=[SAMORDNARE]),
                                       SuperuserFactory])
def test_group_members_and_superusers_read_it(client, restricted_page, make_user):
    client.force_login(make_user())
    response = client.get(restricted_page.url)
    assert response.status_code == 200
    assert "Endast samordnare" in response.content.decode()


def test_anonymous_visitors_are_still_sent_to_sign_in(client, restricted_page):
    response = client.get(restricted_page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
