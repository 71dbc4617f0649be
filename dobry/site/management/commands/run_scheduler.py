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
        while True:
            for name in enqueue_due(JOBS):
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
