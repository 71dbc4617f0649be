"""Who sets a request's status by hand (`permissions.can_move`, page and API alike): the
platform's own steps — offered, assigned, in progress, done — never by hand; programme
staff only ask the resident («waiting») or hand the request back to the coordinators;
«done» only by «complete» after a helper's report."""

import json

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Notification
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    accepted_helper,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = HelpRequest.Status


@pytest.fixture
def programme():
    return ProgrammeFactory(name="Продукты на дом")


@pytest.fixture
def staff(programme):
    person = UserFactory(email="nko@example.org")
    MembershipFactory(organization=programme.organization, user=person, role=Membership.Role.EDITOR)
    return person


def move(client: Client, help_request, to: str, reason: str = ""):
    return client.post(
        f"/api/v1/help-requests/{help_request.pk}/transition",
        json.dumps({"to": to, "reason": reason}),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    ("start", "to", "how"),
    [
        (S.MATCHING, S.OFFERED, "предложите её волонтёрам («Кому предложить»)"),
        (S.OFFERED, S.ASSIGNED, "помощник находится, когда волонтёр принимает предложение"),
        (S.ASSIGNED, S.IN_PROGRESS, "помощь начинается с отчёта помощника"),
        (
            S.IN_PROGRESS,
            S.DONE,
            "после отчёта помощника закройте просьбу кнопкой «Помощь оказана — закрыть просьбу»",
        ),
    ],
)
@pytest.mark.parametrize("who", ["staff", "coordinator"])
def test_the_platforms_steps_are_never_set_by_hand(
    client, programme, staff, coordinator, resident, start, to, how, who
):
    help_request = HelpRequestFactory(requester=resident, status=start, programme=programme)
    client.force_login(staff if who == "staff" else coordinator)
    response = move(client, help_request, to)
    assert response.status_code == 403
    assert response.json()["message"] == f"Этот статус не ставится вручную: {how}."
    help_request.refresh_from_db()
    assert help_request.status == start
    assert not Notification.objects.filter(user=resident).exists()


@pytest.mark.parametrize("to", [S.CANCELLED, S.REJECTED])
def test_programme_staff_never_cancel_a_residents_request(client, programme, staff, resident, to):
    help_request = HelpRequestFactory(requester=resident, status=S.VERIFIED, programme=programme)
    client.force_login(staff)
    response = move(client, help_request, to, reason="Не успеваем")
    assert response.status_code == 403
    assert "только координатор" in response.json()["message"]
    help_request.refresh_from_db()
    assert help_request.status == S.VERIFIED


def test_programme_staff_hand_a_request_back_to_the_coordinators(
    client, programme, staff, coordinator, resident
):
    help_request = HelpRequestFactory(requester=resident, status=S.OFFERED, programme=programme)
    client.force_login(staff)
    response = move(client, help_request, S.MATCHING, reason="Нет свободных волонтёров")
    assert response.status_code == 200
    help_request.refresh_from_db()
    assert (help_request.status, help_request.programme_id) == (S.MATCHING, None)
    told = Notification.objects.get(user=coordinator, kind="help_handed_back")
    assert "Продукты на дом" in told.body


def test_a_coordinator_cancels_with_a_reason(client, coordinator, resident):
    help_request = HelpRequestFactory(requester=resident, status=S.VERIFIED)
    client.force_login(coordinator)
    assert move(client, help_request, S.CANCELLED, reason="Помощь не нужна").status_code == 200
    help_request.refresh_from_db()
    assert help_request.status == S.CANCELLED


def test_the_status_select_offers_staff_only_their_moves(client, programme, staff, resident):
    help_request = HelpRequestFactory(requester=resident, status=S.OFFERED, programme=programme)
    client.force_login(staff)
    page = client.get(f"/help/{help_request.pk}/").content.decode()
    select = page.split('name="to"')[1].split("</select>")[0]
    assert 'value="matching"' in select
    assert 'value="waiting"' in select
    assert 'value="cancelled"' not in select
    assert 'value="assigned"' not in select


def test_the_status_page_refuses_a_forged_done(client, coordinator, resident):
    help_request = HelpRequestFactory(requester=resident, status=S.IN_PROGRESS)
    client.force_login(coordinator)
    client.post(f"/help/{help_request.pk}/transition/", {"to": "done"})
    help_request.refresh_from_db()
    assert help_request.status == S.IN_PROGRESS


def test_complete_without_a_report_is_refused(client, programme, staff, resident):
    help_request = HelpRequestFactory(requester=resident, status=S.ASSIGNED, programme=programme)
    accepted_helper(help_request)
    client.force_login(staff)
    response = client.post(f"/api/v1/help-requests/{help_request.pk}/complete")
    assert response.status_code == 409
    assert response.json()["message"] == (
        "Закрыть просьбу как выполненную можно после отчёта помощника о том, что сделано."
    )
    help_request.refresh_from_db()
    assert help_request.status == S.ASSIGNED
