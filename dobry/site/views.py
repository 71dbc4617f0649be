"""Pages that show several apps at once: the home page and the benchmark baseline."""

import sys

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from dobry.accounts.models import User
from dobry.communications import selectors as news_selectors
from dobry.core import references
from dobry.core.errors import StorageFull, database_unavailable
from dobry.core.page_cache import public_page
from dobry.events.selectors import filtered_events
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

# «Жителей на платформе» counts every active account: 159 ms at a region's 850,000, on every
# visit the page cache misses. A figure of this size may be ten minutes old.
RESIDENTS_KEY = "home:residents"
RESIDENTS_SECONDS = 600


def _count_residents() -> int:
    return User.objects.filter(is_active=True).count()


@public_page
def home(request: HttpRequest) -> HttpResponse:
    organizations = Organization.objects.verified()
    area_counts = dict(
        organizations.values_list("area_links__area")
        .annotate(n=Count("pk", distinct=True))
        .filter(area_links__area__isnull=False)
    )
    context = {
        "numbers": {
            "organizations": organizations.count(),
            "residents": cache.get_or_set(
                RESIDENTS_KEY, _count_residents, timeout=RESIDENTS_SECONDS
            ),
            "population": settings.DOBRY_POPULATION,
        },
        "recent_organizations": organizations.for_list().order_by("-reviewed_at", "-pk")[:6],
        # the event list's own selector: the same events, by the same rule, as /events/
        "upcoming_events": filtered_events({}, request.user)[:6],
        # the news feed's own selector: its latest items, as /news/ shows them
        "latest_news": references.attach(
            news_selectors.public_news({})[: news_selectors.HOME_NEWS],
            "organization",
            request.user,
        ),
        "areas": [(area, area_counts[area.value]) for area in Area if area.value in area_counts],
    }
    return render(request, "core/home.html", context)


# How long a visitor (or a load balancer) is asked to wait when the database is away:
# a PostgreSQL restart takes seconds.
DATABASE_RETRY_AFTER_SECONDS = 10


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: standalone like Django's own (no context processors, no database),
    but named with the configured brand. Django calls it while handling the exception, so
    `sys.exc_info()` names it: when the database cannot answer (PostgreSQL restarting, a
    connection it closed) the answer is a 503 «try again shortly» with `Retry-After`, not
    a 500 — nothing is wrong with the page, and the next request reconnects
    (`CONN_HEALTH_CHECKS`). A full disk for uploads (`StorageFull`) that a page did not
    turn into a form message answers the same way, saying so."""
    error = sys.exc_info()[1]
    context = {
        "site_name": settings.DOBRY_SITE_NAME,
        "storage_full": isinstance(error, StorageFull),
    }
    if database_unavailable(error) or isinstance(error, StorageFull):
        body = loader.get_template("503.html").render(context)
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def bench_hello(request: HttpRequest) -> HttpResponse:
    """A full-stack baseline for benchmarks: middleware, one query, a template."""
    if not settings.DOBRY_BENCH_HELLO:
        raise Http404
    count = Organization.objects.count()
    return render(request, "core/bench_hello.html", {"count": count})
