"""The day's batch plan shows why each volunteer is proposed — the candidate ranking's own
score and reasons (skills, district, free at that time, current load) — on the page and in
the API, which read and confirm it with the same permission, selector and service; a plan
confirmed is the plan that was read (its key), never one drawn again differently."""

from datetime import date, datetime

import pytest

from dobry.core.clock import city_zone
from dobry.core.models import District
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import offering
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 1)


def at(hour):
    return datetime(2027, 3, 1, hour, tzinfo=city_zone())


def _profile(user, districts=(), **fields):
    VolunteerProfile.objects.filter(user=user).update(**fields)
    VolunteerProfile.objects.get(user=user).districts.add(*districts)
    return user


@pytest.fixture
def day(freeze_now, coordinator):
    """Monday 08:00 in the city: groceries in the north at 10:00, a talk any time soon; a
    driver from the north free on Monday mornings, a psychologist, and a busy helper."""
    freeze_now(at(8))
    north = District.objects.create(name="Северный", slug="north")
    driver = _profile(
        volunteer(first_name="Иван", last_name="Водитель"),
        [north],
        skills="вожу машину",
        availability=["mon-morning"],
    )
    listener = _profile(
        volunteer(first_name="Пётр", last_name="Слушатель"), skills="психолог, люблю общение"
    )
    busy = _profile(volunteer(first_name="Анна", last_name="Занятая"), skills="курьер")
    elsewhere = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    [offer] = offering.offer_make(actor=coordinator, help_request=elsewhere, volunteers=[busy])
    offering.offer_answer(user=busy, offer=offer, accept=True)
    groceries = HelpRequestFactory(
        summary="Продукты на Северный",
        category="delivery",
        district=north,
        asap=False,
        wanted_from=at(10),
        status=HelpRequest.Status.VERIFIED,
    )
    talk = HelpRequestFactory(
        summary="Поговорить по телефону", category="company", status=HelpRequest.Status.VERIFIED
    )
    return {"groceries": groceries, "talk": talk, "driver": driver, "listener": listener}


def _page(client, **query):
    response = client.get("/help/batch/", query)
    assert response.status_code == 200
    return response


def test_each_match_carries_the_rankings_score_and_reasons(login_as, coordinator, day):
    plan = _page(login_as(coordinator), day="2027-03-01").context["plan"]
    matches = {row.help_request: row.matches for row in plan.rows}
    [groceries] = matches[day["groceries"]]
    assert (groceries.volunteer, groceries.score) == (day["driver"], 8)
    assert groceries.reasons == [
        "подходящие навыки: вожу машину",
        "помогает в этом районе",
        "это время отмечено как свободное",
        "нет других задач",
    ]
    [talk] = matches[day["talk"]]
    assert (talk.volunteer, talk.score) == (day["listener"], 3)
    assert talk.reasons == [
        "подходящие навыки: психолог, люблю общение",
        "нет других задач",
    ]


def test_the_page_shows_the_reasons(login_as, coordinator, day):
    body = _page(login_as(coordinator), day="2027-03-01").content.decode()
    assert "Иван Водитель</strong> — баллы: 8; подходящие навыки: вожу машину; " in body
    assert "помогает в этом районе; это время отмечено как свободное; нет других задач" in body
    assert "Анна Занятая" not in body  # busy elsewhere: nothing gained by offering her more


def test_a_request_nobody_suits_is_listed_as_staying_in_the_queue(login_as, coordinator, day):
    HelpRequestFactory(
        summary="Нужна машина и совершеннолетний",
        category="transport",
        needs_car=True,
        status=HelpRequest.Status.VERIFIED,
    )
    VolunteerProfile.objects.filter(user=day["driver"]).update(date_of_birth=date(2015, 1, 1))
    plan = _page(login_as(coordinator)).context["plan"]
    assert [row.help_request.summary for row in plan.unmatched] == [
        "Нужна машина и совершеннолетний"
    ]


def test_only_coordinators_plan_the_day(client, login_as, resident, outsider, day):
    response = client.get("/help/batch/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    MembershipFactory(user=resident, role=Membership.Role.OWNER)  # organisation staff
    for person in (resident, outsider, day["driver"]):
        assert login_as(person).get("/help/batch/").status_code == 403
        assert login_as(person).post("/help/batch/", {"key": "x"}).status_code == 403
    assert client.get("/api/v1/help-requests/batch").status_code == 401
    assert login_as(outsider).get("/api/v1/help-requests/batch").status_code == 403
    confirm = login_as(outsider).post(
        "/api/v1/help-requests/batch/confirm",
        {"day": "2027-03-01", "key": "x"},
        content_type="application/json",
    )
    assert confirm.status_code == 403
    assert HelpOffer.objects.filter(status=HelpOffer.Status.OFFERED).count() == 0


def test_the_api_reads_the_same_plan_as_the_page(login_as, coordinator, day):
    client = login_as(coordinator)
    plan = _page(client, day="2027-03-01").context["plan"]
    response = client.get("/api/v1/help-requests/batch", {"day": "2027-03-01"})
    assert response.status_code == 200
    data = response.json()
    assert data["day"] == "2027-03-01"
    assert data["key"] == plan.key
    rows = {row["request_id"]: row for row in data["requests"]}
    groceries = rows[day["groceries"].pk]
    assert groceries["summary"] == "Продукты на Северный"
    assert groceries["matches"] == [
        {
            "volunteer_id": day["driver"].pk,
            "name": "Иван Водитель",
            "score": 8,
            "reasons": [
                "подходящие навыки: вожу машину",
                "помогает в этом районе",
                "это время отмечено как свободное",
                "нет других задач",
            ],
        }
    ]
    assert client.get("/api/v1/help-requests/batch").json()["key"] == plan.key  # today


def test_confirming_the_plan_read_sends_its_offers(login_as, coordinator, day):
    client = login_as(coordinator)
    key = _page(client).context["plan"].key
    response = client.post("/help/batch/", {"day": "2027-03-01", "key": key})
    assert response.status_code == 302
    assert response["Location"] == "/help/queue/"
    sent = set(
        HelpOffer.objects.filter(status=HelpOffer.Status.OFFERED).values_list(
            "request_id", "volunteer_id"
        )
    )
    assert sent == {
        (day["groceries"].pk, day["driver"].pk),
        (day["talk"].pk, day["listener"].pk),
    }


def test_a_plan_that_changed_since_it_was_read_is_not_sent(login_as, coordinator, day):
    client = login_as(coordinator)
    key = _page(client).context["plan"].key
    # meanwhile the driver was offered the groceries by hand: the plan is another one now
    offering.offer_make(
        actor=coordinator, help_request=day["groceries"], volunteers=[day["driver"]]
    )
    before = HelpOffer.objects.count()
    response = client.post("/help/batch/", {"day": "2027-03-01", "key": key}, follow=True)
    assert response.redirect_chain[-1][0] == "/help/batch/?day=2027-03-01"
    assert "План на этот день изменился" in response.content.decode()
    assert HelpOffer.objects.count() == before
    api = client.post(
        "/api/v1/help-requests/batch/confirm",
        {"day": "2027-03-01", "key": key},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert HelpOffer.objects.count() == before


def test_the_api_confirms_with_the_key_it_read(login_as, coordinator, day):
    client = login_as(coordinator)
    key = client.get("/api/v1/help-requests/batch").json()["key"]
    response = client.post(
        "/api/v1/help-requests/batch/confirm",
        {"day": "2027-03-01", "key": key},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"sent": 2, "skipped": []}


@pytest.mark.parametrize("day_value", ["0001-01-01", "9999-12-31", "٢٠٢٧-٠٣-٠١", "x"])
def test_a_bad_day_is_a_clear_error(login_as, coordinator, day, day_value):
    client = login_as(coordinator)
    assert client.get("/help/batch/", {"day": day_value}).status_code == 400
    assert client.get("/api/v1/help-requests/batch", {"day": day_value}).status_code == 422


def test_both_operations_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/help-requests/batch"]
    assert "post" in paths["/api/v1/help-requests/batch/confirm"]
