"""Who may do what in the forum, resolved once per request.

Rules:
- Open categories: every signed-in user may see, read, start threads and reply.
- Closed categories: only groups with a CategoryPermission row get anything.
- A CategoryPermission row overrides the default for the group it names; a user in several
  groups gets the union of their rows. In an open category, a user none of whose groups has
  a row keeps the default.
- The Moderator role moderates every open category; closed ones only through a row.
  Moderating needs reading: a row with "moderate" but not "read" moderates nothing.
  Superusers may do everything.
- Edit history (Discourse's practice): readers of a post see its earlier versions while
  FORUM_EDIT_HISTORY_PUBLIC is on (the default, like Discourse's
  edit_history_visible_to_public); otherwise only its author and the category's
  moderators. Hidden and deleted posts, and so their histories, are only for the author
  and the moderators of that category.
Views and querysets both go through this object; templates only read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.roles import MODERATOR

from .models import Category, CategoryPermission, Post, Thread

FLAGS = ("can_see", "can_read", "can_start", "can_reply", "can_moderate")


@dataclass(frozen=True)
class CategoryAccess:
    can_see: bool = False
    can_read: bool = False
    can_start: bool = False
    can_reply: bool = False
    can_moderate: bool = False


NO_ACCESS = CategoryAccess()
FULL_ACCESS = CategoryAccess(True, True, True, True, True)


class ForumPermissions:
    def __init__(self, user):
        self.user = user
        self._access: dict[int, CategoryAccess] = {}
        # Every category, in the forum's order (a handful of rows): the views take the
        # category they show from here rather than asking the database again.
        self._categories: dict[int, Category] = {}
        self._unread_state = None
        if not user.is_authenticated or not user.is_active:
            return
        groups = list(user.groups.values_list("id", "name"))
        group_ids = {pk for pk, _name in groups}
        is_super = user.is_superuser
        is_moderator = any(name == MODERATOR for _pk, name in groups)
        rows: dict[int, list[CategoryPermission]] = {}
        for row in CategoryPermission.objects.filter(group_id__in=group_ids):
            rows.setdefault(row.category_id, []).append(row)
        for category in Category.objects.all():
            category_id, is_closed = category.pk, category.is_closed
            self._categories[category_id] = category
            if is_super:
                self._access[category_id] = FULL_ACCESS
                continue
            own = rows.get(category_id)
            if own:
                access = CategoryAccess(*(any(getattr(r, flag) for r in own) for flag in FLAGS))
            elif is_closed:
                access = NO_ACCESS
            else:
                access = CategoryAccess(True, True, True, True, False)
            if is_moderator and not is_closed and access.can_see:
                access = CategoryAccess(True, True, access.can_start, access.can_reply, True)
            if access.can_moderate and not access.can_read:
                # Moderating means reading: a row granting "moderera" without "läsa
                # trådar" must not open the queue, the log or post histories of a
                # category the group may not read.
                access = CategoryAccess(access.can_see, False, access.can_start,
                                        access.can_reply, False)
            self._access[category_id] = access

    # --- categories ------------------------------------------------------------------
    def category(self, category_id: int) -> CategoryAccess:
        return self._access.get(category_id, NO_ACCESS)

    def visible_category_ids(self) -> list[int]:
        return [cid for cid, a in self._access.items() if a.can_see]

    def visible_categories(self) -> list[Category]:
        """The categories this user may see, in the forum's order (loaded once, above)."""
        return [self._categories[cid] for cid in self.visible_category_ids()]

    def loaded_category(self, category_id: int) -> Category | None:
        """Any category by id, as loaded above (None for one created since)."""
        return self._categories.get(category_id)

    def visible_category(self, slug: str) -> Category | None:
        """The category with this slug if the user may see it (no query)."""
        return next((category for category in self.visible_categories()
                     if category.slug == slug), None)

    def readable_category_ids(self) -> list[int]:
        return [cid for cid, a in self._access.items() if a.can_read]

    def moderated_category_ids(self) -> list[int]:
        return [cid for cid, a in self._access.items() if a.can_moderate]

    @property
    def is_moderator_anywhere(self) -> bool:
        return any(a.can_moderate for a in self._access.values())

    @property
    def unread_state(self):
        """The user's "Markera alla som lästa" moments and watch levels per category
        (forum.unread.category_state), asked for once per request however many thread
        lists the page shows."""
        if self._unread_state is None:
            from .unread import category_state

            self._unread_state = category_state(self.user)
        return self._unread_state

    # --- querysets -------------------------------------------------------------------
    def readable_threads(self, queryset=None):
        """Threads in readable categories; hidden threads only where one moderates."""
        queryset = Thread.objects.all() if queryset is None else queryset
        # Excluding the few unreadable categories (rather than listing the readable ones)
        # lets SQLite order by the activity index instead of sorting every thread
        # (tests/benchmarks/bench_forum.py: 84-364 ms -> about 1 ms at 20 000 threads).
        unreadable = [cid for cid, access in self._access.items() if not access.can_read]
        if not self._access:
            return queryset.none()
        return queryset.exclude(category_id__in=unreadable).filter(
            Q(is_hidden=False) | Q(category_id__in=self.moderated_category_ids())
        )

    def visible_posts(self, thread: Thread, queryset=None):
        """Posts of a thread this user may see: moderators see deleted and hidden posts;
        authors see their own hidden posts (with the reason)."""
        queryset = thread.posts.all() if queryset is None else queryset
        if self.category(thread.category_id).can_moderate:
            return queryset
        return queryset.filter(Q(is_hidden=False) | Q(author_id=self.user.pk)).filter(
            Q(is_deleted=False) | Q(author_id=self.user.pk)
        )

    # --- single objects ---------------------------------------------------------------
    def can_read_thread(self, thread: Thread) -> bool:
        access = self.category(thread.category_id)
        return access.can_read and (not thread.is_hidden or access.can_moderate)

    def can_reply(self, thread: Thread) -> bool:
        access = self.category(thread.category_id)
        if not self.can_read_thread(thread) or not access.can_reply:
            return False
        return not thread.is_locked or access.can_moderate

    def can_start(self, category: Category) -> bool:
        return self.category(category.pk).can_start

    def can_moderate(self, thread: Thread) -> bool:
        return self.category(thread.category_id).can_moderate

    def can_edit_post(self, post: Post) -> bool:
        thread = post.thread
        if self.can_moderate(thread):
            return True
        return (
            post.author_id == self.user.pk
            and self.can_read_thread(thread)
            and not thread.is_locked
            and not post.is_deleted
            and not post.is_hidden  # a hidden post stays as the moderator left it
        )

    def can_delete_post(self, post: Post) -> bool:
        """Authors delete their own posts (softly) under the same rules as editing."""
        return self.can_edit_post(post)

    def can_see_history(self, post: Post) -> bool:
        """Earlier versions of a post whose text the user may already see."""
        if post.author_id == self.user.pk or self.can_moderate(post.thread):
            return True
        return getattr(settings, "FORUM_EDIT_HISTORY_PUBLIC", True)

    def can_accept_answer(self, thread: Thread) -> bool:
        return thread.category.qa_mode and self.can_read_thread(thread) and (
            self.can_moderate(thread) or thread.author_id == self.user.pk
        )

    # --- helpers for views ------------------------------------------------------------
    def get_thread_or_404(self, thread_id: int) -> Thread:
        """Threads the user may not read are indistinguishable from missing ones."""
        thread = Thread.objects.select_related("category").filter(pk=thread_id).first()
        if thread is None or not self.can_read_thread(thread):
            raise Http404
        return thread

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied


def forum_permissions(request) -> ForumPermissions:
    """One ForumPermissions per request (cached on the request)."""
    perms = getattr(request, "_forum_permissions", None)
    if perms is None or perms.user is not request.user:
        perms = ForumPermissions(request.user)
        request._forum_permissions = perms
    return perms
