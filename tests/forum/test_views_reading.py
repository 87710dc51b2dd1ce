"""Reading the forum: index, filter, category, tag, thread page, permalinks and profiles."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from forum import moderation, services
from forum.models import POSTS_PER_PAGE, Category, CategoryRead, Thread, ThreadRead

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, TagFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def network():
    """A closed category only the Samordnare group may use, with one thread."""
    group, _ = Group.objects.get_or_create(name="Samordnare")
    category = closed_category(group, name="Nätverket", slug="natverket")
    thread = ThreadFactory(category=category, title="Hemlig planering",
                           text="Internt underlag om budgeten.")
    return category, thread, group


def test_index_lists_visible_categories_pinned_and_latest(reader, network):
    open_category = CategoryFactory(name="Barnrätt", slug="barnratt")
    pinned = ThreadFactory(category=open_category, title="Välkommen till forumet")
    Thread.objects.filter(pk=pinned.pk).update(pin=Thread.Pin.GLOBAL)
    ThreadFactory(category=open_category, title="Barnkonsekvensanalys i praktiken")

    response = reader.get(reverse("forum:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Barnrätt" in html and "Välkommen till forumet" in html
    assert "Barnkonsekvensanalys i praktiken" in html
    assert [t.pk for t in response.context["pinned"]] == [pinned.pk]
    # The closed category and its thread are not there at all.
    assert "Nätverket" not in html and "Hemlig planering" not in html


def test_index_filter_searches_titles_and_visible_post_text_of_readable_threads(reader, network):
    category = CategoryFactory()
    by_title = ThreadFactory(category=category, title="Tolkar på förskolan")
    by_text = ThreadFactory(category=category, title="Annat", text="Vi anlitar tolkar ofta.")
    hidden_text = ThreadFactory(category=category, title="Tredje", text="Inget här.")
    post = PostFactory(thread=hidden_text, text="Tolkar nämns bara i ett borttaget svar.")
    services.delete_post(post.author, post)
    ThreadFactory(category=network[0], title="Tolkar i nätverket")

    response = reader.get(reverse("forum:index"), {"q": "tolkar"})

    assert response.status_code == 200
    assert {t.pk for t in response.context["threads"]} == {by_title.pk, by_text.pk}
    assert "nätverket" not in response.content.decode()


def test_index_filter_rejects_an_overlong_query_in_swedish(reader):
    response = reader.get(reverse("forum:index"), {"q": "x" * 300})
    assert response.status_code == 200
    assert "Sökningen får vara högst 200 tecken." in response.content.decode()


def test_category_lists_threads_by_activity_with_pinned_first_and_pages_of_30(reader):
    category = CategoryFactory()
    base = timezone.now() - datetime.timedelta(days=1)
    threads = [ThreadFactory(category=category, title=f"Tråd {i:02d}",
                             now=base + datetime.timedelta(minutes=i)) for i in range(32)]
    Thread.objects.filter(pk=threads[0].pk).update(pin=Thread.Pin.CATEGORY)

    response = reader.get(category.get_absolute_url())

    assert response.status_code == 200
    listed = [t.pk for t in response.context["threads"]]
    assert len(listed) == 30
    assert listed[0] == threads[0].pk  # pinned, although the oldest
    assert listed[1:4] == [threads[31].pk, threads[30].pk, threads[29].pk]
    second = reader.get(category.get_absolute_url(), {"sida": 2})
    assert len(second.context["threads"]) == 2
    assert "Ny tråd" in response.content.decode()


def test_category_lists_global_pins_then_its_own_pins_then_by_activity_on_every_page(reader):
    category = CategoryFactory()
    base = timezone.now() - datetime.timedelta(days=1)
    threads = [ThreadFactory(category=category, now=base + datetime.timedelta(minutes=i))
               for i in range(63)]
    twins = [ThreadFactory(category=category, now=base + datetime.timedelta(minutes=70))
             for _ in range(2)]  # the same last activity: the newer id first
    pins = {threads[0]: Thread.Pin.GLOBAL, threads[5]: Thread.Pin.GLOBAL,
            threads[10]: Thread.Pin.CATEGORY, threads[40]: Thread.Pin.CATEGORY}
    for thread, pin in pins.items():
        Thread.objects.filter(pk=thread.pk).update(pin=pin)

    pages = [reader.get(category.get_absolute_url(), {"sida": n}).context["threads"]
             for n in (1, 2, 3)]

    assert [len(page) for page in pages] == [30, 30, 5]
    rest = [t.pk for t in reversed(threads) if t not in pins]
    assert [t.pk for page in pages for t in page] == [
        threads[5].pk, threads[0].pk,  # global pins, latest first
        threads[40].pk, threads[10].pk,  # then the category's own
        twins[1].pk, twins[0].pk, *rest]


def test_index_shows_the_latest_global_pins_and_the_latest_threads(reader):
    category = CategoryFactory()
    base = timezone.now() - datetime.timedelta(days=1)
    old_pin = ThreadFactory(category=category, now=base)
    threads = [ThreadFactory(category=category, now=base + datetime.timedelta(minutes=i + 1))
               for i in range(12)]
    Thread.objects.filter(pk__in=[old_pin.pk, threads[-1].pk]).update(pin=Thread.Pin.GLOBAL)
    Thread.objects.filter(pk=threads[-2].pk).update(pin=Thread.Pin.CATEGORY)

    context = reader.get(reverse("forum:index")).context

    assert [t.pk for t in context["pinned"]] == [threads[-1].pk, old_pin.pk]
    assert [t.pk for t in context["latest"]] == [t.pk for t in reversed(threads)][:10]


def test_thread_rows_link_to_the_thread_its_first_unread_post_its_category_and_tags(reader):
    category = CategoryFactory(name="Länkar", slug="lankar")
    tag = TagFactory(name="Tolk", slug="tolk")
    thread = ThreadFactory(category=category, tags=[tag], title="Radlänkar")
    PostFactory(thread=thread)
    pages = [reverse("forum:index"), category.get_absolute_url(),
             reverse("forum:tag", args=[tag.slug]), reverse("forum:index") + "?q=Radl",
             reverse("forum:profile", args=[thread.author_id])]
    for url in pages:
        html = reader.get(url).content.decode()
        assert f'<a href="{thread.get_absolute_url()}">Radlänkar</a>' in html, url
        assert f'href="{thread.get_absolute_url()}?olast=1"' in html, url
        assert f'<a class="tag" href="{reverse("forum:tag", args=["tolk"])}">Tolk</a>' in html, url
    html = reader.get(reverse("forum:index")).content.decode()
    assert f'<a href="{category.get_absolute_url()}">Länkar</a>' in html  # row and category list
    assert f'href="{reverse("forum:new_thread", args=[category.slug])}"' in html


def test_unknown_category_tag_and_closed_category_are_404(reader, network):
    assert reader.get(reverse("forum:category", args=["finns-inte"])).status_code == 404
    assert reader.get(reverse("forum:tag", args=["finns-inte"])).status_code == 404
    assert reader.get(reverse("forum:new_thread", args=["finns-inte"])).status_code == 404
    assert reader.get(network[0].get_absolute_url()).status_code == 404
    assert reader.get(reverse("forum:new_thread", args=[network[0].slug])).status_code == 404


def test_member_of_the_group_reads_the_closed_category(client, network):
    category, thread, group = network
    member = UserFactory()
    member.groups.add(group)
    client.force_login(member)
    assert client.get(category.get_absolute_url()).status_code == 200
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_tag_page_lists_readable_threads_across_categories(reader, network):
    tag = TagFactory(name="Barnrätt", slug="barnratt")
    first = ThreadFactory(category=CategoryFactory(), tags=[tag])
    second = ThreadFactory(category=CategoryFactory(), tags=[tag])
    ThreadFactory(category=network[0], tags=[tag], title="Stängd tråd med tagg")
    response = reader.get(reverse("forum:tag", args=[tag.slug]))
    assert response.status_code == 200
    assert {t.pk for t in response.context["threads"]} == {first.pk, second.pk}
    assert "Stängd tråd med tagg" not in response.content.decode()


def test_thread_page_shows_posts_as_articles_with_authors_and_units(reader):
    thread = ThreadFactory(text="Hur gör ni **barnkonsekvensanalyser**?")
    reply = PostFactory(thread=thread, text="Vi använder en mall.")
    response = reader.get(thread.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert f'<article id="inlagg-{reply.pk}"' in html
    assert "<strong>barnkonsekvensanalyser</strong>" in html
    assert reply.author.get_full_name() in html
    assert 'id="svara"' in html and "Skicka svar" in html


def test_erased_author_is_shown_as_tidigare_medarbetare(reader):
    thread = ThreadFactory()
    post = PostFactory(thread=thread)
    post.author.is_active = False
    post.author.save()
    gone = PostFactory(thread=thread)
    gone.author.delete()
    html = reader.get(thread.get_absolute_url()).content.decode()
    assert html.count("Tidigare medarbetare") >= 2


def test_posts_are_paginated_20_a_page_and_permalinks_land_on_the_right_page(reader):
    thread = ThreadFactory()
    posts = [PostFactory(thread=thread) for _ in range(POSTS_PER_PAGE + 5)]
    target = posts[POSTS_PER_PAGE]  # post number 22: the second page

    response = reader.get(reverse("forum:post", args=[target.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?sida=2#inlagg-{target.pk}"
    page = reader.get(response["Location"])
    assert len(page.context["posts"]) == 6
    assert f'id="inlagg-{target.pk}"' in page.content.decode()
    first = reader.get(reverse("forum:post", args=[posts[0].pk]))
    assert first["Location"] == f"{thread.get_absolute_url()}#inlagg-{posts[0].pk}"


def test_permalink_counts_positions_not_numbers_after_a_split(reader):
    """A split leaves gaps in the numbering; the page is found by position."""
    moderator = UserFactory(roles=["Moderator"])
    thread = ThreadFactory()
    posts = [PostFactory(thread=thread) for _ in range(POSTS_PER_PAGE + 2)]
    moderation.split_thread(moderator, thread, [p.pk for p in posts[:5]], "Utbruten tråd",
                            thread.category)
    target = posts[POSTS_PER_PAGE]  # number 22, but position 17 now
    response = reader.get(reverse("forum:post", args=[target.pk]))
    assert response["Location"] == f"{thread.get_absolute_url()}#inlagg-{target.pk}"


def test_thread_marks_read_up_to_the_highest_post_shown(reader):
    thread = ThreadFactory()
    for _ in range(POSTS_PER_PAGE + 3):
        PostFactory(thread=thread)
    reader.get(thread.get_absolute_url())
    assert ThreadRead.objects.get(user=reader.user, thread=thread).last_read_number == POSTS_PER_PAGE
    reader.get(thread.get_absolute_url(), {"sida": 1})  # never moves backwards
    reader.get(thread.get_absolute_url(), {"sida": 2})
    assert ThreadRead.objects.get(user=reader.user, thread=thread).last_read_number == 24


def test_olast_jumps_to_the_first_unread_post(reader):
    thread = ThreadFactory()
    posts = [PostFactory(thread=thread) for _ in range(POSTS_PER_PAGE + 5)]
    services.mark_read(reader.user, thread, 21)
    response = reader.get(thread.get_absolute_url(), {"olast": 1})
    assert response["Location"] == f"{thread.get_absolute_url()}?sida=2#inlagg-{posts[20].pk}"
    page = reader.get(response["Location"])
    assert page.context["first_new_pk"] == posts[20].pk
    assert 'id="forsta-olasta"' in page.content.decode()


def test_olast_on_a_fully_read_thread_goes_to_the_last_post(reader):
    thread = ThreadFactory()
    last = PostFactory(thread=thread)
    services.mark_read(reader.user, thread, last.number)
    response = reader.get(thread.get_absolute_url(), {"olast": 1})
    assert response["Location"].endswith(f"#inlagg-{last.pk}")


def test_deleted_posts_show_a_placeholder_to_others_and_borttaget_to_author_and_moderator(client):
    thread = ThreadFactory()
    post = PostFactory(thread=thread, text="Det här ångrade jag.")
    after = PostFactory(thread=thread)
    services.delete_post(post.author, post)

    client.force_login(UserFactory())
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Inlägget är borttaget" in html and "Det här ångrade jag." not in html
    assert f'id="inlagg-{post.pk}"' in html and f"#{after.number}" in html  # numbering kept

    for viewer in (post.author, UserFactory(roles=["Moderator"])):
        client.force_login(viewer)
        html = client.get(thread.get_absolute_url()).content.decode()
        assert "Det här ångrade jag." in html and "Borttaget" in html


def test_hidden_posts_show_the_reason_to_the_author_only(client):
    moderator = UserFactory(roles=["Moderator"])
    thread = ThreadFactory()
    post = PostFactory(thread=thread, text="Namn och personnummer här.")
    moderation.hide_post(moderator, post, "Innehåller personuppgifter")

    client.force_login(UserFactory())
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Inlägget är dolt av en moderator" in html
    assert "personnummer" not in html and "Innehåller personuppgifter" not in html

    client.force_login(post.author)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Namn och personnummer här." in html and "Innehåller personuppgifter" in html


def test_accepted_answer_is_shown_under_the_question(reader):
    category = CategoryFactory(qa_mode=True)
    thread = ThreadFactory(category=category, text="Vilken mall använder ni?")
    for _ in range(3):
        PostFactory(thread=thread)
    answer = PostFactory(thread=thread, text="Vi använder SKR:s mall.")
    Thread.objects.filter(pk=thread.pk).update(accepted_post=answer)
    html = reader.get(thread.get_absolute_url()).content.decode()
    question_at = html.index("Vilken mall använder ni?")
    accepted_at = html.index('class="accepted-answer"')
    second_post_at = html.index('id="inlagg-', question_at)
    assert question_at < accepted_at < second_post_at
    assert accepted_at < html.index(f'id="inlagg-{answer.pk}"')


def test_quote_link_prefills_the_reply_box_without_js(reader):
    thread = ThreadFactory()
    post = PostFactory(thread=thread, text="Första raden.\n\nAndra raden.")
    response = reader.get(thread.get_absolute_url(), {"citera": post.pk})
    text = response.context["reply_form"].initial["text"]
    name = post.author.get_full_name()
    assert text.startswith(f"> [{name} skrev]({reverse('forum:post', args=[post.pk])}):\n>\n")
    assert "> Första raden.\n>\n> Andra raden." in text
    # A saved draft comes first, then the quote.
    services_draft = reader.post(reverse("forum:save_draft", args=[thread.pk]), {"text": "Mitt utkast"})
    assert services_draft.status_code == 302
    text = reader.get(thread.get_absolute_url(), {"citera": post.pk}).context["reply_form"].initial["text"]
    assert text.startswith("Mitt utkast\n\n> [")


def test_quote_of_a_post_from_another_thread_or_a_hidden_post_is_ignored(reader):
    thread = ThreadFactory()
    other = PostFactory()
    response = reader.get(thread.get_absolute_url(), {"citera": other.pk})
    assert response.context["reply_form"].initial["text"] == ""
    assert reader.get(thread.get_absolute_url(), {"citera": "x"}).status_code == 200


def test_locked_thread_shows_a_swedish_notice_instead_of_the_form(reader):
    thread = ThreadFactory()
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    html = reader.get(thread.get_absolute_url()).content.decode()
    assert "Tråden är låst. Det går inte att skriva nya svar." in html
    assert 'action="/forum/trad/' not in html.split('id="svara"')[1].split("</section>")[0]


def test_merged_thread_redirects_to_its_target(reader):
    moderator = UserFactory(roles=["Moderator"])
    source, target = ThreadFactory(), ThreadFactory()
    moderation.merge_threads(moderator, source, target)
    response = reader.get(reverse("forum:thread", args=[source.pk]))
    assert response.status_code == 302
    assert response["Location"] == target.get_absolute_url()


def test_mark_category_read_sets_the_marker_and_clears_new_counts(reader):
    category = CategoryFactory()
    thread = ThreadFactory(category=category)
    PostFactory(thread=thread)
    before = reader.get(category.get_absolute_url())
    assert before.context["threads"][0].new_count == 2
    response = reader.post(reverse("forum:mark_category_read", args=[category.slug]))
    assert response.status_code == 302
    assert CategoryRead.objects.filter(user=reader.user, category=category).exists()
    after = reader.get(category.get_absolute_url())
    assert after.context["threads"][0].new_count == 0


def test_profile_shows_details_and_only_readable_threads_and_posts(reader, network):
    category, secret, group = network
    person = UserFactory(display_name="Aida Berg", job_title="MR-strateg")
    person.groups.add(group)
    visible = ThreadFactory(author=person, title="Öppen fråga om tillgänglighet")
    ThreadFactory(author=person, category=category, title="Stängd fråga")
    PostFactory(author=person, thread=visible, text="Ett öppet svar.")
    PostFactory(author=person, thread=secret, text="Ett hemligt svar.")

    response = reader.get(reverse("forum:profile", args=[person.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Aida Berg" in html and "MR-strateg" in html
    assert "Öppen fråga om tillgänglighet" in html and "Ett öppet svar." in html
    assert "Stängd fråga" not in html and "hemligt" not in html
    assert reverse("forum:settings") not in html  # not the viewer's own profile
    own = reader.get(reverse("forum:profile", args=[reader.user.pk])).content.decode()
    assert reverse("forum:settings") in own


def test_profile_of_an_erased_account_shows_tidigare_medarbetare(reader):
    person = UserFactory(display_name="Borttagen Person", job_title="Hemlig titel")
    ThreadFactory(author=person)
    person.is_active = False
    person.save()
    html = reader.get(reverse("forum:profile", args=[person.pk])).content.decode()
    assert "Tidigare medarbetare" in html
    assert "Borttagen Person" not in html and "Hemlig titel" not in html


def test_unknown_profile_is_404(reader):
    assert reader.get(reverse("forum:profile", args=[999_999])).status_code == 404


def test_category_with_see_but_not_read_shows_no_threads(client):
    group, _ = Group.objects.get_or_create(name="Granskare")
    category = Category.objects.create(name="Bara se", slug="bara-se", is_closed=True)
    category.permissions.create(group=group, can_see=True, can_read=False, can_start=False,
                                can_reply=False)
    thread = ThreadFactory(category=category, title="Osynlig rubrik")
    user = UserFactory()
    user.groups.add(group)
    client.force_login(user)
    html = client.get(category.get_absolute_url()).content.decode()
    assert "Osynlig rubrik" not in html
    assert client.get(thread.get_absolute_url()).status_code == 404
