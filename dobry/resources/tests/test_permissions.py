import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources import permissions
from dobry.resources.models import Consultation


@pytest.fixture
def consultation(resident):
    organization = OrganizationFactory()
    return Consultation.objects.create(
        asker=resident, organization=organization, topic="legal", subject="Как оформить устав?"
    )


@pytest.mark.django_db
def test_the_asker_and_the_consultant_may_view_a_consultation(consultation, resident, coordinator):
    assert permissions.can_view_consultation(resident, consultation)
    assert permissions.can_view_consultation(coordinator, consultation)


@pytest.mark.django_db
def test_a_member_of_the_organisation_asked_for_may_view_it(consultation):
    member = UserFactory()
    Membership.objects.create(
        organization=consultation.organization, user=member, role=Membership.Role.EDITOR
    )
    assert permissions.can_view_consultation(member, consultation)


@pytest.mark.django_db
def test_an_outsider_is_refused_a_consultation_with_a_reason(consultation, outsider):
    decision = permissions.can_view_consultation(outsider, consultation)
    assert not decision
    assert "консультанты" in str(decision.reason)


@pytest.mark.django_db
def test_the_support_registry_is_refused_to_residents_with_a_reason(resident, coordinator):
    assert permissions.can_read_support_registry(coordinator)
    decision = permissions.can_read_support_registry(resident)
    assert not decision
    assert "Реестр поддержки" in str(decision.reason)
