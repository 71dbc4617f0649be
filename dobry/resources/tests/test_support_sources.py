"""The support registry names the record each entry rests on through `core.references`:
the page and the API show the same link, to those who may see the source and no one else,
a deleted source shows nothing of it, a source is refused at input when its kind is unknown
or the person entering it cannot see it, and a page of entries costs the same whatever
their sources. The migration from the old label + text id keeps every link."""

from datetime import date, timedelta
from html import escape

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dobry.accounts.tests.factories import bearer
from dobry.core import references
from dobry.core.references import Reference
from dobry.events.tests.factories import RegistrationFactory
from dobry.grants.models import Application
from dobry.grants.tests.factories import applicant_organization, open_competition
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources.models import Consultation, RoomBooking, SupportRecord
from dobry.resources.tests.factories import RoomFactory
from dobry.resources.views import PAGE_SIZE

PAGE = "/desk/support/"
API = "/api/v1/support-records"
SECRET = "Тайный вопрос о проверке"


def consultation(organization, asker, subject="Отчёт в Минюст") -> Consultation:
    return Consultation.objects.create(
        asker=asker, organization=organization, topic="reporting", subject=subject
    )


def entry(organization, source=None, **fields) -> SupportRecord:
    record = SupportRecord(
        organization=organization,
        kind=fields.pop("kind", "consulting"),
        date=fields.pop("day", date(2026, 3, 2)),
        description=fields.pop("description", "Разговор с юристом"),
        **fields,
    )
    record.source = source
    record.save()
    return record


def api_source(client, record) -> dict | None:
    items = client.get(API, {"page_size": 100}).json()["items"]
    return next(item["source"] for item in items if item["id"] == record.pk)


def test_the_page_and_the_api_show_the_same_link(login_as, coordinator, resident):
    organization = OrganizationFactory()
    asked = consultation(organization, resident)
    record = entry(organization, references.reference_to(asked))
    title = "Консультация «Отчёт в Минюст»"
    assert api_source(bearer(coordinator), record) == {
        "kind": "consultation",
        "id": asked.pk,
        "title": title,
        "url": asked.get_absolute_url(),
    }
    body = login_as(coordinator).get(PAGE).content.decode()
    assert f'<a href="{asked.get_absolute_url()}">{escape(title)}</a>' in body


def test_a_source_the_reader_may_not_see_shows_nothing_of_it(login_as, coordinator, official):
    """Officials read the registry but not the resource centre's consultations."""
    organization = OrganizationFactory()
    asked = consultation(organization, coordinator, subject=SECRET)
    record = entry(organization, references.reference_to(asked), description="Звонок")
    response = bearer(official).get(API)
    assert api_source(bearer(official), record) is None
    assert SECRET not in response.content.decode()
    body = login_as(official).get(PAGE).content.decode()
    assert SECRET not in body
    assert "недоступно" in body


def test_a_deleted_source_shows_nothing_and_the_entry_stays(login_as, coordinator, resident):
    organization = OrganizationFactory()
    asked = consultation(organization, resident, subject=SECRET)
    reference = references.reference_to(asked)
    record = entry(organization, reference, description="Звонок")
    asked.delete()
    assert api_source(bearer(coordinator), record) is None
    body = login_as(coordinator).get(PAGE).content.decode()
    assert SECRET not in body
    assert "недоступно" in body
    assert SupportRecord.objects.get().source == reference


def test_an_organisations_members_see_the_sources_they_may_open(login_as, resident, official):
    """The organisation's page lists its support to its members, each source as a link
    when the member may open it: their consultation yes, a draft application of the
    organisation that only its editors read, no."""
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.MEMBER)
    asked = consultation(organization, resident)
    draft = Application.objects.create(
        competition=open_competition(official), organization=organization, title=SECRET
    )
    entry(organization, references.reference_to(asked), description="Консультировали")
    entry(organization, references.reference_to(draft), description="Помогли с заявкой")
    body = login_as(resident).get(organization.get_absolute_url()).content.decode()
    assert f'<a href="{asked.get_absolute_url()}">' in body
    assert "Помогли с заявкой" in body
    assert SECRET not in body


# --- entering a source by hand ----------------------------------------------------------------


def payload(organization, source) -> dict:
    return {
        "organization": organization.pk,
        "kind": "consulting",
        "date": "2026-03-02",
        "description": "Разобрали устав",
        "source": source,
    }


def test_a_source_given_by_hand_is_kept_and_shown(coordinator, resident):
    organization = OrganizationFactory()
    asked = consultation(organization, resident)
    response = bearer(coordinator).post(
        API,
        payload(organization, {"kind": "consultation", "id": asked.pk}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["source"]["url"] == asked.get_absolute_url()
    assert SupportRecord.objects.get().source == Reference("consultation", asked.pk)
    again = bearer(coordinator).post(
        API,
        payload(organization, {"kind": "consultation", "id": asked.pk}),
        content_type="application/json",
    )
    assert again.status_code == 422
    assert again.json()["errors"] == {
        "source": ["По этому источнику такая поддержка уже записана."]
    }


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ({"kind": "accounts_user", "id": 1}, "source.kind"),
        ({"kind": "Консультация", "id": 1}, "source.kind"),
        ({"kind": "consultation", "id": 0}, "source.id"),
        ({"kind": "consultation"}, "source.id"),
        ({"kind": "consultation", "id": 987654}, "source"),
    ],
)
def test_the_api_refuses_a_source_it_cannot_name_with_a_422(coordinator, source, field):
    organization = OrganizationFactory()
    response = bearer(coordinator).post(
        API, payload(organization, source), content_type="application/json"
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not SupportRecord.objects.exists()


def test_a_source_the_coordinator_may_not_see_is_not_found(coordinator, official):
    """A draft application is its applicant's own: naming it reveals nothing."""
    applicant, _leader = applicant_organization()
    draft = Application.objects.create(
        competition=open_competition(official), organization=applicant, title="x"
    )
    response = bearer(coordinator).post(
        API,
        payload(OrganizationFactory(), {"kind": "grant_application", "id": draft.pk}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"source": ["Источник не найден."]}


def form(organization, **source) -> dict:
    return {
        "organization": organization.pk,
        "kind": "consulting",
        "day": "2026-03-02",
        "description": "Разобрали устав",
        "giver": "resource_centre",
        **source,
    }


def test_the_page_form_takes_a_source_and_refuses_an_unknown_kind(login_as, coordinator, resident):
    organization = OrganizationFactory()
    asked = consultation(organization, resident)
    client = login_as(coordinator)
    refused = client.post(PAGE, form(organization, source_kind="accounts_user", source_id=1))
    assert refused.status_code == 200
    assert "source_kind" in refused.context["form"].errors
    half = client.post(PAGE, form(organization, source_kind="consultation"))
    assert "source_id" in half.context["form"].errors
    assert not SupportRecord.objects.exists()
    saved = client.post(PAGE, form(organization, source_kind="consultation", source_id=asked.pk))
    assert saved.status_code == 302
    assert SupportRecord.objects.get().source == Reference("consultation", asked.pk)


# --- what a page of entries costs ---------------------------------------------------------------


def sources_of_three_kinds(count, resident):
    """`count` entries of each of three kinds of source."""
    organization = OrganizationFactory()
    room = RoomFactory()
    start = timezone.now() - timedelta(days=2)
    for i in range(count):
        entry(organization, references.reference_to(consultation(organization, resident)))
        booking = RoomBooking.objects.create(
            room=room,
            organization=organization,
            booked_by=resident,
            starts_at=start + timedelta(hours=i),
            ends_at=start + timedelta(hours=i, minutes=30),
            purpose="Собрание",
        )
        entry(organization, references.reference_to(booking), kind="property")
        attendance = RegistrationFactory(user=resident)
        entry(organization, references.reference_to(attendance), kind="informational")


@pytest.mark.parametrize("count", [1, 15])
def test_the_registry_page_resolves_its_sources_with_one_query_per_kind(
    login_as, coordinator, resident, django_assert_max_num_queries, count
):
    sources_of_three_kinds(count, resident)
    client = login_as(coordinator)
    # session and user, filters, totals, the page, one query for each of the three kinds
    with django_assert_max_num_queries(15):
        body = client.get(PAGE).content.decode()
    assert body.count("Консультация «Отчёт в Минюст»") == min(count, PAGE_SIZE // 3)
    assert "недоступно" not in body


@pytest.mark.parametrize("count", [1, 15])
def test_the_api_resolves_its_sources_with_one_query_per_kind(
    coordinator, resident, django_assert_max_num_queries, count
):
    sources_of_three_kinds(count, resident)
    client = bearer(coordinator)
    # the token, the count, the page, one query for each of the three kinds
    with django_assert_max_num_queries(7):
        items = client.get(API).json()["items"]
    assert len(items) == 3 * count
    assert {item["source"]["kind"] for item in items} == {
        "consultation",
        "room_booking",
        "registration",
    }


# --- the migration ---------------------------------------------------------------------------


BEFORE = [("resources", "0005_library_item_consultation")]
AFTER = [("resources", "0006_support_source_reference")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_existing_source_and_goes_back():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        organization = old.get_model("organizations", "Organization").objects.create(
            name="Тёплый дом", kind="sonko"
        )
        labels = [
            ("resources.consultation", "12"),
            ("resources.roombooking", "7"),
            ("events.registration", "31"),
            ("grants.application", "5"),
            ("", ""),
        ]
        for i, (label, pk) in enumerate(labels):
            old.get_model("resources", "SupportRecord").objects.create(
                organization_id=organization.pk,
                kind="consulting",
                date=date(2026, 3, 1 + i),
                description="x",
                source_type=label,
                source_id=pk,
            )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("resources", "SupportRecord")
        assert list(new.objects.order_by("date").values_list("source_kind", "source_pk")) == [
            ("consultation", 12),
            ("room_booking", 7),
            ("registration", 31),
            ("grant_application", 5),
            ("", None),
        ]
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        back = executor.loader.project_state(BEFORE).apps.get_model("resources", "SupportRecord")
        assert list(back.objects.order_by("date").values_list("source_type", "source_id")) == (
            labels
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
