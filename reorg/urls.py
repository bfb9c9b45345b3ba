from django.contrib import admin
from django.urls import include, path

from reports.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    # Password reset: its mail goes through the outbox, which sits above accounts.
    path("accounts/", include("notifications.password_reset")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("varsler/", include("notifications.urls")),
    # reports first: its mandat/beslutt/ and the mandate's sections (projects: mandat/<slug>/)
    # share a prefix.
    path("prosjekter/", include("reports.urls")),
    path("prosjekter/", include("projects.urls")),
    path("prosjekter/", include("milestones.urls")),
    path("prosjekter/", include("roles.urls")),
    path("prosjekter/", include("consultations.urls")),
]

# Under /api/ a 404 is a problem (RFC 9457) like the API's other errors.
handler404 = "api.problems.page_not_found"
