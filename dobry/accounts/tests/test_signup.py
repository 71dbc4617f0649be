import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from dobry.accounts.models import ConsentRecord, User
from dobry.communications.models import OutboundEmail

FORM = {
    "first_name": "Мария",
    "last_name": "Волонтёрова",
    "email": "maria@example.org",
    "password1": "Sibir-2026-dobro",
    "password2": "Sibir-2026-dobro",
    "consent_personal_data": "on",
    "consent_terms": "on",
}


@pytest.mark.django_db
def test_signup_page_shows_the_personal_data_consent_on_its_own(client):
    body = client.get("/accounts/signup/").content.decode()
    assert 'name="consent_personal_data"' in body
    assert 'name="consent_terms"' in body
    assert "Согласие на обработку персональных данных" in body
    assert "152-ФЗ" in body


@pytest.mark.django_db
def test_signup_without_the_personal_data_consent_is_refused_and_input_kept(client):
    data = {**FORM}
    del data["consent_personal_data"]
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Без согласия на обработку данных регистрация невозможна." in body
    assert 'value="maria@example.org"' in body
    assert not User.objects.filter(email="maria@example.org").exists()


@pytest.mark.django_db
def test_signup_records_each_consent_with_version_time_and_ip(client):
    response = client.post(
        "/accounts/signup/", {**FORM, "consent_newsletter": "on"}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    user = User.objects.get(email="maria@example.org")
    assert user.first_name == "Мария"
    records = ConsentRecord.objects.filter(user=user).select_related("document")
    assert {r.document.kind for r in records} == {"personal_data", "terms", "newsletter"}
    assert all(r.ip_address == "10.1.2.3" and r.document.version == 1 for r in records)


@pytest.mark.django_db
def test_signup_sends_a_verification_email_through_the_outbox_and_login_waits_for_it(client):
    client.post("/accounts/signup/", FORM)
    outbox_row = OutboundEmail.objects.get(to="maria@example.org")
    assert outbox_row.state == OutboundEmail.State.SENT
    assert len(mail.outbox) == 1
    assert not EmailAddress.objects.get(email="maria@example.org").verified

    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "maria@example.org", "password": FORM["password1"]}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="maria@example.org").verified


@pytest.mark.django_db
def test_repeated_failed_logins_are_rate_limited(client, resident, settings):
    for _ in range(5):
        client.post("/accounts/login/", {"login": resident.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": resident.email, "password": "wrong"})
    assert response.status_code in (200, 429)
    assert "Слишком много неудачных попыток входа" in response.content.decode()
