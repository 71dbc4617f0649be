from datetime import date

import factory
from django.utils import timezone

from dobry.helprequests.models import HealthInfo, HelpRequest, Programme
from dobry.organizations.tests.factories import OrganizationFactory


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest
        skip_postgeneration_save = True

    category = "delivery"
    summary = factory.Sequence(lambda n: f"Привезти продукты пожилому человеку №{n}")
    details = "Хлеб, молоко, лекарства по рецепту"
    recipient_name = "Мария Ивановна"
    recipient_phone = factory.Sequence(lambda n: f"+7913{n:07d}")
    address = factory.Sequence(lambda n: f"ул. Ленина, {n}, кв. 5")
    asap = True
    status = HelpRequest.Status.NEW

    @factory.post_generation
    def health_info(
        obj: HelpRequest, create: bool, extracted: str | None, **kwargs: object
    ) -> None:
        """`HelpRequestFactory(health_info="…")` gives the request its health row."""
        if extracted:
            HealthInfo.objects.create(
                help_request=obj, text=extracted, consent_version=1, consent_at=timezone.now()
            )
            obj.has_health_info = True
            obj.save(update_fields=["has_health_info"])


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Программа помощи {n}")
    category = "delivery"
    target_group = "одинокие пожилые люди"
    starts_on = date(2025, 1, 1)


def offerable_volunteer(
    born: date = date(1990, 5, 17), skills: str = "курьер, вожу машину", **kwargs
):
    """A volunteer with a reason to be asked for the factory's requests (deliveries:
    suitable skills), so a candidate of «Кому предложить» and offerable. A bare
    `events.tests.factories.volunteer()` has no reason and is no candidate."""
    from dobry.events.tests.factories import volunteer
    from dobry.volunteering.models import VolunteerProfile

    user = volunteer(born=born, **kwargs)
    VolunteerProfile.objects.filter(user=user).update(skills=skills)
    return user
