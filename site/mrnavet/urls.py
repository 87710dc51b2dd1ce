"""URL configuration. Every view needs a signed-in user unless marked login_not_required."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "MR-navet – systemadministration"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("konto/", include("allauth.urls")),
    path("profil/", include("accounts.urls")),
    # Both admin logins go through allauth (rate limits, MFA).
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("dokument/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]

handler400 = "mrnavet.views.bad_request"
handler403 = "mrnavet.views.permission_denied"
handler404 = "mrnavet.views.page_not_found"
handler500 = "mrnavet.views.server_error"
