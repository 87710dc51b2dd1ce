"""Threads, posts, their edit history, reactions and drafts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

POSTS_PER_PAGE = 20


class Thread(models.Model):
    class Pin(models.TextChoices):
        # The values sort as global > category > none: a category's list orders by "-pin"
        # (global pins first, then the category's own) on the index below. Keep that order
        # if values are ever added or renamed.
        NONE = "", _("Inte fäst")
        CATEGORY = "category", _("Fäst i kategorin")
        GLOBAL = "global", _("Fäst överallt")

    category = models.ForeignKey("forum.Category", on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(_("rubrik"), max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="forum_threads")
    tags = models.ManyToManyField("forum.Tag", blank=True, related_name="threads")
    linked_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("kopplad sida"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="forum_threads",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_post = models.ForeignKey("forum.Post", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    post_count = models.PositiveIntegerField(default=0)  # visible posts, incl. the opening one
    last_number = models.PositiveIntegerField(default=0)  # highest post number ever given
    is_locked = models.BooleanField(_("låst"), default=False)
    pin = models.CharField(_("fäst"), max_length=10, choices=Pin.choices, blank=True, default="")
    accepted_post = models.ForeignKey("forum.Post", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    is_hidden = models.BooleanField(default=False)
    external_id = models.CharField(max_length=100, blank=True, db_index=True)  # import/demo key

    class Meta:
        ordering = ["-last_post_at"]
        indexes = [
            models.Index(fields=["category", "-last_post_at"], name="forum_thread_cat_activity"),
            # A category's list: pins first, then activity (views.common.PINNED_FIRST), read
            # in index order, so page 1 is 30 index entries rather than a sort of them all.
            # is_hidden, last, makes it cover the list's count and a page's ids.
            models.Index(fields=["category", "-pin", "-last_post_at", "-id", "is_hidden"],
                         name="forum_thread_cat_pin_activity"),
            # The index page's globally pinned threads: a few rows, found without a scan.
            # pin comes first so that SQLite, without statistics, seeks this index
            # (pin = ?) rather than walking the whole activity index for them.
            models.Index(fields=["pin", "-last_post_at", "-id"], condition=models.Q(pin="global"),
                         name="forum_thread_global_pins"),
        ]
        verbose_name = _("tråd")
        verbose_name_plural = _("trådar")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("forum:thread", args=[self.pk])


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()  # 1 = opening post; stable, never reused
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="forum_posts")
    markdown = models.TextField()
    html = models.TextField()
    sanitizer_version = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    is_deleted = models.BooleanField(default=False)  # by its author; moderators still see it
    deleted_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)  # by a moderator, with a reason
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["thread", "number"]
        constraints = [models.UniqueConstraint(fields=["thread", "number"],
                                               name="forum_post_thread_number_unique")]
        verbose_name = _("inlägg")
        verbose_name_plural = _("inlägg")

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.number}"

    @property
    def anchor(self) -> str:
        return f"inlagg-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


class PostRevision(models.Model):
    """The Markdown of a post before each edit (the current text is on the post)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    markdown = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["post", "created_at", "pk"]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        HELPFUL = "hjalpsamt", _("Hjälpsamt")
        THANKS = "tack", _("Tack")
        AGREE = "haller-med", _("Håller med")
        INTERESTING = "intressant", _("Intressant")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="forum_reactions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"],
                                               name="forum_reaction_unique")]


class Draft(models.Model):
    """Server-side draft: one per user and thread (replies), or per user and category
    (a new thread, thread is null)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="forum_drafts")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    category = models.ForeignKey("forum.Category", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    markdown = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], condition=models.Q(thread__isnull=False),
                                    name="forum_draft_user_thread_unique"),
            models.UniqueConstraint(fields=["user", "category"],
                                    condition=models.Q(thread__isnull=True),
                                    name="forum_draft_user_category_unique"),
        ]
