"""Task leases: the running task of a worker that died goes back to the queue once its
worker has been silent for the lease — never while the worker still beats, never twice,
and a task that keeps killing its workers is failed instead of run for ever."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dobry.core import task_leases
from dobry.core.models import WorkerBeat
from dobry.core.tests.threads import at_once

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def lease(settings):
    settings.DOBRY_TASK_LEASE = 120
    settings.DOBRY_TASK_TAKEOVERS = 3


def _running(*workers: str, started: timedelta = timedelta(minutes=5)) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": [], "kwargs": {}},
        task_path="dobry.core.tasks.prune_task_results", backend_name="default",
        run_after=NOW - started, started_at=NOW - started, worker_ids=list(workers),
    )  # fmt: skip


def _status(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


def test_a_dead_workers_task_goes_back_to_the_queue():
    task_leases.beat("dead", now=NOW - timedelta(seconds=121))
    task = _running("dead")
    assert task_leases.take_over_abandoned(now=NOW) == 1
    assert _status(task) == TaskResultStatus.READY
    assert task.started_at is None
    assert task.worker_ids == ["dead"]  # the history of who ran it stays


def test_a_living_workers_long_task_is_left_to_it():
    task_leases.beat("busy", now=NOW - timedelta(seconds=100))
    task = _running("busy", started=timedelta(hours=2))
    assert task_leases.take_over_abandoned(now=NOW) == 0
    assert _status(task) == TaskResultStatus.RUNNING


def test_a_task_just_claimed_is_not_taken_whatever_the_beat():
    task = _running("never-beat", started=timedelta(seconds=30))
    assert task_leases.take_over_abandoned(now=NOW) == 0
    assert _status(task) == TaskResultStatus.RUNNING


def test_a_worker_without_a_beat_an_old_db_worker_counts_as_dead():
    task = _running("plain-db-worker")
    assert task_leases.take_over_abandoned(now=NOW) == 1
    assert _status(task) == TaskResultStatus.READY


def test_a_second_run_changes_nothing():
    task = _running("dead")
    assert task_leases.take_over_abandoned(now=NOW) == 1
    assert task_leases.take_over_abandoned(now=NOW + timedelta(minutes=1)) == 0
    assert _status(task) == TaskResultStatus.READY


def test_a_task_that_killed_its_workers_three_times_fails():
    task = _running("w1", "w2", "w3")
    assert task_leases.take_over_abandoned(now=NOW) == 0
    assert _status(task) == TaskResultStatus.FAILED
    assert task.exception_class_path.endswith("AbandonedTask")
    assert task.finished_at == NOW


def test_ready_and_finished_tasks_are_not_touched():
    ready = _running("dead")
    DBTaskResult.objects.filter(pk=ready.pk).update(status=TaskResultStatus.READY)
    done = _running("dead")
    DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)
    assert task_leases.take_over_abandoned(now=NOW) == 0


def test_beats_are_kept_and_forgotten():
    task_leases.beat("w", now=NOW - timedelta(minutes=1))
    task_leases.beat("w", now=NOW)
    beat = WorkerBeat.objects.get()
    assert (beat.started_at, beat.seen_at) == (NOW - timedelta(minutes=1), NOW)
    assert task_leases.alive(now=NOW + timedelta(seconds=120)) == {"w"}
    assert task_leases.alive(now=NOW + timedelta(seconds=121)) == set()
    task_leases.forget("w")
    assert not WorkerBeat.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_two_schedulers_at_once_give_a_task_back_once():
    task = _running("dead")
    counts, raised = at_once(lambda _n: task_leases.take_over_abandoned(now=NOW), range(2))
    assert raised == []
    assert sorted(counts) in ([0, 1], [1])
    assert sum(counts) == 1
    assert _status(task) == TaskResultStatus.READY


def test_run_worker_beats_while_it_runs_and_forgets_when_it_stops(monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    seen: list[set[str]] = []
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.Worker.run",
        lambda self: seen.append(set(WorkerBeat.objects.values_list("worker_id", flat=True))),
    )
    call_command("run_worker", "--no-reload", "--batch", "--worker-id", "w-test")
    assert seen == [{"w-test"}]
    assert not WorkerBeat.objects.exists()
