"""The access matrix: who reaches which help-request page, who sees private fields and
health data — and each permitted read of health data leaves exactly one audit entry."""

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import completion, offering
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    accepted_hours_ago,
    offerable_volunteer,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
VOLUNTEERS = ("unrelated_volunteer", "offered", "accepted")
S = HelpRequest.Status
ROLES = [
    "anonymous",
    "resident",
    "requester",
    "unrelated_volunteer",
    "offered",
    "accepted",
    "other_editor",
    "coordinator",
    "official",
]


@pytest.fixture
def world():
    people = {
        role: (offerable_volunteer if role in VOLUNTEERS else UserFactory)(
            email=f"{role}@example.org"
        )
        for role in ROLES
        if role != "anonymous"
    }
    people["coordinator"].is_coordinator = True
    people["coordinator"].save()
    MembershipFactory(user=people["coordinator"], role=Membership.Role.EDITOR)
    people["official"].is_official = True
    people["official"].save()
    MembershipFactory(user=people["other_editor"], role=Membership.Role.EDITOR)
    request = HelpRequestFactory(
        requester=people["requester"],
        status=S.VERIFIED,
        health_info="Незрячая",
        recipient_name="Анна Сергеевна",
    )
    offering.offer_make(
        actor=people["coordinator"],
        help_request=request,
        volunteers=[people["offered"], people["accepted"]],
    )
    offer = request.offers.get(volunteer=people["accepted"])
    offering.offer_answer(user=people["accepted"], offer=offer, accept=True)
    accepted_hours_ago(request)
    request.refresh_from_db()
    assert request.status == S.ASSIGNED
    return people, request


def client_for(people, role):
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


EXPECT_DETAIL = {  # role: (status, sees private fields)
    "anonymous": (404, False),
    "resident": (404, False),
    "requester": (200, True),
    "unrelated_volunteer": (404, False),
    "offered": (200, False),
    "accepted": (200, True),
    "other_editor": (404, False),
    "coordinator": (200, True),  # on the page after «Показать» (a POST) only: it is audited
    "official": (404, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_detail_page_and_private_fields_by_role(world, role):
    people, request = world
    response = client_for(people, role).get(f"/help/{request.pk}/")
    status, private = EXPECT_DETAIL[role]
    assert response.status_code == status
    if status == 200:
        shown_on_get = private and role != "coordinator"
        assert ("Анна Сергеевна" in response.content.decode()) is shown_on_get


@pytest.mark.parametrize("role", ROLES)
def test_a_get_of_the_detail_page_writes_no_private_read_audit_entry(world, role):
    people, request = world
    client_for(people, role).get(f"/help/{request.pk}/")
    assert not AuditEntry.objects.filter(action="helprequest.private_read").exists()


@pytest.mark.parametrize("role", ROLES)
def test_show_private_fields_by_role_with_an_audit_entry_for_the_coordinator_only(world, role):
    people, request = world
    response = client_for(people, role).post(f"/help/{request.pk}/private/")
    allowed = role in ("requester", "accepted", "coordinator")
    expected = (
        200
        if allowed
        else (302 if role == "anonymous" else (403 if EXPECT_DETAIL[role][0] == 200 else 404))
    )
    assert response.status_code == expected
    assert ("Анна Сергеевна" in response.content.decode()) is allowed
    reads = AuditEntry.objects.filter(action="helprequest.private_read", object_id=str(request.pk))
    assert reads.count() == (1 if role == "coordinator" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_health_data_only_for_the_coordinator_and_the_accepted_volunteer_with_one_audit_entry(
    world, role
):
    people, request = world
    response = client_for(people, role).post(f"/help/{request.pk}/health/")
    allowed = role in ("coordinator", "accepted")
    expected = (
        200
        if allowed
        else (302 if role == "anonymous" else (403 if EXPECT_DETAIL[role][0] == 200 else 404))
    )
    assert response.status_code == expected
    assert ("Незрячая" in response.content.decode()) is allowed
    reads = AuditEntry.objects.filter(action="helprequest.health_read", object_id=str(request.pk))
    assert reads.count() == (1 if allowed else 0)


@pytest.mark.parametrize("role", ROLES)
def test_triage_actions_are_for_coordinators_only(world, role):
    people, request = world
    client = client_for(people, role)
    for url, data in (
        (f"/help/{request.pk}/priority/", {"priority": "2"}),
        (f"/help/{request.pk}/transition/", {"to": "in_progress"}),
        (f"/help/{request.pk}/offer/", {"emails": "x@example.org"}),
    ):
        response = client.post(url, data)
        if role == "coordinator":
            assert response.status_code == 302
        else:
            assert response.status_code in (302, 403)
            if role != "anonymous":
                assert response.status_code == 403
    request.refresh_from_db()
    assert (request.priority == 2) is (role == "coordinator")


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_is_for_coordinators(world, role):
    people, _request = world
    response = client_for(people, role).get("/help/queue/")
    assert response.status_code == {"anonymous": 302, "coordinator": 200}.get(role, 403)


def test_guessing_ids_gives_404_not_403(world):
    people, _request = world
    other = HelpRequestFactory(status=S.NEW)
    assert client_for(people, "resident").get(f"/help/{other.pk}/").status_code == 404
    assert client_for(people, "resident").get("/help/999999/").status_code == 404


def test_public_list_shows_only_summaries_of_open_verified_requests(client, world):
    _people, _request = world
    public = HelpRequestFactory(
        status=S.MATCHING, summary="Помочь с покупками", recipient_name="Тайное Имя"
    )
    HelpRequestFactory(status=S.NEW, summary="Ещё не проверена")
    body = client.get("/help/").content.decode()
    assert "Помочь с покупками" in body
    assert "Ещё не проверена" not in body
    assert "Тайное Имя" not in body
    detail = client.get(f"/help/{public.pk}/").content.decode()
    assert "Тайное Имя" not in detail


@pytest.mark.parametrize("role", ROLES)
def test_coordinator_pages_edit_invite_batch_and_complete(world, role):
    people, request = world
    client = client_for(people, role)
    refused = 302 if role == "anonymous" else 403
    allowed = role == "coordinator"
    unseen = 302 if role == "anonymous" else 404 if EXPECT_DETAIL[role][0] == 404 else 403
    assert client.get(f"/help/{request.pk}/edit/").status_code == (200 if allowed else unseen)
    assert client.get("/help/batch/").status_code == (200 if allowed else refused)
    response = client.post(f"/help/{request.pk}/invite/")
    assert response.status_code == (302 if allowed else refused)
    completion.help_report(
        volunteer=people["accepted"], help_request=request, text="Сделано", hours="1"
    )
    response = client.post(f"/help/{request.pk}/complete/")
    assert response.status_code == (302 if allowed else refused)
    request.refresh_from_db()
    assert (request.status == S.DONE) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboard_is_for_coordinators_and_officials(world, role):
    people, _request = world
    response = client_for(people, role).get("/help/dashboard/")
    expected = 200 if role in ("coordinator", "official") else 302 if role == "anonymous" else 403
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_programmes_are_edited_by_their_organisation_and_coordinators(world, role):
    from dobry.helprequests.tests.factories import ProgrammeFactory
    from dobry.organizations.models import Organization

    people, _request = world
    own = ProgrammeFactory(organization=people["other_editor"].memberships.get().organization)
    foreign = ProgrammeFactory()
    Organization.objects.update(status=Organization.Status.VERIFIED)
    client = client_for(people, role)
    refused = 302 if role == "anonymous" else 403
    can_create = role in ("coordinator", "other_editor")
    assert client.get("/help/programmes/new/").status_code == (200 if can_create else refused)
    assert client.get(f"/help/programmes/{own.pk}/edit/").status_code == (
        200 if can_create else refused
    )
    assert client.get(f"/help/programmes/{foreign.pk}/edit/").status_code == (
        200 if role == "coordinator" else refused
    )


def api_client_for(people, role):
    from dobry.accounts.services import api_token_create

    if role == "anonymous":
        return Client()
    token = api_token_create(user=people[role], name="matrix")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("role", ROLES)
def test_the_api_gives_each_role_what_the_pages_give(world, role):
    people, request = world
    client = api_client_for(people, role)
    url = f"/api/v1/help-requests/{request.pk}"
    response = client.get(url)
    status, private = EXPECT_DETAIL[role]
    # anonymous readers too: the API's GET answers as the page (test_drift)
    assert response.status_code == status
    if response.status_code == 200:
        body = response.json()
        # a GET shows what the page's GET shows: nothing whose reading is audited
        assert (body["private"] is not None) is (private and role != "coordinator")
        assert body["health_info"] is None
    audited = AuditEntry.objects.filter(object_id=str(request.pk), action__endswith="_read")
    assert not audited.exists()
    # the explicit step, as the page's «Показать»: a POST, audited
    revealed = client.post(f"{url}/private")
    allowed = role in ("requester", "accepted", "coordinator")
    if role == "anonymous":
        assert revealed.status_code == 401
    else:
        assert revealed.status_code == (200 if allowed else (403 if status == 200 else 404))
    if revealed.status_code == 200:
        health_allowed = role in ("coordinator", "accepted")
        assert revealed.json()["private"]["recipient_name"] == "Анна Сергеевна"
        assert (revealed.json()["health_info"] == "Незрячая") is health_allowed
    reads = AuditEntry.objects.filter(action="helprequest.health_read", object_id=str(request.pk))
    assert reads.count() == (1 if role in ("coordinator", "accepted") else 0)
    private_reads = AuditEntry.objects.filter(
        action="helprequest.private_read", object_id=str(request.pk)
    )
    assert private_reads.count() == (1 if role == "coordinator" else 0)

    coordinator_only = [  # method, path, body, the coordinator's answer
        ("get", f"{url}/candidates", None, 200),
        ("patch", url, {"volunteers_needed": 2}, 200),
        ("post", f"{url}/offers", {"volunteers": [people["resident"].pk]}, 409),  # assigned
        ("post", f"{url}/transition", {"to": "waiting", "reason": "Уточнить адрес"}, 409),
    ]
    for method, path, data, allowed in coordinator_only:
        response = getattr(client, method)(path, data, content_type="application/json")
        if role == "coordinator":
            assert response.status_code == allowed, (path, response.content)
        elif role == "anonymous":
            assert response.status_code == 401, path
        elif method == "patch":  # the editor's lookup: a request one cannot see is not found
            assert response.status_code == (404 if EXPECT_DETAIL[role][0] == 404 else 403), path
        else:
            assert response.status_code == 403, path
    request.refresh_from_db()
    assert (request.volunteers_needed == 2) is (role == "coordinator")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_accepted_volunteer_reports_and_ids_are_not_guessable(world, role):
    people, request = world
    client = api_client_for(people, role)
    response = client.post(
        f"/api/v1/help-requests/{request.pk}/report",
        {"text": "Сделано", "hours": 1},
        content_type="application/json",
    )
    expected = {"anonymous": 401, "accepted": 201}.get(
        role, 403 if EXPECT_DETAIL[role][0] == 200 else 404
    )
    assert response.status_code == expected
    missing = client.get("/api/v1/help-requests/999999")
    assert missing.status_code == 404  # the page's answer, anonymous or not (test_drift)
