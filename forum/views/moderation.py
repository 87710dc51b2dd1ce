"""Moderation views: flagging, the flag queue, hiding posts, thread tools and the log.

Objects the user may not read are 404; actions on objects they can read but may not
moderate are 403. Every change is a POST; input errors re-render the form with a Swedish
message and status 400. The work itself is done by forum.moderation.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cms.models.indexes import paginate

from .. import moderation
from ..models import Category, Flag, ModerationAction, Post, Thread
from ..permissions import forum_permissions

QUEUE_PAGE_SIZE = 20
LOG_PAGE_SIZE = 50
THREAD_URL_RE = re.compile(r"^(?:\d{1,18}|.*/trad/(\d{1,18})(?:[/?#].*)?)$")


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Varför flaggar du inlägget?"),
                               choices=Flag.Reason.choices, widget=forms.RadioSelect,
                               error_messages={"required": gettext_lazy("Välj en anledning.")})
    text = forms.CharField(label=gettext_lazy("Berätta mer för moderatorerna"), required=False,
                           max_length=moderation.MAX_FLAG_TEXT_LENGTH, widget=forms.Textarea(
                               attrs={"rows": 4}))


# --- helpers -----------------------------------------------------------------------

def _readable_post_or_404(perms, pk: int) -> Post:
    """A post the user may see (the same rule as the thread page), else 404."""
    post = Post.objects.select_related("thread__category", "author").filter(pk=pk).first()
    if post is None or not perms.can_read_thread(post.thread):
        raise Http404
    if not perms.visible_posts(post.thread).filter(pk=post.pk).exists():
        raise Http404
    return post


def _require_moderator_anywhere(perms) -> list[int]:
    ids = perms.moderated_category_ids()
    if not ids:
        raise PermissionDenied
    return ids


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return default


def _post_url(post: Post) -> str:
    return reverse("forum:post", args=[post.pk])


def _parse_thread_ref(value: str) -> int | None:
    """A thread id ("123") or any forum thread address (".../forum/trad/123/#inlagg-4")."""
    match = THREAD_URL_RE.match((value or "").strip())
    if not match:
        return None
    return int(match.group(1) or value.strip())


# --- flagging ------------------------------------------------------------------------

@require_http_methods(["GET", "HEAD", "POST"])
def flag_post(request, pk: int):
    perms = forum_permissions(request)
    post = _readable_post_or_404(perms, pk)
    if post.author_id == request.user.pk:
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                moderation.create_flag(request.user, post, form.cleaned_data["reason"],
                                       form.cleaned_data["text"])
            except moderation.ModerationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Tack! En moderator tittar på inlägget."))
                return redirect(_post_url(post))
        status = 400
    return render(request, "forum/moderation/flag.html", {
        "post": post, "thread": post.thread, "form": form,
        "already_flagged": moderation.has_open_flag(request.user, post),
    }, status=status)


# --- the flag queue -------------------------------------------------------------------

@require_safe
def queue(request):
    perms = forum_permissions(request)
    moderated = _require_moderator_anywhere(perms)
    open_flags = Flag.objects.filter(resolved_at__isnull=True)
    is_open = Q(flags__resolved_at__isnull=True)
    posts = (
        Post.objects.filter(thread__category_id__in=moderated)
        .filter(Exists(open_flags.filter(post=OuterRef("pk"))))
        .annotate(open_flag_count=Count("flags", filter=is_open),
                  first_flagged_at=Min("flags__created_at", filter=is_open))
        .select_related("thread__category", "author")
        .prefetch_related(Prefetch(
            "flags", to_attr="open_flags",
            queryset=open_flags.select_related("reporter").order_by("created_at", "pk")))
        .order_by("first_flagged_at", "pk")
    )
    page_obj = paginate(request, posts, QUEUE_PAGE_SIZE)
    page_obj.object_list = list(page_obj.object_list)
    for post in page_obj:
        post.reasons = sorted({flag.get_reason_display() for flag in post.open_flags})
    return render(request, "forum/moderation/queue.html", {"page_obj": page_obj,
                                                           "filter_query": ""})


@require_POST
def resolve_flag(request, pk: int):
    perms = forum_permissions(request)
    flag = Flag.objects.select_related("post__thread__category", "post__author").filter(pk=pk).first()
    if flag is None or not perms.can_read_thread(flag.post.thread):
        raise Http404
    perms.require(perms.can_moderate(flag.post.thread))
    post = flag.post
    done = _next_url(request, reverse("forum:moderation_queue"))
    if not Flag.objects.filter(post=post, resolved_at__isnull=True).exists():
        messages.info(request, _("Flaggningarna av inlägget var redan hanterade."))
        return redirect(done)
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    try:
        count = moderation.resolve_flags(request.user, post, decision, reason)
    except moderation.ModerationError as error:
        return render(request, "forum/moderation/resolve.html", {
            "flag": flag, "post": post, "thread": post.thread, "error": str(error),
            "decision": decision, "reason": reason, "next": done,
        }, status=400)
    if decision == "hide":
        note = ngettext("Inlägget är dolt och %(n)s flaggning är hanterad.",
                        "Inlägget är dolt och %(n)s flaggningar är hanterade.", count)
    else:
        note = ngettext("%(n)s flaggning är avfärdad.", "%(n)s flaggningar är avfärdade.", count)
    messages.success(request, note % {"n": count})
    return redirect(done)


# --- hiding posts ---------------------------------------------------------------------

@require_http_methods(["GET", "HEAD", "POST"])
def hide_post(request, pk: int):
    """GET: the hide form. POST action=hide (reason required) or action=unhide."""
    perms = forum_permissions(request)
    post = _readable_post_or_404(perms, pk)
    perms.require(perms.can_moderate(post.thread))
    done = _next_url(request, _post_url(post))
    error, reason = None, ""
    if request.method == "POST":
        action = request.POST.get("action", "hide")
        reason = request.POST.get("reason", "")
        try:
            if action == "unhide":
                changed = moderation.unhide_post(request.user, post)
                note = _("Inlägget visas igen.") if changed else _("Inlägget var inte dolt.")
            elif action == "hide":
                changed = moderation.hide_post(request.user, post, reason)
                note = (_("Inlägget är dolt. Författaren ser anledningen.") if changed
                        else _("Inlägget var redan dolt."))
            else:
                raise moderation.ModerationError(_("Okänd åtgärd."))
        except moderation.ModerationError as exc:
            error = str(exc)
        else:
            messages.success(request, note)
            return redirect(done)
    return render(request, "forum/moderation/hide.html", {
        "post": post, "thread": post.thread, "error": error, "reason": reason,
        "next": _next_url(request, ""),
    }, status=400 if error else 200)


# --- thread tools ---------------------------------------------------------------------

def _moderated_category(perms, value) -> Category:
    try:
        category_id = int(value)
    except (TypeError, ValueError):
        category_id = None
    if category_id is None or not perms.category(category_id).can_moderate:
        raise moderation.ModerationError(_("Välj en kategori som du kan moderera."))
    return Category.objects.get(pk=category_id)


def _merge_target(perms, value) -> Thread:
    target_id = _parse_thread_ref(value)
    thread = Thread.objects.select_related("category").filter(pk=target_id).first() \
        if target_id else None
    if thread is None or not perms.can_read_thread(thread):
        raise moderation.ModerationError(
            _("Hittar ingen tråd med det numret eller den adressen. Ange trådens nummer eller "
              "klistra in länken till den."))
    if not perms.can_moderate(thread):
        raise moderation.ModerationError(_("Du kan inte moderera tråden du vill slå ihop med."))
    return thread


def _run_thread_action(request, perms, thread: Thread, action: str):
    """Perform one POSTed action; returns the redirect. Raises ModerationError."""
    data = request.POST
    if action in ("lock", "unlock"):
        outcome = moderation.set_locked(request.user, thread, action == "lock")
        if action == "lock":
            note = _("Tråden är låst.") if outcome.changed else _("Tråden var redan låst.")
        else:
            note = _("Tråden är upplåst.") if outcome.changed else _("Tråden var redan upplåst.")
        messages.success(request, note)
        return redirect(thread)
    if action == "pin":
        outcome = moderation.set_pin(request.user, thread, data.get("pin", ""))
        messages.success(request, _("Trådens fästning är ändrad.") if outcome.changed
                         else _("Tråden var redan fäst så."))
        return redirect(thread)
    if action == "move":
        category = _moderated_category(perms, data.get("category"))
        moderation.move_thread(request.user, thread, category)
        messages.success(request, _("Tråden är flyttad till %(name)s.") % {"name": category.name})
        return redirect(thread)
    if action == "merge":
        target = _merge_target(perms, data.get("target"))
        moderation.merge_threads(request.user, thread, target)
        messages.success(request, _("Trådarna är ihopslagna. Inläggen ligger nu sist i den här "
                                    "tråden."))
        return redirect(target)
    if action == "split":
        category = _moderated_category(perms, data.get("category") or thread.category_id)
        new = moderation.split_thread(request.user, thread, data.getlist("posts"),
                                      data.get("title", ""), category)
        messages.success(request, _("De valda inläggen är flyttade till en ny tråd."))
        return redirect(new)
    raise moderation.ModerationError(_("Okänd åtgärd."))


@require_http_methods(["GET", "HEAD", "POST"])
def thread_tools(request, pk: int):
    perms = forum_permissions(request)
    thread = perms.get_thread_or_404(pk)
    perms.require(perms.can_moderate(thread))
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            return _run_thread_action(request, perms, thread, action)
        except moderation.ModerationError as error:
            known = {"lock", "unlock", "pin", "move", "merge", "split"}
            errors["lock" if action == "unlock" else action if action in known else "general"] = \
                str(error)
    moderated = perms.moderated_category_ids()
    categories = list(Category.objects.filter(pk__in=moderated))
    posts = perms.visible_posts(thread).select_related("author").order_by("number")
    return render(request, "forum/moderation/thread_tools.html", {
        "thread": thread, "errors": errors, "data": request.POST,
        "pin_choices": Thread.Pin.choices,
        "move_categories": [c for c in categories if c.pk != thread.category_id],
        "split_categories": categories, "posts": posts,
        "selected_posts": set(request.POST.getlist("posts")),
    }, status=400 if errors else 200)


# --- the log ---------------------------------------------------------------------------

def _describe(entries, perms) -> None:
    """Attach a short Swedish summary of the details to each log entry (one query)."""
    ids = set()
    for entry in entries:
        d = entry.details or {}
        ids.update(v for k, v in d.items() if k.endswith("category_id") and isinstance(v, int))
    names = dict(Category.objects.filter(pk__in=ids).values_list("pk", "name"))

    def name(category_id):
        if category_id in names and perms.category(category_id).can_see:
            return names[category_id]
        return _("en annan kategori")

    pins = dict(Thread.Pin.choices)
    for entry in entries:
        d = entry.details or {}
        summary = ""
        if entry.action == ModerationAction.Action.MOVE:
            summary = _("Från %(a)s till %(b)s") % {"a": name(d.get("from_category_id")),
                                                   "b": name(d.get("to_category_id"))}
        elif entry.action == ModerationAction.Action.MERGE:
            summary = _("”%(title)s” (%(n)s inlägg) lades till sist") % {
                "title": d.get("merged_title", ""), "n": d.get("posts", 0)}
        elif entry.action == ModerationAction.Action.SPLIT:
            summary = _("%(n)s inlägg till ny tråd ”%(title)s” i %(cat)s") % {
                "n": len(d.get("post_ids", [])), "title": d.get("new_title", ""),
                "cat": name(d.get("new_category_id"))}
        elif entry.action in (ModerationAction.Action.PIN, ModerationAction.Action.UNPIN):
            summary = str(pins.get(d.get("pin", ""), ""))
        elif entry.action == ModerationAction.Action.RESOLVE_FLAG:
            summary = (_("Dolde inlägget") if d.get("decision") == "hide"
                       else _("Avfärdade")) + f" ({d.get('flags', 0)})"
        entry.summary = summary


@require_safe
def log(request):
    perms = forum_permissions(request)
    moderated = _require_moderator_anywhere(perms)
    entries = (
        ModerationAction.objects.filter(
            Q(thread__category_id__in=moderated)
            | Q(thread__isnull=True, details__category_id__in=moderated))
        .select_related("moderator", "thread", "post")
        .order_by("-created_at", "-pk")
    )
    page_obj = paginate(request, entries, LOG_PAGE_SIZE)
    page_obj.object_list = list(page_obj.object_list)
    _describe(page_obj.object_list, perms)
    return render(request, "forum/moderation/log.html", {"page_obj": page_obj,
                                                         "filter_query": ""})
