"""Every help-request API operation not in the access matrix (test_access.py), as
anonymous, as an outsider, as the person who asked and as a coordinator; and bad bodies
refused with 422 naming the field, never a 500 and never a half-done change."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.services import api_token_create
from dobry.communications.models import Notification
from dobry.core.models import District
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpReport, HelpRequest
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    accepted_helper,
)

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
API = "/api/v1"


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def send(client: Client, method: str, path: str, body=None):
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


# operation: (method, path after the request's id, body, the request's status, answers by role)
OPERATIONS = {
    "read": ("get", "", None, S.NEW, {"outsider": 404, "requester": 200, "coordinator": 200}),
    "correct": (
        "patch",
        "",
        {"details": "И ещё кефир"},
        S.NEW,
        {"outsider": 404, "requester": 200, "coordinator": 200},
    ),
    "cancel": (
        "post",
        "/cancel",
        {"reason": "Справились сами"},
        S.NEW,
        {"outsider": 404, "requester": 200, "coordinator": 403},
    ),
    "move": (
        "post",
        "/transition",
        {"to": "verified"},
        S.NEW,
        {"outsider": 403, "requester": 403, "coordinator": 200},
    ),
    "complete": (
        "post",
        "/complete",
        None,
        S.IN_PROGRESS,
        # no helper has reported: «done» only after a report (test_moves_by_hand)
        {"outsider": 403, "requester": 403, "coordinator": 409},
    ),
    "invite": (
        "post",
        "/invite",
        None,
        S.DONE,
        {"outsider": 403, "requester": 403, "coordinator": 204},
    ),
    "rate": (
        "post",
        "/feedback",
        {"rating": 4, "feedback": "Спасибо"},
        S.DONE,
        {"outsider": 404, "requester": 200, "coordinator": 422},
    ),
    "report": (
        "post",
        "/report",
        {"text": "Купил", "hours": 1},
        S.ASSIGNED,
        {"outsider": 404, "requester": 403, "coordinator": 403},
    ),
    "candidates": (
        "get",
        "/candidates",
        None,
        S.VERIFIED,
        {"outsider": 403, "requester": 403, "coordinator": 200},
    ),
}


@pytest.mark.parametrize("role", ["anonymous", "outsider", "requester", "coordinator"])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_each_operation_answers_each_role(resident, outsider, coordinator, operation, role):
    method, path, body, status, answers = OPERATIONS[operation]
    help_request = HelpRequestFactory(requester=resident, status=status)
    before = HelpRequest.objects.values().get(pk=help_request.pk)
    people = {"outsider": outsider, "requester": resident, "coordinator": coordinator}
    client = Client() if role == "anonymous" else bearer(people[role])
    response = send(client, method, f"{API}/help-requests/{help_request.pk}{path}", body)
    # an anonymous read answers as the page does (a new request is nobody else's: 404)
    anonymous = 404 if method == "get" and path == "" else 401
    expected = anonymous if role == "anonymous" else answers[role]
    assert response.status_code == expected, response.content
    after = HelpRequest.objects.values().get(pk=help_request.pk)
    if expected >= 400 or method == "get":
        assert after == before  # a refusal or a read changes nothing
    else:
        assert after != before


def test_a_refusal_says_why_in_the_body(resident, coordinator):
    help_request = HelpRequestFactory(requester=resident, status=S.DONE)
    response = send(
        bearer(coordinator),
        "post",
        f"{API}/help-requests/{help_request.pk}/feedback",
        {"rating": 5},
    )
    assert response.status_code == 422
    assert response.json()["message"] == "Оценить помощь может тот, кто о ней просил."


BODY = {
    "category": "delivery",
    "summary": "Привезти продукты",
    "details": "Хлеб",
    "recipient_name": "Мария Ивановна",
    "asap": True,
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # refused by the schema
        ({"summary": "ab"}, "summary"),
        ({"summary": "x" * 141}, "summary"),
        ({"category": "gardening"}, "category"),
        ({"volunteers_needed": 0}, "volunteers_needed"),
        ({"volunteers_needed": 21}, "volunteers_needed"),
        ({"recipient_name": ""}, "recipient_name"),
        ({"wanted_from": "завтра", "asap": False}, "wanted_from"),
        ({"relation": "neighbour"}, "relation"),
        ({"recurrence": "daily"}, "recurrence"),
        # refused by the service
        ({"recipient_phone": "12345"}, "recipient_phone"),
        ({"asap": False}, "wanted_from"),
        (
            {
                "asap": False,
                "wanted_from": "2027-03-02T10:00:00",
                "wanted_to": "2027-03-02T09:00:00",
            },
            "wanted_to",
        ),
    ],
)
def test_a_bad_body_is_refused_with_the_field_named_and_nothing_stored(resident, change, field):
    response = send(bearer(resident), "post", f"{API}/help-requests", {**BODY, **change})
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert not HelpRequest.objects.exists()
    assert not Notification.objects.exists()


def test_an_unknown_district_slug_is_refused(resident):
    response = send(
        bearer(resident), "post", f"{API}/help-requests", {**BODY, "district": "atlantis"}
    )
    assert response.status_code == 422
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"to": "archived"}, 422),  # not a status at all
        ({"to": "matching"}, 409),  # a status the table does not allow from «new»
        ({"to": "done"}, 403),  # never set by hand (test_moves_by_hand)
        ({"to": "rejected"}, 422),  # needs a reason
        ({"to": "rejected", "reason": "   "}, 422),
        ({}, 422),
    ],
)
def test_a_move_the_workflow_refuses_changes_nothing(coordinator, body, status):
    help_request = HelpRequestFactory(status=S.NEW)
    response = send(
        bearer(coordinator), "post", f"{API}/help-requests/{help_request.pk}/transition", body
    )
    assert response.status_code == status, response.content
    help_request.refresh_from_db()
    assert help_request.status == S.NEW


@pytest.mark.parametrize(
    "body",
    [
        '{"text": "Купил", "hours": 0}',
        '{"text": "Купил", "hours": 25}',
        '{"text": "Купил", "hours": "٢"}',
        '{"text": "Купил", "hours": "NaN"}',
        '{"text": "Купил", "hours": NaN}',  # a bare NaN, which Python's json reads
        '{"text": "", "hours": 1}',
        '{"hours": 1}',
    ],
)
def test_a_report_with_a_bad_body_is_422_and_not_recorded(body):
    help_request = HelpRequestFactory(status=S.ASSIGNED)
    helper = accepted_helper(help_request)
    response = bearer(helper).post(
        f"{API}/help-requests/{help_request.pk}/report", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert not HelpReport.objects.exists()


@pytest.mark.parametrize("rating", [0, 6, "пять", None])
def test_a_rating_outside_1_to_5_is_422(resident, rating):
    help_request = HelpRequestFactory(requester=resident, status=S.DONE)
    response = send(
        bearer(resident),
        "post",
        f"{API}/help-requests/{help_request.pk}/feedback",
        {"rating": rating},
    )
    assert response.status_code == 422
    help_request.refresh_from_db()
    assert help_request.rating is None


def test_an_offer_list_that_is_empty_is_422(coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    response = send(
        bearer(coordinator),
        "post",
        f"{API}/help-requests/{help_request.pk}/offers",
        {"volunteers": []},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"volunteers": ["Выберите, кому предложить просьбу."]}
    assert not HelpOffer.objects.exists()


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_a_volunteer_answers_only_their_own_offer(answer):
    help_request = HelpRequestFactory(status=S.OFFERED)
    mine, theirs = volunteer(), volunteer()
    offer = HelpOffer.objects.create(
        request=help_request, volunteer=theirs, expires_at=timezone.now() + timedelta(hours=1)
    )
    assert send(bearer(mine), "post", f"{API}/offers/{offer.pk}/{answer}").status_code == 404
    assert send(Client(), "post", f"{API}/offers/{offer.pk}/{answer}").status_code == 401
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.OFFERED
    response = send(bearer(theirs), "post", f"{API}/offers/{offer.pk}/{answer}")
    assert response.status_code == 200
    assert response.json()["status"] == {"accept": "accepted", "decline": "declined"}[answer]


def test_an_expired_offer_is_409(outsider):
    help_request = HelpRequestFactory(status=S.OFFERED)
    person = volunteer()
    offer = HelpOffer.objects.create(
        request=help_request, volunteer=person, expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = send(bearer(person), "post", f"{API}/offers/{offer.pk}/accept")
    assert response.status_code == 409
    assert response.json()["message"] == "Предложение уже недействительно."


# --- public lists -----------------------------------------------------------------------------


def test_the_public_requests_filter_by_category_and_district_slug(client):
    north = District.objects.create(name="Северный", slug="north")
    HelpRequestFactory(
        status=S.VERIFIED, category="delivery", district=north, summary="Доставка север"
    )
    HelpRequestFactory(status=S.MATCHING, category="delivery", summary="Доставка без района")
    HelpRequestFactory(
        status=S.OFFERED, category="company", district=north, summary="Общение север"
    )
    HelpRequestFactory(status=S.NEW, category="delivery", district=north, summary="Не проверена")

    def summaries(**params):
        response = client.get(f"{API}/help-requests/public", params)
        assert response.status_code == 200
        return sorted(item["summary"] for item in response.json()["items"])

    assert summaries(category="delivery") == ["Доставка без района", "Доставка север"]
    assert summaries(district="north") == ["Доставка север", "Общение север"]
    assert summaries(category="delivery", district="north") == ["Доставка север"]
    for name, value in (("district", "atlantis"), ("category", "gardening")):
        refused = client.get(f"{API}/help-requests/public", {name: value})
        assert refused.status_code == 422, (name, refused.content)
        assert name in refused.content.decode()


def test_the_programme_catalogue_filters_like_the_page(client):
    from dobry.organizations.tests.factories import OrganizationFactory

    north = District.objects.create(name="Северный", slug="north")
    south = District.objects.create(name="Южный", slug="south")
    home = OrganizationFactory()
    ProgrammeFactory(name="По всему городу", organization=home)
    in_north = ProgrammeFactory(name="На севере", category="company")
    in_north.districts.add(north)
    in_south = ProgrammeFactory(name="На юге")
    in_south.districts.add(south)
    ProgrammeFactory(name="Закончилась", ends_on=date(2025, 6, 1))
    ProgrammeFactory(name="Остановлена", is_active=False)

    def names(**params):
        response = client.get(f"{API}/programmes", params)
        assert response.status_code == 200
        return sorted(item["name"] for item in response.json()["items"])

    assert names() == ["На севере", "На юге", "По всему городу"]
    assert names(district="north") == ["На севере", "По всему городу"]
    assert names(category="company") == ["На севере"]
    assert names(organization=home.pk) == ["По всему городу"]
    assert names(district="south", category="delivery") == ["На юге", "По всему городу"]
    assert client.get(f"{API}/programmes", {"district": "atlantis"}).status_code == 422
