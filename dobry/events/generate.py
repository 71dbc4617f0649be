"""Generated events with shifts and registrations (`manage.py generate_data`)."""

from datetime import timedelta

from django.db import transaction

from dobry.core.generating import World, chunks
from dobry.core.typography import quoted
from dobry.events.models import CODE_ALPHABET, Event, Registration, Shift

KINDS = (
    [Event.Kind.VOLUNTEER_ACTION] * 6
    + [Event.Kind.PROGRAMME_ACTIVITY] * 3
    + [Event.Kind.SEMINAR, Event.Kind.WEBINAR, Event.Kind.OTHER]
)
ROLES = ["Регистрация гостей", "Помощь на площадке", "Фотограф", "Сопровождение", "Уборка"]


def generate(world: World) -> None:
    """`scale.events` published events, `scale.upcoming` of them in the coming four
    months and the rest past, with one to three shifts of 5–30 places each, and `scale.registrations`
    confirmed registrations (past ones seven in ten checked in). `ids["events"]`,
    `ids["shifts"]`."""
    total = world.scale.events
    events: list[int] = []
    shifts: list[int] = []
    for chunk in chunks(total, 2_000):
        with transaction.atomic():
            made = Event.objects.bulk_create(_event(world, n < world.scale.upcoming) for n in chunk)
            made_shifts = Shift.objects.bulk_create(
                _shift(world, event) for event in made for _n in range(world.rng.randint(1, 3))
            )
        events.extend(event.pk for event in made)
        shifts.extend(shift.pk for shift in made_shifts)
        world.progress("events", chunk.stop, total)
    world.ids["events"] = events
    world.ids["shifts"] = shifts
    _registrations(world)


def _event(world: World, upcoming: bool) -> Event:
    starts = world.future_moment() if upcoming else world.moment()
    title = world.names.title(3)
    event = Event(
        organization_id=world.pick("organizations"),
        kind=world.rng.choice(KINDS),
        title=title,
        summary=world.names.sentence()[:300],
        description=world.names.text(5),
        place=f"ДК {quoted(world.names.title(1), 'ru')}",
        address=world.names.address(),
        district_id=world.pick("districts"),
        wheelchair_accessible=world.rng.random() < 0.3,
        infrastructure=world.rng.random() < 0.01,
        status=Event.Status.PUBLISHED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=world.rng.randint(1, 4)),
        published_at=starts - timedelta(days=14),
    )
    event.search_text = event.folded_search_text()
    return event


def _shift(world: World, event: Event) -> Shift:
    """A shift over the whole event (every generated event has its times)."""
    shift = Shift(
        event=event,
        title=world.rng.choice(ROLES),
        tasks=world.names.sentence(),
        starts_at=event.starts_at or world.moment(),
        ends_at=event.ends_at or world.moment(),
        capacity=world.rng.randint(5, 30),
    )
    shift.search_text = shift.folded_search_text()
    return shift


def _code(world: World, n: int) -> str:
    """A registration code unique within this seed's generation (8 letters of the
    model's alphabet, from the seed and the row's number)."""
    value = world.seed * 10**9 + n
    letters = []
    for _position in range(8):
        value, digit = divmod(value, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return "".join(letters)


def _registrations(world: World) -> None:
    """Up to `scale.registrations` (shift, volunteer) pairs, none beyond a shift's places."""
    shifts = {
        pk: (starts_at, capacity)
        for pk, starts_at, capacity in Shift.objects.filter(pk__in=world.ids["shifts"]).values_list(
            "pk", "starts_at", "capacity"
        )
    }
    taken = dict.fromkeys(shifts, 0)
    pairs: set[tuple[int, int]] = set()
    for _n in range(world.scale.registrations):
        shift = world.pick("shifts")
        if taken[shift] < shifts[shift][1]:
            before = len(pairs)
            pairs.add((shift, world.pick("volunteers")))
            taken[shift] += len(pairs) - before
    rows = sorted(pairs)
    now = world.moment(world.today)
    for chunk in chunks(len(rows)):
        with transaction.atomic():
            Registration.objects.bulk_create(
                Registration(
                    shift_id=rows[n][0],
                    user_id=rows[n][1],
                    status=Registration.Status.CONFIRMED,
                    checked_in_at=shifts[rows[n][0]][0]
                    if shifts[rows[n][0]][0] < now and world.rng.random() < 0.7
                    else None,
                    code=_code(world, n),
                )
                for n in chunk
            )
        world.progress("registrations", chunk.stop, len(rows))
