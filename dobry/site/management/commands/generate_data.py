"""Generate a city's or a region's records for benchmarks (issue 17):

    manage.py generate_data --scale city --seed 1

Deterministic: the same seed on an empty database gives the same records. Run it on a
database of its own (another DOBRY_VAR_DIR or DATABASE_URL): it only adds. The scales are
in `dobry.core.generating.SCALES`; `--residents N` scales the city's counts to N residents.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils.module_loading import import_string

from dobry.core.generating import CITY, SCALES, World

# Each app's generator, in dependency order (later ones use the ids of earlier ones).
STEPS = [
    "dobry.core.demo.seed",  # the city's districts
    "dobry.accounts.generate.generate",
    "dobry.organizations.generate.generate",
    "dobry.volunteering.generate.generate",
    "dobry.events.generate.generate",
    "dobry.helprequests.generate.generate",
    "dobry.resources.generate.generate",
    "dobry.communications.generate.generate",
    "dobry.charity.generate.generate",
    "dobry.civic.generate.generate",
    "dobry.grants.generate.generate",
    "dobry.festivals.generate.generate",
]


class Command(BaseCommand):
    help = "Generate a city's or a region's records for benchmarks (adds to the database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="city")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--residents", type=int, help="the city's counts scaled to this many residents"
        )

    def handle(
        self, *args: Any, scale: str, seed: int, residents: int | None, **options: Any
    ) -> None:
        chosen = CITY.times(residents / CITY.residents) if residents else SCALES[scale]
        self.stdout.ending = ""  # the progress bars rewrite their line
        world = World(scale=chosen, seed=seed, out=self.stdout)
        started = time.monotonic()
        for step in STEPS:
            function = import_string(step)
            if step == STEPS[0]:
                function()
            else:
                function(world)
        # The planner's statistics for the new rows, as after any bulk load (PostgreSQL's
        # manual, «Populating a Database»: run ANALYZE afterwards) — autovacuum may be off
        # or late, and the plans chosen from an empty table's statistics take minutes here.
        # VACUUM too where it can run (not inside a transaction): it sets the visibility map
        # that lets a count read the index alone («Index-Only Scans»), as autovacuum would
        # have by the time a city's records reach this size.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {chosen.residents} residents' records in {time.monotonic() - started:.0f} s.\n"
            )
        )
