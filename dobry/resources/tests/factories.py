from datetime import datetime, time, timedelta

import factory

from dobry.core.clock import city_zone
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources.models import Room


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Зал {n}")
    owner = factory.SubFactory(OrganizationFactory)
    address = "г. Железногорск, ул. Свердлова, 1"
    capacity = 30
    opens_at = time(8, 0)
    closes_at = time(22, 0)


# «Now» in the tests that freeze the clock: Monday 10 March 2031, 10:00 in the city (03:00 UTC).
CITY_NOW = datetime(2031, 3, 10, 10, 0, tzinfo=city_zone())


def city_moment(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment on the city's clock, `day` days after CITY_NOW's date."""
    return datetime.combine(CITY_NOW.date() + timedelta(days=day), time(hour, minute), city_zone())
