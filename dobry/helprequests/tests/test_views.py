import pytest

from dobry.accounts.tests.factories import written_consent
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    offerable_volunteer,
)

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
FORM = {
    "category": "delivery",
    "summary": "Привезти продукты пожилому человеку",
    "details": "Хлеб и молоко",
    "recipient_name": "Мария Ивановна",
    "recipient_phone": "8 913 111 22 33",
    "address": "ул. Ленина, 5",
    "asap": "on",
    "recurrence": "once",
    "volunteers_needed": 1,
    "relation": "relative",
}


def test_asking_needs_login(client):
    assert client.get("/help/new/").status_code == 302


def test_resident_asks_for_help_and_health_data_needs_the_consent(login_as, resident):
    client = login_as(resident)
    refused = client.post("/help/new/", {**FORM, "health_info": "Плохо видит"})
    assert "отдельным письменным согласием" in refused.content.decode()
    assert not HelpRequest.objects.exists()
    assert "/profile/consents/health_data/sign/" in refused.content.decode()
    checkbox_only = client.post(
        "/help/new/", {**FORM, "health_info": "Плохо видит", "health_consent": "on"}
    )
    assert "письменным согласием" in checkbox_only.content.decode()
    assert not HelpRequest.objects.exists()
    written_consent(resident)
    response = client.post(
        "/help/new/",
        {
            **FORM,
            "health_info": "Плохо видит",
            "health_consent": "on",
            "health_on_behalf": "on",  # FORM asks for a relative
        },
    )
    request = HelpRequest.objects.get()
    assert response["Location"] == f"/help/{request.pk}/"
    assert "Мария Ивановна" in client.get(f"/help/{request.pk}/").content.decode()
    assert "Привезти продукты" in client.get("/help/mine/").content.decode()


def test_a_summary_with_the_name_is_explained_and_input_kept(login_as, resident):
    response = login_as(resident).post("/help/new/", {**FORM, "summary": "Помочь Марии Ивановне"})
    body = response.content.decode()
    assert "уберите из него имя" in body
    assert 'value="ул. Ленина, 5"' in body


@pytest.mark.parametrize("count", [1, 25])
def test_queue_has_a_fixed_query_count(login_as, coordinator, django_assert_max_num_queries, count):
    HelpRequestFactory.create_batch(count)
    client = login_as(coordinator)
    with django_assert_max_num_queries(6):
        assert client.get("/help/queue/").status_code == 200


@pytest.mark.parametrize("count", [1, 25])
def test_public_list_has_a_fixed_query_count(client, django_assert_max_num_queries, count):
    HelpRequestFactory.create_batch(count, status=S.MATCHING)
    with django_assert_max_num_queries(4):
        assert client.get("/help/").status_code == 200


def test_coordinator_triages_offers_and_the_volunteer_accepts(login_as, coordinator):
    request = HelpRequestFactory()
    helper = offerable_volunteer(email="helper@example.org")
    client = login_as(coordinator)
    client.post(f"/help/{request.pk}/transition/", {"to": "verified"})
    client.post(f"/help/{request.pk}/offer/", {"emails": "helper@example.org"})
    offer = HelpOffer.objects.get()
    login_as(helper).post(f"/help/offers/{offer.pk}/answer/", {"answer": "accept"})
    request.refresh_from_db()
    assert request.status == S.ASSIGNED
    assert "Мария Ивановна" in login_as(helper).get(f"/help/{request.pk}/").content.decode()


def test_a_refusal_without_a_reason_is_explained(login_as, coordinator):
    request = HelpRequestFactory()
    response = login_as(coordinator).post(
        f"/help/{request.pk}/transition/", {"to": "rejected"}, follow=True
    )
    assert "Укажите причину" in response.content.decode()
    request.refresh_from_db()
    assert request.status == S.NEW


def test_programmes_catalogue_is_public(client):
    ProgrammeFactory(name="Продуктовая помощь пенсионерам", funding=["budget", "grant"])
    body = client.get("/help/programmes/").content.decode()
    assert "Продуктовая помощь пенсионерам" in body
    assert "бюджет, грант" in body


def test_a_volunteer_offers_themselves_from_the_public_summary(login_as, coordinator):
    from dobry.communications.models import Notification

    request = HelpRequestFactory(status=S.MATCHING)
    helper = offerable_volunteer()
    client = login_as(helper)
    assert "Я могу помочь" in client.get(f"/help/{request.pk}/").content.decode()
    client.post(f"/help/{request.pk}/self-offer/")
    assert Notification.objects.filter(user=coordinator, kind="help_self_offer").exists()


def test_organisation_editors_describe_their_programmes(login_as, resident, outsider):
    from dobry.helprequests.models import Programme
    from dobry.organizations.models import Membership
    from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    data = {
        "organization": organization.pk,
        "name": "Социальное такси",
        "category": "transport",
        "target_group": "люди на колясках",
        "starts_on": "2026-01-01",
        "funding": ["budget"],
        "is_active": "on",
    }
    login_as(outsider).post("/help/programmes/new/", data)
    assert not Programme.objects.exists()
    login_as(resident).post("/help/programmes/new/", data)
    programme = Programme.objects.get()
    assert programme.funding == ["budget"]
    assert login_as(outsider).get(f"/help/programmes/{programme.pk}/edit/").status_code == 403
    bad = login_as(resident).post(
        f"/help/programmes/{programme.pk}/edit/", {**data, "ends_on": "2025-01-01"}
    )
    assert "позже начала" in bad.content.decode()


def test_dashboard_for_coordinators_and_officials(login_as, coordinator, official, resident):
    HelpRequestFactory(
        status=S.DONE, closed_at=__import__("django.utils.timezone", fromlist=["now"]).now()
    )
    HelpRequestFactory()
    assert login_as(resident).get("/help/dashboard/").status_code == 403
    assert login_as(official).get("/help/dashboard/").status_code == 200
    body = login_as(coordinator).get("/help/dashboard/").content.decode()
    assert '<div class="value">1</div>открытая просьба</div>' in body


@pytest.mark.parametrize("count", [1, 20])
def test_the_other_lists_keep_a_fixed_query_count(
    client, login_as, resident, coordinator, django_assert_max_num_queries, count
):
    from dobry.helprequests.tests.factories import ProgrammeFactory

    ProgrammeFactory.create_batch(count)
    HelpRequestFactory.create_batch(count, requester=resident, status=S.MATCHING)
    with django_assert_max_num_queries(4):
        assert client.get("/help/programmes/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/programmes").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/help-requests/public").status_code == 200
    requester, staff = login_as(resident), login_as(coordinator)
    with django_assert_max_num_queries(6):
        assert requester.get("/help/mine/").status_code == 200
    with django_assert_max_num_queries(14):
        assert staff.get("/help/dashboard/").status_code == 200


def test_a_volunteer_narrows_open_requests_to_their_districts(client, login_as):
    from dobry.core.models import District
    from dobry.helprequests.tests.factories import offerable_volunteer
    from dobry.volunteering.models import VolunteerProfile

    north = District.objects.create(name="Северный", slug="north", position=1)
    south = District.objects.create(name="Южный", slug="south", position=2)
    helper = offerable_volunteer()
    VolunteerProfile.objects.get(user=helper).districts.set([north])
    HelpRequestFactory(status=S.MATCHING, district=north, summary="Помочь на севере")
    HelpRequestFactory(status=S.MATCHING, district=south, summary="Помочь на юге")
    page = login_as(helper).get("/help/", {"my_districts": "on"}).content.decode()
    assert "Помочь на севере" in page
    assert "Помочь на юге" not in page
    assert "Только в моих районах" in page
    anonymous = client.get("/help/", {"my_districts": "on"}).content.decode()
    assert "Помочь на юге" in anonymous  # nothing to narrow to
    assert "Только в моих районах" not in anonymous
