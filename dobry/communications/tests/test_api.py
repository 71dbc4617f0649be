"""One's notifications and their email preferences through the API: the same permission
function, selectors and services as the notifications and preferences pages — anonymous
(401), someone else's notification (404, as the page), one's own, bad input (422 naming
the field, nothing changed) and the list's query budget."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import bearer
from dobry.communications.kinds import KINDS
from dobry.communications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db
API = "/api/v1/me"


def send(client: Client, method: str, path: str, body: object = None):
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def make(user, count: int = 1, **fields) -> list[Notification]:
    now = timezone.now()
    made = Notification.objects.bulk_create(
        Notification(user=user, kind="organization_verified", title=f"Уведомление {i}", **fields)
        for i in range(count)
    )
    for age, notification in enumerate(made):  # the last made is the newest
        Notification.objects.filter(pk=notification.pk).update(
            created_at=now - timedelta(minutes=count - age)
        )
    return made


def prefs(user) -> dict[str, bool]:
    return dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/notifications"),
        ("post", "/notifications/1/read"),
        ("post", "/notifications/read-all"),
        ("get", "/notification-preferences"),
        ("patch", "/notification-preferences"),
    ],
)
def test_every_operation_needs_credentials(client, resident, method, path):
    (notification,) = make(resident)
    path = path.replace("/1/", f"/{notification.pk}/")
    response = send(client, method, API + path, {"email": {"organization_verified": False}})
    assert response.status_code == 401
    notification.refresh_from_db()
    assert notification.read_at is None
    assert prefs(resident) == {}


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_ones_own_newest_first(resident, outsider):
    older, newer = make(resident, 2, body="Текст", url="/organizations/")
    make(outsider)
    data = bearer(resident).get(f"{API}/notifications").json()
    assert data["count"] == 2
    assert [item["id"] for item in data["items"]] == [newer.pk, older.pk]
    assert data["items"][0] | {"created_at": None} == {
        "id": newer.pk,
        "kind": "organization_verified",
        "title": "Уведомление 1",
        "body": "Текст",
        "url": "/organizations/",
        "created_at": None,
        "read_at": None,
    }


def test_the_page_and_the_api_list_the_same_notifications(login_as, resident, outsider):
    make(resident, 3)
    make(outsider)
    page = login_as(resident).get("/notifications/").context["page"]
    items = bearer(resident).get(f"{API}/notifications").json()["items"]
    assert [notification.pk for notification in page] == [item["id"] for item in items]


def test_the_unread_filter_counts_what_the_bell_shows(resident):
    read, unread = make(resident, 2)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    data = bearer(resident).get(f"{API}/notifications", {"unread": "true"}).json()
    assert (data["count"], [item["id"] for item in data["items"]]) == (1, [unread.pk])


@pytest.mark.parametrize(
    ("query", "field"),
    [({"unread": "maybe"}, "query.unread"), ({"page": "0"}, "query.page")],
)
def test_bad_filters_are_refused_naming_them(resident, query, field):
    response = bearer(resident).get(f"{API}/notifications", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_keeps_a_fixed_query_count(resident, count, django_assert_max_num_queries):
    make(resident, count)
    client = bearer(resident)
    with django_assert_max_num_queries(4):
        response = client.get(f"{API}/notifications")
    assert response.json()["count"] == count
    assert len(response.json()["items"]) == min(count, 30)


# --- marking read ---------------------------------------------------------------------------


def test_marking_one_read(resident):
    (notification,) = make(resident)
    response = send(bearer(resident), "post", f"{API}/notifications/{notification.pk}/read")
    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert response.json()["read_at"] is not None
    again = send(bearer(resident), "post", f"{API}/notifications/{notification.pk}/read")
    assert again.json()["read_at"] == response.json()["read_at"]


def test_someone_elses_notification_is_not_found_and_stays_unread(resident, outsider):
    (notification,) = make(resident)
    response = send(bearer(outsider), "post", f"{API}/notifications/{notification.pk}/read")
    assert response.status_code == 404
    assert send(bearer(outsider), "post", f"{API}/notifications/999999/read").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_all_read_touches_only_ones_own(resident, outsider):
    mine = make(resident, 3)
    Notification.objects.filter(pk=mine[0].pk).update(read_at=timezone.now())
    (theirs,) = make(outsider)
    response = send(bearer(resident), "post", f"{API}/notifications/read-all")
    assert response.json() == {"marked": 2}
    assert not Notification.objects.filter(user=resident, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- preferences ----------------------------------------------------------------------------


def test_a_coordinator_is_offered_the_coordinators_kinds_too(coordinator):
    items = bearer(coordinator).get(f"{API}/notification-preferences").json()
    kinds = [item["kind"] for item in items]
    assert "help_request_new" in kinds
    assert "grant_review_assigned" not in kinds  # not an expert


def test_preferences_list_every_kind_with_its_default_in_the_order_of_labels(resident):
    NotificationPreference.objects.create(user=resident, kind="organization_verified", email=False)
    items = bearer(resident).get(f"{API}/notification-preferences").json()
    # a resident's roles: the kinds for anyone, none of the coordinators', experts' or
    # organisers' (kinds.kinds_received_by)
    anyone = [key for key, kind in KINDS.items() if not kind.audience]
    assert [item["kind"] for item in items] == sorted(anyone, key=lambda k: str(KINDS[k].label))
    assert "help_request_new" not in [item["kind"] for item in items]
    by_kind = {item["kind"]: item for item in items}
    assert by_kind["organization_verified"] == {
        "kind": "organization_verified",
        "label": "Организация проверена",
        "in_app": True,
        "email": False,
        "email_by_default": True,
        "telegram": False,
    }
    untouched = [item for item in items if item["kind"] != "organization_verified"]
    assert all(item["email"] == item["email_by_default"] for item in untouched)


def test_the_preferences_page_shows_the_same_choices(login_as, resident):
    NotificationPreference.objects.create(user=resident, kind="organization_verified", email=False)
    form = login_as(resident).get("/notifications/preferences/").context["form"]
    api = bearer(resident).get(f"{API}/notification-preferences").json()
    assert list(form.fields) == [item["kind"] for item in api]
    assert {name: field.initial for name, field in form.fields.items()} == {
        item["kind"]: item["email"] for item in api
    }


def test_changing_some_kinds_keeps_the_others(resident):
    NotificationPreference.objects.create(user=resident, kind="organization_returned", email=False)
    response = send(
        bearer(resident),
        "patch",
        f"{API}/notification-preferences",
        {"email": {"organization_verified": False, "membership_invited": True}},
    )
    assert response.status_code == 200
    assert prefs(resident) == {
        "organization_verified": False,
        "membership_invited": True,
        "organization_returned": False,
    }
    by_kind = {item["kind"]: item["email"] for item in response.json()}
    assert by_kind["organization_verified"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": {"martians_landed": True}}, "email.martians_landed"),
        ({"email": {"organization_verified": False, "nope": True}}, "email.nope"),
        ({"email": {"organization_verified": "perhaps"}}, "email.organization_verified"),
        ({"email": {"k" * 81: True}}, f"email.{'k' * 81}.[key]"),
        ({"email": []}, "email"),
        ({}, "email"),
    ],
)
def test_bad_preferences_are_refused_naming_the_field_and_nothing_changes(resident, body, field):
    response = send(bearer(resident), "patch", f"{API}/notification-preferences", body)
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert prefs(resident) == {}
