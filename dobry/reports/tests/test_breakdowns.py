from datetime import date, datetime
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import city_zone
from dobry.core.models import District
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.reports import beyond, breakdowns, cache
from dobry.reports.periods import year
from dobry.resources.models import SupportRecord
from dobry.volunteering.models import HoursEntry, VolunteerProfile

pytestmark = pytest.mark.django_db
Y2025 = year(2025)


def _volunteer(born: date | None):
    user = UserFactory()
    VolunteerProfile.objects.create(user=user, date_of_birth=born)
    return user


def _hours(user, hours: int, organization, area: str = "", day: date = date(2025, 6, 1)):
    HoursEntry.objects.create(
        user=user,
        organization=organization,
        date=day,
        hours=hours,
        claimed_hours=hours,
        area=area,
        source=HoursEntry.Source.CLAIM,
        status=HoursEntry.Status.CONFIRMED,
    )


def test_volunteers_by_age_on_the_periods_last_day():
    nko = OrganizationFactory()
    teen = _volunteer(date(2008, 1, 1))  # 17 on 31.12.2025
    just_adult = _volunteer(date(2007, 12, 31))  # 18 on 31.12.2025
    senior = _volunteer(date(1960, 5, 5))
    unknown = _volunteer(None)
    _hours(teen, 3, nko)
    _hours(teen, 2, nko)
    _hours(just_adult, 4, nko)
    _hours(senior, 6, nko)
    _hours(unknown, 1, nko)
    _hours(senior, 9, nko, day=date(2024, 12, 31))  # outside the period
    rows = {row[0]: row[1:] for row in breakdowns.by_age(Y2025).rows}
    assert rows["14–17 лет"] == (1, Decimal(5))
    assert rows["18–35 лет"] == (1, Decimal(4))
    assert rows["55 лет и старше"] == (1, Decimal(6))
    assert rows["до 14 лет"] == (0, Decimal(0))
    assert rows["возраст не указан"] == (1, Decimal(1))


def test_hours_by_area_and_by_organisation_kind():
    nko = OrganizationFactory(kind=Organization.Kind.SONKO)
    group = OrganizationFactory(kind=Organization.Kind.INITIATIVE_GROUP, inn="", ogrn="")
    one, two = _volunteer(None), _volunteer(None)
    _hours(one, 3, nko, area="ecology")
    _hours(two, 2, group, area="ecology")
    _hours(two, 4, nko, area="elderly")
    areas = {row[0]: row[1:] for row in breakdowns.by_area(Y2025).rows}
    assert areas == {"Экология": (2, Decimal(5)), "Старшее поколение": (1, Decimal(4))}
    SupportRecord.objects.create(
        organization=group, kind="consulting", date=date(2025, 3, 1), description="x"
    )
    kinds = {row[0]: row[1:] for row in breakdowns.by_organisation_kind(Y2025).rows}
    assert kinds["СО НКО"] == (Decimal(7), 0)
    assert kinds["Инициативная группа"] == (Decimal(2), 1)


def test_a_person_across_areas_and_organisations_is_one_volunteer_with_all_their_hours():
    """The hours are read in one pass grouped by person, area and organisation: a person
    in several groups counts once, and their hours add up before the active threshold."""
    nko = OrganizationFactory(kind=Organization.Kind.SONKO)
    group = OrganizationFactory(kind=Organization.Kind.INITIATIVE_GROUP, inn="", ogrn="")
    busy, occasional = _volunteer(date(1990, 1, 1)), _volunteer(None)
    _hours(busy, 6, nko, area="ecology")
    _hours(busy, 5, group, area="elderly")  # 11 h in all: active (10 h and more)
    _hours(occasional, 9, nko, area="ecology")
    figure = beyond.volunteering(Y2025)
    assert figure.value == 20
    assert figure.parts["volunteers"] == 2
    assert figure.parts["active_volunteers"] == 1
    ages = {row[0]: row[1:] for row in breakdowns.by_age(Y2025).rows}
    assert ages["18–35 лет"] == (1, Decimal(11))
    areas = {row[0]: row[1:] for row in breakdowns.by_area(Y2025).rows}
    assert areas == {"Экология": (2, Decimal(15)), "Старшее поколение": (1, Decimal(5))}


def test_help_by_district_and_money_per_recipient():
    centre = District.objects.create(name="Центр", slug="center-x", position=1)
    local = datetime(2025, 5, 1, 12, tzinfo=city_zone())
    HelpRequestFactory(status=HelpRequest.Status.DONE, district=centre, closed_at=local)
    HelpRequestFactory(status=HelpRequest.Status.DONE, district=centre, closed_at=local)
    HelpRequestFactory(status=HelpRequest.Status.DONE, district=None, closed_at=local)
    districts = dict(breakdowns.by_district(Y2025).rows)
    assert districts == {"Центр": 2, "район не указан": 1}
    nko = OrganizationFactory()
    for giver, value in (("administration", 100_000), ("enterprise", 50_000), ("municipal", 0)):
        SupportRecord.objects.create(
            organization=nko,
            kind="financial",
            giver=giver,
            value_rub=value,
            date=date(2025, 2, 1),
            description="x",
        )
    money = dict(breakdowns.money(Y2025).rows)
    assert money["бюджет (администрация, муниципальные учреждения)"] == 100_000
    assert money["внебюджетные средства (предприятия, ресурсный центр)"] == 50_000
    assert money["на одного получателя помощи"] == 50_000  # 150 000 / 3 recipients


def test_staff_entries_for_the_reports_do_not_make_the_hours_be_read_again(
    django_assert_num_queries,
):
    """Targets, reach and infrastructure tags forget the cached figures, but the hours —
    the heaviest reading at region scale — do not depend on them and stay kept."""
    nko = OrganizationFactory()
    _hours(_volunteer(None), 3, nko)
    assert beyond.volunteering(Y2025).value == 3
    cache.forget()
    with django_assert_num_queries(0):
        assert beyond.volunteering(Y2025).value == 3
    _hours(_volunteer(None), 2, nko)  # an old entry confirmed late
    assert beyond.volunteering(Y2025).value == 3  # kept for the closed year
    cache.forget(records=True)  # what staff recomputation does
    assert beyond.volunteering(Y2025).value == 5
