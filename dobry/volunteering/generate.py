"""Generated volunteers and their hours (`manage.py generate_data`)."""

from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from dobry.core.generating import World, chunks, insert_rows
from dobry.organizations.areas import Area
from dobry.volunteering.models import HoursEntry, VolunteerProfile

SKILLS = ["водительские права", "первая помощь", "работа с детьми", "фото", "английский", "дизайн"]
HOURS_COLUMNS = [
    "user_id",
    "organization_id",
    "date",
    "hours",
    "claimed_hours",
    "area",
    "description",
    "source",
    "status",
    "reason",
    "thanks",
    "origin_kind",  # no origin (a claim): the model's default, which a raw insert skips
    "created_at",
]


def generate(world: World) -> None:
    """Volunteer profiles for `scale.volunteers` residents (schoolchildren to pensioners)
    and `scale.hours` hour entries, nine in ten confirmed. `ids["volunteers"]`: user ids."""
    volunteers = world.rng.sample(world.ids["residents"], world.scale.volunteers)
    for chunk in chunks(len(volunteers), 5_000):
        with transaction.atomic():
            VolunteerProfile.objects.bulk_create(
                VolunteerProfile(
                    user_id=volunteers[n],
                    date_of_birth=date(world.rng.randint(1945, 2011), 1, 1)
                    + timedelta(days=world.rng.randrange(365)),
                    skills=", ".join(world.rng.sample(SKILLS, world.rng.randint(0, 3))),
                )
                for n in chunk
            )
        world.progress("volunteers", chunk.stop, len(volunteers))
    world.ids["volunteers"] = volunteers
    _hours(world)


def _hours(world: World) -> None:
    areas = [area.value for area in Area]
    statuses = [HoursEntry.Status.CONFIRMED.value] * 9 + [HoursEntry.Status.PENDING.value]
    ops = connection.ops
    created = ops.adapt_datetimefield_value(timezone.now())
    total = world.scale.hours
    for chunk in chunks(total):
        with transaction.atomic():
            insert_rows(
                HoursEntry,
                HOURS_COLUMNS,
                (
                    (
                        world.pick("volunteers"),
                        world.pick("organizations"),
                        ops.adapt_datefield_value(world.day()),
                        world.rng.randint(1, 8),
                        4,
                        world.rng.choice(areas),
                        world.names.sentence()[:200],
                        HoursEntry.Source.CLAIM.value,
                        world.rng.choice(statuses),
                        "",
                        "",
                        "",
                        created,
                    )
                    for _n in chunk
                ),
            )
        world.progress("hour entries", chunk.stop, total)
