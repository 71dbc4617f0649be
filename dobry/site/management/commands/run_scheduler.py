import time
from typing import Any

from django.core.management.base import BaseCommand

from dobry.core.schedule import enqueue_due
from dobry.site.schedule import JOBS


class Command(BaseCommand):
    help = "Enqueue periodic jobs (dobry/site/schedule.py) each time their slot comes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="one tick, then exit")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        # Each job enqueued is logged by dobry.core.schedule at INFO, under
        # DOBRY_TASK_LOG_LEVEL like the worker's lines (`make run` hides them).
        while True:
            enqueue_due(JOBS)
            if once:
                return
            time.sleep(interval)
