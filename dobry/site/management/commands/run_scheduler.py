import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from dobry.core.schedule import enqueue_due
from dobry.site.schedule import JOBS


class Command(BaseCommand):
    help = "Enqueue periodic jobs (dobry/site/schedule.py) each time their slot comes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="one tick, then exit")
        parser.add_argument(
            "--jobs",
            default="",
            metavar="DOTTED.PATH",
            help="another list of jobs (a drill's short periods); default: the site's",
        )

    def handle(self, *args: Any, interval: float, once: bool, jobs: str, **options: Any) -> None:
        try:
            chosen = import_string(jobs) if jobs else JOBS
        except ImportError as error:
            raise CommandError(f"--jobs: {error}") from None
        # Each job enqueued is logged by dobry.core.schedule at INFO, under
        # DOBRY_TASK_LOG_LEVEL like the worker's lines (`make run` hides them).
        while True:
            enqueue_due(chosen)
            if once:
                return
            time.sleep(interval)
