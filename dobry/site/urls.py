"""The root URL conf: every app's pages and the API, mounted under their prefixes."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dobry.accounts import views as account_views
from dobry.communications import suppression_views
from dobry.core import views as core_views
from dobry.site import views as site_views
from dobry.site.api import api

# The installation's admin carries its brand (DOBRY_SITE_NAME), read when shown.
site_name = lazy(lambda: settings.DOBRY_SITE_NAME, str)
admin.site.site_header = format_lazy("{} — {}", site_name(), _("администрирование"))
admin.site.site_title = site_name()
handler500 = "dobry.site.views.server_error"

urlpatterns = [
    path("", site_views.home, name="home"),
    path("a11y/", core_views.low_vision_settings, name="low_vision"),
    path("audit/", core_views.audit_log, name="audit_log"),
    path("bench/hello", site_views.bench_hello, name="bench_hello"),
    path("organizations/", include("dobry.organizations.urls")),
    path("events/", include("dobry.events.urls")),
    path("volunteer/", include("dobry.volunteering.urls")),
    path("desk/", include("dobry.resources.urls")),
    path("help/", include("dobry.helprequests.urls")),
    path("grants/calls/", include("dobry.opportunities.urls")),
    path("grants/", include("dobry.grants.urls")),
    path("donate/", include("dobry.charity.urls")),
    path("initiatives/", include("dobry.civic.urls")),
    path("votes/", include("dobry.civic.vote_urls")),
    path("programme/", include("dobry.festivals.urls")),
    path("reports/", include("dobry.reports.urls")),
    path("profile/", include("dobry.accounts.urls")),
    path("consents/<str:kind>/", account_views.consent_document, name="consent_document"),
    path("notifications/", include("dobry.communications.urls")),
    path("communications/", include("dobry.communications.suppression_urls")),
    path("u/<str:token>/", suppression_views.unsubscribe, name="unsubscribe"),
    path("u/<str:token>/keep/", suppression_views.unsubscribe_keep, name="unsubscribe_keep"),
    path("news/", include("dobry.communications.news.urls")),
    path("mailings/", include("dobry.communications.mailings.urls")),
    path("", include("dobry.core.urls")),
    path("accounts/", include("allauth.urls")),
    # before Django's own: the switch also stores a signed-in person's language
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
