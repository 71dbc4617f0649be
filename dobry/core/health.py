"""The platform's health for a load balancer and for monitoring (docs/deployment.md):
the database answers, the task queue is being worked, the scheduler ticks.

`/health/live` asks the database only — what a load balancer needs to keep sending a web
instance requests; `/health/` adds the queue, the workers and the scheduler, for a
monitoring system. Both answer JSON with no personal data, 200 when every check passes
and 503 otherwise."""

from dataclasses import dataclass, field
from datetime import datetime
from time import perf_counter
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max, Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dobry.core import task_leases
from dobry.core.models import ScheduledRun


@dataclass(frozen=True)
class Check:
    """One check: its name, whether it passed and its figures (seconds, counts)."""

    name: str
    ok: bool
    figures: dict[str, Any] = field(default_factory=dict)


def database() -> Check:
    """One round trip to the database; `ms` is how long it took."""
    started = perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("database", False, {"error": type(error).__name__})
    return Check("database", True, {"ms": round((perf_counter() - started) * 1000, 1)})


def _age(now: datetime, moment: datetime | None) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def queue(now: datetime) -> Check:
    """The tasks due and not yet taken: how many, and how long the oldest has waited
    (seconds); failing when it waited more than DOBRY_HEALTH_QUEUE_AGE seconds — no
    worker is taking tasks, or too few for the load."""
    due = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
    found = due.aggregate(oldest=Min("run_after"))
    age = _age(now, found["oldest"])
    ok = age is None or age <= settings.DOBRY_HEALTH_QUEUE_AGE
    return Check("queue", ok, {"due": due.count(), "oldest_age_s": age})


def workers(now: datetime) -> Check:
    """The workers alive (their beat within DOBRY_TASK_LEASE seconds, `core.task_leases`)
    and how long ago one last finished a task (seconds); failing with none alive."""
    living = task_leases.alive(now=now)
    last = DBTaskResult.objects.aggregate(last=Max("finished_at"))["last"]
    return Check("workers", bool(living), {"alive": len(living), "last_age_s": _age(now, last)})


def scheduler(now: datetime) -> Check:
    """How long ago the scheduler last enqueued a periodic job (seconds); it enqueues one
    every minute, so a silence longer than DOBRY_HEALTH_SILENCE seconds means it is down."""
    last = ScheduledRun.objects.aggregate(last=Max("enqueued_at"))["last"]
    age = _age(now, last)
    return Check(
        "scheduler", age is None or age <= settings.DOBRY_HEALTH_SILENCE, {"last_age_s": age}
    )


def report(*, full: bool, now: datetime | None = None) -> tuple[bool, dict[str, Any]]:
    """(all passed, the JSON document): the database alone, or with `full` the queue, the
    workers and the scheduler too (not asked when the database is down)."""
    moment = now or timezone.now()
    checks = [database()]
    if full and checks[0].ok:
        checks += [queue(moment), workers(moment), scheduler(moment)]
    ok = all(check.ok for check in checks)
    return ok, {
        "status": "ok" if ok else "failing",
        "checks": {check.name: {"ok": check.ok, **check.figures} for check in checks},
    }


__all__ = ["Check", "report"]
