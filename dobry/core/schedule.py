"""Periodic jobs: a `Job` names a task and its period; `enqueue_due` enqueues each once per slot.

The list of the site's jobs lives above the apps, in `dobry.site.schedule.JOBS`.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from dobry.core.models import ScheduledRun

# Its INFO lines (a job enqueued) are shown or hidden with the worker's, by
# DOBRY_TASK_LOG_LEVEL (dobry.core.logging.TaskLogLevelFilter); errors always show.
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task: Any  # a django_tasks Task

    def slot(self, now: datetime) -> datetime:
        epoch = datetime(2000, 1, 1, tzinfo=now.tzinfo)
        periods = (now - epoch) // self.every
        return epoch + periods * self.every


def enqueue_due(jobs: Iterable[Job], now: datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot has not been enqueued yet; return their names.

    The unique (job, slot) row is written in the same transaction as the task, so two
    schedulers running side by side never enqueue a slot twice. A job that cannot be
    enqueued is logged as an error with its traceback and tried again at the next tick
    (its slot row is rolled back with it); the other jobs still run.
    """
    now = now or timezone.now()
    enqueued = []
    for job in jobs:
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, slot=job.slot(now))
                job.task.enqueue()
        except IntegrityError:
            continue
        except Exception:
            logger.exception("could not enqueue %s", job.name)
            continue
        logger.info("enqueued %s", job.name)
        enqueued.append(job.name)
    return enqueued
