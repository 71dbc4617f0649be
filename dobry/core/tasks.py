from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from dobry.core import file_lifecycle, task_leases
from dobry.core.models import ScheduledRun, WorkerBeat


@task()
def prune_task_results() -> int:
    """Periodic: forget finished task results and schedule slots older than two weeks, and
    the beats of workers gone for a day."""
    cutoff = timezone.now() - timedelta(days=14)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    ScheduledRun.objects.filter(slot__lt=cutoff).delete()
    WorkerBeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted


@task()
def sweep_orphan_files() -> int:
    """Periodic: delete stored files no row names, older than a day (uploads of transactions
    that rolled back; `core.file_lifecycle.sweep_orphan_files`)."""
    return file_lifecycle.sweep_orphan_files()


@task()
def take_over_abandoned_tasks() -> int:
    """Periodic: give the running tasks of dead workers to the others
    (`core.task_leases.take_over_abandoned`)."""
    return task_leases.take_over_abandoned()
