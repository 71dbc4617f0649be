import pytest
from django.core import mail
from django.utils import timezone

from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import services
from dobry.resources.models import Consultation, SupportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(resident):
    return services.consultation_ask(
        user=resident, topic="grants", subject="Заявка на грант", text="С чего начать?"
    )


def test_desk_pages_need_login(client):
    for url in (
        "/desk/consultations/",
        "/desk/consultations/new/",
        "/desk/consultations/queue/",
        "/desk/support/",
    ):
        assert client.get(url).status_code == 302, url


def test_resident_asks_and_sees_only_their_questions(login_as, resident, outsider, question):
    client = login_as(resident)
    response = client.post(
        "/desk/consultations/new/",
        {"topic": "legal", "subject": "Устав", "text": "Как изменить устав?"},
    )
    consultation = Consultation.objects.get(subject="Устав")
    assert response["Location"] == f"/desk/consultations/{consultation.pk}/"
    assert "Устав" in client.get("/desk/consultations/").content.decode()
    assert login_as(outsider).get(f"/desk/consultations/{consultation.pk}/").status_code == 404
    assert "Устав" not in login_as(outsider).get("/desk/consultations/").content.decode()


def test_bad_question_is_explained(login_as, resident):
    response = login_as(resident).post(
        "/desk/consultations/new/", {"topic": "legal", "subject": "", "text": ""}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Consultation.objects.exists()


def test_members_of_the_organisation_see_its_questions(login_as, resident, outsider):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident)
    MembershipFactory(organization=organization, user=outsider)
    consultation = services.consultation_ask(
        user=resident, topic="pr", subject="Пресс-релиз", text="?", organization=organization
    )
    assert login_as(outsider).get(f"/desk/consultations/{consultation.pk}/").status_code == 200


def test_queue_and_answering_are_for_consultants(login_as, resident, coordinator, question):
    assert login_as(resident).get("/desk/consultations/queue/").status_code == 403
    assert (
        login_as(resident)
        .post(f"/desk/consultations/{question.pk}/close/", {"summary": "x"})
        .status_code
        == 403
    )
    client = login_as(coordinator)
    assert "Заявка на грант" in client.get("/desk/consultations/queue/").content.decode()
    client.post(f"/desk/consultations/{question.pk}/", {"text": "Начните с описания проблемы."})
    assert "Начните с описания проблемы." in mail.outbox[-1].body
    client.post(
        f"/desk/consultations/{question.pk}/close/", {"summary": "Разобрали структуру заявки"}
    )
    question.refresh_from_db()
    assert question.status == Consultation.Status.CLOSED
    assert SupportRecord.objects.get().person == resident


@pytest.mark.parametrize("count", [1, 25])
def test_queue_has_a_fixed_query_count(
    login_as, coordinator, resident, django_assert_max_num_queries, count
):
    for i in range(count):
        services.consultation_ask(user=resident, topic="grants", subject=f"Вопрос {i}", text="?")
    client = login_as(coordinator)
    with django_assert_max_num_queries(7):
        assert client.get("/desk/consultations/queue/").status_code == 200


def test_asker_rates_after_closing(login_as, resident, coordinator, question):
    services.consultation_close(actor=coordinator, consultation=question, summary="Ответили")
    login_as(resident).post(
        f"/desk/consultations/{question.pk}/rate/", {"rating": "5", "comment": "Помогло"}
    )
    question.refresh_from_db()
    assert (question.rating, question.rating_comment) == (5, "Помогло")


def test_consultant_records_an_in_person_consultation(login_as, coordinator, resident):
    organization = OrganizationFactory()
    assert login_as(resident).get("/desk/consultations/record/").status_code == 403
    login_as(coordinator).post(
        "/desk/consultations/record/",
        {
            "organization": organization.pk,
            "topic": "registration",
            "channel": "phone",
            "subject": "Регистрация",
            "summary": "Рассказали о шагах",
        },
    )
    assert SupportRecord.objects.get().organization == organization


def test_support_registry_is_for_staff_with_totals_and_manual_entries(
    login_as, coordinator, official, resident
):
    organization = OrganizationFactory(short_name="Тёплый дом")
    services.support_record_create(
        actor=coordinator,
        kind="property",
        day=timezone.localdate(),
        description="Зал",
        organization=organization,
        value_rub=1500,
    )
    assert login_as(resident).get("/desk/support/").status_code == 403
    body = login_as(official).get("/desk/support/").content.decode()
    assert "Тёплый дом" in body
    assert "имущественная" in body
    assert login_as(official).post("/desk/support/", {}).status_code == 403
    login_as(coordinator).post(
        "/desk/support/",
        {
            "organization": organization.pk,
            "kind": "informational",
            "day": timezone.localdate().isoformat(),
            "description": "Новость о НКО",
            "giver": "resource_centre",
        },
    )
    assert SupportRecord.objects.count() == 2
    filtered = login_as(coordinator).get("/desk/support/", {"kind": "property"}).content.decode()
    assert "Новость о НКО" not in filtered


@pytest.mark.parametrize("count", [1, 30])
def test_support_registry_has_a_fixed_query_count(
    login_as, coordinator, django_assert_max_num_queries, count
):
    organization = OrganizationFactory()
    for _ in range(count):
        services.support_record_create(
            actor=coordinator,
            kind="consulting",
            day=timezone.localdate(),
            description="x",
            organization=organization,
        )
    client = login_as(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get("/desk/support/").status_code == 200


def test_organisation_page_shows_its_support_to_members_and_staff(
    client, login_as, resident, coordinator
):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.MEMBER)
    services.support_record_create(
        actor=coordinator,
        kind="financial",
        day=timezone.localdate(),
        description="Субсидия на проект",
        organization=organization,
    )
    assert (
        "Субсидия на проект"
        in login_as(resident).get(f"/organizations/{organization.pk}/").content.decode()
    )
    assert (
        "Субсидия на проект"
        not in client.get(f"/organizations/{organization.pk}/").content.decode()
    )


@pytest.fixture
def in_person_consultation(coordinator):
    """Recorded by a consultant for an organisation: nobody asked on the platform."""
    return services.consultation_record(
        actor=coordinator,
        topic="registration",
        subject="Регистрация по телефону",
        summary="Рассказали о шагах",
        channel="phone",
        organization=OrganizationFactory(name="Приют «Лапа»", short_name=""),
    )


@pytest.mark.parametrize("status", ["open", "new", "in_progress", "closed", "all"])
def test_every_queue_tab_opens_with_a_consultation_recorded_in_person(
    login_as, coordinator, in_person_consultation, status
):
    response = login_as(coordinator).get(f"/desk/consultations/queue/?status={status}")
    assert response.status_code == 200
    if status in ("closed", "all"):
        assert "Регистрация по телефону" in response.content.decode()


def test_queue_names_the_organisation_or_the_person_or_a_dash(
    login_as, coordinator, resident, in_person_consultation
):
    services.consultation_ask(user=resident, topic="pr", subject="Сайт", text="?")
    deleted = services.consultation_ask(user=resident, topic="pr", subject="Удалён", text="?")
    Consultation.objects.filter(pk=deleted.pk).update(asker=None)
    rows = login_as(coordinator).get("/desk/consultations/queue/?status=all").content.decode()
    assert "Приют «Лапа»" in rows
    assert resident.display_name in rows
    assert "<td>—</td>" in rows


def test_an_unknown_queue_tab_is_refused_naming_it_not_shown_as_another(
    login_as, coordinator, in_person_consultation
):
    page = login_as(coordinator).get("/desk/consultations/queue/?status=answered")
    assert page.status_code == 400
    assert "«status»" in page.content.decode()
    everything = login_as(coordinator).get("/desk/consultations/queue/?status=all")
    assert 'aria-current="page" href="?status=all"' in everything.content.decode()


def test_in_person_consultation_page_opens_for_the_coordinator(
    login_as, coordinator, in_person_consultation
):
    response = login_as(coordinator).get(f"/desk/consultations/{in_person_consultation.pk}/")
    assert response.status_code == 200
    assert "Рассказали о шагах" in response.content.decode()


def test_support_registry_totals_leave_out_support_booked_ahead(login_as, official, freeze_now):
    from datetime import date, datetime

    from dobry.core.clock import city_zone

    freeze_now(datetime(2026, 12, 15, 12, tzinfo=city_zone()))
    given, booked = OrganizationFactory(), OrganizationFactory()
    SupportRecord.objects.create(
        organization=given, kind="property", date=date(2026, 12, 10), description="Зал"
    )
    SupportRecord.objects.create(
        organization=booked, kind="property", date=date(2026, 12, 28), description="Зал на ёлку"
    )
    page = login_as(official).get("/desk/support/")
    assert page.context["totals"]["organizations"] == 1
    assert [row["n"] for row in page.context["totals"]["by_kind"]] == [1]
    assert page.context["totals"]["planned"] == 1
    body = page.content.decode()
    assert "Запланированная поддержка (записи с датой впереди): 1." in body
    assert '28.12.2026 <span class="badge text-bg-secondary">запланировано</span>' in body
