"""The forum on knowledge-base pages: linked threads, "Diskutera på forumet", and a rights
area's latest threads (readable ones only)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.models import RightsArea
from forum.models import Category, Thread

from ..cms.factories import MethodPageFactory, RightsAreaPageFactory
from ..factories import RightsAreaFactory, UserFactory
from .factories import ThreadFactory, closed_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


def test_content_page_offers_a_discussion_in_its_rights_area_category(reader):
    area = RightsArea.objects.get(slug="jamstalldhet")
    page = MethodPageFactory(title="Jämställdhetsanalys", rights_areas=[area])
    html = reader.get(page.url).content.decode()
    expected = f'{reverse("forum:new_thread", args=["jamstalldhet"])}?sida={page.pk}'
    assert "Diskutera på forumet" in html
    assert f'href="{expected}"' in html

    form = reader.get(expected)
    assert form.status_code == 200
    assert form.context["linked_page"].pk == page.pk
    reader.post(expected.split("?")[0], {"title": "Fråga", "text": "Hur gör ni?",
                                         "linked_page": page.pk})
    thread = Thread.objects.get(linked_page_id=page.pk)
    assert thread.category.slug == "jamstalldhet"
    html = reader.get(page.url).content.decode()
    assert "Fråga" in html and thread.get_absolute_url() in html
    assert "Diskussion om sidan" in reader.get(thread.get_absolute_url()).content.decode()


def test_page_without_a_matching_category_discusses_in_allmant(reader):
    page = MethodPageFactory(rights_areas=[RightsAreaFactory()])
    html = reader.get(page.url).content.decode()
    assert f'{reverse("forum:new_thread", args=["allmant"])}?sida={page.pk}' in html


def test_page_shows_only_linked_threads_the_visitor_may_read(reader):
    page = MethodPageFactory()
    group, _ = Group.objects.get_or_create(name="Samordnare")
    ThreadFactory(title="Öppen diskussion om sidan", linked_page=page)
    ThreadFactory(title="Sluten diskussion om sidan", linked_page=page,
                  category=closed_category(group))
    hidden = ThreadFactory(title="Dold diskussion om sidan", linked_page=page)
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    html = reader.get(page.url).content.decode()
    assert "Öppen diskussion om sidan" in html
    assert "Sluten diskussion" not in html and "Dold diskussion" not in html


def test_no_button_where_the_visitor_may_not_start_threads(reader):
    group, _ = Group.objects.get_or_create(name="Endast läsare")
    reader.user.groups.add(group)
    for category in Category.objects.all():
        category.permissions.create(group=group, can_see=True, can_read=True, can_start=False,
                                    can_reply=True)
    page = MethodPageFactory()
    assert "Diskutera på forumet" not in reader.get(page.url).content.decode()


def test_rights_area_page_shows_its_latest_readable_threads(reader):
    area = RightsArea.objects.get(slug="jamstalldhet")
    area_page = RightsAreaPageFactory(rights_area=area)
    category = Category.objects.get(slug="jamstalldhet")
    ThreadFactory(category=category, title="Könsuppdelad statistik i nämnden")
    ThreadFactory(category=Category.objects.get(slug="allmant"), title="Inte om jämställdhet")
    group, _ = Group.objects.get_or_create(name="Samordnare")
    secret = closed_category(group)
    secret.rights_area = area
    secret.save()
    ThreadFactory(category=secret, title="Sluten jämställdhetstråd")

    html = reader.get(area_page.url).content.decode()

    assert "Senaste i forumet" in html
    assert "Könsuppdelad statistik i nämnden" in html
    assert "Inte om jämställdhet" not in html and "Sluten jämställdhetstråd" not in html
    assert category.get_absolute_url() in html
