"""Lists cost the same with one row and with many: the helper's offers and the staff's
routed requests on «Мои просьбы», a coordinator's request page with its offers and
candidates, the dashboard's load, the day's plan, and the API's lists."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.services import api_token_create
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
MANY = 15


def offer(help_request, person, status=HelpOffer.Status.OFFERED):
    return HelpOffer.objects.create(
        request=help_request,
        volunteer=person,
        status=status,
        expires_at=timezone.now() + timedelta(hours=12),
    )


def skilled_volunteer():
    person = volunteer()
    VolunteerProfile.objects.filter(user=person).update(skills="курьер, вожу машину")
    return person


@pytest.mark.parametrize("count", [1, MANY])
def test_my_offers_and_routed_requests_cost_the_same(
    login_as, django_assert_max_num_queries, count
):
    helper = volunteer()
    programme = ProgrammeFactory()
    staff = MembershipFactory(organization=programme.organization, role=Membership.Role.EDITOR).user
    for _ in range(count):
        offer(HelpRequestFactory(status=S.OFFERED), helper)
        HelpRequestFactory(status=S.MATCHING, programme=programme)
    browser = login_as(helper)
    with django_assert_max_num_queries(7):
        page = browser.get("/help/mine/")
    assert len(page.context["offers"]) == count
    browser = login_as(staff)
    with django_assert_max_num_queries(7):
        page = browser.get("/help/mine/")
    assert len(page.context["routed"]) == count


@pytest.mark.parametrize("count", [1, MANY])
def test_a_coordinators_request_page_costs_the_same_for_many_offers_and_candidates(
    login_as, coordinator, django_assert_max_num_queries, count
):
    help_request = HelpRequestFactory(status=S.OFFERED)
    for _ in range(count):
        offer(help_request, volunteer())
        skilled_volunteer()
    browser = login_as(coordinator)
    with django_assert_max_num_queries(24):
        page = browser.get(help_request.get_absolute_url())
    assert page.status_code == 200
    assert len(page.context["offers"]) == count
    assert len(page.context["candidates"]) == min(count, 10)


@pytest.mark.parametrize("count", [1, MANY])
def test_the_dashboard_costs_the_same_for_many_busy_helpers(
    login_as, coordinator, django_assert_max_num_queries, count
):
    for _ in range(count):
        offer(HelpRequestFactory(status=S.ASSIGNED), volunteer(), HelpOffer.Status.ACCEPTED)
    browser = login_as(coordinator)
    with django_assert_max_num_queries(14):
        page = browser.get("/help/dashboard/")
    assert page.context["open_count"] == count
    assert len(page.context["load"]) == min(count, 10)


@pytest.mark.parametrize("count", [1, MANY])
def test_the_queue_costs_the_same_with_possible_duplicates(
    login_as, coordinator, django_assert_max_num_queries, count
):
    first = HelpRequestFactory()
    for _ in range(count):
        HelpRequestFactory(possible_duplicate_of=first, programme=ProgrammeFactory())
    browser = login_as(coordinator)
    with django_assert_max_num_queries(6):
        page = browser.get("/help/queue/")
    assert "возможный повтор" in page.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_the_days_plan_costs_a_few_queries_per_request_never_per_person(
    login_as, coordinator, django_assert_max_num_queries, count
):
    for _ in range(count):
        HelpRequestFactory(status=S.VERIFIED)
        skilled_volunteer()
        skilled_volunteer()
    browser = login_as(coordinator)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=coordinator, name='t')[1]}")
    # each request's candidates are ranked in a few queries: linear in requests only
    with django_assert_max_num_queries(8 + 6 * count):
        page = browser.get("/help/batch/")
    assert len(page.context["plan"].rows) == count
    with django_assert_max_num_queries(4 + 6 * count):
        response = api.get("/api/v1/help-requests/batch")
    assert len(response.json()["requests"]) == count


@pytest.mark.parametrize("count", [1, MANY])
def test_the_public_api_list_costs_the_same(client, django_assert_max_num_queries, count):
    for _ in range(count):
        HelpRequestFactory(status=S.MATCHING)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/help-requests/public")
    assert response.json()["count"] == count
