from django.contrib import admin
from django.urls import include, path

from mentoring.health import healthz
from mentoring.views import home

# Media files (report exports) are never served directly: downloads go through
# a view that checks the requester's rights.
urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),  # no login, no personal data: for load balancers
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.auth_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("programmes.urls")),
    path("", include("duos.urls")),
    path("", include("followups.urls")),
    path("matching/", include("matching.urls")),
    path("", include("reminders.urls")),
    path("reporting/", include("reporting.urls")),
    path("imports/", include("imports.urls")),
    path("audit/", include("audit.urls")),
    path("privacy/", include("privacy.urls")),
    path("accounts/api-tokens/", include("api.token_urls")),
    path("api/", include("api.urls")),
]
