"""Watching, the notification list, email settings and the one-click unsubscribe link."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..emails import describe
from ..models import Category, EmailPreference, Notification, Tag, Watch, WatchLevel
from ..notify import set_level
from ..permissions import forum_permissions

NOTIFICATIONS_PER_PAGE = 25


# --- watching --------------------------------------------------------------------------


def _level_from(request) -> int | None:
    try:
        level = int(request.POST.get("level", ""))
    except ValueError:
        return None
    return level if level in WatchLevel.values else None


def _invalid_level(request):
    return render(request, "forum/notifications/invalid_level.html", status=400)


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _saved(request, level: int, what: str) -> None:
    messages.success(request, _("Aviseringar för %(what)s: %(level)s.")
                     % {"what": what, "level": WatchLevel(level).label})


@require_POST
def watch_thread(request, pk: int):
    thread = forum_permissions(request).get_thread_or_404(pk)
    level = _level_from(request)
    if level is None:
        return _invalid_level(request)
    set_level(request.user, level, thread=thread)
    _saved(request, level, _("tråden ”%(title)s”") % {"title": thread.title})
    return _back(request, thread.get_absolute_url())


@require_POST
def watch_category(request, slug: str):
    category = Category.objects.filter(slug=slug).first()
    if category is None or not forum_permissions(request).category(category.pk).can_read:
        raise Http404
    level = _level_from(request)
    if level is None:
        return _invalid_level(request)
    set_level(request.user, level, category=category)
    _saved(request, level, _("kategorin %(name)s") % {"name": category.name})
    return _back(request, category.get_absolute_url())


@require_POST
def watch_tag(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    level = _level_from(request)
    if level is None:
        return _invalid_level(request)
    set_level(request.user, level, tag=tag)
    _saved(request, level, _("taggen %(name)s") % {"name": tag.name})
    return _back(request, reverse("forum:tag", args=[tag.slug]))


# --- in-app notifications ------------------------------------------------------------------


def _target_url(notification: Notification) -> str:
    if notification.post_id:
        return reverse("forum:post", args=[notification.post_id])
    return reverse("forum:thread", args=[notification.thread_id])


def notification_list(request):
    """Newest first; only notifications about threads the user may still read. Viewing the
    list reads nothing: opening one (or "Markera alla som lästa") does."""
    perms = forum_permissions(request)
    notifications = (
        Notification.objects.filter(user=request.user, thread__in=perms.readable_threads())
        .select_related("actor", "thread__category")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("sida"))
    items = [{"notification": n, "summary": describe(n), "url": _target_url(n)} for n in page]
    return render(request, "forum/notifications/list.html",
                  {"items": items, "page_obj": page, "filter_query": ""})


@require_POST
def mark_all_read(request):
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now())
    if count:
        messages.success(request, _("Alla aviseringar är markerade som lästa."))
    return redirect("forum:notifications")


@require_POST
def open_notification(request, pk: int):
    """Mark one notification read and go to the post it is about."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(_target_url(notification))


# --- settings ------------------------------------------------------------------------------


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["frequency"]
        labels = {"frequency": gettext_lazy("Skicka e-post om aviseringar")}
        widgets = {"frequency": forms.RadioSelect}


def _watch_rows(watches, kind: str) -> list[dict]:
    rows = []
    for watch in watches:
        target = getattr(watch, kind)
        if kind == "thread":
            name, url = target.title, target.get_absolute_url()
            watch_url = reverse("forum:watch_thread", args=[target.pk])
        elif kind == "category":
            name, url = target.name, target.get_absolute_url()
            watch_url = reverse("forum:watch_category", args=[target.slug])
        else:
            name, url = target.name, reverse("forum:tag", args=[target.slug])
            watch_url = reverse("forum:watch_tag", args=[target.slug])
        rows.append({"name": name, "url": url, "watch_url": watch_url, "level": watch.level,
                     "label": _("Aviseringar för %(name)s") % {"name": name}})
    return rows


def settings_view(request):
    """Email frequency, and every thread, category and tag the user set a level on."""
    # Unsaved until the user saves the form: showing the page writes nothing.
    preference = (EmailPreference.objects.filter(user=request.user).first()
                  or EmailPreference(user=request.user))
    form = EmailPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Dina e-postinställningar är sparade."))
            return redirect("forum:settings")
        status = 400
    else:
        status = 200
    perms = forum_permissions(request)
    watches = (
        Watch.objects.filter(user=request.user).exclude(level=WatchLevel.NORMAL)
        .filter(Q(thread__isnull=True) | Q(thread__in=perms.readable_threads()))
        .filter(Q(category__isnull=True) | Q(category_id__in=perms.readable_category_ids()))
        .select_related("thread", "category", "tag")
    )
    threads = sorted((w for w in watches if w.thread_id), key=lambda w: w.thread.title.lower())
    categories = sorted((w for w in watches if w.category_id),
                        key=lambda w: w.category.name.lower())
    tags = sorted((w for w in watches if w.tag_id), key=lambda w: w.tag.name.lower())
    return render(request, "forum/notifications/settings.html", {
        "form": form,
        "watch_groups": [
            (_("Trådar"), _watch_rows(threads, "thread")),
            (_("Kategorier"), _watch_rows(categories, "category")),
            (_("Taggar"), _watch_rows(tags, "tag")),
        ],
        "watch_levels": WatchLevel.choices,
        "settings_url": reverse("forum:settings"),
    }, status=status)


# --- unsubscribe ---------------------------------------------------------------------------


# The link in every email authenticates by its secret token, so it works signed out.
# CSRF protection is off for this view only: mail clients send the RFC 8058 one-click POST
# ("List-Unsubscribe=One-Click") straight from the inbox, without a session or a CSRF token.
# A forged POST needs the secret token, and can do no more than stop that person's email.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    preference = get_object_or_404(EmailPreference.objects.select_related("user"),
                                   unsubscribe_token=token)
    if request.method == "POST":
        if preference.frequency != EmailPreference.Frequency.NEVER:
            preference.frequency = EmailPreference.Frequency.NEVER
            preference.save(update_fields=["frequency"])
        return render(request, "forum/notifications/unsubscribed.html",
                      {"preference": preference})
    return render(request, "forum/notifications/unsubscribe.html", {"preference": preference})
