"""Every new user starts as a Medarbetare."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from django.dispatch import receiver

from .roles import DEFAULT_ROLE


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_default_role")
def add_default_role(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        group, _ = Group.objects.get_or_create(name=DEFAULT_ROLE)
        instance.groups.add(group)
