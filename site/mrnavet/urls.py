"""URL configuration. Every view needs a signed-in user unless marked login_not_required."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "MR-navet – systemadministration"

# Other login pages forward to allauth's, keeping ?next=. Public, or an anonymous visitor
# would first be bounced to the sign-in page with this redirect as the next URL.
to_allauth_login = login_not_required(
    RedirectView.as_view(pattern_name="account_login", query_string=True)
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("konto/", include("allauth.urls")),
    path("profil/", include("accounts.urls")),
    path("", include("privacy.urls")),  # mina-uppgifter/, personuppgifter/lagring/
    # Both admin logins go through allauth (rate limits, MFA).
    path("admin/login/", to_allauth_login, name="admin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("dokument/", include(wagtaildocs_urls)),
    path("", include("search.urls")),  # sok/ (name "search"), api/sok/, api/sok/forslag/
    path("forum/", include("forum.urls")),
    path("konferens/", include("cms.conference.urls")),
    path("tillganglighet/", include("accessibility.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else, so it comes last. Its front-end login
# (_util/login/) is Django's plain LoginView: it would sign in unverified addresses and skip
# allauth's rate limits and MFA step, so that URL forwards to allauth instead.
urlpatterns += [
    path("_util/login/", to_allauth_login, name="wagtail_frontend_login_redirect"),
    path("", include(wagtail_urls)),
]

handler400 = "mrnavet.views.bad_request"
handler403 = "mrnavet.views.permission_denied"
handler404 = "mrnavet.views.page_not_found"
handler500 = "mrnavet.views.server_error"
