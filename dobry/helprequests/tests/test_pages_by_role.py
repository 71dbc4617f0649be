"""The help desk's pages not covered by the access matrix (test_access.py): each as
anonymous, as an outsider and as the right role, with bad input answered by a clear
message or a 400 — never a 500, never a half-done change."""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from dobry.core.clock import local_today
from dobry.core.models import AuditEntry, District
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpReport, HelpRequest
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    accepted_helper,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = HelpRequest.Status


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- routing and priority (coordinators) ---------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "outsider", "programme_staff", "coordinator"])
def test_routing_to_a_programme_is_for_coordinators(client, login_as, outsider, coordinator, who):
    programme = ProgrammeFactory()
    staff = MembershipFactory(organization=programme.organization, role=Membership.Role.EDITOR).user
    help_request = HelpRequestFactory(status=S.VERIFIED)
    people = {"outsider": outsider, "programme_staff": staff, "coordinator": coordinator}
    browser = client if who == "anonymous" else login_as(people[who])
    response = browser.post(f"/help/{help_request.pk}/route/", {"programme": programme.pk})
    help_request.refresh_from_db()
    if who == "coordinator":
        assert response["Location"] == help_request.get_absolute_url()
        assert messages_of(response) == ["Просьба передана в программу."]
        assert (help_request.programme, help_request.status) == (programme, S.MATCHING)
    else:
        assert login_redirect(response) if who == "anonymous" else response.status_code == 403
        assert help_request.programme is None


@pytest.mark.parametrize("value", ["", "987654", "²", "abc"])
def test_routing_to_no_or_an_unknown_programme_is_a_400_naming_the_field(
    login_as, coordinator, value
):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    response = login_as(coordinator).post(f"/help/{help_request.pk}/route/", {"programme": value})
    assert response.status_code == 400
    assert "programme" in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.programme is None


def test_a_finished_programme_is_not_offered_for_routing(login_as, coordinator):
    finished = ProgrammeFactory(starts_on=date(2020, 1, 1), ends_on=date(2021, 1, 1))
    help_request = HelpRequestFactory(status=S.VERIFIED)
    response = login_as(coordinator).post(
        f"/help/{help_request.pk}/route/", {"programme": finished.pk}
    )
    assert response.status_code == 400
    help_request.refresh_from_db()
    assert help_request.programme is None


@pytest.mark.parametrize("value", ["", "7", "высокая", "٢"])
def test_an_impossible_priority_is_a_400(login_as, coordinator, value):
    help_request = HelpRequestFactory(priority=HelpRequest.Priority.LOW)
    response = login_as(coordinator).post(f"/help/{help_request.pk}/priority/", {"priority": value})
    assert response.status_code == 400
    help_request.refresh_from_db()
    assert help_request.priority == HelpRequest.Priority.LOW


def test_actions_on_a_request_that_does_not_exist_are_404(login_as, coordinator):
    client = login_as(coordinator)
    for action in ("priority", "route", "transition", "offer", "complete", "invite"):
        assert client.post(f"/help/987654/{action}/", {"priority": "1"}).status_code == 404


@pytest.mark.parametrize("action", ["priority", "route", "transition", "complete", "feedback"])
def test_actions_are_posts(login_as, coordinator, action):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    assert login_as(coordinator).get(f"/help/{help_request.pk}/{action}/").status_code == 405


# --- the status form --------------------------------------------------------------------


def test_a_status_the_form_does_not_offer_is_explained_not_applied(login_as, coordinator):
    help_request = HelpRequestFactory(status=S.NEW)
    response = login_as(coordinator).post(f"/help/{help_request.pk}/transition/", {"to": "done"})
    assert response["Location"] == help_request.get_absolute_url()
    assert messages_of(response) == [
        "Выберите один из допустимых статусов. Новый статус: Выберите корректный вариант."
        " done нет среди допустимых значений."
    ]
    help_request.refresh_from_db()
    assert help_request.status == S.NEW


def test_a_status_change_names_the_new_status(login_as, coordinator):
    help_request = HelpRequestFactory(status=S.NEW)
    response = login_as(coordinator).post(
        f"/help/{help_request.pk}/transition/", {"to": "verified"}
    )
    assert messages_of(response) == ["Статус изменён: «проверена»."]


# --- the helper's report ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "hours": "2"}, "Расскажите, что сделано, и укажите часы."),
        ({"text": "Купил", "hours": ""}, "Расскажите, что сделано, и укажите часы."),
        (
            {"text": "Купил", "hours": "25"},
            "Расскажите, что сделано, и укажите часы. Сколько часов: Убедитесь, что это значение меньше либо равно 24.",
        ),
        (
            {"text": "Купил", "hours": "٢"},
            "Расскажите, что сделано, и укажите часы. Сколько часов: Введите число цифрами 0–9.",
        ),
        (
            {"text": "Купил", "hours": "NaN"},
            "Расскажите, что сделано, и укажите часы. Сколько часов: Введите число.",
        ),
    ],
)
def test_a_bad_report_form_is_explained_and_nothing_is_recorded(login_as, data, message):
    help_request = HelpRequestFactory(status=S.ASSIGNED)
    helper = accepted_helper(help_request)
    response = login_as(helper).post(f"/help/{help_request.pk}/report/", data)
    assert response["Location"] == help_request.get_absolute_url()
    assert messages_of(response) == [message]
    assert not HelpReport.objects.exists()


def test_the_helper_reports_and_help_is_in_progress(login_as):
    help_request = HelpRequestFactory(status=S.ASSIGNED)
    helper = accepted_helper(help_request)
    response = login_as(helper).post(
        f"/help/{help_request.pk}/report/", {"text": "Купил продукты", "hours": "1.5"}
    )
    assert messages_of(response) == ["Спасибо! Отчёт получен, координатор закроет просьбу."]
    assert HelpReport.objects.get().hours == 1.5
    help_request.refresh_from_db()
    assert help_request.status == S.IN_PROGRESS


@pytest.mark.parametrize("who", ["anonymous", "outsider", "declined"])
def test_nobody_but_the_helper_reports(client, login_as, outsider, who):
    help_request = HelpRequestFactory(status=S.ASSIGNED)
    accepted_helper(help_request)
    declined = volunteer()
    HelpOffer.objects.create(
        request=help_request,
        volunteer=declined,
        status=HelpOffer.Status.DECLINED,
        expires_at=timezone.now(),
    )
    browser = client if who == "anonymous" else login_as({"outsider": outsider}.get(who, declined))
    response = browser.post(f"/help/{help_request.pk}/report/", {"text": "Я", "hours": "1"})
    if who == "anonymous":
        assert login_redirect(response)
    elif who == "outsider":
        assert response.status_code == 404  # the request is not even visible to them
    else:
        assert response.status_code == 403
    assert not HelpReport.objects.exists()


# --- closing and feedback -----------------------------------------------------------------


def test_closing_without_anyone_to_confirm_the_hours_is_explained(login_as, coordinator):
    help_request = HelpRequestFactory(status=S.IN_PROGRESS)
    helper = accepted_helper(help_request)
    HelpReport.objects.create(
        request=help_request, volunteer=helper, text="Купил", hours=2, day=local_today()
    )
    response = login_as(coordinator).post(f"/help/{help_request.pk}/complete/")
    assert response["Location"] == help_request.get_absolute_url()
    assert messages_of(response)[0].startswith("Часы волонтёров некому подтвердить")
    help_request.refresh_from_db()
    assert help_request.status == S.IN_PROGRESS


def test_closing_a_request_that_is_not_under_way_is_explained(login_as, coordinator):
    help_request = HelpRequestFactory(status=S.NEW)
    response = login_as(coordinator).post(f"/help/{help_request.pk}/complete/")
    assert messages_of(response) == ["Нельзя перейти из состояния «новая» в «выполнена»."]
    help_request.refresh_from_db()
    assert help_request.status == S.NEW


def test_the_requester_rates_done_help_once_on_the_page(login_as, resident):
    help_request = HelpRequestFactory(requester=resident, status=S.DONE)
    client = login_as(resident)
    assert "feedback_form" in client.get(help_request.get_absolute_url()).context
    response = client.post(f"/help/{help_request.pk}/feedback/", {"rating": "5", "feedback": "!"})
    assert messages_of(response) == ["Спасибо за отзыв!"]
    help_request.refresh_from_db()
    assert (help_request.rating, help_request.feedback) == (5, "!")
    assert "feedback_form" not in client.get(help_request.get_absolute_url()).context


@pytest.mark.parametrize(
    ("rating", "problem"),
    [
        ("", ""),
        ("0", " Как вам помогли: Выберите корректный вариант. 0 нет среди допустимых значений."),
        ("6", " Как вам помогли: Выберите корректный вариант. 6 нет среди допустимых значений."),
        (
            "пять",
            " Как вам помогли: Выберите корректный вариант. пять нет среди допустимых значений.",
        ),
        ("٥", " Как вам помогли: Введите число цифрами 0–9."),
    ],
)
def test_a_rating_outside_1_to_5_is_explained(login_as, resident, rating, problem):
    help_request = HelpRequestFactory(requester=resident, status=S.DONE)
    response = login_as(resident).post(f"/help/{help_request.pk}/feedback/", {"rating": rating})
    assert messages_of(response) == ["Выберите оценку от 1 до 5." + problem]
    help_request.refresh_from_db()
    assert help_request.rating is None


@pytest.mark.parametrize("who", ["anonymous", "outsider", "helper", "coordinator"])
def test_only_the_requester_rates(client, login_as, resident, outsider, coordinator, who):
    help_request = HelpRequestFactory(requester=resident, status=S.DONE)
    helper = accepted_helper(help_request)
    people = {"outsider": outsider, "helper": helper, "coordinator": coordinator}
    browser = client if who == "anonymous" else login_as(people[who])
    response = browser.post(f"/help/{help_request.pk}/feedback/", {"rating": "1"})
    if who == "anonymous":
        assert login_redirect(response)
    elif who == "outsider":
        assert response.status_code == 404
    else:
        assert messages_of(response) == ["Оценить помощь может тот, кто о ней просил."]
    help_request.refresh_from_db()
    assert help_request.rating is None


# --- volunteers offering themselves -----------------------------------------------------


def test_a_self_offer_on_a_request_no_longer_seeking_is_explained(login_as, coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    person = volunteer()
    client = login_as(person)
    assert client.get(help_request.get_absolute_url()).context["can_self_offer"] is True
    HelpRequest.objects.filter(pk=help_request.pk).update(status=S.ASSIGNED)
    response = client.post(f"/help/{help_request.pk}/self-offer/")
    # no longer public, and not theirs: the request is now hidden from them
    assert response.status_code == 404


def test_the_requester_is_not_offered_to_help_themselves(login_as, resident):
    help_request = HelpRequestFactory(requester=resident, status=S.VERIFIED)
    client = login_as(resident)
    assert client.get(help_request.get_absolute_url()).context["can_self_offer"] is False
    response = client.post(f"/help/{help_request.pk}/self-offer/")
    assert messages_of(response) == ["Это ваша собственная просьба."]


def test_anonymous_visitors_log_in_to_offer_themselves(client):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    assert login_redirect(client.post(f"/help/{help_request.pk}/self-offer/"))
    assert not AuditEntry.objects.filter(action="helprequest.self_offer").exists()


# --- health data page -----------------------------------------------------------------------


def test_a_get_of_the_health_page_asks_first_and_reads_nothing(login_as, coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED, health_info="Незрячая")
    response = login_as(coordinator).get(f"/help/{help_request.pk}/health/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Показать сведения о здоровье" in page
    assert "Незрячая" not in page
    assert not AuditEntry.objects.filter(action="helprequest.health_read").exists()


def test_a_request_without_health_data_shows_an_empty_page_and_logs_no_read(login_as, coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    response = login_as(coordinator).post(f"/help/{help_request.pk}/health/")
    assert response.status_code == 200
    assert response.context["text"] == ""
    assert not AuditEntry.objects.filter(action="helprequest.health_read").exists()


# --- the queue ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "waited", "colour"),
    [
        (2, timedelta(minutes=10), "ok"),
        (2, timedelta(minutes=40), "warning"),
        (2, timedelta(hours=2), "danger"),
        (1, timedelta(hours=1), "ok"),
        (1, timedelta(hours=3), "warning"),
        (1, timedelta(hours=5), "danger"),
        (0, timedelta(hours=11), "ok"),
        (0, timedelta(hours=13), "warning"),
        (0, timedelta(hours=25), "danger"),
    ],
)
def test_the_queue_colours_a_request_by_how_long_it_waited_for_its_urgency(
    login_as, coordinator, priority, waited, colour
):
    help_request = HelpRequestFactory(priority=priority)
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=timezone.now() - waited)
    rows = login_as(coordinator).get("/help/queue/").context["rows"]
    assert [(r.pk, sla) for r, sla in rows] == [(help_request.pk, colour)]


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("", {"new", "waiting", "assigned"}),
        ("open", {"new", "waiting", "assigned"}),
        ("done", {"done"}),
        ("cancelled", set()),
    ],
)
def test_the_queue_filters_by_status(login_as, coordinator, status, shown):
    for value in ("new", "waiting", "assigned", "done"):
        HelpRequestFactory(status=value, summary=f"Просьба {value}")
    params = {"status": status} if status else {}
    response = login_as(coordinator).get("/help/queue/", params)
    assert response.status_code == 200
    assert {r.status for r, _sla in response.context["rows"]} == shown


def test_an_unknown_status_is_a_400_naming_it_not_an_empty_queue(login_as, coordinator):
    HelpRequestFactory(status="new")
    response = login_as(coordinator).get("/help/queue/", {"status": "no-such-status"})
    assert response.status_code == 400
    assert "«status»" in response.content.decode()


# --- the public list ----------------------------------------------------------------------


def test_the_public_list_filters_by_category_and_district(client):
    north = District.objects.create(name="Северный", slug="north")
    HelpRequestFactory(
        status=S.VERIFIED, category="delivery", district=north, summary="Доставка север"
    )
    HelpRequestFactory(status=S.VERIFIED, category="delivery", summary="Доставка без района")
    HelpRequestFactory(
        status=S.VERIFIED, category="company", district=north, summary="Общение север"
    )

    def summaries(**params):
        return sorted(r.summary for r in client.get("/help/", params).context["page"])

    assert summaries(category="delivery") == ["Доставка без района", "Доставка север"]
    assert summaries(district=north.pk) == ["Доставка север", "Общение север"]
    assert summaries(category="delivery", district=north.pk) == ["Доставка север"]
    assert len(summaries()) == 3


@pytest.mark.parametrize(("name", "value"), [("category", "gardening"), ("district", "987654")])
def test_a_public_filter_naming_nothing_is_a_400(client, name, value):
    response = client.get("/help/", {name: value})
    assert response.status_code == 400
    assert name in response.content.decode()


# --- the day's batch, confirmed on the page ---------------------------------------------------


def test_a_confirmation_with_a_stale_key_sends_nothing_and_goes_back_to_the_plan(
    login_as, coordinator
):
    HelpRequestFactory(status=S.VERIFIED)
    day = date(2027, 3, 1)
    response = login_as(coordinator).post(
        "/help/batch/", {"day": day.isoformat(), "key": "not-the-plan"}
    )
    assert response["Location"] == "/help/batch/?day=2027-03-01"
    assert messages_of(response)[0].startswith("План на этот день изменился")
    assert not HelpOffer.objects.exists()


def test_a_confirmed_plan_lists_what_it_left_in_the_queue(login_as, coordinator, monkeypatch):
    from dobry.helprequests.services import batches

    taken = HelpRequestFactory(status=S.ASSIGNED, summary="Уже взятая")
    result = batches.BatchResult(sent=2, skipped=[(taken, "помощник уже найден")])
    monkeypatch.setattr(batches, "batch_plan_confirm", lambda **kwargs: result)
    response = login_as(coordinator).post("/help/batch/", {"day": "2027-03-01", "key": "k"})
    assert response["Location"] == "/help/queue/"
    assert messages_of(response) == [
        "Предложения отправлены: 2.",
        "«Уже взятая» осталась в очереди: помощник уже найден",
    ]


# --- programme records: a month picked to correct ---------------------------------------------


def test_picking_a_recorded_month_fills_the_form_with_it(login_as, coordinator):
    programme = ProgrammeFactory(starts_on=date(2025, 1, 1))
    programme.records.create(month=date(2025, 3, 1), people=12, first_time=4, note="Весна")
    client = login_as(coordinator)
    form = client.get(f"/help/programmes/{programme.pk}/records/", {"month": "2025-03"}).context[
        "form"
    ]
    assert (form["people"].value(), form["first_time"].value(), form["note"].value()) == (
        12,
        4,
        "Весна",
    )
    empty = client.get(f"/help/programmes/{programme.pk}/records/", {"month": "2025-04"})
    assert empty.context["form"]["people"].value() is None


@pytest.mark.parametrize("month", ["2025-13", "²⁰²⁵-03", "0001-01"])
def test_a_bad_month_to_correct_is_a_400(login_as, coordinator, month):
    programme = ProgrammeFactory()
    response = login_as(coordinator).get(
        f"/help/programmes/{programme.pk}/records/", {"month": month}
    )
    assert response.status_code == 400
