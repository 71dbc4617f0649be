"""The one-click unsubscribe page tells whoever holds the link (a forwarded letter) neither
the full address nor the kinds of roles the person lacks (issue 11 §4): the email is masked,
and only the kinds the account's roles receive are offered — on the page and in
/api/v1/me/subscriptions alike."""

import pytest

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.kinds import KINDS
from dobry.communications.suppression_views import kind_choices, masked_email
from dobry.communications.unsubscribe import unsubscribe_token

pytestmark = pytest.mark.django_db

COORDINATORS_ONLY = "Новая просьба о помощи (координаторам)"
FOR_ANYONE = "Мероприятие изменилось"


@pytest.mark.parametrize(
    ("address", "shown"),
    [("ivanova@mail.ru", "i***@mail.ru"), ("a@b.ru", "a***@b.ru"), ("broken", "***")],
)
def test_the_address_is_masked(address, shown):
    assert masked_email(address) == shown


def test_a_volunteers_page_shows_the_masked_address_and_no_coordinators_kinds(client):
    person = UserFactory(email="ivanova@mail.ru")
    page = client.get(f"/u/{unsubscribe_token(person.email, kind='weekly_digest')}/")
    text = page.content.decode()
    assert "i***@mail.ru" in text
    assert "ivanova@mail.ru" not in text
    assert FOR_ANYONE in text
    assert COORDINATORS_ONLY not in text
    assert "(организаторам)" not in text


def test_a_coordinator_is_offered_the_coordinators_kinds(client):
    coordinator = UserFactory(email="olga@city.ru", is_coordinator=True)
    page = client.get(f"/u/{unsubscribe_token(coordinator.email, kind='weekly_digest')}/")
    assert COORDINATORS_ONLY in page.content.decode()


def test_an_address_with_no_account_is_offered_only_the_kinds_for_anyone():
    keys = {key for key, _label in kind_choices("nobody@example.org")}
    assert "help_request_new" not in keys
    assert "grant_review_assigned" not in keys
    assert "event_changed" in keys
    assert all(not KINDS[key].audience for key in keys if key in KINDS)


def test_the_api_lists_the_same_kinds_as_the_page():
    person = UserFactory(email="ivanova@mail.ru")
    kinds = [k["kind"] for k in bearer(person).get("/api/v1/me/subscriptions").json()["kinds"]]
    assert kinds == [key for key, _label in kind_choices(person.email)]
    assert "help_request_new" not in kinds
