"""One rule where two had drifted: anonymous readers get the same answer from the page and
the API; one KPI answer says one number of residents helped; a question asked by an
organisation names it; a coordinator offering to themself is told the right thing; a
summary the platform wrote is read in the reader's language."""

import json

import pytest
from django.utils import timezone
from django.utils.translation import override

from dobry.communications.models import Notification
from dobry.helprequests.models import HELP_GIVEN_SUMMARY, HelpRequest
from dobry.helprequests.services import workflow
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.reports import dashboard, economics, periods

pytestmark = pytest.mark.django_db
S = HelpRequest.Status


@pytest.mark.parametrize(("status", "answer"), [(S.VERIFIED, 200), (S.NEW, 404)])
def test_anonymous_page_and_api_answer_alike(client, status, answer):
    help_request = HelpRequestFactory(status=status)
    assert client.get(f"/help/{help_request.pk}/").status_code == answer
    api = client.get(f"/api/v1/help-requests/{help_request.pk}")
    assert api.status_code == answer
    if answer == 200:
        assert api.json()["summary"] == help_request.summary
        assert api.json()["private"] is None


def test_one_kpi_answer_says_one_number_of_residents_helped(client):
    year = periods.last_full_year()
    period = periods.year(year)
    economics.figures(period)  # cached before the help below was done
    for n in range(3):
        HelpRequestFactory(
            status=S.DONE,
            recipient_phone=f"+7913000000{n}",
            closed_at=timezone.make_aware(timezone.datetime(year, 6, 1 + n, 12)),
        )
    dashboard.build(period, trend=False, fresh=True)
    body = client.get("/api/v1/kpi").json()
    helped = next(i["value"] for i in body["indicators"] if i["indicator"] == "helped_residents")
    cost = next(e for e in body["economics"] if e["indicator"] == "cost_per_resident")
    assert float(helped) == 3
    assert float(cost["inputs"]["residents_helped"]) == 3


def test_a_question_from_an_organisation_names_it(resident):
    programme = ProgrammeFactory(organization__name="Тёплый дом")
    staff = MembershipFactory(organization=programme.organization, role=Membership.Role.EDITOR).user
    help_request = HelpRequestFactory(requester=resident, status=S.MATCHING, programme=programme)
    workflow.request_move(actor=staff, help_request=help_request, to=S.WAITING, reason="Этаж?")
    message = Notification.objects.get(user=resident)
    assert message.title == "Организации «Тёплый дом» нужно кое-что уточнить по вашей просьбе"
    assert "Координатору" not in message.body


def test_a_question_from_a_coordinator_says_coordinator(resident, coordinator):
    help_request = HelpRequestFactory(requester=resident, status=S.VERIFIED)
    workflow.request_move(
        actor=coordinator, help_request=help_request, to=S.WAITING, reason="Этаж?"
    )
    message = Notification.objects.get(user=resident)
    assert message.title == "Координатору нужно кое-что уточнить по вашей просьбе"


def test_a_coordinator_offering_to_themself_is_told_another_coordinator_may(client, coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    client.force_login(coordinator)
    response = client.post(
        f"/api/v1/help-requests/{help_request.pk}/offers",
        json.dumps({"volunteers": [coordinator.pk]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["message"] == (
        "Предложить просьбу самому себе нельзя: предложить её вам может другой координатор."
    )


def test_a_summary_the_platform_wrote_is_read_in_the_readers_language():
    help_request = HelpRequestFactory(status=S.DONE, summary=HELP_GIVEN_SUMMARY)
    help_request.refresh_from_db()
    assert help_request.summary == "Помощь жителю выполнена"  # the stored code
    with override("en"):
        assert help_request.summary_text == "A resident was helped"
    with override("ru"):
        assert help_request.summary_text == "Помощь жителю выполнена"
