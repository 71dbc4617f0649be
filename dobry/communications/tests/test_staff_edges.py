"""What the staff's pages and API do at their edges, each once for page and API where
both exist: changing a segment (the API's PUT, every role), a mailing page is refused to
an outsider and a 404 when missing, a suppression taken off only with a reason, news
never added or changed in the admin, and the site must provide the newsrooms."""

import json

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.models import NewsItem, Segment, Suppression
from dobry.communications.news import newsrooms
from dobry.communications.tests.mailing_factories import mailing, segment, subscriber
from dobry.communications.unsubscribe import suppression_remove
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db
API = "/api/v1"


def put(client: Client, path: str, body: dict):
    return client.put(API + path, json.dumps(body), content_type="application/json")


def test_anonymous_cannot_change_a_segment():
    s = segment(name="Все")
    assert put(Client(), f"/mailing-segments/{s.pk}", {"name": "Никто"}).status_code == 401
    s.refresh_from_db()
    assert s.name == "Все"


@pytest.mark.parametrize("role", [{}, {"is_expert": True}])
def test_an_outsider_cannot_change_a_segment(role):
    s = segment(name="Все")
    response = put(bearer(UserFactory(**role)), f"/mailing-segments/{s.pk}", {"name": "Никто"})
    assert response.status_code in (403, 404)
    s.refresh_from_db()
    assert s.name == "Все"


@pytest.mark.parametrize("role", ["is_coordinator", "is_official"])
def test_staff_change_a_segment_and_see_its_new_size(role):
    subscriber(is_coordinator=True)
    subscriber()
    s = segment(name="Все")
    body = {"name": "Координаторы", "roles": ["coordinator"]}
    response = put(bearer(UserFactory(**{role: True})), f"/mailing-segments/{s.pk}", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["name"], data["roles"]) == ("Координаторы", ["coordinator"])
    # the subscribed coordinator only: the staff member gave no consent to mailings
    assert data["size"] == 1
    s.refresh_from_db()
    assert (s.name, s.roles) == ("Координаторы", ["coordinator"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x", "roles": ["mayor"]}, "roles"),
        ({"name": "x", "active_months": 0}, "active_months"),
        ({"name": "x", "district_ids": [987654]}, "district_ids"),
    ],
)
def test_a_bad_segment_change_is_a_422_at_the_field_and_keeps_the_segment(coordinator, body, field):
    s = segment(name="Все")
    response = put(bearer(coordinator), f"/mailing-segments/{s.pk}", body)
    assert response.status_code == 422
    assert any(field in name for name in response.json()["errors"]), response.json()
    s.refresh_from_db()
    assert (s.name, s.roles) == ("Все", [])


def test_a_missing_segment_is_a_404(coordinator):
    response = put(bearer(coordinator), "/mailing-segments/987654", {"name": "x"})
    assert response.status_code == 404
    assert not Segment.objects.exists()


@pytest.mark.parametrize("path", ["/mailings/{pk}/", "/mailings/{pk}/edit/"])
def test_a_mailing_page_is_refused_to_an_outsider_and_a_404_for_a_missing_mailing(
    login_as, coordinator, resident, path
):
    m = mailing()
    assert login_as(resident).get(path.format(pk=m.pk)).status_code == 403
    assert login_as(coordinator).get(path.format(pk=987654)).status_code == 404
    assert login_as(coordinator).get(path.format(pk=m.pk)).status_code == 200


def test_a_mailing_in_the_api_is_a_404_to_an_outsider_like_a_missing_one(resident, coordinator):
    m = mailing()
    assert bearer(resident).get(f"{API}/mailings/{m.pk}").status_code in (403, 404)
    assert bearer(coordinator).get(f"{API}/mailings/987654").status_code == 404


@pytest.mark.parametrize("why", ["", "   \n"])
def test_a_suppression_is_taken_off_only_with_a_reason(coordinator, why):
    entry = Suppression.objects.create(email="gone@example.org", reason="complaint")
    with pytest.raises(DomainError) as refused:
        suppression_remove(actor=coordinator, suppression=entry, why=why)
    assert "why" in refused.value.field_errors
    assert Suppression.objects.filter(pk=entry.pk).exists()
    assert not AuditEntry.objects.filter(action__startswith="suppression").exists()


def test_news_are_never_added_or_changed_in_the_admin(admin_user):
    model_admin = admin_site._registry[NewsItem]
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False


def test_news_need_the_newsrooms_from_the_site(monkeypatch):
    monkeypatch.setattr(newsrooms, "_provided", [])
    with pytest.raises(ImproperlyConfigured, match="newsrooms"):
        newsrooms.newsrooms()
