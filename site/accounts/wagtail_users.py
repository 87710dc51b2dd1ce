"""Wagtail's user admin, extended with the profile fields."""

from __future__ import annotations

from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        from .forms import WagtailUserCreationForm, WagtailUserEditForm

        return WagtailUserEditForm if for_update else WagtailUserCreationForm
