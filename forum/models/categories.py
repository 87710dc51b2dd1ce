"""Categories, tags and per-category group permissions."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    name = models.CharField(_("namn"), max_length=120)
    slug = models.SlugField(_("kortnamn"), max_length=120, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    rights_area = models.ForeignKey(
        "cms.RightsArea", verbose_name=_("rättighetsområde"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="forum_categories",
    )
    sort_order = models.PositiveIntegerField(_("ordning"), default=0)
    is_closed = models.BooleanField(
        _("sluten kategori"), default=False,
        help_text=_("Syns bara för grupper som fått behörighet nedan."),
    )
    qa_mode = models.BooleanField(
        _("frågor och svar"), default=False,
        help_text=_("Trådstartaren eller en moderator kan markera ett svar som accepterat."),
    )
    thread_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("forumkategori")
        verbose_name_plural = _("forumkategorier")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("forum:category", args=[self.slug])


class CategoryPermission(models.Model):
    """What one group may do in one category. Open categories need no rows for reading and
    posting (every signed-in user may); closed categories allow only the groups listed."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="permissions")
    group = models.ForeignKey(Group, verbose_name=_("grupp"), on_delete=models.CASCADE,
                              related_name="forum_permissions")
    can_see = models.BooleanField(_("se kategorin"), default=True)
    can_read = models.BooleanField(_("läsa trådar"), default=True)
    can_start = models.BooleanField(_("starta trådar"), default=True)
    can_reply = models.BooleanField(_("svara"), default=True)
    can_moderate = models.BooleanField(_("moderera"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "group"],
                                               name="forum_category_group_unique")]
        verbose_name = _("behörighet")
        verbose_name_plural = _("behörigheter")

    def __str__(self) -> str:
        return f"{self.category} – {self.group}"


class Tag(models.Model):
    name = models.CharField(_("namn"), max_length=60, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tagg")
        verbose_name_plural = _("taggar")

    def __str__(self) -> str:
        return self.name
