"""Confirmed volunteer hours of a period, read in one pass over the ledger.

At region scale the ledger holds millions of entries a year, and several figures are built
on them: the hours with their value and the active volunteers, and the tables by age group,
by area and by kind of organisation. One grouped query (person × area × organisation) feeds
them all, and only its small result is kept (cached per period)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext_lazy

from dobry.organizations.models import Organization
from dobry.reports.cache import cached
from dobry.reports.periods import Period
from dobry.volunteering.models import HoursEntry, VolunteerProfile

# (label, youngest age, oldest age) — the age on the period's last day.
AGE_GROUPS = (
    (gettext_lazy("до 14 лет"), 0, 13),
    (gettext_lazy("14–17 лет"), 14, 17),
    (gettext_lazy("18–35 лет"), 18, 35),
    (gettext_lazy("36–54 года"), 36, 54),
    (gettext_lazy("55 лет и старше"), 55, 200),
)
AGE_UNKNOWN = gettext_lazy("возраст не указан")


@dataclass(frozen=True)
class Tally:
    hours: Decimal
    volunteers: int
    active: int  # volunteers with at least DOBRY_ACTIVE_VOLUNTEER_HOURS in the period
    by_age: tuple[tuple[int, Decimal], ...]  # (people, hours) per AGE_GROUPS, then unknown
    by_area: dict[str, tuple[int, Decimal]]  # area code → (people, hours)
    by_kind: dict[str, Decimal]  # organisation kind → hours


def tally(period: Period, *, fresh: bool = False) -> Tally:
    return cached("hours", period, lambda: count(period), fresh=fresh, staff_entered=False)


def age_on(day: date, born: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_group(age: int | None) -> int:
    """The index of the age's group in AGE_GROUPS; len(AGE_GROUPS) when not known."""
    if age is not None:
        for index, (_label, youngest, oldest) in enumerate(AGE_GROUPS):
            if youngest <= age <= oldest:
                return index
    return len(AGE_GROUPS)


def count(period: Period) -> Tally:
    kinds = dict(Organization.objects.values_list("id", "kind"))
    per_person: dict[int, Decimal] = defaultdict(Decimal)
    area_people: dict[str, set[int]] = defaultdict(set)
    area_hours: dict[str, Decimal] = defaultdict(Decimal)
    by_kind: dict[str, Decimal] = defaultdict(Decimal)
    sums = (
        HoursEntry.objects.confirmed()
        .filter(date__gte=period.start, date__lte=period.end)
        .values_list("user_id", "area", "organization_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    for person, area, organisation, hours in sums.iterator(chunk_size=10_000):
        per_person[person] += hours
        area_people[area].add(person)
        area_hours[area] += hours
        by_kind[kinds[organisation]] += hours

    births = dict(
        VolunteerProfile.objects.filter(date_of_birth__isnull=False).values_list(
            "user_id", "date_of_birth"
        )
    )
    by_age: list[list[int | Decimal]] = [[0, Decimal(0)] for _group in range(len(AGE_GROUPS) + 1)]
    for person, hours in per_person.items():
        born = births.get(person)
        group = by_age[age_group(age_on(period.end, born) if born else None)]
        group[0] += 1
        group[1] += hours

    threshold = settings.DOBRY_ACTIVE_VOLUNTEER_HOURS
    return Tally(
        hours=sum(per_person.values(), Decimal(0)),
        volunteers=len(per_person),
        active=sum(1 for hours in per_person.values() if hours >= threshold),
        by_age=tuple((int(people), Decimal(hours)) for people, hours in by_age),
        by_area={area: (len(area_people[area]), area_hours[area]) for area in area_hours},
        by_kind=dict(by_kind),
    )
