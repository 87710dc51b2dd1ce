"""The search page and its JSON API, included at the site root by mrnavet.urls.

The names are global (not namespaced): templates link to `{% url 'search' %}`.
"""

from django.urls import path

from . import api, views

urlpatterns = [
    path("sok/", views.search_page, name="search"),
    path("api/sok/", api.search_api, name="search_api"),
    path("api/sok/forslag/", api.suggest_api, name="search_suggest"),
]
