"""`/health/live` and `/health/` (dobry.core.health): JSON, never cached, no session."""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dobry.core import health

logger = logging.getLogger(__name__)

# What this process last answered, per endpoint: a failing check is logged when it begins and
# when it ends, not on every poll (a load balancer asks every few seconds).
_last_ok: dict[bool, bool] = {}


def _answer(*, full: bool) -> JsonResponse:
    ok, document = health.report(full=full)
    response = JsonResponse(document, status=200 if ok else 503)
    if not ok:
        # a 503 here is the answer asked for, not a fault of the page: Django's request log
        # would write it at ERROR with a traceback-less line on every poll
        response._has_been_logged = True  # type: ignore[attr-defined]
    if _last_ok.get(full, True) != ok:
        failing = [name for name, check in document["checks"].items() if not check["ok"]]
        if ok:
            logger.info("health: every check passes again")
        else:
            logger.warning("health: failing %s", ", ".join(failing))
    _last_ok[full] = ok
    return response


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
