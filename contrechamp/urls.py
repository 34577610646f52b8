from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

from contrechamp.core import views as core_views

# The admin signs in through allauth: same rate limits, same two-factor authentication.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("contrechamp.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("contrechamp.accounts.urls")),
    path("", include("contrechamp.networks.urls")),
    path("", include("contrechamp.notifications.urls")),
    path("", include("contrechamp.films.urls")),
    path("", include("contrechamp.lending.urls")),
    path("", include("contrechamp.venues.urls")),
    path("", include("contrechamp.events.urls")),
    path("", include("contrechamp.mentoring.urls")),
    path("", include("contrechamp.questions.urls")),
    path("", include("contrechamp.guides.urls")),
    path("", include("contrechamp.wanted.urls")),
    path("", include("contrechamp.stories.urls")),
    path("", include("contrechamp.projects.urls")),
    path("", include("contrechamp.feedback.urls")),
    path("", include("contrechamp.live.urls")),
    path("", include("contrechamp.search.urls")),
    path("", include("contrechamp.api.settings_urls")),
    path("api/", include("contrechamp.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
