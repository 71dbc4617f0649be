import pytest

from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory

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
    response = client.post(
        "/help/new/", {**FORM, "health_info": "Плохо видит", "health_consent": "on"}
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
    helper = volunteer(email="helper@example.org")
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
