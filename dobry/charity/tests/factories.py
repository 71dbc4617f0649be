"""Test data of the charity app: a verified organisation with real-format bank details."""

from datetime import timedelta
from decimal import Decimal

import factory

from dobry.charity.models import BankDetails, Campaign, Donation, Need, SpendingItem
from dobry.core.clock import local_today
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

# Valid together: the account's and the correspondent account's keys match the БИК
# (Красноярское отделение № 8646 ПАО Сбербанк).
BIC = "040407627"
CORRESPONDENT = "30101810800000000627"
ACCOUNT = "40703810331000012345"


class BankDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankDetails

    organization = factory.SubFactory(OrganizationFactory)
    payee_name = factory.LazyAttribute(lambda o: o.organization.name)
    account = ACCOUNT
    bank_name = "Красноярское отделение № 8646 ПАО Сбербанк"
    bic = BIC
    correspondent_account = CORRESPONDENT
    inn = factory.LazyAttribute(lambda o: o.organization.inn)
    kpp = "245201001"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Сбор на реабилитацию {n}")
    purpose = "Тренажёры для реабилитационного центра"
    goal = Decimal("100000.00")
    deadline = factory.LazyFunction(lambda: local_today() + timedelta(days=30))
    status = Campaign.Status.ACTIVE


class DonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donation

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.LazyAttribute(lambda o: o.campaign.organization)
    amount = Decimal("500.00")
    received_on = factory.LazyFunction(local_today)
    source = Donation.Source.MANUAL
    donor_key = factory.Sequence(lambda n: f"test-{n}")


def editor_of(organization, role=Membership.Role.EDITOR):
    """A member who may run the organisation's money."""
    return MembershipFactory(organization=organization, role=role).user


def charity_ready(**campaign):
    """An active campaign of a verified organisation with bank details, and its editor."""
    details = BankDetailsFactory()
    found = CampaignFactory(organization=details.organization, **campaign)
    return found, editor_of(details.organization)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Памперсы для центра {n}")
    kind = Need.Kind.GOODS
    unit = "шт."
    quantity = 10
    deadline = factory.LazyFunction(lambda: local_today() + timedelta(days=20))
    status = Need.Status.OPEN


class SpendingItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendingItem

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.LazyAttribute(lambda o: o.campaign.organization)
    spent_on = factory.LazyFunction(local_today)
    amount = Decimal("1000.00")
    purpose = SpendingItem.Purpose.GOODS
    description = factory.Sequence(lambda n: f"Покупка {n}")
