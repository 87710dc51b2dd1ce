"""Writing: new threads, replies, drafts, edit, delete, history, reactions, accepted answers,
preview, and bad input (Swedish errors, 4xx, nothing lost)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import services
from forum.models import (
    Draft,
    ModerationAction,
    Post,
    PostRevision,
    Reaction,
    Thread,
)

from ..cms.factories import MethodPageFactory
from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


def new_thread_url(category):
    return reverse("forum:new_thread", args=[category.slug])


# --- new thread ---------------------------------------------------------------------------

def test_new_thread_with_tags(writer):
    category = CategoryFactory()
    response = writer.post(new_thread_url(category), {
        "title": "  Tolk vid  utvecklingssamtal ", "text": "Hur bokar ni tolk?",
        "tags": "Barnrätt, tolkning, barnrätt",
    })
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert thread.title == "Tolk vid utvecklingssamtal"
    assert thread.author == writer.user
    assert sorted(t.name for t in thread.tags.all()) == ["Barnrätt", "tolkning"]
    assert thread.posts.get().markdown == "Hur bokar ni tolk?"


def test_new_thread_form_is_prefilled_from_the_draft(writer):
    category = CategoryFactory()
    Draft.objects.create(user=writer.user, category=category, title="Halvfärdig", markdown="Text")
    form = writer.get(new_thread_url(category)).context["form"]
    assert form.initial["title"] == "Halvfärdig" and form.initial["text"] == "Text"


def test_new_thread_title_is_prefilled_from_titel(writer):
    """The search page's "Fråga i forumet" link passes the query as ?titel=."""
    category = CategoryFactory()
    form = writer.get(new_thread_url(category), {"titel": "  tolk \x00 i\tskolan  "}).context["form"]
    assert form.initial["title"] == "tolk i skolan"
    long_title = writer.get(new_thread_url(category), {"titel": "å" * 5000}).context["form"]
    assert 0 < len(long_title.initial["title"]) < 5000
    Draft.objects.create(user=writer.user, category=category, title="Utkast", markdown="Text")
    assert writer.get(new_thread_url(category), {"titel": "x"}).context["form"].initial[
        "title"] == "Utkast"  # a saved draft wins


def test_new_thread_linked_to_a_live_page_from_sida(writer):
    page = MethodPageFactory(title="Barnkonsekvensanalys")
    category = CategoryFactory()
    form = writer.get(new_thread_url(category), {"sida": page.pk}).context["form"]
    assert form.initial["linked_page"] == page.pk
    assert form.initial["title"] == "Barnkonsekvensanalys"
    writer.post(new_thread_url(category), {"title": "Fråga om sidan", "text": "Hej",
                                           "linked_page": page.pk})
    assert Thread.objects.get().linked_page_id == page.pk


def test_new_thread_rejects_a_page_that_is_not_live(writer):
    page = MethodPageFactory(live=False)
    category = CategoryFactory()
    assert writer.get(new_thread_url(category), {"sida": page.pk}).context["form"].initial[
        "linked_page"] is None
    response = writer.post(new_thread_url(category), {"title": "Fråga", "text": "Hej",
                                                      "linked_page": page.pk})
    assert response.status_code == 400
    assert "Sidan som tråden skulle kopplas till finns inte." in response.content.decode()
    assert not Thread.objects.exists()


@pytest.mark.parametrize("title, text, message", [
    ("", "Text", "Skriv en rubrik för tråden."),
    ("   \t ", "Text", "Skriv en rubrik för tråden."),
    ("Rubrik", "", "Skriv något i inlägget innan du skickar det."),
    ("Rubrik", "   \n  ", "Skriv något i inlägget innan du skickar det."),
    ("Rubrik", "x" * 100_000, "Inlägget är för långt (100000 tecken). Högst 20000 tecken får plats."),
    ("R" * 201, "Text", "Rubriken får vara högst 200 tecken."),
])
def test_new_thread_bad_input_gives_a_swedish_error_and_keeps_the_draft(writer, title, text, message):
    category = CategoryFactory()
    response = writer.post(new_thread_url(category), {"title": title, "text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Thread.objects.exists()
    draft = Draft.objects.get(user=writer.user, category=category, thread=None)
    assert draft.markdown == text.replace("\r\n", "\n") or not text.strip()
    if text.strip():
        assert response.context["form"]["text"].value() == text


def test_new_thread_too_many_tags(writer):
    response = writer.post(new_thread_url(CategoryFactory()),
                           {"title": "T", "text": "x", "tags": "a,b,c,d,e,f"})
    assert response.status_code == 400
    assert "Ange högst 5 taggar." in response.content.decode()


def test_new_thread_needs_can_start(writer):
    from django.contrib.auth.models import Group

    category = CategoryFactory()
    group = Group.objects.get(name="Medarbetare") if Group.objects.filter(
        name="Medarbetare").exists() else Group.objects.create(name="Medarbetare")
    writer.user.groups.add(group)
    category.permissions.create(group=group, can_see=True, can_read=True, can_start=False,
                                can_reply=True)
    assert writer.get(new_thread_url(category)).status_code == 403
    assert writer.post(new_thread_url(category), {"title": "T", "text": "x"}).status_code == 403


def test_new_thread_double_submit_creates_one_thread(writer):
    category = CategoryFactory()
    data = {"title": "Samma rubrik", "text": "Samma text"}
    first = writer.post(new_thread_url(category), data)
    second = writer.post(new_thread_url(category), data)
    assert Thread.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_new_thread_preview_without_js_re_renders_the_form(writer):
    category = CategoryFactory()
    response = writer.post(new_thread_url(category), {
        "title": "T", "text": "Hej **du** <script>alert(1)</script>", "forhandsgranska": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>du</strong>" in html and "<script>alert(1)" not in html
    assert not Thread.objects.exists()
    assert Draft.objects.filter(user=writer.user, category=category).exists()


def test_new_thread_save_draft_button(writer):
    category = CategoryFactory()
    response = writer.post(new_thread_url(category), {"title": "T", "text": "Utkast",
                                                      "spara_utkast": "1"})
    assert response.status_code == 302
    assert Draft.objects.get(user=writer.user, category=category).markdown == "Utkast"


def test_successful_new_thread_deletes_the_draft(writer):
    category = CategoryFactory()
    Draft.objects.create(user=writer.user, category=category, title="T", markdown="Utkast")
    writer.post(new_thread_url(category), {"title": "T", "text": "Klart"})
    assert not Draft.objects.exists()


# --- replies ----------------------------------------------------------------------------------

def test_reply_redirects_to_the_new_post_and_deletes_the_draft(writer):
    thread = ThreadFactory()
    Draft.objects.create(user=writer.user, thread=thread, markdown="Utkast")
    response = writer.post(reverse("forum:reply", args=[thread.pk]), {"text": "Mitt svar"})
    post = Post.objects.get(thread=thread, number=2)
    assert response["Location"] == f"{thread.get_absolute_url()}#inlagg-{post.pk}"
    assert post.author == writer.user and post.markdown == "Mitt svar"
    assert not Draft.objects.exists()


@pytest.mark.parametrize("text, message", [
    ("", "Skriv något i inlägget innan du skickar det."),
    (" \n ", "Skriv något i inlägget innan du skickar det."),
    ("y" * 100_000, "Inlägget är för långt"),
    (" ".join(f"@person{i}" for i in range(11)), "Du kan nämna högst 10 personer i ett inlägg."),
])
def test_reply_bad_input_keeps_the_text_and_the_draft(writer, text, message):
    thread = ThreadFactory()
    response = writer.post(reverse("forum:reply", args=[thread.pk]), {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert thread.posts.count() == 1
    if text.strip():
        assert Draft.objects.get(user=writer.user, thread=thread).markdown == text
        assert response.context["form"]["text"].value() == text


def test_reply_to_a_locked_thread_is_a_swedish_error_and_the_draft_is_kept(writer):
    thread = ThreadFactory()
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = writer.post(reverse("forum:reply", args=[thread.pk]), {"text": "Sent svar"})
    assert response.status_code == 400
    assert "Tråden är låst och går inte att svara i." in response.content.decode()
    assert Draft.objects.get(user=writer.user, thread=thread).markdown == "Sent svar"


def test_reply_rate_limit_is_429_with_a_clear_message_and_the_draft_is_kept(writer):
    thread = ThreadFactory()
    for i in range(services.FLOOD_LIMIT):
        PostFactory(thread=thread, author=writer.user, text=f"Svar {i}")
    response = writer.post(reverse("forum:reply", args=[thread.pk]), {"text": "Ett till"})
    assert response.status_code == 429
    assert "Vänta en minut" in response.content.decode()
    assert Draft.objects.get(user=writer.user, thread=thread).markdown == "Ett till"
    assert thread.posts.count() == services.FLOOD_LIMIT + 1


def test_new_thread_rate_limit_is_429(writer):
    thread = ThreadFactory()
    for i in range(services.FLOOD_LIMIT):
        PostFactory(thread=thread, author=writer.user, text=f"Svar {i}")
    category = CategoryFactory()
    response = writer.post(new_thread_url(category), {"title": "Ny", "text": "Text"})
    assert response.status_code == 429
    assert Draft.objects.get(user=writer.user, category=category).title == "Ny"


def test_double_submit_of_a_reply_creates_one_post(writer):
    thread = ThreadFactory()
    url = reverse("forum:reply", args=[thread.pk])
    first = writer.post(url, {"text": "Tack för tipset!\r\n"})
    second = writer.post(url, {"text": "Tack för tipset!"})
    assert thread.posts.count() == 2
    assert first["Location"] == second["Location"]


def test_same_text_again_after_the_window_is_a_new_post(writer):
    thread = ThreadFactory()
    PostFactory(thread=thread, author=writer.user, text="Tack!",
                now=timezone.now() - datetime.timedelta(seconds=30))
    writer.post(reverse("forum:reply", args=[thread.pk]), {"text": "Tack!"})
    assert thread.posts.count() == 3


def test_reply_page_without_js_shows_the_form_with_draft_and_quote(writer):
    thread = ThreadFactory(text="Citera mig")
    response = writer.get(reverse("forum:reply", args=[thread.pk]),
                          {"citera": thread.posts.get().pk})
    assert response.status_code == 200
    assert "> Citera mig" in response.context["form"].initial["text"]


def test_reply_preview_and_save_draft_buttons(writer):
    thread = ThreadFactory()
    url = reverse("forum:reply", args=[thread.pk])
    response = writer.post(url, {"text": "*kursiv*", "forhandsgranska": "1"})
    assert response.status_code == 200 and "<em>kursiv</em>" in response.content.decode()
    response = writer.post(url, {"text": "spara mig", "spara_utkast": "1"})
    assert response.status_code == 302
    assert Draft.objects.get(thread=thread).markdown == "spara mig"
    assert thread.posts.count() == 1


# --- drafts ------------------------------------------------------------------------------------

def test_save_draft_endpoint(writer):
    thread = ThreadFactory()
    url = reverse("forum:save_draft", args=[thread.pk])
    response = writer.post(url, {"text": "Halvfärdigt"}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 204
    assert Draft.objects.get(user=writer.user, thread=thread).markdown == "Halvfärdigt"
    writer.post(url, {"text": "Ändrat"})
    assert Draft.objects.get(user=writer.user, thread=thread).markdown == "Ändrat"
    writer.post(url, {"text": ""})
    assert not Draft.objects.exists()
    html = writer.get(thread.get_absolute_url()).content.decode()
    assert "Ditt sparade utkast" not in html


def test_draft_shows_in_the_reply_box(writer):
    thread = ThreadFactory()
    Draft.objects.create(user=writer.user, thread=thread, markdown="Mitt utkast")
    response = writer.get(thread.get_absolute_url())
    assert response.context["reply_form"].initial["text"] == "Mitt utkast"
    assert "Ditt sparade utkast" in response.content.decode()


# --- edit, delete, history -------------------------------------------------------------------

def test_edit_own_post_keeps_a_revision(writer):
    thread = ThreadFactory()
    post = PostFactory(thread=thread, author=writer.user, text="Första versionen")
    url = reverse("forum:edit_post", args=[post.pk])
    assert writer.get(url).context["form"].initial["text"] == "Första versionen"
    response = writer.post(url, {"text": "Andra versionen"})
    assert response["Location"].endswith(f"#inlagg-{post.pk}")
    post.refresh_from_db()
    assert post.markdown == "Andra versionen" and post.edit_count == 1
    assert PostRevision.objects.get(post=post).markdown == "Första versionen"
    html = writer.get(thread.get_absolute_url()).content.decode()
    assert reverse("forum:post_history", args=[post.pk]) in html


def test_edit_opening_post_changes_the_title(writer):
    thread = ThreadFactory(author=writer.user)
    post = thread.posts.get()
    response = writer.post(reverse("forum:edit_post", args=[post.pk]),
                           {"title": "Ny rubrik", "text": post.markdown})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "Ny rubrik"
    bad = writer.post(reverse("forum:edit_post", args=[post.pk]), {"title": "  ", "text": "x"})
    assert bad.status_code == 400 and "Skriv en rubrik för tråden." in bad.content.decode()


def test_edit_with_empty_text_is_400_and_keeps_the_typed_text(writer):
    post = PostFactory(author=writer.user)
    response = writer.post(reverse("forum:edit_post", args=[post.pk]), {"text": "   "})
    assert response.status_code == 400
    assert "Skriv något i inlägget" in response.content.decode()
    post.refresh_from_db()
    assert post.edit_count == 0


def test_delete_confirm_page_then_post(writer):
    post = PostFactory(author=writer.user)
    url = reverse("forum:delete_post", args=[post.pk])
    confirm = writer.get(url)
    assert confirm.status_code == 200 and "Ta bort inlägget" in confirm.content.decode()
    post.refresh_from_db()
    assert not post.is_deleted
    response = writer.post(url)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_deleted


def test_history_shows_versions_with_an_escaped_line_diff(writer):
    post = PostFactory(author=writer.user, text="rad ett\nrad två")
    services.edit_post(writer.user, post, "rad ett\n<script>alert(1)</script>")
    services.edit_post(writer.user, post, "rad ett\nrad tre")
    response = writer.get(reverse("forum:post_history", args=[post.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    versions = response.context["versions"]
    assert [v["number"] for v in versions] == [3, 2, 1]
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<del class="diff__line diff__line--removed">' in html
    assert '<ins class="diff__line diff__line--added">' in html


# --- reactions and accepted answers ----------------------------------------------------------

def test_reactions_toggle_one_per_user_and_kind(writer):
    post = PostFactory()
    url = reverse("forum:react", args=[post.pk])
    assert writer.post(url, {"kind": "hjalpsamt"}).status_code == 302
    writer.post(url, {"kind": "tack"})
    assert Reaction.objects.filter(post=post, user=writer.user).count() == 2
    html = writer.get(post.thread.get_absolute_url()).content.decode()
    assert 'aria-pressed="true">Hjälpsamt <span class="reaction__count">1</span>' in html
    writer.post(url, {"kind": "hjalpsamt"})
    assert list(Reaction.objects.filter(post=post).values_list("kind", flat=True)) == ["tack"]


def test_reactions_are_one_form_per_post_with_a_pressable_button_per_kind(writer):
    """Without JavaScript: one form per post whose submit buttons carry the kind, so the
    clicked button's name=value is what gets posted; each says whether it is pressed."""
    post = PostFactory()
    own = PostFactory(thread=post.thread, author=writer.user)
    Reaction.objects.create(post=post, user=writer.user, kind="tack")
    Reaction.objects.create(post=own, user=post.author, kind="intressant")
    html = writer.get(post.thread.get_absolute_url()).content.decode()

    url = reverse("forum:react", args=[post.pk])
    forms = re.findall(r'<form method="post" action="([^"]*)" class="reaction-form">(.*?)</form>',
                       html, re.S)
    assert [action for action, _body in forms].count(url) == 1
    body = next(body for action, body in forms if action == url)
    assert body.count('name="csrfmiddlewaretoken"') == 1
    assert 'type="hidden" name="kind"' not in body
    assert f'aria-label="Reaktioner på inlägg {post.number}"' in body
    buttons = re.findall(r'<button type="submit" name="kind" value="([^"]+)" '
                         r'class="reaction( reaction--mine)?" aria-pressed="(true|false)">'
                         r'(.*?)</button>', body, re.S)
    assert [(kind, mine, pressed) for kind, mine, pressed, _text in buttons] == [
        (kind, " reaction--mine" if kind == "tack" else "", "true" if kind == "tack" else "false")
        for kind, _label in Reaction.Kind.choices]
    for (_kind, _mine, _pressed, text), (_value, label) in zip(buttons, Reaction.Kind.choices):
        assert text.startswith(str(label))
        assert f'<span class="visually-hidden"> – inlägg {post.number}</span>' in text

    # One's own post: no form, the counts only.
    assert reverse("forum:react", args=[own.pk]) not in html
    assert '<span class="reaction reaction--static">Intressant <span class="reaction__count">1'\
        '</span></span>' in html
    # What a click on "Intressant" sends.
    assert writer.post(url, {"kind": "intressant"}).status_code == 302
    assert Reaction.objects.filter(post=post, user=writer.user, kind="intressant").exists()


def test_reaction_bad_kind_is_400_and_own_post_is_403(writer):
    post = PostFactory()
    assert writer.post(reverse("forum:react", args=[post.pk]), {"kind": "arg"}).status_code == 400
    own = PostFactory(author=writer.user)
    assert writer.post(reverse("forum:react", args=[own.pk]), {"kind": "tack"}).status_code == 403
    assert not Reaction.objects.exists()


def test_thread_starter_accepts_and_unaccepts_an_answer(writer):
    thread = ThreadFactory(category=CategoryFactory(qa_mode=True), author=writer.user)
    answer = PostFactory(thread=thread)
    url = reverse("forum:accept_answer", args=[thread.pk])
    assert "Markera som accepterat svar" in writer.get(thread.get_absolute_url()).content.decode()
    writer.post(url, {"post": answer.pk})
    thread.refresh_from_db()
    assert thread.accepted_post_id == answer.pk
    assert not ModerationAction.objects.exists()
    writer.post(url, {"post": answer.pk})
    thread.refresh_from_db()
    assert thread.accepted_post_id is None


def test_moderator_accepting_is_logged(client):
    moderator = UserFactory(roles=["Moderator"])
    thread = ThreadFactory(category=CategoryFactory(qa_mode=True))
    answer = PostFactory(thread=thread)
    client.force_login(moderator)
    client.post(reverse("forum:accept_answer", args=[thread.pk]), {"post": answer.pk})
    action = ModerationAction.objects.get()
    assert action.action == ModerationAction.Action.ACCEPT and action.post_id == answer.pk


def test_accept_needs_qa_mode_starter_or_moderator_and_a_real_reply(writer):
    plain = ThreadFactory(author=writer.user)
    reply = PostFactory(thread=plain)
    assert writer.post(reverse("forum:accept_answer", args=[plain.pk]),
                       {"post": reply.pk}).status_code == 403
    others = ThreadFactory(category=CategoryFactory(qa_mode=True))
    reply = PostFactory(thread=others)
    assert writer.post(reverse("forum:accept_answer", args=[others.pk]),
                       {"post": reply.pk}).status_code == 403
    mine = ThreadFactory(category=CategoryFactory(qa_mode=True), author=writer.user)
    url = reverse("forum:accept_answer", args=[mine.pk])
    assert writer.post(url, {"post": mine.posts.get().pk}).status_code == 400  # the question
    assert writer.post(url, {"post": reply.pk}).status_code == 400  # another thread's post
    assert writer.post(url, {"post": "x"}).status_code == 400


# --- preview ---------------------------------------------------------------------------------------

def test_preview_uses_the_sanitiser(writer):
    url = reverse("forum:preview")
    response = writer.post(url, {"text": "**fet** [x](javascript:alert(1)) <img src=x onerror=alert(1)>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>fet</strong>" in html
    assert "href=\"javascript" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text, never as markup


def test_preview_links_get_rel_and_empty_text_is_empty(writer):
    html = writer.post(reverse("forum:preview"), {"text": "https://malmo.se"}).content.decode()
    assert 'rel="nofollow ugc noopener"' in html
    assert writer.post(reverse("forum:preview"), {"text": "  "}).content == b""


def test_preview_of_too_long_text_is_400(writer):
    response = writer.post(reverse("forum:preview"), {"text": "x" * 300_000})
    assert response.status_code == 400
    assert "för lång" in response.content.decode()
