"""The notification bell's unread count, on every page (one cheap indexed query)."""

from __future__ import annotations


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread_count():
        from .models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    # Lazy: evaluated only when a template shows the bell.
    from django.utils.functional import SimpleLazyObject

    return {"forum_unread_notifications": SimpleLazyObject(unread_count)}
