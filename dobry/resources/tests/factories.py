from datetime import time

import factory

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
