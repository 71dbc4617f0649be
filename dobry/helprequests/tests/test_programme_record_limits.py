"""A programme's monthly record cannot swamp the public KPI: at most
DOBRY_PROGRAMME_RECORD_MAX_PEOPLE people and never more than the population, and it counts
only once a coordinator confirmed it (an organisation's entry or correction waits) —
page and API alike."""

import json
from datetime import date

import pytest
from django.test import Client

from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.helprequests.models import ProgrammeRecord
from dobry.helprequests.services import programmes
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.reports.indicators import programme_recipients
from dobry.reports.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(starts_on=date(2025, 1, 1))


@pytest.fixture
def editor(programme):
    return MembershipFactory(organization=programme.organization, role=Membership.Role.EDITOR).user


def this_month() -> date:
    return local_today().replace(day=1)


def counted() -> int:
    today = local_today()
    return sum(programme_recipients(Period(today.replace(month=1, day=1), today)).values())


def post(client: Client, path: str, body: dict):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_million_people_is_refused_through_the_api(client, programme, editor):
    client.force_login(editor)
    response = post(
        client,
        f"/api/v1/programmes/{programme.pk}/records",
        {"month": str(this_month()), "people": 1_000_000, "first_time": 5},
    )
    assert response.status_code == 422
    assert response.json()["errors"]["people"] == [
        "Слишком много людей в одной записи за месяц: предел — 5000 (население города — "
        "85000). Проверьте число."
    ]
    assert not ProgrammeRecord.objects.exists()


def test_the_cap_is_never_above_the_population(programme, editor, settings):
    settings.DOBRY_POPULATION = 300
    with pytest.raises(DomainError) as error:
        programmes.programme_record_save(
            actor=editor, programme=programme, month=this_month(), people=301, first_time=1
        )
    assert "предел — 300 (население города — 300)" in error.value.field_errors["people"][0]


def test_an_organisations_record_counts_only_after_a_coordinator_confirms_it(
    client, programme, editor, coordinator
):
    client.force_login(editor)
    saved = post(
        client,
        f"/api/v1/programmes/{programme.pk}/records",
        {"month": str(this_month()), "people": 40, "first_time": 40},
    )
    assert saved.json()["confirmed"] is False
    assert counted() == 0
    refused = post(
        client, f"/api/v1/programmes/{programme.pk}/records/confirm", {"month": str(this_month())}
    )
    assert refused.status_code == 403
    client.force_login(coordinator)
    confirmed = post(
        client, f"/api/v1/programmes/{programme.pk}/records/confirm", {"month": str(this_month())}
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["confirmed"] is True
    assert counted() == 40


def test_a_correction_by_the_organisation_asks_again(programme, editor, coordinator):
    programmes.programme_record_save(
        actor=coordinator, programme=programme, month=this_month(), people=40, first_time=40
    )
    assert counted() == 40  # a coordinator's own entry is confirmed
    programmes.programme_record_save(
        actor=editor, programme=programme, month=this_month(), people=4000, first_time=4000
    )
    assert counted() == 0


def test_the_records_page_confirms_a_month(client, programme, editor, coordinator):
    programmes.programme_record_save(
        actor=editor, programme=programme, month=this_month(), people=12, first_time=12
    )
    client.force_login(coordinator)
    url = f"/help/programmes/{programme.pk}/records/"
    assert "ждёт подтверждения координатора" in client.get(url).content.decode()
    page = client.post(
        f"{url}confirm/", {"month": this_month().strftime("%Y-%m")}, follow=True
    ).content.decode()
    assert "Запись подтверждена." in page
    assert "подтверждена координатором" in page
    assert counted() == 12


def test_an_editor_has_no_confirm_button(client, programme, editor):
    programmes.programme_record_save(
        actor=editor, programme=programme, month=this_month(), people=12, first_time=12
    )
    client.force_login(editor)
    page = client.get(f"/help/programmes/{programme.pk}/records/").content.decode()
    assert "ждёт подтверждения координатора" in page
    assert "/records/confirm/" not in page
    assert (
        client.post(
            f"/help/programmes/{programme.pk}/records/confirm/",
            {"month": this_month().strftime("%Y-%m")},
        ).status_code
        == 403
    )
    assert ProgrammeRecord.objects.get().confirmed_at is None
