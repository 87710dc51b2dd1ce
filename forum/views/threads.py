"""Reading the forum: the index, categories, tags, a thread's pages, and starting a thread.

Every list goes through ForumPermissions.readable_threads, and every list and thread page
runs a fixed number of queries whatever its length (see tests/forum/test_views_queries.py).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page

from .. import notify, services, unread
from ..forms import FilterForm, PostForm, ThreadForm
from ..models import POSTS_PER_PAGE, Category, Post, Tag, Thread, WatchLevel
from ..moderation import merged_into
from ..permissions import forum_permissions
from .common import (
    PINNED_FIRST,
    PostLinks,
    RouteWithSlug,
    attach_reactions,
    decorate_post,
    delete_draft,
    get_draft,
    post_url,
    prefetch_tags,
    prepare_rows,
    preview_html,
    quoted_post,
    text_with_quote,
    save_draft,
    thread_list,
    thread_page,
    watch_level,
)

DUPLICATE_WINDOW = datetime.timedelta(seconds=10)
INDEX_LATEST = 10


def _visible_category_or_404(perms, slug: str) -> Category:
    category = perms.visible_category(slug)
    if category is None:
        raise Http404
    return category


def _filter_threads(query: str):
    """Threads whose title or a visible post's text contains the query (a stopgap until the
    search issue indexes the forum)."""
    matching_posts = Post.objects.filter(thread_id=OuterRef("pk"), is_deleted=False,
                                         is_hidden=False, markdown__icontains=query)
    return Thread.objects.filter(Q(title__icontains=query) | Q(Exists(matching_posts)))


@require_GET
def index(request):
    perms = forum_permissions(request)
    form = FilterForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"filter_form": form, "query": query}
    if query:
        page_obj = thread_page(request, perms, _filter_threads(query))
        context.update(page_obj=page_obj, threads=page_obj.object_list,
                       filter_query=urlencode({"q": query}))
        return render(request, "forum/search.html", context)

    categories = perms.visible_categories()
    unread_ids = unread.unread_category_ids(request.user, perms.readable_threads(),
                                            state=perms.unread_state)
    category_url, new_thread_url = (RouteWithSlug("forum:category"),
                                    RouteWithSlug("forum:new_thread"))
    for category in categories:
        category.access = perms.category(category.pk)
        category.has_unread = category.pk in unread_ids
        category.url, category.new_thread_url = (category_url(category.slug),
                                                 new_thread_url(category.slug))
    threads = thread_list(perms, tags=False)  # built once, run twice
    pinned = list(threads.filter(pin=Thread.Pin.GLOBAL)[:INDEX_LATEST])
    latest = list(threads[:INDEX_LATEST])
    prefetch_tags(pinned, latest)  # one query for both lists
    prepare_rows(perms, pinned + latest)
    context.update(
        categories=categories,
        pinned=pinned,
        latest=latest,
        startable=[c for c in categories if c.access.can_start],
    )
    return render(request, "forum/index.html", context)


@require_GET
def category(request, slug):
    perms = forum_permissions(request)
    category = _visible_category_or_404(perms, slug)
    access = perms.category(category.pk)
    page_obj = (thread_page(request, perms, category.threads.all(), order=PINNED_FIRST)
                if access.can_read else None)
    return render(request, "forum/category.html", {
        "category": category,
        "access": access,
        "page_obj": page_obj,
        "threads": page_obj.object_list if page_obj else [],
        "watch_url": reverse("forum:watch_category", args=[category.slug]),
        "watch_level": perms.unread_state.levels.get(category.pk, WatchLevel.NORMAL),
        "watch_levels": WatchLevel.choices,
    })


@require_GET
def tag(request, slug):
    perms = forum_permissions(request)
    tag = get_object_or_404(Tag, slug=slug)
    page_obj = thread_page(request, perms, tag.threads.all())
    return render(request, "forum/tag.html", {
        "tag": tag,
        "page_obj": page_obj,
        "threads": page_obj.object_list,
        "watch_url": reverse("forum:watch_tag", args=[tag.slug]),
        "watch_level": watch_level(request.user, tag=tag),
        "watch_levels": WatchLevel.choices,
    })


@require_POST
def mark_category_read(request, slug):
    perms = forum_permissions(request)
    category = _visible_category_or_404(perms, slug)
    if not perms.category(category.pk).can_read:
        raise Http404
    unread.mark_category_read(request.user, category)
    messages.success(request, _("Alla trådar i %(name)s är markerade som lästa.")
                     % {"name": category.name})
    return redirect(category.get_absolute_url())


# --- a thread ----------------------------------------------------------------------------

def _readable_thread_or_redirect(perms, pk: int):
    """The thread, or a redirect to the thread it was merged into, or 404."""
    # The linked page (a Wagtail page, rarely set) loads on its own when there is one.
    threads = Thread.objects.select_related("category", "accepted_post__author__organisation_unit")
    thread = unread.with_read_state(threads, perms.user).filter(pk=pk).first()
    if thread is None:
        target = merged_into(pk)
        if target is not None and perms.can_read_thread(target):
            return None, redirect(target.get_absolute_url())
        raise Http404
    if not perms.can_read_thread(thread):
        raise Http404
    return thread, None


def _jump_to_unread(request, thread: Thread):
    number = unread.first_unread_number(request.user, thread)
    posts = thread.posts.order_by("number")
    target = (posts.filter(number__gte=number).first() if number else None) or posts.last()
    if target is None:
        return redirect(thread.get_absolute_url())
    return redirect(post_url(target))


def _thread_context(request, perms, thread: Thread, page_number=None) -> dict:
    """Everything the thread page shows about the thread and the posts of one page."""
    user = request.user
    posts_qs = thread.posts.select_related("author__organisation_unit").order_by("number")
    page_obj = Paginator(posts_qs, POSTS_PER_PAGE).get_page(page_number)
    links = PostLinks()
    posts = [decorate_post(perms, thread, post, links) for post in page_obj.object_list]
    accepted = thread.accepted_post
    show_accepted = (thread.category.qa_mode and accepted is not None and accepted.is_visible
                     and page_obj.number == 1)
    if show_accepted:
        decorate_post(perms, thread, accepted, links)
    services.rerender_stale(posts + ([accepted] if show_accepted else []))
    attach_reactions(posts, user)
    first_unread = unread.first_unread_number(user, thread)
    first_new = (next((p.pk for p in posts if p.number >= first_unread), None)
                 if first_unread and first_unread > 1 else None)
    can_accept = perms.can_accept_answer(thread)
    for post in posts:
        post.can_accept = can_accept and post.number > 1 and post.is_visible
        post.is_accepted = post.pk == thread.accepted_post_id
    tags = list(thread.tags.order_by("name"))
    return {
        "thread": thread,
        "category": thread.category,
        "tags": tags,
        "page_obj": page_obj,
        "posts": posts,
        "accepted": accepted if show_accepted else None,
        "first_new_pk": first_new,
        "can_reply": perms.can_reply(thread) and not thread.is_locked,
        "can_reply_in_category": perms.category(thread.category_id).can_reply,
        "can_moderate": perms.can_moderate(thread),
        "accept_url": reverse("forum:accept_answer", args=[thread.pk]) if can_accept else "",
        "watch_url": reverse("forum:watch_thread", args=[thread.pk]),
        "watch_level": watch_level(user, thread=thread),
        "watch_levels": WatchLevel.choices,
        "linked_page": (thread.linked_page
                        if thread.linked_page_id and thread.linked_page.live else None),
    }


@require_GET
def thread(request, pk):
    perms = forum_permissions(request)
    thread, response = _readable_thread_or_redirect(perms, pk)
    if response:
        return response
    if request.GET.get("olast"):
        return _jump_to_unread(request, thread)
    context = _thread_context(request, perms, thread, request.GET.get("sida"))
    if context["can_reply"]:
        draft = get_draft(request.user, thread=thread)
        text = text_with_quote(draft.markdown if draft else "",
                               quoted_post(thread, request.GET.get("citera")))
        context["reply_form"] = PostForm(initial={"text": text})
        context["has_draft"] = draft is not None
    posts = context["posts"]
    if posts:  # the only write on a GET: the read mark moves forward
        shown_up_to = max(p.number for p in posts)
        services.mark_read(request.user, thread, shown_up_to)
        notify.mark_thread_notifications_read(request.user, thread, shown_up_to)
    return render(request, "forum/thread.html", context)


# --- starting a thread --------------------------------------------------------------------

def _linked_page_from_query(request):
    try:
        page_id = int(request.GET.get("sida", ""))
    except ValueError:
        return None
    return Page.objects.live().filter(pk=page_id, depth__gt=1).first()


def _title_from_query(request) -> str:
    raw = "".join(ch if ch.isprintable() else " " for ch in request.GET.get("titel", ""))
    return " ".join(raw.split())[:services.MAX_TITLE_LENGTH]


def _duplicate_thread(user, category: Category, title: str, text: str):
    """The same thread posted again within seconds (a double submit)."""
    since = timezone.now() - DUPLICATE_WINDOW
    return (Thread.objects.filter(author=user, category=category, title=title,
                                  created_at__gte=since, posts__number=1,
                                  posts__markdown=text)
            .order_by("-pk").first())


def _render_thread_form(request, category, form, status=200, preview_html=None, linked_page=None,
                        error=None):
    return render(request, "forum/thread_form.html", {
        "category": category,
        "form": form,
        "preview_html": preview_html,
        "linked_page": linked_page,
        "error": error,
    }, status=status)


@require_http_methods(["GET", "POST"])
def new_thread(request, slug):
    perms = forum_permissions(request)
    category = _visible_category_or_404(perms, slug)
    if not perms.category(category.pk).can_read:
        raise Http404
    perms.require(perms.can_start(category))
    user = request.user

    if request.method == "GET":
        draft = get_draft(user, category=category)
        linked_page = _linked_page_from_query(request)
        form = ThreadForm(initial={
            # ?titel= prefills the title (the search page's "Fråga i forumet" link).
            "title": draft.title if draft else (linked_page.title if linked_page else
                                                _title_from_query(request)),
            "text": draft.markdown if draft else "",
            "linked_page": linked_page.pk if linked_page else None,
        })
        return _render_thread_form(request, category, form, linked_page=linked_page)

    form = ThreadForm(request.POST)
    raw_title, raw_text = request.POST.get("title", ""), request.POST.get("text", "")
    valid = form.is_valid()
    linked_page = form.cleaned_data.get("linked_page")  # cleaned even when other fields fail

    def keep_draft():
        save_draft(user, category=category, text=raw_text, title=raw_title)

    if "spara_utkast" in request.POST:
        keep_draft()
        messages.success(request, _("Utkastet är sparat."))
        url = reverse("forum:new_thread", args=[category.slug])
        return redirect(f"{url}?sida={linked_page.pk}" if linked_page else url)
    if "forhandsgranska" in request.POST:
        keep_draft()
        return _render_thread_form(request, category, form, preview_html=preview_html(raw_text),
                                   linked_page=linked_page)
    if not valid:
        keep_draft()
        return _render_thread_form(request, category, form, status=400, linked_page=linked_page)

    data = form.cleaned_data
    duplicate = _duplicate_thread(user, category, data["title"], data["text"])
    if duplicate is not None:
        delete_draft(user, category=category)
        return redirect(duplicate.get_absolute_url())
    try:
        services.check_rate_limits(user)
    except services.PostingError as error:
        keep_draft()
        return _render_thread_form(request, category, form, status=429, error=str(error),
                                   linked_page=linked_page)
    try:
        new = services.create_thread(user, category, data["title"], data["text"],
                                     tags=services.get_or_create_tags(data["tags"]),
                                     linked_page=linked_page)
    except services.PostingError as error:
        keep_draft()
        return _render_thread_form(request, category, form, status=400, error=str(error),
                                   linked_page=linked_page)
    delete_draft(user, category=category)
    return redirect(new.get_absolute_url())
