"""`/health/live` and `/health/` (dobry.core.health): JSON, never cached, no session."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dobry.core import health


def _answer(*, full: bool) -> JsonResponse:
    ok, document = health.report(full=full)
    return JsonResponse(document, status=200 if ok else 503)


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """For the load balancer: this web instance can reach the database."""
    return _answer(full=False)


@never_cache
@require_GET
def status(request: HttpRequest) -> JsonResponse:
    """For monitoring: the database, the task queue, the workers and the scheduler."""
    return _answer(full=True)
