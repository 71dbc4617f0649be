"""Generated help requests and programmes with monthly records (`manage.py generate_data`)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from dobry.core.generating import World, chunks
from dobry.core.typography import quoted
from dobry.helprequests.models import Category, HelpRequest, Programme, ProgrammeRecord

# Open requests are new, checked, or looking for a helper (the public list shows the latter
# two); most requests of past years are done, some were cancelled.
OPEN = [HelpRequest.Status.NEW, HelpRequest.Status.VERIFIED, HelpRequest.Status.MATCHING]
CLOSED = [HelpRequest.Status.DONE] * 8 + [HelpRequest.Status.CANCELLED]


def generate(world: World) -> None:
    """`scale.help_requests` requests with Russian recipients (`scale.open_requests` open,
    the rest closed), and one programme per 30
    organisations with a record for every month since it started."""
    categories = [category.value for category in Category]
    total = world.scale.help_requests
    for chunk in chunks(total, 5_000):
        with transaction.atomic():
            HelpRequest.objects.bulk_create(
                _request(world, categories, n < world.scale.open_requests) for n in chunk
            )
        world.progress("help requests", chunk.stop, total)
    _programmes(world, categories, max(world.scale.organizations // 30, 3))


def _request(world: World, categories: list[str], new: bool) -> HelpRequest:
    first, middle, last = world.names.person()
    status = world.rng.choice(OPEN if new else CLOSED)
    return HelpRequest(
        category=world.rng.choice(categories),
        summary=world.names.sentence()[:200],
        details=world.names.text(2),
        recipient_name=f"{last} {first} {middle}",
        recipient_phone=f"+79{world.rng.randrange(10**9):09d}",
        address=world.names.address(),
        district_id=world.pick("districts"),
        status=status,
        closed_at=None if new else world.moment(),
    )


def _programmes(world: World, categories: list[str], count: int) -> None:
    programmes = Programme.objects.bulk_create(
        Programme(
            organization_id=world.pick("organizations"),
            name=f"Программа {quoted(world.names.title(2), 'ru')}",
            category=world.rng.choice(categories),
            target_group="жители",
            starts_on=world.day(),
        )
        for _n in range(count)
    )
    records = []
    for programme in programmes:
        month = programme.starts_on.replace(day=1)
        regulars = world.rng.randrange(20, 200)
        while month <= world.today:
            newcomers = world.rng.randrange(0, regulars // 5 + 1)
            first = month == programme.starts_on.replace(day=1)
            records.append(
                ProgrammeRecord(
                    programme=programme,
                    month=month,
                    people=regulars + newcomers,
                    first_time=regulars + newcomers if first else newcomers,
                    confirmed_at=timezone.now(),  # the generated figures count
                )
            )
            month = (month + timedelta(days=32)).replace(day=1)
    with transaction.atomic():
        ProgrammeRecord.objects.bulk_create(records)
    world.ids["programmes"] = [programme.pk for programme in programmes]
    world.progress("programmes", count, count)
