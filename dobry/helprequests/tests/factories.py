from datetime import date

import factory

from dobry.helprequests.models import HelpRequest, Programme
from dobry.organizations.tests.factories import OrganizationFactory


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest

    category = "delivery"
    summary = factory.Sequence(lambda n: f"Привезти продукты пожилому человеку №{n}")
    details = "Хлеб, молоко, лекарства по рецепту"
    recipient_name = "Мария Ивановна"
    recipient_phone = factory.Sequence(lambda n: f"+7913{n:07d}")
    address = factory.Sequence(lambda n: f"ул. Ленина, {n}, кв. 5")
    asap = True
    status = HelpRequest.Status.NEW


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Программа помощи {n}")
    category = "delivery"
    target_group = "одинокие пожилые люди"
    starts_on = date(2025, 1, 1)
