"""Leases for background tasks: a task whose worker died is run again by another.

django-tasks-db marks a task RUNNING when a worker claims it (`SELECT … FOR UPDATE SKIP
LOCKED`, so two workers never claim the same task) but nothing gives the task back when
that worker is killed: it would stay RUNNING for ever. Here each worker started with
`manage.py run_worker` writes a `WorkerBeat` every DOBRY_WORKER_BEAT seconds; the job
`take_over_abandoned_tasks` (every minute) returns to the queue each RUNNING task whose
last worker has been silent for DOBRY_TASK_LEASE seconds — so a task is taken over only
when its worker is gone, never while it still works on it. A task abandoned
DOBRY_TASK_TAKEOVERS times (one that kills its worker) is marked failed instead.

A task taken over starts again from its beginning: tasks are written to be safe to run
again (the mailing's rows are claimed one by one, reminders are claimed in the database)."""

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dobry.core.models import WorkerBeat

logger = logging.getLogger(__name__)


class AbandonedTask(Exception):
    """Recorded on a task whose workers died under it too many times."""


def beat(worker_id: str, *, now: datetime | None = None) -> None:
    """Record that the worker is alive now (aware UTC)."""
    moment = now or timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=moment)
    if not updated:
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id, defaults={"seen_at": moment, "started_at": moment}
        )


def forget(worker_id: str) -> None:
    """A worker stopping cleanly takes its beat away."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def alive(*, now: datetime | None = None) -> set[str]:
    """The ids of the workers seen within the lease."""
    moment = now or timezone.now()
    since = moment - timedelta(seconds=settings.DOBRY_TASK_LEASE)
    return set(WorkerBeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True))


def take_over_abandoned(*, now: datetime | None = None) -> int:
    """Return to the queue the running tasks whose worker has been silent for the lease
    (or fail those abandoned DOBRY_TASK_TAKEOVERS times); returns how many were given
    back. Each change is a conditional UPDATE on the task as it was read, so two
    schedulers running this side by side change each task once."""
    moment = now or timezone.now()
    since = moment - timedelta(seconds=settings.DOBRY_TASK_LEASE)
    living = alive(now=moment)
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=since)
    given_back = 0
    for task in running.only("id", "started_at", "worker_ids", "task_path"):
        worker = task.worker_ids[-1] if task.worker_ids else None
        if worker in living:
            continue
        same = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= settings.DOBRY_TASK_TAKEOVERS:
            failed = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=moment,
                exception_class_path=f"{__name__}.{AbandonedTask.__qualname__}",
                traceback=f"Its workers stopped under it {len(task.worker_ids)} times.",
            )
            if failed:
                logger.error("task %s (%s) failed: abandoned", task.pk, task.task_path)
            continue
        if same.update(status=TaskResultStatus.READY, started_at=None):
            logger.warning("task %s (%s) taken over from %s", task.pk, task.task_path, worker)
            given_back += 1
    return given_back


class Beating:
    """A daemon thread writing the worker's beat every DOBRY_WORKER_BEAT seconds on its own
    database connection, started and stopped around the worker's loop."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-beat", daemon=True)

    def start(self) -> None:
        beat(self.worker_id)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=settings.DOBRY_WORKER_BEAT + 5)
        forget(self.worker_id)

    def _run(self) -> None:
        try:
            while not self._stop.wait(settings.DOBRY_WORKER_BEAT):
                try:
                    close_old_connections()
                    beat(self.worker_id)
                except Exception:  # the database away for a moment: beat again later
                    logger.exception("worker %s could not beat", self.worker_id)
        finally:
            connection.close()
