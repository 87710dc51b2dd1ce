"""Wagtail admin for the conference's email texts (Inställningar → Konferensens e-post).

One ConferenceEmailTemplate per kind replaces that email's default text; deleting it brings
the default back. Saving a template with an empty subject or text fills in the default, so
the way to edit one is: add, choose the kind, save, then change the text. Only holders of
conference.manage_conference (Konferensarrangör) and superusers see it. Imported by
wagtail_hooks.py.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .email_templates import ConferenceEmailTemplate
from .wagtail_hooks import ConferenceAdminPolicy

register_permission_policy(ConferenceEmailTemplate, ConferenceAdminPolicy(ConferenceEmailTemplate),
                           exact_class=True)


class EmailTemplateViewSet(SnippetViewSet):
    model = ConferenceEmailTemplate
    icon = "mail"
    menu_label = _("Konferensens e-post")
    menu_name = "conference-email-templates"
    add_to_settings_menu = True
    list_display = ["kind", "subject", "updated_at"]
    ordering = ["kind"]

    def get_permissions_to_register(self):
        return Permission.objects.none()


register_snippet(EmailTemplateViewSet)
