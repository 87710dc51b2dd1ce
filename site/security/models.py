"""Which database sessions belong to which user.

Django's session table stores the user id only inside the encoded session data, so finding
one user's sessions would mean decoding every row (28 000 users). This table is written at
sign-in (and when a session key is cycled) and read when an account is deactivated or erased.
Rows disappear with their session (cascade), so `clearsessions` prunes them too.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSession(models.Model):
    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, primary_key=True, related_name="+",
        verbose_name=_("session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("användare"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("användarsession")
        verbose_name_plural = _("användarsessioner")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.session_id[:6]}…"
