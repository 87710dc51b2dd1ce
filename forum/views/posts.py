"""Writing posts and acting on them: reply, drafts, edit, delete, history, reactions, the
accepted answer, the live preview and post permalinks.

Unreadable objects are 404, readable ones the user may not change 403. Failed posts keep the
text: the form comes back with the Swedish message and the draft is saved.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..authors import author_label
from ..diff import line_diff
from ..forms import AcceptForm, DraftForm, EditForm, PostForm, PreviewForm, ReactionForm
from ..models import Post, Reaction, Thread
from ..permissions import forum_permissions
from .common import (
    decorate_post,
    delete_draft,
    get_draft,
    get_post_or_404,
    post_url,
    preview_html,
    quoted_post,
    text_with_quote,
    wants_fragment,
)
from .common import save_draft as store_draft

DUPLICATE_WINDOW = datetime.timedelta(seconds=10)


def _thread_for_reply(perms, pk: int) -> Thread:
    """A readable thread in a category where the user may reply (a locked thread is
    answered with a form error, not a 403, so the text is kept)."""
    thread = perms.get_thread_or_404(pk)
    perms.require(perms.category(thread.category_id).can_reply)
    return thread


def _render_post_form(request, thread, form, *, status=200, preview_html=None, error=None,
                      post=None):
    return render(request, "forum/post_form.html", {
        "thread": thread,
        "category": thread.category,
        "form": form,
        "post": post,
        "preview_html": preview_html,
        "error": error,
    }, status=status)


def _duplicate_reply(user, thread: Thread, text: str) -> Post | None:
    """The same text by the same user in the same thread within seconds: a double submit."""
    since = timezone.now() - DUPLICATE_WINDOW
    return (Post.objects.filter(thread=thread, author=user, markdown=text, created_at__gte=since)
            .order_by("-number").first())


@require_http_methods(["GET", "POST"])
def reply(request, pk):
    perms = forum_permissions(request)
    thread = _thread_for_reply(perms, pk)
    user = request.user

    if request.method == "GET":
        draft = get_draft(user, thread=thread)
        text = text_with_quote(draft.markdown if draft else "",
                               quoted_post(thread, request.GET.get("citera")))
        error = _("Tråden är låst och går inte att svara i.") if thread.is_locked else None
        return _render_post_form(request, thread, PostForm(initial={"text": text}), error=error)

    raw_text = request.POST.get("text", "")
    form = PostForm(request.POST)
    if "spara_utkast" in request.POST:
        store_draft(user, thread=thread, text=raw_text)
        messages.success(request, _("Utkastet är sparat."))
        return redirect(f"{reverse('forum:thread', args=[thread.pk])}#svara")
    if "forhandsgranska" in request.POST:
        store_draft(user, thread=thread, text=raw_text)
        return _render_post_form(request, thread, form, preview_html=preview_html(raw_text))
    if not form.is_valid():
        store_draft(user, thread=thread, text=raw_text)
        return _render_post_form(request, thread, form, status=400)

    text = form.cleaned_data["text"]
    duplicate = _duplicate_reply(user, thread, text)
    if duplicate is not None:
        delete_draft(user, thread=thread)
        return redirect(post_url(duplicate))
    if thread.is_locked:
        store_draft(user, thread=thread, text=raw_text)
        return _render_post_form(request, thread, form, status=400,
                                 error=_("Tråden är låst och går inte att svara i."))
    try:
        services.check_rate_limits(user)
    except services.PostingError as error:
        store_draft(user, thread=thread, text=raw_text)
        return _render_post_form(request, thread, form, status=429, error=str(error))
    try:
        post = services.reply(user, thread, text)
    except services.PostingError as error:
        store_draft(user, thread=thread, text=raw_text)
        return _render_post_form(request, thread, form, status=400, error=str(error))
    delete_draft(user, thread=thread)
    return redirect(post_url(post))


@require_POST
def save_draft(request, pk):
    """Save the reply draft (forum.js autosaves here; without JS, "Spara utkast")."""
    perms = forum_permissions(request)
    thread = _thread_for_reply(perms, pk)
    form = DraftForm(request.POST)
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        if wants_fragment(request):
            return HttpResponseBadRequest(escape(message))
        messages.error(request, message)
        return redirect(f"{thread.get_absolute_url()}#svara")
    store_draft(request.user, thread=thread, text=form.cleaned_data["text"])
    if wants_fragment(request):
        return HttpResponse(status=204)
    messages.success(request, _("Utkastet är sparat."))
    return redirect(f"{thread.get_absolute_url()}#svara")


@require_GET
def permalink(request, pk):
    """/inlagg/<pk>/ → the page of the thread the post is on, at the post."""
    perms = forum_permissions(request)
    post = get_post_or_404(perms, pk, need_text=False)
    return redirect(post_url(post))


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    perms = forum_permissions(request)
    post = get_post_or_404(perms, pk)
    perms.require(perms.can_edit_post(post))
    thread = post.thread
    with_title = post.number == 1

    if request.method == "GET":
        initial = {"text": post.markdown, "title": thread.title}
        return _render_post_form(request, thread, EditForm(initial=initial, with_title=with_title),
                                 post=post)

    form = EditForm(request.POST, with_title=with_title)
    if "forhandsgranska" in request.POST:
        return _render_post_form(request, thread, form, post=post,
                                 preview_html=preview_html(request.POST.get("text", "")))
    if not form.is_valid():
        return _render_post_form(request, thread, form, status=400, post=post)
    try:
        services.edit_post(request.user, post, form.cleaned_data["text"],
                           title=form.cleaned_data.get("title") if with_title else None)
    except services.PostingError as error:
        return _render_post_form(request, thread, form, status=400, error=str(error), post=post)
    messages.success(request, _("Inlägget är sparat."))
    return redirect(post_url(post))


@require_http_methods(["GET", "POST"])
def delete(request, pk):
    perms = forum_permissions(request)
    post = get_post_or_404(perms, pk)
    if post.is_deleted:
        return redirect(post_url(post))
    perms.require(perms.can_delete_post(post))
    if request.method == "POST":
        services.delete_post(request.user, post)
        messages.success(request, _("Inlägget är borttaget."))
        return redirect(post_url(post))
    decorate_post(perms, post.thread, post)
    return render(request, "forum/post_delete.html", {"post": post, "thread": post.thread,
                                                      "category": post.thread.category})


@require_GET
def history(request, pk):
    """Every version of a post, newest first, each with a line diff from the one before."""
    perms = forum_permissions(request)
    post = get_post_or_404(perms, pk)
    perms.require(perms.can_see_history(post))
    revisions = list(post.revisions.select_related("edited_by"))
    texts = [rev.markdown for rev in revisions] + [post.markdown]
    # Version 1 was written when the post was made; version n+1 by the edit logged in
    # revision n (a revision holds the text *before* its edit).
    versions = []
    for index, text in enumerate(texts):
        if index == 0:
            when, editor = post.created_at, post.author
        else:
            when, editor = revisions[index - 1].created_at, revisions[index - 1].edited_by
        versions.append({
            "number": index + 1,
            "when": when,
            "editor": author_label(editor),
            "text": text,
            "diff": line_diff(texts[index - 1], text) if index else None,
        })
    versions.reverse()
    decorate_post(perms, post.thread, post)
    return render(request, "forum/history.html", {
        "post": post, "thread": post.thread, "category": post.thread.category,
        "versions": versions,
    })


@require_POST
def react(request, pk):
    """Toggle one reaction of the user on a post (one per user and kind)."""
    perms = forum_permissions(request)
    post = get_post_or_404(perms, pk)
    if not post.is_visible:
        raise Http404
    perms.require(post.author_id != request.user.pk)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(escape(form.errors["kind"][0]))
    kind = form.cleaned_data["kind"]
    deleted, _count = Reaction.objects.filter(post=post, user=request.user, kind=kind).delete()
    if not deleted:
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=request.user, kind=kind)
        except IntegrityError:  # a concurrent double click already added it
            pass
    return redirect(post_url(post))


@require_POST
def accept_answer(request, pk):
    """Mark (or unmark) a reply as the thread's accepted answer."""
    perms = forum_permissions(request)
    thread = perms.get_thread_or_404(pk)
    perms.require(perms.can_accept_answer(thread))
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(escape(form.errors["post"][0]))
    post = thread.posts.filter(pk=form.cleaned_data["post"]).first()
    if post is None or post.number == 1 or not post.is_visible:
        return HttpResponseBadRequest(escape(_("Det svaret kan inte markeras som accepterat.")))
    accepting = services.accept_answer(request.user, thread, post,
                                       as_moderator=perms.can_moderate(thread))
    messages.success(request, _("Svaret är markerat som accepterat.") if accepting
                     else _("Svaret är inte längre markerat som accepterat."))
    return redirect(post_url(post))


@require_POST
def preview(request):
    """Markdown → the stored-post render path → an HTML fragment (forum.js live preview)."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(escape(_("Texten är för lång för att förhandsgranskas.")))
    response = HttpResponse(preview_html(form.cleaned_data["text"]),
                            content_type="text/html; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
