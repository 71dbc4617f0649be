"""The help pages read through selectors and permission functions, as the API does: the
public list and GET /api/v1/help-requests/public are one selector and show the same
requests; «Мои просьбы», the dashboard's figures and the offer a helper answers come
from `selectors` / `permissions`, not from queries written in the views."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.core.models import District
from dobry.events.tests.factories import volunteer
from dobry.helprequests import permissions, selectors
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
VIEWS = Path(__file__).resolve().parents[1] / "views"


@pytest.fixture
def districts():
    return (
        District.objects.create(name="Центр", slug="centre"),
        District.objects.create(name="Первомайский", slug="pervomaisky"),
    )


def test_no_help_page_queries_a_model_itself():
    """Views call selectors and permission functions; a `.objects.` in a view is a read
    the API does not share."""
    found = [
        f"{path.name}:{number}"
        for path in sorted(VIEWS.glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\.objects\.|\.filter\(", line)
    ]
    assert found == []


def test_the_public_list_page_and_api_show_the_same_requests(districts, client):
    centre, other = districts
    shown = [
        HelpRequestFactory(status=S.VERIFIED, district=centre, summary="Центр, срочно"),
        HelpRequestFactory(status=S.MATCHING, district=centre, category="transport"),
        HelpRequestFactory(status=S.OFFERED, district=other),
    ]
    HelpRequestFactory(status=S.NEW, district=centre, summary="Новая, не проверена")
    HelpRequestFactory(status=S.DONE, district=centre, summary="Уже помогли")
    api = Client().get("/api/v1/help-requests/public").json()
    assert {row["id"] for row in api["items"]} == {r.pk for r in shown}
    page = client.get("/help/").content.decode()
    assert "Новая, не проверена" not in page
    assert "Уже помогли" not in page
    assert "Центр, срочно" in page
    for filters, api_query in (
        ({"category": "transport"}, "category=transport"),
        ({"district": centre.pk}, "district=centre"),
    ):
        expected = {r.pk for r in selectors.public_requests(filters)}
        got = Client().get(f"/api/v1/help-requests/public?{api_query}").json()["items"]
        assert {row["id"] for row in got} == expected


def test_my_districts_narrow_the_public_list_to_a_volunteers_own(districts):
    centre, other = districts
    here = HelpRequestFactory(status=S.VERIFIED, district=centre, summary="В моём районе")
    HelpRequestFactory(status=S.VERIFIED, district=other, summary="В чужом районе")
    helper = volunteer()
    VolunteerProfile.objects.get(user=helper).districts.add(centre)
    assert selectors.volunteer_districts(helper) == [centre.pk]
    assert selectors.volunteer_districts(UserFactory()) == []
    page = Client()
    page.force_login(helper)
    text = page.get("/help/?my_districts=on").content.decode()
    assert here.summary in text
    assert "В чужом районе" not in text


def test_mine_lists_own_requests_offers_and_requests_routed_to_my_programmes(resident):
    own = HelpRequestFactory(requester=resident, summary="Моя просьба")
    offered = HelpRequestFactory(status=S.OFFERED, summary="Мне предложили")
    HelpOffer.objects.create(
        request=offered, volunteer=resident, expires_at=timezone.now() + timedelta(hours=1)
    )
    programme = ProgrammeFactory()
    MembershipFactory(
        organization=programme.organization, user=resident, role=Membership.Role.EDITOR
    )
    routed = HelpRequestFactory(status=S.VERIFIED, programme=programme, summary="Нашей программе")
    HelpRequestFactory(summary="Чужая просьба")
    assert list(selectors.own_requests(resident)) == [own]
    assert [o.request for o in selectors.offers_to(resident)] == [offered]
    assert list(selectors.routed_to(resident)) == [routed]
    page = Client()
    page.force_login(resident)
    text = page.get("/help/mine/").content.decode()
    for summary in ("Моя просьба", "Мне предложили", "Нашей программе"):
        assert summary in text
    assert "Чужая просьба" not in text


def test_a_plain_member_of_the_organisation_is_not_routed_its_requests(resident):
    programme = ProgrammeFactory()
    MembershipFactory(
        organization=programme.organization, user=resident, role=Membership.Role.MEMBER
    )
    HelpRequestFactory(status=S.VERIFIED, programme=programme)
    assert list(selectors.routed_to(resident)) == []


def test_the_desk_figures_count_the_open_requests_and_the_unanswered_offers(districts):
    centre, _other = districts
    now = timezone.now()  # the rows are created after it
    for _n in range(2):
        HelpRequestFactory(status=S.VERIFIED, district=centre)
    waiting = HelpRequestFactory(status=S.OFFERED, district=centre, category="transport")
    HelpRequestFactory(status=S.DONE)
    HelpOffer.objects.create(
        request=waiting, volunteer=UserFactory(), expires_at=now + timedelta(hours=1)
    )
    figures = selectors.desk_figures(now + timedelta(hours=2))
    assert figures.open_count == 3
    assert figures.unanswered_offers == 1
    assert figures.by_category[0] == {"category": "delivery", "n": 2}
    assert figures.by_district == [{"district__name": "Центр", "n": 3}]
    assert figures.average_wait is not None
    assert timedelta(hours=1, minutes=59) < figures.average_wait <= timedelta(hours=2)


def test_the_dashboard_shows_the_figures_to_coordinators_only(coordinator, resident):
    HelpRequestFactory(status=S.VERIFIED)
    staff = Client()
    staff.force_login(coordinator)
    assert staff.get("/help/dashboard/").status_code == 200
    outsider = Client()
    outsider.force_login(resident)
    assert outsider.get("/help/dashboard/").status_code == 403
    assert Client().get("/help/dashboard/").status_code == 302


def test_an_offer_is_answered_only_by_its_volunteer_on_the_page_and_the_api(resident):
    help_request = HelpRequestFactory(status=S.OFFERED)
    helper = volunteer()
    offer = HelpOffer.objects.create(
        request=help_request, volunteer=helper, expires_at=timezone.now() + timedelta(hours=1)
    )
    assert permissions.get_offer_for_volunteer(helper, offer.pk) == offer
    for someone in (resident, UserFactory(is_coordinator=True)):
        with pytest.raises(Http404):
            permissions.get_offer_for_volunteer(someone, offer.pk)
        page = Client()
        page.force_login(someone)
        answer = page.post(f"/help/offers/{offer.pk}/answer/", {"answer": "accept"})
        assert answer.status_code == 404
        assert bearer(someone).post(f"/api/v1/offers/{offer.pk}/accept").status_code == 404
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.OFFERED
    assert selectors.offer_to_answer(helper, help_request) == offer
    assert selectors.offer_to_answer(resident, help_request) is None
