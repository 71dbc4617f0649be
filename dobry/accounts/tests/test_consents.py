import pytest

from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.accounts.services import consent_accept


def test_anonymous_cannot_see_consents(client, db):
    assert client.get("/profile/consents/").status_code == 302


def test_user_sees_their_consents_with_version_time_and_ip(login_as, resident):
    ConsentRecord.objects.filter(user=resident).update(ip_address="10.0.0.7")
    body = login_as(resident).get("/profile/consents/").content.decode()
    assert "Согласие на обработку персональных данных" in body
    assert "10.0.0.7" in body
    assert "Согласие на получение рассылки" in body  # offered, not yet given


def test_optional_consent_can_be_given_and_withdrawn(login_as, resident):
    client = login_as(resident)
    client.post("/profile/consents/newsletter/give/", REMOTE_ADDR="10.9.9.9")
    record = ConsentRecord.objects.get(user=resident, document__kind="newsletter")
    assert record.ip_address == "10.9.9.9"
    client.post(f"/profile/consents/{record.pk}/withdraw/")
    record.refresh_from_db()
    assert record.withdrawn_at is not None


def test_withdrawing_asks_first_and_says_what_it_erases(login_as, resident):
    client = login_as(resident)
    consent_accept(user=resident, kind="newsletter", ip_address=None)
    record = ConsentRecord.objects.get(user=resident, document__kind="newsletter")
    listing = client.get("/profile/consents/").content.decode()
    assert f'href="/profile/consents/{record.pk}/withdraw/"' in listing

    page = client.get(f"/profile/consents/{record.pk}/withdraw/")
    record.refresh_from_db()
    assert record.withdrawn_at is None  # a GET (a prefetch, a link checker) withdraws nothing
    assert "Рассылки на ваш адрес прекратятся" in page.content.decode()
    assert 'method="post"' in page.content.decode()


def test_withdrawing_the_health_consent_warns_of_the_erasure_in_the_readers_language(
    login_as, resident
):
    document = ConsentDocument.objects.filter(kind="health_data").order_by("-version").first()
    record = ConsentRecord.objects.create(user=resident, document=document)
    client = login_as(resident)
    russian = client.get(f"/profile/consents/{record.pk}/withdraw/").content.decode()
    assert "в том числе из просьб за близких" in russian
    _speaks_english(resident)
    english = client.get(
        f"/profile/consents/{record.pk}/withdraw/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "relatives" in english


def test_the_required_consent_cannot_be_withdrawn_without_deleting_the_account(login_as, resident):
    record = ConsentRecord.objects.get(user=resident, document__kind="personal_data")
    response = login_as(resident).post(f"/profile/consents/{record.pk}/withdraw/", follow=True)
    record.refresh_from_db()
    assert record.withdrawn_at is None
    assert "удалите учётную запись" in response.content.decode()


def test_someone_elses_consent_cannot_be_withdrawn(login_as, resident, outsider):
    record = ConsentRecord.objects.get(user=resident, document__kind="personal_data")
    assert login_as(outsider).post(f"/profile/consents/{record.pk}/withdraw/").status_code == 404


def test_a_new_version_of_a_text_is_what_gets_accepted(resident):
    ConsentDocument.objects.create(kind="newsletter", version=2, title="v2", text="Новый текст")
    record = consent_accept(user=resident, kind="newsletter", ip_address=None)
    assert record.document.version == 2


@pytest.mark.django_db
def test_consent_documents_are_public(client):
    response = client.get("/consents/personal_data/")
    assert response.status_code == 200
    assert "Версия 1" in response.content.decode()
    assert client.get("/consents/unknown/").status_code == 404


def _speaks_english(user) -> None:
    """A signed-in person reads pages in their stored language, whatever the browser asks
    (`accounts.middleware.UserLanguageMiddleware`)."""
    type(user).objects.filter(pk=user.pk).update(language="en")
