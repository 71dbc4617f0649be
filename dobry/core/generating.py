"""Generated records for benchmarks and sweeps (`manage.py generate_data`, issue 17).

Each app that has records worth measuring has a `generate.py` with a `generate(world)` that
adds its share through its own models; `dobry.site`'s command calls them in dependency
order. `World` carries what they share: the scale, a seeded random generator (the same seed
gives the same records), the ids made by the apps before, Russian names and texts, and the
plain multi-row INSERT for the largest tables.

The scales follow the issue's city (Zheleznogorsk, 85,000 residents) and a region of ten
such cities; `sample` is forty of everything, for tests that need more than a page of each
list. Counts are per scale, not proportional: the city's figures are the issue's own.
"""

import random
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from django.db import connection
from django.db.models import Model

from dobry.core.clock import local_moment, local_today

CHUNK = 20_000


@dataclass(frozen=True)
class Scale:
    """How many of each record to make. Years: how far back activity reaches (the
    competitions run `competitions` rounds a year, `applications` in all). `upcoming`, `open_requests` and `collecting` are the
    parts of events, help requests and campaigns that are current (ahead, new, collecting):
    the public lists show those."""

    residents: int
    volunteers: int
    organizations: int
    events: int
    upcoming: int
    registrations: int
    hours: int
    help_requests: int
    open_requests: int
    years: int
    news: int
    campaigns: int
    collecting: int
    donations: int
    initiatives: int
    supports: int
    competitions: int
    applications: int
    mailings: int
    deliveries: int
    votes: int
    ballots: int
    festivals: int

    def times(self, factor: float) -> "Scale":
        """This scale with every count multiplied by `factor` (years kept)."""
        values = {
            name: value if name == "years" else max(1, round(value * factor))
            for name, value in self.__dict__.items()
        }
        return Scale(**values)


CITY = Scale(
    residents=85_000,
    volunteers=9_000,
    organizations=300,
    events=5_000,
    upcoming=500,
    registrations=150_000,
    hours=500_000,
    help_requests=20_000,
    open_requests=1_000,
    years=10,
    news=3_000,
    campaigns=400,
    collecting=40,
    donations=40_000,
    initiatives=1_000,
    supports=30_000,
    competitions=3,
    applications=1_200,
    mailings=240,
    deliveries=500_000,
    votes=10,
    ballots=20_000,
    festivals=1,
)
SCALES = {
    "sample": Scale(
        residents=120,
        volunteers=60,
        organizations=40,
        events=80,
        upcoming=40,
        registrations=200,
        hours=400,
        help_requests=80,
        open_requests=40,
        years=2,
        news=40,
        campaigns=80,
        collecting=40,
        donations=120,
        initiatives=40,
        supports=120,
        competitions=1,
        applications=40,
        mailings=4,
        deliveries=120,
        votes=2,
        ballots=60,
        festivals=1,
    ),
    "city": CITY,
    "region": CITY.times(10),
}


def chunks(total: int, size: int = CHUNK) -> Iterator[range]:
    """`range(total)` in consecutive ranges of `size` (one transaction each)."""
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def insert_rows(
    model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """A plain multi-row INSERT into `model`'s table. Values must already be in database
    form (`connection.ops.adapt_*`), and columns with model defaults named explicitly: the
    ORM's `bulk_create` costs ~0.4 ms a row on SQLite, too slow for millions of rows."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


class Names:
    """Plausible Russian people and texts from pools drawn once from Faker's ru_RU data
    (a development dependency: the generator is a tool of the benchmarks, not of the
    running platform)."""

    def __init__(self, rng: random.Random, pool: int = 400) -> None:
        try:
            from faker import Faker
        except ImportError as missing:  # pragma: no cover - the production install
            raise SystemExit(
                "generate_data needs the development install: make install-dev"
            ) from missing
        fake = Faker("ru_RU")
        fake.seed_instance(rng.randrange(2**31))
        self.rng = rng
        self.people = [
            (fake.first_name_male(), fake.middle_name_male(), fake.last_name_male())
            for _ in range(pool)
        ] + [
            (fake.first_name_female(), fake.middle_name_female(), fake.last_name_female())
            for _ in range(pool)
        ]
        self.streets = [fake.street_name() for _ in range(pool // 4)]
        self.sentences = [fake.sentence(nb_words=10).rstrip(".") for _ in range(pool)]
        self.words = [fake.word() for _ in range(pool)]

    def person(self) -> tuple[str, str, str]:
        """(first name, patronymic, last name) of one gender."""
        return self.rng.choice(self.people)

    def address(self) -> str:
        return f"ул. {self.rng.choice(self.streets)}, {self.rng.randint(1, 80)}"

    def sentence(self) -> str:
        return self.rng.choice(self.sentences)

    def text(self, sentences: int = 3) -> str:
        return ". ".join(self.rng.choice(self.sentences) for _ in range(sentences)) + "."

    def title(self, words: int = 3) -> str:
        return " ".join(self.rng.choice(self.words) for _ in range(words)).capitalize()


class Writer(Protocol):
    """Where progress goes: a stream, or a command's `stdout`."""

    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


@dataclass
class World:
    """What the apps' generators share. `ids[kind]` holds the primary keys each step made
    (e.g. `ids["volunteers"]`, user ids), for the steps after it. `tag` marks generated
    records (emails, codes) so a second run with another seed adds beside the first."""

    scale: Scale
    seed: int
    out: Writer = sys.stdout
    ids: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.names = Names(self.rng)
        self.tag = f"gen{self.seed}"
        self.today = local_today()
        self.first_day = date(self.today.year - self.scale.years + 1, 1, 1)
        self.days = max((self.today - self.first_day).days, 1)

    def day(self) -> date:
        """A local date from the first year's 1 January to yesterday."""
        return self.first_day + timedelta(days=self.rng.randrange(self.days))

    def moment(self, day: date | None = None) -> datetime:
        """An aware moment at a whole daytime hour (08–20) of `day` or of a random day."""
        return local_moment(day or self.day(), time(self.rng.randrange(8, 21)))

    def future_moment(self, within_days: int = 120) -> datetime:
        """An aware moment in the coming `within_days` days."""
        return self.moment(self.today + timedelta(days=self.rng.randint(1, within_days)))

    def pick(self, kind: str) -> int:
        return self.rng.choice(self.ids[kind])

    def progress(self, what: str, done: int, total: int) -> None:
        """One line per step and chunk: `what done/total` with a bar of 30 marks."""
        marks = 30 * done // max(total, 1)
        self.out.write(f"\r{what:<24} [{'#' * marks}{'.' * (30 - marks)}] {done}/{total}")
        if done >= total:
            self.out.write("\n")
        self.out.flush()
