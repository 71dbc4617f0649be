"""The support registry: filters and totals on the page and in the API, manual entries with
bad values, and what a person's export and erasure do with consultations."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.test import Client

from dobry.accounts import personal_data
from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources import services
from dobry.resources.models import Consultation, ConsultationMessage, SupportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(coordinator, freeze_now):
    """Three entries for «Тёплый дом» and one for «Лапа», in March and April 2031, seen in
    May 2031 (totals count support only once its day has come)."""
    freeze_now(datetime(2031, 5, 15, 12, tzinfo=city_zone()))
    warm = OrganizationFactory(short_name="Тёплый дом")
    paw = OrganizationFactory(short_name="Лапа")

    def entry(organization, kind, day, value=None, giver="resource_centre"):
        return services.support_record_create(
            actor=coordinator,
            kind=kind,
            day=day,
            description=f"{kind} {day}",
            organization=organization,
            giver=giver,
            value_rub=value,
        )

    entry(warm, "property", date(2031, 3, 5), Decimal("1500"))
    entry(warm, "property", date(2031, 4, 2), Decimal("500"))
    entry(warm, "consulting", date(2031, 3, 20))
    entry(paw, "financial", date(2031, 3, 31), Decimal("100000"), giver="administration")
    return warm, paw


def test_the_page_totals_by_kind_and_by_giver(login_as, official, registry):
    totals = login_as(official).get("/desk/support/").context["totals"]
    by_kind = {row["kind"]: (row["n"], row["value"]) for row in totals["by_kind"]}
    assert by_kind == {
        "consulting": (1, None),
        "financial": (1, Decimal("100000")),
        "property": (2, Decimal("2000")),
    }
    by_giver = {row["giver"]: row["n"] for row in totals["by_giver"]}
    assert by_giver == {"administration": 1, "resource_centre": 3}
    assert totals["organizations"] == 2


@pytest.mark.parametrize(
    ("query", "count", "organizations"),
    [
        ({"date_from": "2031-03-01", "date_to": "2031-03-31"}, 3, 2),
        ({"date_from": "2031-04-01"}, 1, 1),
        ({"kind": "property"}, 2, 1),
        ({"date_from": "2031-04-01", "date_to": "2031-03-01"}, 0, 0),
    ],
)
def test_the_page_filters_by_period_and_kind(
    login_as, coordinator, registry, query, count, organizations
):
    response = login_as(coordinator).get("/desk/support/", query)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == count
    assert response.context["totals"]["organizations"] == organizations


def test_the_page_filters_by_organisation(login_as, coordinator, registry):
    warm, _paw = registry
    response = login_as(coordinator).get("/desk/support/", {"organization": warm.pk})
    assert response.context["page"].paginator.count == 3


def test_a_manual_entry_with_a_negative_value_is_a_form_error(login_as, coordinator, registry):
    warm, _paw = registry
    response = login_as(coordinator).post(
        "/desk/support/",
        {
            "organization": warm.pk,
            "kind": "property",
            "day": "2031-03-10",
            "description": "Зал",
            "giver": "resource_centre",
            "value_rub": "-5",
        },
    )
    assert response.status_code == 200
    assert "value_rub" in response.context["form"].errors
    assert SupportRecord.objects.count() == 4


def test_the_registry_sends_anonymous_to_log_in(client):
    assert client.get("/desk/support/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"from": "2031-03-01", "to": "2031-03-31"}, 3),
        ({"kind": "property", "from": "2031-04-01"}, 1),
        ({"kind": "financial"}, 1),
    ],
)
def test_the_api_filters_like_the_page(official, registry, query, count):
    data = bearer(official).get("/api/v1/support-records", query).json()
    assert data["count"] == count


def test_the_api_names_the_organisation_and_refuses_a_missing_one(coordinator, registry):
    warm, _paw = registry
    data = bearer(coordinator).get("/api/v1/support-records", {"organization": warm.pk}).json()
    assert {item["organization"] for item in data["items"]} == {"Тёплый дом"}
    missing = bearer(coordinator).post(
        "/api/v1/support-records",
        {"organization": 987654, "kind": "property", "date": "2031-03-10", "description": "Зал"},
        content_type="application/json",
    )
    assert missing.status_code == 404
    negative = bearer(coordinator).post(
        "/api/v1/support-records",
        {
            "organization": warm.pk,
            "kind": "property",
            "date": "2031-03-10",
            "description": "Зал",
            "value_rub": "-1",
        },
        content_type="application/json",
    )
    assert negative.status_code == 422
    assert SupportRecord.objects.count() == 4


def test_the_api_registry_needs_credentials(registry):
    assert Client().get("/api/v1/support-records").status_code == 401


@pytest.mark.parametrize("count", [1, 30])
def test_the_api_registry_has_a_fixed_query_count(
    coordinator, django_assert_max_num_queries, count
):
    organization = OrganizationFactory()
    for i in range(count):
        services.support_record_create(
            actor=coordinator,
            kind="consulting",
            day=date(2025, 3, 1 + i % 28),
            description="x",
            organization=organization,
        )
    client = bearer(coordinator)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/support-records").json()["count"] == count


# --- a person's export and erasure ---------------------------------------------------------


@pytest.fixture
def thread(resident, coordinator):
    consultation = services.consultation_ask(
        user=resident, topic="legal", subject="Устав «Тёплого дома»", text="Мой вопрос"
    )
    services.consultation_reply(author=coordinator, consultation=consultation, text="Ответ")
    return consultation


def test_the_export_holds_ones_questions_and_own_messages_only(resident, thread):
    exported = personal_data.export_sections(resident)["consultations"]
    assert exported == [
        {
            "subject": "Устав «Тёплого дома»",
            "topic": "legal",
            "status": "in_progress",
            "created_at": thread.created_at.isoformat(),
            "messages": ["Мой вопрос"],
            "summary": "",
            "closed_at": None,
        }
    ]


def test_erasure_keeps_the_question_for_the_records_without_its_words(
    resident, coordinator, thread
):
    services.consultation_close(actor=coordinator, consultation=thread, summary="Итог")
    personal_data.erase_sections(resident)
    thread.refresh_from_db()
    assert (thread.subject, thread.topic, thread.status) == (
        "—",
        "legal",
        Consultation.Status.CLOSED,
    )
    assert set(ConsultationMessage.objects.values_list("text", flat=True)) == {"—"}
    assert SupportRecord.objects.count() == 1


def test_erasing_the_consultant_keeps_their_answers_in_the_residents_threads(
    resident, coordinator, thread
):
    """The answer is about the resident's question, part of the resident's record: the
    consultant who wrote it leaves, the answer stays (without the consultant's name)."""
    services.consultation_reply(
        author=coordinator,
        consultation=thread,
        text=f"Пишите мне, {coordinator.first_name} {coordinator.last_name}: устав готов",
    )
    services.consultation_close(actor=coordinator, consultation=thread, summary="Объяснили устав")
    personal_data.erase_sections(coordinator)
    thread.refresh_from_db()
    assert (thread.subject, thread.summary) == ("Устав «Тёплого дома»", "Объяснили устав")
    assert list(thread.messages.values_list("text", flat=True)) == [
        "Мой вопрос",
        "Ответ",
        "Пишите мне, [удалено]: устав готов",
    ]


def test_a_question_asked_for_an_organisation_stays_the_organisations(
    resident, organization, coordinator
):
    """Its other members and the consultant carry on with it; only the asker's values go."""
    consultation = services.consultation_ask(
        user=resident,
        organization=organization,
        topic="reporting",
        subject="Отчёт в Минюст",
        text="Как сдать отчёт? Анна",
    )
    services.consultation_reply(author=coordinator, consultation=consultation, text="Так")
    personal_data.erase_sections(resident)
    consultation.refresh_from_db()
    assert consultation.subject == "Отчёт в Минюст"
    assert list(consultation.messages.values_list("text", flat=True)) == [
        "Как сдать отчёт? [удалено]",
        "Так",
    ]
