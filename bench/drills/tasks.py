"""The drills' own tasks: each notes its runs in a file, so a run killed midway, a run that
went twice and the worker that ran it can be told apart."""

import os
import time
from datetime import timedelta
from pathlib import Path

from django_tasks import TaskContext, task

from dobry.core.schedule import Job


@task()
def noted_step(marker: str, seconds: float) -> str:
    """Note «start», work for `seconds`, note «done»."""
    path = Path(marker)
    with path.open("a") as notes:
        notes.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with path.open("a") as notes:
        notes.write(f"done {os.getpid()}\n")
    return "done"


@task(takes_context=True)
def noted_run(context: TaskContext, marker: str, seconds: float) -> None:
    """Note «<task id> <worker id> <time>» in `marker` (one short append, whole lines from
    every worker process), after `seconds` of work."""
    time.sleep(seconds)
    result = context.task_result
    with Path(marker).open("a") as notes:
        notes.write(f"{result.id} {result.worker_ids[-1]} {time.time():.3f}\n")


@task(takes_context=True)
def noted_tick(context: TaskContext) -> None:
    """The drill's periodic job: notes its run in `$DOBRY_VAR_DIR/drill-ticks.txt`."""
    from django.conf import settings

    with (settings.VAR_DIR / "drill-ticks.txt").open("a") as notes:
        notes.write(f"{context.task_result.id} {time.time():.3f}\n")


# Two schedulers are run on this list (`run_scheduler --jobs bench.drills.tasks.DRILL_JOBS`):
# a slot every two seconds instead of the site's minutes.
DRILL_JOBS = (Job("drill_tick", timedelta(seconds=2), noted_tick),)
