"""The staff's suppression list, page and API alike: coordinators (and the platform's
administrators) see every address with its reason, search it, and take an address off with a
reason that the audit log keeps; everyone else is refused. Plus one's own subscriptions and
unsubscribing by token through the API."""

import pytest
from django.urls import reverse

from dobry.accounts.tests.factories import bearer
from dobry.communications.models import Suppression, Unsubscription
from dobry.communications.unsubscribe import may_mail, suppression_add, unsubscribe_token
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LIST = "/communications/suppressions/"


@pytest.fixture
def listed():
    suppression_add(
        address="spam@example.org", reason=Suppression.Reason.COMPLAINT, source="webhook"
    )
    return suppression_add(
        address="gone@example.org",
        reason=Suppression.Reason.HARD_BOUNCE,
        source="mailbox:imap; score 5.0",
    )


def test_anonymous_is_sent_to_sign_in(client, listed):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert (
        client.post(reverse("suppression:remove", args=[listed.pk]), {"why": "x"}).status_code
        == 302
    )
    assert Suppression.objects.count() == 2


@pytest.mark.parametrize("role", ["resident", "outsider", "official"])
def test_other_roles_are_refused_page_and_api(role, request, login_as, listed):
    user = request.getfixturevalue(role)
    assert login_as(user).get(LIST).status_code == 403
    response = login_as(user).post(reverse("suppression:remove", args=[listed.pk]), {"why": "x"})
    assert response.status_code == 403
    api = bearer(user)
    assert api.get("/api/v1/suppressions").status_code == 403
    remove = api.post(
        f"/api/v1/suppressions/{listed.pk}/remove", {"why": "x"}, content_type="application/json"
    )
    assert remove.status_code == 403
    assert Suppression.objects.count() == 2


@pytest.mark.parametrize("role", ["coordinator", "admin_user"])
def test_staff_see_every_address_with_its_reason(role, request, login_as, listed):
    page = login_as(request.getfixturevalue(role)).get(LIST)
    html = page.content.decode()
    assert page.status_code == 200
    assert "gone@example.org" in html
    assert "письма не доходят" in html
    assert "spam@example.org" in html
    assert "жалоба на спам" in html
    assert "score 5.0" in html


def test_staff_search_by_address_and_reason(coordinator, login_as, listed):
    client = login_as(coordinator)
    html = client.get(LIST, {"q": "GONE@"}).content.decode()
    assert "gone@example.org" in html
    assert "spam@example.org" not in html
    html = client.get(LIST, {"reason": "complaint"}).content.decode()
    assert "spam@example.org" in html
    assert "gone@example.org" not in html
    assert client.get(LIST, {"reason": "nonsense"}).status_code == 400
    api = bearer(coordinator).get("/api/v1/suppressions", {"q": "gone"})
    assert [row["email"] for row in api.json()["items"]] == ["gone@example.org"]


def test_staff_remove_an_address_with_a_reason_and_it_is_audited(coordinator, login_as, listed):
    client = login_as(coordinator)
    url = reverse("suppression:remove", args=[listed.pk])
    assert client.post(url, {"why": ""}).status_code == 400
    assert Suppression.objects.filter(pk=listed.pk).exists()
    response = client.post(url, {"why": "Ящик снова работает, проверили по телефону"})
    assert response.status_code == 302
    assert not Suppression.objects.filter(pk=listed.pk).exists()
    assert may_mail("gone@example.org", kind="weekly_digest")
    entry = AuditEntry.objects.get(action="suppression.remove")
    assert entry.actor == coordinator
    assert entry.data == {
        "reason": "hard_bounce",
        "why": "Ящик снова работает, проверили по телефону",
    }
    assert client.post(url, {"why": "again"}).status_code == 404


def test_the_api_removes_with_a_reason(coordinator, listed):
    api = bearer(coordinator)
    url = f"/api/v1/suppressions/{listed.pk}/remove"
    assert api.post(url, {"why": ""}, content_type="application/json").status_code == 422
    assert (
        api.post(url, {"why": "ошибка провайдера"}, content_type="application/json").status_code
        == 204
    )
    assert not Suppression.objects.filter(pk=listed.pk).exists()
    assert (
        api.post(
            "/api/v1/suppressions/999999/remove", {"why": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_the_list_costs_the_same_queries_for_one_row_and_many(
    coordinator, login_as, django_assert_max_num_queries
):
    client = login_as(coordinator)
    suppression_add(address="one@example.org", reason=Suppression.Reason.STAFF)
    client.get(LIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for n in range(30):
        suppression_add(address=f"many{n}@example.org", reason=Suppression.Reason.STAFF)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(one)


def test_my_subscriptions_through_the_api(resident):
    api = bearer(resident)
    mine = api.get("/api/v1/me/subscriptions").json()
    assert mine["suppressed"] is False
    kinds = {row["kind"]: row["subscribed"] for row in mine["kinds"]}
    assert kinds["weekly_digest"] is True
    assert "account" not in kinds
    changed = api.patch(
        "/api/v1/me/subscriptions",
        {"kinds": {"weekly_digest": False}},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert {r["kind"]: r["subscribed"] for r in changed.json()["kinds"]}["weekly_digest"] is False
    assert Unsubscription.objects.filter(
        email=resident.email.lower(), kind="weekly_digest"
    ).exists()
    unknown = api.patch(
        "/api/v1/me/subscriptions", {"kinds": {"nope": False}}, content_type="application/json"
    )
    assert unknown.status_code == 422
    assert "kinds.nope" in unknown.json()["errors"]


def test_unsubscribe_by_token_through_the_api_needs_no_login(client):
    token = unsubscribe_token("anna@example.org", kind="weekly_digest")
    response = client.post("/api/v1/unsubscribe", {"token": token}, content_type="application/json")
    assert response.status_code == 200
    assert Suppression.objects.get().email == "anna@example.org"
    forged = client.post(
        "/api/v1/unsubscribe", {"token": token[:-3] + "abc"}, content_type="application/json"
    )
    assert forged.status_code == 404
    assert (
        client.post(
            "/api/v1/unsubscribe", {"token": "x" * 501}, content_type="application/json"
        ).status_code
        == 422
    )
    assert Suppression.objects.count() == 1


def test_the_api_operations_are_in_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/me/subscriptions",
        "/api/v1/unsubscribe",
        "/api/v1/suppressions",
        "/api/v1/suppressions/{pk}/remove",
    ]:
        assert path in paths


def test_the_menu_leads_coordinators_to_the_list_and_nobody_else(coordinator, resident, login_as):
    assert LIST in login_as(coordinator).get("/").content.decode()
    assert LIST not in login_as(resident).get("/").content.decode()
