"""Unread tracking: which threads have posts a user has not seen, in a constant number of
queries.

Three sources, cheapest first:
- a cutoff (30 days ago, or the user's join date if later): anything whose last post is
  older counts as read, so no rows are needed for old threads;
- CategoryRead.marked_at ("Markera alla som lästa"): threads last active before it are read;
- ThreadRead.last_read_number: the highest post number the user has seen.

New posts are approximated as `thread.last_number - last_read_number` (deleted and hidden
posts also carry numbers), which is what a thread list needs; the thread page then jumps to
the first post after the read mark.
"""

from __future__ import annotations

import datetime
import operator
from functools import reduce
from typing import NamedTuple

from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .models import Category, CategoryRead, Thread, ThreadRead, Watch, WatchLevel

CUTOFF = datetime.timedelta(days=30)


def cutoff_for(user, now: datetime.datetime | None = None) -> datetime.datetime:
    """Before this moment everything counts as read for the user."""
    cutoff = (now or timezone.now()) - CUTOFF
    joined = getattr(user, "date_joined", None)
    return max(cutoff, joined) if joined else cutoff


class CategoryState(NamedTuple):
    """What a user has set per category: "Markera alla som lästa" moments and watch
    levels (muted categories among them)."""

    marked_at: dict[int, datetime.datetime]
    levels: dict[int, int]

    @property
    def muted(self) -> set[int]:
        return {pk for pk, level in self.levels.items() if level == WatchLevel.MUTED}


def category_state(user) -> CategoryState:
    """The user's "Markera alla som lästa" moments and watch levels per category, in one
    query (a handful of rows at most). Views take it from ForumPermissions.unread_state,
    which asks once per request."""
    marks = CategoryRead.objects.filter(user=user).values_list(
        "category_id", "marked_at", Value(None, output_field=IntegerField()))
    levels = Watch.objects.filter(user=user, category__isnull=False).values_list(
        "category_id", Value(None, output_field=DateTimeField()), "level")
    state = CategoryState({}, {})
    for category_id, moment, level in marks.union(levels, all=True):
        if level is None:
            state.marked_at[category_id] = moment
        else:
            state.levels[category_id] = level
    return state


def annotate_unread(queryset, user, now: datetime.datetime | None = None,
                    state: CategoryState | None = None):
    """Add `read_number` (last read post number, 0 if none) and `new_count` to threads.

    The list stays a single query whatever its length: one LEFT JOIN on the user's ThreadRead
    row, an EXISTS on the user's Watch rows for muting, and the user's category marks and
    muted categories (category_state, one small query first) as constants rather than a
    subquery per row. The cutoff is the first test in `new_count`, so a database skips the
    rest for old threads (a category page computes it for every thread before sorting).
    Pass `state` (ForumPermissions.unread_state) to save the small query.
    """
    if not user.is_authenticated:
        return queryset.annotate(read_number=Value(0, IntegerField()),
                                 new_count=Value(0, IntegerField()))
    cutoff = cutoff_for(user, now)
    state = category_state(user) if state is None else state
    marked_at, muted_categories = state.marked_at, state.muted
    # Muted threads, and threads of a muted category without a level of their own, never
    # count as unread (Discourse).
    thread_watch = Watch.objects.filter(user=user, thread=OuterRef("pk"))
    muted = Q(Exists(thread_watch.filter(level=WatchLevel.MUTED)))
    if muted_categories:
        muted |= Q(category_id__in=sorted(muted_categories)) & ~Q(Exists(thread_watch))
    whens = [When(last_post_at__lt=cutoff, then=Value(0)), When(muted, then=Value(0))]
    if marked_at:  # threads last active before their category was marked read
        whens.append(When(reduce(operator.or_, (
            Q(category_id=category_id, last_post_at__lte=moment)
            for category_id, moment in sorted(marked_at.items()))), then=Value(0)))
    return queryset.alias(
        own_read=FilteredRelation("reads", condition=Q(reads__user=user)),
    ).annotate(
        read_number=Coalesce(F("own_read__last_read_number"), Value(0),
                             output_field=IntegerField()),
    ).annotate(
        new_count=Case(
            *whens,
            default=Greatest(F("last_number") - F("read_number"), Value(0)),
            output_field=IntegerField(),
        ),
    )


def unread_category_ids(user, thread_queryset, now: datetime.datetime | None = None,
                        state: CategoryState | None = None) -> set[int]:
    """Categories with at least one unread thread among `thread_queryset` (already limited
    to readable threads). One query: per category an EXISTS that walks the category's
    threads active since the cutoff (index forum_thread_cat_activity) and stops at the
    first unread one, rather than counting every recent thread of the forum."""
    if not user.is_authenticated:
        return set()
    recent = thread_queryset.filter(category_id=OuterRef("pk"),
                                    last_post_at__gte=cutoff_for(user, now))
    unread = annotate_unread(recent, user, now, state).filter(new_count__gt=0)
    return set(Category.objects.filter(Exists(unread)).values_list("pk", flat=True))


def read_number(user, thread: Thread) -> int:
    """The user's last read post number in one thread (0 if never read)."""
    if not user.is_authenticated:
        return 0
    row = ThreadRead.objects.filter(user=user, thread=thread).values_list(
        "last_read_number", flat=True).first()
    return row or 0


def with_read_state(queryset, user):
    """Threads with what first_unread_number needs, in the same query: the user's read mark
    (`own_read_number`, None without one) and the moment the user marked the thread's
    category read (`own_category_marked_at`). The values are as loaded: a mark_read later
    in the request does not change them."""
    if not user.is_authenticated:
        return queryset
    return queryset.annotate(
        own_read_number=Subquery(ThreadRead.objects.filter(user=user, thread=OuterRef("pk"))
                                 .values("last_read_number")[:1]),
        own_category_marked_at=Subquery(
            CategoryRead.objects.filter(user=user, category=OuterRef("category_id"))
            .values("marked_at")[:1]),
    )


def first_unread_number(user, thread: Thread, now: datetime.datetime | None = None) -> int | None:
    """The number after the user's read mark, or None when the thread counts as read
    (all seen, older than the cutoff, or the category was marked read since). No query for
    a thread loaded through with_read_state."""
    if not user.is_authenticated or thread.last_post_at < cutoff_for(user, now):
        return None
    loaded = hasattr(thread, "own_category_marked_at")
    if loaded:
        marked_at = thread.own_category_marked_at
    else:
        marked_at = CategoryRead.objects.filter(
            user=user, category_id=thread.category_id).values_list("marked_at", flat=True).first()
    if marked_at and thread.last_post_at <= marked_at:
        return None
    seen = (thread.own_read_number or 0) if loaded else read_number(user, thread)
    return seen + 1 if seen < thread.last_number else None


def mark_category_read(user, category) -> None:
    """Everything in the category so far counts as read (upsert of the user's row)."""
    CategoryRead.objects.update_or_create(user=user, category=category,
                                          defaults={"marked_at": timezone.now()})
