"""Programme records: how many people a programme helped in a month beyond the platform's
requests — the rules of a record, who keeps them (pages and API), and the list's budget."""

from datetime import date

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.helprequests.models import ProgrammeRecord
from dobry.helprequests.services import programmes
from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = ProgrammeFactory(starts_on=date(2025, 3, 10), ends_on=date(2025, 10, 31))
    Organization.objects.filter(pk=programme.organization_id).update(
        status=Organization.Status.VERIFIED
    )
    return programme


@pytest.fixture
def editor(programme):
    return MembershipFactory(organization=programme.organization, role=Membership.Role.EDITOR).user


def test_a_month_is_recorded_once_and_corrected_in_place(programme, editor):
    record = programmes.programme_record_save(
        actor=editor, programme=programme, month=date(2025, 4, 17), people=40, first_time=40
    )
    assert record.month == date(2025, 4, 1)  # any day names its month
    programmes.programme_record_save(
        actor=editor, programme=programme, month=date(2025, 4, 1), people=42, first_time=41
    )
    assert list(programme.records.values_list("month", "people", "first_time")) == [
        (date(2025, 4, 1), 42, 41)
    ]
    assert AuditEntry.objects.filter(action="programme.record").count() == 2


@pytest.mark.parametrize(
    ("month", "people", "first_time", "field"),
    [
        (date(2025, 5, 1), 10, 11, "first_time"),  # more newcomers than people
        (date(2025, 2, 1), 10, 5, "month"),  # before the programme started (10.03)
        (date(2025, 11, 1), 10, 5, "month"),  # after it ended
        (date(2099, 1, 1), 10, 5, "month"),  # not yet happened
    ],
)
def test_impossible_records_are_refused_with_the_field_named(
    programme, editor, month, people, first_time, field
):
    with pytest.raises(DomainError) as refused:
        programmes.programme_record_save(
            actor=editor, programme=programme, month=month, people=people, first_time=first_time
        )
    assert field in refused.value.field_errors
    assert not ProgrammeRecord.objects.exists()


def test_the_month_the_programme_started_may_be_recorded(programme, editor):
    record = programmes.programme_record_save(
        actor=editor, programme=programme, month=date(2025, 3, 1), people=3, first_time=3
    )
    assert record.pk


@pytest.mark.parametrize("role", ["anonymous", "outsider", "other_editor", "editor", "coordinator"])
def test_only_the_programmes_organisation_and_coordinators_keep_its_records(
    programme, editor, role
):
    people = {
        "outsider": UserFactory(),
        "other_editor": MembershipFactory(role=Membership.Role.EDITOR).user,
        "editor": editor,
        "coordinator": UserFactory(is_coordinator=True),
    }
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    allowed = role in ("editor", "coordinator")
    url = f"/help/programmes/{programme.pk}/records/"
    page = client.get(url)
    assert page.status_code == (200 if allowed else 302 if role == "anonymous" else 403)
    sent = client.post(url, {"month": "2025-06", "people": "12", "first_time": "4"})
    assert sent.status_code == (302 if allowed or role == "anonymous" else 403)
    assert ProgrammeRecord.objects.filter(people=12).exists() == allowed


def test_a_bad_form_says_what_is_wrong_and_keeps_what_was_typed(client, programme, editor):
    client.force_login(editor)
    url = f"/help/programmes/{programme.pk}/records/"
    page = client.post(url, {"month": "2025-06", "people": "5", "first_time": "9", "note": "x"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "не может быть больше" in text
    assert 'value="9"' in text
    page = client.post(url, {"month": "июнь", "people": "-1", "first_time": ""})
    assert page.status_code == 200
    assert not ProgrammeRecord.objects.exists()


def test_the_records_page_costs_the_same_for_many_months(
    client, programme, editor, django_assert_max_num_queries
):
    for number in range(3, 11):
        programmes.programme_record_save(
            actor=editor,
            programme=programme,
            month=date(2025, number, 1),
            people=10 + number,
            first_time=2,
        )
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        page = client.get(f"/help/programmes/{programme.pk}/records/")
    assert page.status_code == 200
    assert len(page.context["records"]) == 8


def test_the_api_lists_and_records_months_for_those_allowed(programme, editor):
    from dobry.accounts.services import api_token_create

    def api(user):
        token = api_token_create(user=user, name="t")[1] if user else ""
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}") if user else Client()

    url = f"/api/v1/programmes/{programme.pk}/records"
    payload = {"month": "2025-07-01", "people": 30, "first_time": 6, "note": "наборы"}
    assert api(None).get(url).status_code == 401
    assert api(UserFactory()).post(url, payload, content_type="application/json").status_code == 403
    created = api(editor).post(url, payload, content_type="application/json")
    assert created.status_code == 200, created.content
    assert created.json()["people"] == 30
    bad = api(editor).post(url, {**payload, "first_time": 31}, content_type="application/json")
    assert bad.status_code == 422
    assert "first_time" in bad.json()["errors"]
    listed = api(UserFactory(is_coordinator=True)).get(url)
    assert [(r["month"], r["people"]) for r in listed.json()["items"]] == [("2025-07-01", 30)]


@pytest.mark.parametrize("months", [1, 6])
def test_the_api_pages_the_months_with_a_fixed_query_count(
    programme, editor, django_assert_num_queries, months
):
    for month in range(months):
        programmes.programme_record_save(
            actor=editor,
            programme=programme,
            month=date(2025, 4 + month, 1),
            people=5,
            first_time=1,
        )
    client = Client()
    client.force_login(UserFactory(is_coordinator=True))
    url = f"/api/v1/programmes/{programme.pk}/records"
    client.get(url)  # the session is read once
    with django_assert_num_queries(6):
        body = client.get(url).json()
    assert body["count"] == months
    assert body["items"][0]["month"] == f"2025-{3 + months:02d}-01"  # the latest first


def test_operators_see_the_records_in_the_admin(client, admin_user, programme, editor):
    programmes.programme_record_save(
        actor=editor, programme=programme, month=date(2025, 5, 1), people=7, first_time=7
    )
    client.force_login(admin_user)
    page = client.get("/admin/helprequests/programmerecord/")
    assert page.status_code == 200
    assert programme.name in page.content.decode()


def test_the_catalogue_links_the_records_only_for_those_who_keep_them(client, programme, editor):
    link = f"/help/programmes/{programme.pk}/records/"
    assert link not in client.get("/help/programmes/").content.decode()
    client.force_login(UserFactory())
    assert link not in client.get("/help/programmes/").content.decode()
    client.force_login(editor)
    assert link in client.get("/help/programmes/").content.decode()


def test_the_catalogue_costs_the_same_for_many_programmes_kept(
    client, programme, django_assert_max_num_queries
):
    ProgrammeFactory.create_batch(10, organization=programme.organization)
    client.force_login(UserFactory(is_coordinator=True))
    with django_assert_max_num_queries(10):
        page = client.get("/help/programmes/")
    assert len(page.context["own"]) == 11
