from datetime import date, timedelta

import factory
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.events.models import Event, Registration, Shift
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import VolunteerProfile


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organization = factory.SubFactory(OrganizationFactory)
    kind = Event.Kind.VOLUNTEER_ACTION
    title = factory.Sequence(lambda n: f"Акция «Чистый берег» №{n}")
    summary = "Убираем берег Енисея"
    address = "г. Железногорск, набережная"
    status = Event.Status.PUBLISHED


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    title = "Уборка"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    capacity = 10

    @factory.post_generation
    def refresh_event_dates(self, create, extracted, **kwargs):
        if create:
            Event.objects.filter(pk=self.event_id).update(
                starts_at=self.starts_at, ends_at=self.ends_at
            )


def volunteer(born: date = date(1990, 5, 17), **kwargs) -> object:
    """A user with a volunteer profile and a birth date (signup needs one)."""
    user = UserFactory(**kwargs)
    VolunteerProfile.objects.create(user=user, date_of_birth=born)
    return user


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    shift = factory.SubFactory(ShiftFactory)
    user = factory.LazyFunction(volunteer)
    status = Registration.Status.CONFIRMED
