"""Admin registrations: the taxonomy as snippets under one menu item."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import PageViewRestriction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import OrganisationUnit, Principle, RightsArea, StaircaseStep, TargetGroup


def _viewset(term_model, icon: str, columns=("name", "slug")) -> type[SnippetViewSet]:
    return type(
        f"{term_model.__name__}ViewSet",
        (SnippetViewSet,),
        {"model": term_model, "icon": icon, "list_display": list(columns),
         "search_fields": ["name"], "ordering": ["sort_order", "name"]},
    )


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomi")
    menu_icon = "tag"
    menu_order = 250
    items = (
        _viewset(RightsArea, "pick"),
        _viewset(OrganisationUnit, "group", ("name", "kind", "slug")),
        _viewset(Principle, "list-ul"),
        _viewset(StaircaseStep, "order", ("number", "name")),
        _viewset(TargetGroup, "user"),
    )


register_snippet(TaxonomyGroup)


class ReviewPanel(Component):
    """Dashboard panel "Att granska": the signed-in editor's pages that are due."""

    name = "review"
    order = 50
    template_name = "cms/admin/review_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        from .review import pages_due_for_review

        return {"pages": list(pages_due_for_review(owner=self.user)[:20]),
                "today": timezone.localdate()}


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    panels.insert(0, ReviewPanel(request.user))


@hooks.register("on_serve_page", order=-10)
def refuse_group_restricted_pages(callback):
    """A signed-in user outside a page's groups gets a 403, not Wagtail's redirect to the
    sign-in page (which would send someone already signed in round in a circle). Runs before
    Wagtail's own view-restriction check; password restrictions are left to it."""

    def inner(page, request, serve_args, serve_kwargs):
        if request.user.is_authenticated:
            for restriction in page.get_view_restrictions():
                if (restriction.restriction_type == PageViewRestriction.GROUPS
                        and not restriction.accept_request(request)):
                    raise PermissionDenied
        return callback(page, request, serve_args, serve_kwargs)

    return inner
