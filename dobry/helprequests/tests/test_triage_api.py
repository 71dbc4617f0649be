"""The coordinators' queue, urgency and routing through the API: the same permission
function (`can_triage`, `get_request_to_triage`), selectors (`triage_queue`, `waiting_level`,
`routable_programmes`) and services as the queue page and the request page's «Разбор» —
anonymous (401), everyone but a coordinator (403, as the pages), a coordinator, bad input
(422 naming the field, nothing changed) and the queue's query budget."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.models import Notification
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import triage
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
P = HelpRequest.Priority
API = "/api/v1/help-requests"
REFUSAL = "Очередь, срочность и передачу просьб в программы ведут координаторы."


def post(client: Client, path: str, body: object = None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def programme():
    return ProgrammeFactory(name="Продукты на дом")


@pytest.fixture
def people(resident, outsider, coordinator, programme):
    """Everyone but a coordinator is refused, the routed programme's editor too."""
    staff = UserFactory()
    MembershipFactory(organization=programme.organization, user=staff, role=Membership.Role.EDITOR)
    return {"outsider": outsider, "requester": resident, "staff": staff, "coordinator": coordinator}


@pytest.fixture
def help_request(people, programme):
    return HelpRequestFactory(
        requester=people["requester"], status=S.MATCHING, programme=programme, priority=P.LOW
    )


def state(help_request) -> tuple:
    help_request.refresh_from_db()
    return help_request.priority, help_request.programme_id, help_request.status


# --- anonymous and refused ------------------------------------------------------------------


def test_every_operation_needs_credentials(client, help_request, programme):
    before = state(help_request)
    assert client.get(f"{API}/queue").status_code == 401
    assert post(client, f"{API}/{help_request.pk}/priority", {"priority": 2}).status_code == 401
    route = post(client, f"{API}/{help_request.pk}/route", {"programme": programme.pk})
    assert route.status_code == 401
    assert state(help_request) == before


@pytest.mark.parametrize("role", ["outsider", "requester", "staff"])
def test_only_coordinators_triage_by_api_as_on_the_pages(people, help_request, programme, role):
    other = ProgrammeFactory()
    before = state(help_request)
    api, page = bearer(people[role]), Client()
    page.force_login(people[role])
    answers = [
        bearer(people[role]).get(f"{API}/queue"),
        post(api, f"{API}/{help_request.pk}/priority", {"priority": 2}),
        post(api, f"{API}/{help_request.pk}/route", {"programme": other.pk}),
    ]
    for response in answers:
        assert response.status_code == 403
        assert response.json()["message"] == REFUSAL
    assert page.get("/help/queue/").status_code == 403
    assert page.post(f"/help/{help_request.pk}/priority/", {"priority": "2"}).status_code == 403
    assert page.post(f"/help/{help_request.pk}/route/", {"programme": other.pk}).status_code == 403
    assert state(help_request) == before


def test_an_unknown_request_is_not_found_for_a_coordinator_and_refused_for_others(people):
    coordinator, outsider = bearer(people["coordinator"]), bearer(people["outsider"])
    assert post(coordinator, f"{API}/999999/priority", {"priority": 1}).status_code == 404
    assert post(outsider, f"{API}/999999/priority", {"priority": 1}).status_code == 403


def test_the_services_themselves_refuse_anyone_but_a_coordinator(people, help_request, programme):
    with pytest.raises(PermissionDenied, match="ведут координаторы"):
        triage.request_set_priority(actor=people["staff"], help_request=help_request, priority=2)
    with pytest.raises(PermissionDenied, match="ведут координаторы"):
        triage.request_route(
            actor=people["staff"], help_request=help_request, programme=ProgrammeFactory()
        )
    assert state(help_request) == (P.LOW, programme.pk, S.MATCHING)
    assert not AuditEntry.objects.filter(action__in=["helprequest.priority", "helprequest.route"])


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_lists_open_requests_most_urgent_and_longest_waiting_first(people, programme):
    now = timezone.now()
    late_low = HelpRequestFactory(status=S.NEW, priority=P.LOW)
    fresh_critical = HelpRequestFactory(status=S.VERIFIED, priority=P.CRITICAL)
    routed = HelpRequestFactory(status=S.MATCHING, priority=P.HIGH, programme=programme)
    HelpRequestFactory(status=S.DONE, priority=P.CRITICAL)
    HelpRequest.objects.filter(pk=late_low.pk).update(created_at=now - timedelta(hours=25))
    HelpRequest.objects.filter(pk=routed.pk).update(created_at=now - timedelta(hours=3))
    data = bearer(people["coordinator"]).get(f"{API}/queue").json()
    assert data["count"] == 3
    rows = [(row["id"], row["priority"], row["programme"], row["waiting"]) for row in data["items"]]
    assert rows == [
        (fresh_critical.pk, 2, None, "ok"),
        (routed.pk, 1, "Продукты на дом", "warning"),
        (late_low.pk, 0, None, "danger"),
    ]


def test_the_queue_shows_one_status_and_refuses_an_unknown_one(people):
    done = HelpRequestFactory(status=S.DONE)
    HelpRequestFactory(status=S.NEW)
    client = bearer(people["coordinator"])
    data = client.get(f"{API}/queue", {"status": "done"}).json()
    assert [row["id"] for row in data["items"]] == [done.pk]
    refused = client.get(f"{API}/queue", {"status": "lost"})
    assert refused.status_code == 422
    assert "query.status" in refused.json()["errors"]


def test_the_queue_page_and_the_api_list_the_same_requests_in_the_same_order(people, login_as):
    for priority in (P.LOW, P.CRITICAL, P.HIGH, P.LOW):
        HelpRequestFactory(status=S.VERIFIED, priority=priority)
    page = login_as(people["coordinator"]).get("/help/queue/").context["rows"]
    items = bearer(people["coordinator"]).get(f"{API}/queue").json()["items"]
    assert [(item.pk, level) for item, level in page] == [
        (row["id"], row["waiting"]) for row in items
    ]


@pytest.mark.parametrize("count", [1, 40])
def test_the_queue_keeps_a_fixed_query_count(
    people, programme, count, django_assert_max_num_queries
):
    for number in range(count):
        HelpRequestFactory(status=S.VERIFIED, programme=programme if number % 2 else None)
    client = bearer(people["coordinator"])
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/queue")
    assert response.json()["count"] == count


# --- urgency --------------------------------------------------------------------------------


def test_a_coordinator_sets_the_urgency(people, help_request):
    response = post(
        bearer(people["coordinator"]), f"{API}/{help_request.pk}/priority", {"priority": 2}
    )
    assert response.status_code == 200
    assert (response.json()["priority"], response.json()["programme_id"]) == (
        2,
        help_request.programme_id,
    )
    assert state(help_request)[0] == P.CRITICAL
    assert AuditEntry.objects.get(action="helprequest.priority").data == {"priority": 2}


@pytest.mark.parametrize("body", [{"priority": 3}, {"priority": -1}, {"priority": "high"}, {}])
def test_a_bad_urgency_is_refused_naming_it_and_changes_nothing(people, help_request, body):
    response = post(bearer(people["coordinator"]), f"{API}/{help_request.pk}/priority", body)
    assert response.status_code == 422
    assert "priority" in response.json()["errors"]
    assert state(help_request) == (P.LOW, help_request.programme_id, S.MATCHING)
    assert not AuditEntry.objects.filter(action="helprequest.priority").exists()


# --- routing --------------------------------------------------------------------------------


def test_a_coordinator_routes_a_new_request_and_the_programmes_editors_are_told(people):
    other = ProgrammeFactory(name="Лекарства")
    editor = MembershipFactory(organization=other.organization, role=Membership.Role.EDITOR)
    fresh = HelpRequestFactory(status=S.NEW)
    response = post(
        bearer(people["coordinator"]), f"{API}/{fresh.pk}/route", {"programme": other.pk}
    )
    assert response.status_code == 200
    assert (response.json()["programme_id"], response.json()["status"]) == (other.pk, "matching")
    assert state(fresh)[1:] == (other.pk, S.MATCHING)
    assert Notification.objects.filter(user=editor.user, kind="help_routed").exists()
    assert AuditEntry.objects.get(action="helprequest.route").data == {"programme": other.pk}


@pytest.mark.parametrize(
    "programme_fields",
    [
        {"is_active": False},
        {"starts_on": date(2099, 1, 1)},
        {"starts_on": date(2020, 1, 1), "ends_on": date(2020, 12, 31)},
    ],
)
def test_a_programme_that_does_not_run_today_is_refused_at_programme(
    people, help_request, programme, programme_fields
):
    stopped = ProgrammeFactory(**programme_fields)
    response = post(
        bearer(people["coordinator"]), f"{API}/{help_request.pk}/route", {"programme": stopped.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"programme": ["Выберите из списка."]}
    assert state(help_request) == (P.LOW, programme.pk, S.MATCHING)


@pytest.mark.parametrize("value", [999999, 0, -3, "две", None, 2**63])
def test_a_bad_programme_is_refused_naming_it(people, help_request, programme, value):
    response = post(
        bearer(people["coordinator"]), f"{API}/{help_request.pk}/route", {"programme": value}
    )
    assert response.status_code == 422
    assert "programme" in response.json()["errors"]
    assert state(help_request) == (P.LOW, programme.pk, S.MATCHING)


def test_the_service_refuses_a_programme_that_does_not_run_whoever_calls_it(
    people, help_request, programme
):
    from dobry.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        triage.request_route(
            actor=people["coordinator"],
            help_request=help_request,
            programme=ProgrammeFactory(ends_on=date(2020, 12, 31), starts_on=date(2020, 1, 1)),
        )
    assert "programme" in refused.value.field_errors
    assert state(help_request) == (P.LOW, programme.pk, S.MATCHING)


def test_the_programme_is_shown_to_those_who_work_the_request_only(people, help_request):
    for role, shown in (("coordinator", True), ("staff", True), ("requester", False)):
        body = bearer(people[role]).get(f"{API}/{help_request.pk}").json()
        assert (body["programme_id"] == help_request.programme_id) is shown, role
