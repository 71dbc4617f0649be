import factory

from dobry.organizations.demo import demo_inn, demo_ogrn
from dobry.organizations.models import Membership, Organization


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.SONKO
    name = factory.Sequence(lambda n: f"АНО «Добрые руки {n}»")
    short_name = factory.Sequence(lambda n: f"Добрые руки {n}")
    inn = factory.Sequence(lambda n: demo_inn(50000 + n))
    ogrn = factory.Sequence(lambda n: demo_ogrn(500000 + n))
    status = Organization.Status.VERIFIED
    description = "Помогаем пожилым людям."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory("dobry.accounts.tests.factories.UserFactory")
    role = Membership.Role.MEMBER
