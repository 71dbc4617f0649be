"""`/health/live` and `/health/`: 200 with every check passing, 503 naming the failing
one — the database unreachable, a queue nobody works, silent workers or scheduler —,
JSON without personal data, open to anonymous callers, never cached."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.db import OperationalError
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dobry.core import health, health_views, task_leases
from dobry.core.models import ScheduledRun

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def _task(status=TaskResultStatus.READY, *, run_after=NOW, finished_at=None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="dobry.x",
        backend_name="default", run_after=run_after, finished_at=finished_at,
    )  # fmt: skip


def _ticked(ago: timedelta) -> None:
    run = ScheduledRun.objects.create(job="tend_mailings", slot=NOW - ago)
    ScheduledRun.objects.filter(pk=run.pk).update(enqueued_at=NOW - ago)


def _checks(**kwargs):
    ok, document = health.report(full=True, now=NOW, **kwargs)
    return ok, document["checks"]


def test_a_fresh_installation_with_a_worker_is_healthy():
    task_leases.beat("w1", now=NOW)
    ok, checks = _checks()
    assert ok
    assert checks["queue"] == {"ok": True, "due": 0, "oldest_age_s": None}
    assert checks["workers"] == {"ok": True, "alive": 1, "last_age_s": None}


def test_no_worker_alive_fails():
    task_leases.beat("gone", now=NOW - timedelta(hours=1))
    ok, checks = _checks()
    assert not ok
    assert checks["workers"] == {"ok": False, "alive": 0, "last_age_s": None}


def test_a_platform_at_work_is_healthy():
    task_leases.beat("w1", now=NOW - timedelta(seconds=10))
    task_leases.beat("w2", now=NOW)
    _task(run_after=NOW - timedelta(seconds=20))
    _task(TaskResultStatus.SUCCESSFUL, finished_at=NOW - timedelta(seconds=30))
    _ticked(timedelta(seconds=40))
    ok, checks = _checks()
    assert ok
    assert checks["queue"] == {"ok": True, "due": 1, "oldest_age_s": 20}
    assert checks["workers"] == {"ok": True, "alive": 2, "last_age_s": 30}
    assert checks["scheduler"] == {"ok": True, "last_age_s": 40}


def test_a_queue_nobody_works_fails(settings):
    settings.DOBRY_HEALTH_QUEUE_AGE = 300
    _task(run_after=NOW - timedelta(seconds=301))
    _task(run_after=NOW + timedelta(hours=1))  # a task for later is not waiting
    ok, checks = _checks()
    assert not ok
    assert checks["queue"] == {"ok": False, "due": 1, "oldest_age_s": 301}


def test_a_running_or_finished_task_is_not_waiting():
    _task(TaskResultStatus.RUNNING, run_after=NOW - timedelta(hours=1))
    _task(TaskResultStatus.FAILED, run_after=NOW - timedelta(hours=1), finished_at=NOW)
    assert _checks()[1]["queue"]["due"] == 0


def test_silent_workers_and_scheduler_fail(settings):
    settings.DOBRY_HEALTH_SILENCE = 600
    _task(TaskResultStatus.SUCCESSFUL, finished_at=NOW - timedelta(seconds=601))
    task_leases.beat("w1", now=NOW - timedelta(seconds=601))
    _ticked(timedelta(seconds=601))
    ok, checks = _checks()
    assert not ok
    assert not checks["workers"]["ok"]
    assert not checks["scheduler"]["ok"]
    assert checks["database"]["ok"]
    assert checks["queue"]["ok"]


def test_the_pages_answer_200_json_to_anyone_never_cached():
    task_leases.beat("w1")
    for path in ("/health/", "/health/live"):
        answer = Client().get(path)
        assert answer.status_code == 200
        assert answer.json()["status"] == "ok"
        assert "no-cache" in answer["Cache-Control"]
    assert set(Client().get("/health/live").json()["checks"]) == {"database"}
    assert set(Client().get("/health/").json()["checks"]) == {
        "database", "queue", "workers", "scheduler",
    }  # fmt: skip


def test_a_failing_check_is_a_503_naming_it(settings):
    settings.DOBRY_HEALTH_QUEUE_AGE = 1
    task_leases.beat("w1")
    _task(run_after=datetime(2020, 1, 1, tzinfo=UTC))
    answer = Client().get("/health/")
    assert answer.status_code == 503
    assert answer.json()["status"] == "failing"
    assert answer.json()["checks"]["queue"]["ok"] is False
    assert Client().get("/health/live").status_code == 200  # the web instance itself is fine


def test_an_unreachable_database_is_a_503_not_a_500(monkeypatch):
    def down(*_args, **_kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", down)
    ok, document = health.report(full=True, now=NOW)
    assert not ok
    assert document["checks"] == {"database": {"ok": False, "error": "OperationalError"}}


def test_only_get():
    assert Client().post("/health/").status_code == 405


def test_a_failing_check_is_logged_when_it_begins_and_ends_not_on_every_poll(settings, caplog):
    """A load balancer polls every few seconds: Django's request log wrote each 503 at ERROR."""
    health_views._last_ok.clear()
    settings.DOBRY_HEALTH_QUEUE_AGE = 1
    task_leases.beat("w1")
    stuck = _task(run_after=datetime(2020, 1, 1, tzinfo=UTC))
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            assert Client().get("/health/").status_code == 503
        stuck.delete()
        for _ in range(2):
            assert Client().get("/health/").status_code == 200
    lines = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert lines == [
        ("dobry.core.health_views", "WARNING", "health: failing queue"),
        ("dobry.core.health_views", "INFO", "health: every check passes again"),
    ]
