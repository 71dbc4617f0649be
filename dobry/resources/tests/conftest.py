"""Fixtures the resources tests share."""

import pytest

from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources.tests.factories import CITY_NOW


@pytest.fixture
def organization(resident):
    """«Тёплый дом», of which the resident is a member."""
    organization = OrganizationFactory(short_name="Тёплый дом")
    MembershipFactory(organization=organization, user=resident)
    return organization


@pytest.fixture
def at_city_now(freeze_now):
    """The clock stopped at CITY_NOW (Monday 10 March 2031, 10:00 in the city)."""
    freeze_now(CITY_NOW)


@pytest.fixture(autouse=True)
def _many_questions_a_day(settings):
    """Query-count tests ask dozens of questions as one person: the day's limit
    (`DOBRY_CONSULTATIONS_PER_DAY`) is tested on its own (test_consultation_repeats.py)."""
    settings.DOBRY_CONSULTATIONS_PER_DAY = 1000
