"""The reports in the Wagtail admin: a read-only list (Inställningar → Synpunkter om
tillgänglighet) with a detail view. Seeing them needs `accessibility.view_accessibilityfeedback`
(superusers have it); reports are made on the site only, so nobody may add or edit them here.
Deleting stays with holders of the delete permission (e.g. for an erasure request)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import AccessibilityFeedback

READ_ONLY_DENIED = {"add", "change", "copy", "publish", "unpublish", "lock", "unlock"}


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The model's own view/delete permissions; adding and changing is refused to everyone."""

    def user_has_permission(self, user, action):
        if action in READ_ONLY_DENIED:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [action for action in actions if action not in READ_ONLY_DENIED])


register_permission_policy(AccessibilityFeedback, ReadOnlyPolicy(AccessibilityFeedback),
                           exact_class=True)


class AccessibilityFeedbackViewSet(SnippetViewSet):
    model = AccessibilityFeedback
    icon = "help"
    menu_label = _("Synpunkter om tillgänglighet")
    menu_name = "accessibility_feedback"
    add_to_settings_menu = True
    url_namespace = "accessibility_feedback"
    url_prefix = "tillganglighet/synpunkter"
    inspect_view_enabled = True
    list_display = ["page_url", "user", "wants_contact", "created_at", "email_sent_at"]
    list_filter = ["wants_contact"]
    search_fields = ["page_url", "description"]
    ordering = ["-created_at"]
    inspect_view_fields = ["page_url", "description", "wants_contact", "user", "created_at",
                           "email_sent_at"]


feedback_viewset = AccessibilityFeedbackViewSet()
register_snippet(feedback_viewset)
