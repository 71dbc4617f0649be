"""An offer's refusal names the field the person was sent in: `volunteers` (ids) or
`emails`, in the API and the page's form alike (issue 11 §2)."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from conftest import login
from dobry.accounts.services import api_token_create
from dobry.accounts.tests.factories import UserFactory
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import triage
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    offerable_volunteer,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = HelpRequest.Status


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


@pytest.fixture
def routed(coordinator):
    """A request routed to a programme whose editor also volunteers."""
    programme = ProgrammeFactory()
    staff = offerable_volunteer()
    MembershipFactory(user=staff, organization=programme.organization, role=Membership.Role.EDITOR)
    help_request = HelpRequestFactory(status=S.VERIFIED, health_info="Диабет")
    triage.request_route(actor=coordinator, help_request=help_request, programme=programme)
    return staff, help_request


def offer(user, help_request, body) -> dict:
    response = bearer(user).post(
        f"/api/v1/help-requests/{help_request.pk}/offers", body, content_type="application/json"
    )
    assert response.status_code == 422
    return response.json()["errors"]


def test_an_offer_to_oneself_by_email_is_refused_under_emails(routed):
    staff, help_request = routed
    errors = offer(staff, help_request, {"emails": [staff.email.upper()]})
    assert list(errors) == ["emails"]
    assert not HelpOffer.objects.filter(request=help_request).exists()


def test_an_offer_to_oneself_by_id_is_refused_under_volunteers(routed):
    staff, help_request = routed
    assert list(offer(staff, help_request, {"volunteers": [staff.pk]})) == ["volunteers"]


def test_someone_who_is_not_a_candidate_is_refused_under_the_field_that_named_them(routed):
    staff, help_request = routed
    outsider = UserFactory()
    assert list(offer(staff, help_request, {"emails": [outsider.email]})) == ["emails"]
    assert list(offer(staff, help_request, {"volunteers": [outsider.pk]})) == ["volunteers"]
    both = offer(staff, help_request, {"volunteers": [outsider.pk], "emails": ["x@example.org"]})
    assert sorted(both) == ["emails", "volunteers"]


def test_the_page_refuses_an_offer_to_oneself_by_email_too(routed):
    staff, help_request = routed
    response = login(staff).post(
        reverse("helprequests:offer", args=[help_request.pk]), {"emails": staff.email}
    )
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "самому себе нельзя" in message
    assert not HelpOffer.objects.filter(request=help_request).exists()


def test_the_page_says_what_is_wrong_with_the_emails_field(routed):
    staff, help_request = routed
    response = login(staff).post(
        reverse("helprequests:offer", args=[help_request.pk]), {"emails": "a@b.org\x00"}
    )
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Или предложить по email (через запятую):" in message
    assert "ноль-байт" in message
    assert not HelpOffer.objects.filter(request=help_request).exists()


def test_a_status_change_with_a_nul_in_its_reason_says_so(coordinator):
    help_request = HelpRequestFactory(status=S.NEW)
    response = login(coordinator).post(
        reverse("helprequests:transition", args=[help_request.pk]),
        {"to": "verified", "reason": "ок\x00"},
    )
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Выберите один из допустимых статусов.")
    assert "Причина или комментарий:" in message
    assert "ноль-байт" in message
    help_request.refresh_from_db()
    assert help_request.status == S.NEW
