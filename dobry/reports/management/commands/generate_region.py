"""Region-scale activity for the reports benchmark: for N residents, N/10 volunteers with
profiles, 10·N confirmed hour entries, N/5 help requests, N/20 events with registrations,
support entries and programmes with their monthly records, spread over this year and the
two before.

Run it on a database of its own (a separate DOBRY_VAR_DIR or DATABASE_URL): it only adds.
    manage.py generate_region --residents 1000000
"""

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from dobry.accounts.models import User
from dobry.core.clock import local_moment, local_today
from dobry.core.models import District
from dobry.events.models import Event, Registration, Shift
from dobry.helprequests.models import Category, HelpRequest, Programme, ProgrammeRecord
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.resources.models import Giver, SupportKind, SupportRecord
from dobry.volunteering.models import HoursEntry, VolunteerProfile

CHUNK = 20_000


def _chunks(total: int) -> Iterator[range]:
    for start in range(0, total, CHUNK):
        yield range(start, min(start + CHUNK, total))


def _insert(model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """A plain multi-row INSERT: the ORM's bulk_create costs ~0.4 ms a row on SQLite, too
    slow for ten million hour entries. Values must already be in database form."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


class Command(BaseCommand):
    help = "Generate region-scale activity for the reports benchmark (adds to the database)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--residents", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, residents: int, seed: int, **options: Any) -> None:
        self.rng = random.Random(seed)
        today = local_today()
        self.first_day = date(today.year - 2, 1, 1)
        self.days = (today - self.first_day).days
        self.tag = f"gen{seed}"
        self.districts = list(District.objects.all()) or [
            District.objects.create(name="Центр", slug=f"{self.tag}-center")
        ]
        organizations = self._organizations(max(residents // 2000, 5))
        volunteers = self._volunteers(max(residents // 10, 10))
        self._hours(residents * 10, volunteers, organizations)
        events = self._events(max(residents // 20, 5), organizations)
        self._registrations(max(residents // 5, 5), events, volunteers)
        self._help_requests(max(residents // 5, 5))
        self._support(max(residents // 200, 5), organizations)
        self._programmes(max(residents // 10_000, 3), organizations)
        self.stdout.write(self.style.SUCCESS(f"Generated activity of {residents} residents."))

    def _day(self) -> date:
        return self.first_day + timedelta(days=self.rng.randrange(self.days))

    def _moment(self) -> datetime:
        return local_moment(self._day(), time(self.rng.randrange(8, 21)))

    def _say(self, what: str, count: int) -> None:
        self.stdout.write(f"{what}: {count}")

    def _organizations(self, count: int) -> list[int]:
        kinds = [Organization.Kind.SONKO, Organization.Kind.INITIATIVE_GROUP]
        Organization.objects.bulk_create(
            Organization(
                name=f"Организация {self.tag}-{n}",
                short_name=f"Орг. {self.tag}-{n}",
                kind=kinds[n % 2],
                status=Organization.Status.VERIFIED,
                district=self.rng.choice(self.districts),
            )
            for n in range(count)
        )
        self._say("organisations", count)
        return list(
            Organization.objects.filter(name__startswith=f"Организация {self.tag}-").values_list(
                "pk", flat=True
            )
        )

    def _volunteers(self, count: int) -> list[int]:
        password = make_password(None)
        for chunk in _chunks(count):
            with transaction.atomic():
                users = User.objects.bulk_create(
                    User(
                        email=f"{self.tag}-{n}@example.org",
                        first_name="Волонтёр",
                        last_name=str(n),
                        password=password,
                        date_joined=self._moment(),
                    )
                    for n in chunk
                )
                VolunteerProfile.objects.bulk_create(
                    VolunteerProfile(
                        user=user,
                        date_of_birth=date(self.rng.randint(1945, 2011), 1, 1)
                        + timedelta(days=self.rng.randrange(365)),
                    )
                    for user in users
                )
        self._say("volunteers", count)
        return list(
            User.objects.filter(email__startswith=f"{self.tag}-").values_list("pk", flat=True)
        )

    def _hours(self, count: int, volunteers: list[int], organizations: list[int]) -> None:
        areas = [area.value for area in Area]
        statuses = [HoursEntry.Status.CONFIRMED.value] * 9 + [HoursEntry.Status.PENDING.value]
        ops = connection.ops
        created = ops.adapt_datetimefield_value(timezone.now())
        columns = [
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
        for chunk in _chunks(count):
            with transaction.atomic():
                _insert(
                    HoursEntry,
                    columns,
                    [
                        (
                            self.rng.choice(volunteers),
                            self.rng.choice(organizations),
                            ops.adapt_datefield_value(self._day()),
                            self.rng.randint(1, 8),
                            4,
                            self.rng.choice(areas),
                            "",
                            HoursEntry.Source.CLAIM.value,
                            self.rng.choice(statuses),
                            "",
                            "",
                            "",
                            created,
                        )
                        for _n in chunk
                    ],
                )
        self._say("hour entries", count)

    def _events(self, count: int, organizations: list[int]) -> list[int]:
        kinds = [kind.value for kind in Event.Kind]
        for chunk in _chunks(count):
            with transaction.atomic():
                events = Event.objects.bulk_create(
                    Event(
                        organization_id=self.rng.choice(organizations),
                        kind=self.rng.choice(kinds),
                        title=f"Мероприятие {self.tag}-{n}",
                        status=Event.Status.PUBLISHED,
                        starts_at=(moment := self._moment()),
                        ends_at=moment + timedelta(hours=2),
                        infrastructure=self.rng.random() < 0.01,
                        district=self.rng.choice(self.districts),
                    )
                    for n in chunk
                )
                Shift.objects.bulk_create(
                    Shift(
                        event=event,
                        title="Смена",
                        search_text="смена",  # bulk_create skips `save`, which folds it
                        starts_at=event.starts_at or timezone.now(),
                        ends_at=event.ends_at or timezone.now(),
                        capacity=20,
                    )
                    for event in events
                )
        self._say("events", count)
        return list(
            Shift.objects.filter(event__title__startswith=f"Мероприятие {self.tag}-").values_list(
                "pk", flat=True
            )
        )

    def _registrations(self, count: int, shifts: list[int], volunteers: list[int]) -> None:
        starts = dict(Shift.objects.filter(pk__in=shifts).values_list("pk", "starts_at"))
        pairs = {(self.rng.choice(shifts), self.rng.choice(volunteers)) for _ in range(count)}
        rows = list(pairs)
        for chunk in _chunks(len(rows)):
            with transaction.atomic():
                Registration.objects.bulk_create(
                    Registration(
                        shift_id=rows[n][0],
                        user_id=rows[n][1],
                        status=Registration.Status.CONFIRMED,
                        checked_in_at=starts[rows[n][0]] if self.rng.random() < 0.7 else None,
                        code=f"G{n:07d}",  # unique within a generation
                    )
                    for n in chunk
                )
        self._say("registrations", len(rows))

    def _help_requests(self, count: int) -> None:
        categories = [category.value for category in Category]
        statuses = [HelpRequest.Status.DONE] * 8 + [
            HelpRequest.Status.NEW,
            HelpRequest.Status.CANCELLED,
        ]
        for chunk in _chunks(count):
            with transaction.atomic():
                HelpRequest.objects.bulk_create(
                    HelpRequest(
                        category=self.rng.choice(categories),
                        summary="Помощь жителю",
                        details="Сгенерированная просьба",
                        recipient_name="Получатель",
                        recipient_phone=f"+79{self.rng.randrange(count // 2 + 1):09d}",
                        district=self.rng.choice(self.districts),
                        status=(status := self.rng.choice(statuses)),
                        closed_at=self._moment() if status != HelpRequest.Status.NEW else None,
                    )
                    for _n in chunk
                )
        self._say("help requests", count)

    def _support(self, count: int, organizations: list[int]) -> None:
        kinds = [kind.value for kind in SupportKind]
        givers = [giver.value for giver in Giver]
        SupportRecord.objects.bulk_create(
            SupportRecord(
                organization_id=self.rng.choice(organizations),
                kind=self.rng.choice(kinds),
                date=self._day(),
                description="Поддержка",
                giver=self.rng.choice(givers),
                value_rub=Decimal(self.rng.randrange(0, 200_000, 1000)),
            )
            for _n in range(count)
        )
        self._say("support entries", count)

    def _programmes(self, count: int, organizations: list[int]) -> None:
        categories = [category.value for category in Category]
        Programme.objects.bulk_create(
            Programme(
                organization_id=self.rng.choice(organizations),
                name=f"Программа {self.tag}-{n}",
                category=self.rng.choice(categories),
                target_group="жители",
                starts_on=self._day(),
            )
            for n in range(count)
        )
        self._say("programmes", count)
        today = local_today()
        records = []
        for programme in Programme.objects.filter(name__startswith=f"Программа {self.tag}-"):
            month = programme.starts_on.replace(day=1)
            regulars = self.rng.randrange(20, 200)
            while month <= today:
                newcomers = self.rng.randrange(0, regulars // 5 + 1)
                records.append(
                    ProgrammeRecord(
                        programme=programme,
                        month=month,
                        people=regulars + newcomers,
                        first_time=regulars + newcomers
                        if month == programme.starts_on.replace(day=1)
                        else newcomers,
                        confirmed_at=timezone.now(),  # the generated figures count
                    )
                )
                month = (month + timedelta(days=32)).replace(day=1)
        ProgrammeRecord.objects.bulk_create(records)
        self._say("programme records", len(records))
