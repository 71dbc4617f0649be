"""Mailings through the API: staff only, bad input is a clear 4xx with nothing kept,
the whole compose → test → schedule → progress → stats path, segments with their size,
and the contacts' import."""

import json

import pytest
from django.core import mail
from django.test import Client

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.models import Mailing, MailingContact, Segment
from dobry.communications.tests.mailing_factories import mailing, segment, subscriber

pytestmark = pytest.mark.django_db
API = "/api/v1"


def send(client: Client, method: str, path: str, body: object = None):
    if method == "get":
        return client.get(API + path)
    return getattr(client, method)(
        API + path, json.dumps(body or {}), content_type="application/json"
    )


OPERATIONS = [
    ("get", "/mailings"),
    ("post", "/mailings"),
    ("get", "/mailings/{pk}"),
    ("put", "/mailings/{pk}"),
    ("post", "/mailings/{pk}/test"),
    ("post", "/mailings/{pk}/schedule"),
    ("post", "/mailings/{pk}/cancel"),
    ("get", "/mailings/{pk}/progress"),
    ("get", "/mailings/{pk}/stats"),
    ("get", "/mailing-segments"),
    ("post", "/mailing-segments"),
    ("get", "/mailing-segments/{segment}"),
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_anonymous_get_401_and_residents_403(method, path):
    m = mailing()
    url = path.format(pk=m.pk, segment=m.segment_id)
    # a valid body for every operation (an unknown field is a 422): only the role refuses
    if path.startswith("/mailing-segments"):
        body: dict = {"name": "x"}
    elif path.endswith("/schedule"):
        body = {}
    else:
        body = {"subject": "x", "body_text": "x", "segment_id": m.segment_id}
    assert send(Client(), method, url, body).status_code == 401
    resident = UserFactory(is_expert=True)  # an expert is staff, but not for mailings
    response = send(bearer(resident), method, url, body)
    assert response.status_code in (403, 404), response.content
    m.refresh_from_db()
    assert m.status == Mailing.Status.DRAFT


@pytest.mark.parametrize("role", ["is_coordinator", "is_official"])
def test_compose_test_schedule_progress_and_stats(role):
    staff = UserFactory(**{role: True})
    readers = [subscriber() for _ in range(3)]
    client = bearer(staff)
    s = send(client, "post", "/mailing-segments", {"name": "Все"}).json()
    assert s["size"] == 3
    created = send(
        client,
        "post",
        "/mailings",
        {
            "subject": "Новости",
            "body_text": "Текст",
            "body_html": "<p>Текст<script>alert(1)</script></p>",
            "segment_id": s["id"],
        },
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert "script" not in created.json()["body_html"]
    assert send(client, "post", f"/mailings/{pk}/test").status_code == 202
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert mail.outbox[0].subject.startswith("[Проверка]")
    scheduled = send(client, "post", f"/mailings/{pk}/schedule", {"at": None})
    assert scheduled.status_code == 200
    progress = send(client, "get", f"/mailings/{pk}/progress").json()
    assert progress["status"] == "sent"  # the immediate backend sent it at once
    assert progress["percent"] == 100
    assert progress["stats"]["sent"] == 3
    assert send(client, "get", f"/mailings/{pk}/stats").json() == {
        "sent": 3,
        "failed": 0,
        "suppressed": 0,
        "bounced": 0,
        "complained": 0,
        "unsubscribed": 0,
    }
    assert {m.to[0] for m in mail.outbox[1:]} == {r.email for r in readers}


def test_a_schedule_in_the_future_waits_and_can_be_cancelled(coordinator):
    subscriber()
    m = mailing()
    client = bearer(coordinator)
    response = send(
        client, "post", f"/mailings/{m.pk}/schedule", {"at": "2099-01-01T09:00:00+07:00"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    assert response.json()["scheduled_at"].startswith("2099-01-01T02:00:00")  # stored in UTC
    assert send(client, "post", f"/mailings/{m.pk}/cancel").json()["status"] == "cancelled"
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "", "body_text": "x", "segment_id": 1}, "subject"),
        ({"subject": "x" * 201, "body_text": "x", "segment_id": 1}, "subject"),
        ({"subject": "x", "body_text": "x" * 20001, "segment_id": 1}, "body_text"),
        ({"subject": "x", "body_text": "x", "segment_id": 0}, "segment_id"),
        ({"subject": "x", "body_text": "x"}, "segment_id"),
    ],
)
def test_bad_mailings_are_refused_naming_the_field(coordinator, body, field):
    response = send(bearer(coordinator), "post", "/mailings", body)
    assert response.status_code == 422
    assert field in json.dumps(response.json()["errors"])
    assert Mailing.objects.count() == 0


def test_an_unknown_segment_is_404_and_a_sent_mailing_cannot_change(coordinator):
    client = bearer(coordinator)
    body = {"subject": "x", "body_text": "x", "segment_id": 999999}
    assert send(client, "post", "/mailings", body).status_code == 404
    m = mailing(status=Mailing.Status.SENT)
    body["segment_id"] = m.segment_id
    response = send(client, "put", f"/mailings/{m.pk}", body)
    assert response.status_code == 422
    assert send(client, "post", f"/mailings/{m.pk}/schedule", {}).status_code == 409
    assert send(client, "post", f"/mailings/{m.pk}/cancel").status_code == 409


def test_an_empty_segment_is_not_scheduled(coordinator):
    m = mailing()
    response = send(bearer(coordinator), "post", f"/mailings/{m.pk}/schedule", {})
    assert response.status_code == 422
    m.refresh_from_db()
    assert m.status == Mailing.Status.DRAFT


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "roles": ["pirate"]}, "roles"),
        ({"name": "x", "areas": ["nowhere"]}, "areas"),
        ({"name": "x", "organization_kinds": ["cartel"]}, "organization_kinds"),
        ({"name": "x", "district_ids": [999999]}, "district_ids"),
        ({"name": "x", "active_months": 0}, "active_months"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_segments_are_refused(coordinator, body, field):
    response = send(bearer(coordinator), "post", "/mailing-segments", body)
    assert response.status_code == 422
    assert field in json.dumps(response.json()["errors"])
    assert Segment.objects.count() == 0


def test_the_lists_keep_a_fixed_query_count(coordinator, django_assert_max_num_queries):
    client = bearer(coordinator)
    for count in (1, 20):
        for _ in range(count):
            mailing()
        with django_assert_max_num_queries(8):
            assert send(client, "get", "/mailings").status_code == 200
        with django_assert_max_num_queries(8):
            assert send(client, "get", "/mailing-segments").status_code == 200


def test_import_contacts_reports_each_bad_row_and_keeps_none_of_them(coordinator):
    client = bearer(coordinator)
    content = (
        "Почта;Имя;Район\n"
        "anna@example.org;Анна;\n"
        "not-an-email;Пётр;\n"
        "anna@example.org;Анна снова;\n"
        "oleg@example.org;Олег;Марс\n"
        "ivan@example.org;Иван;\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    def post(dry_run: bool):
        return client.post(
            f"{API}/mailing-contacts/import",
            {
                "email_column": 0,
                "name_column": 1,
                "district_column": 2,
                "dry_run": dry_run,
                "file": SimpleUploadedFile("list.csv", content, "text/csv"),
            },
        )

    checked = post(True).json()
    assert checked["rows"] == 5
    assert [e["line"] for e in checked["errors"]] == [3, 4, 5]
    # A dry run says what the import would do (it said «created: 0»).
    assert (checked["created"], checked["existing"]) == (2, 0)
    assert MailingContact.objects.count() == 0
    done = post(False).json()
    assert done["created"] == 2
    assert (post(True).json()["created"], post(True).json()["existing"]) == (0, 2)
    assert sorted(MailingContact.objects.values_list("email", flat=True)) == [
        "anna@example.org",
        "ivan@example.org",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "ivan@example.org"]
    assert not MailingContact.objects.filter(confirmed_at__isnull=False).exists()


def test_an_import_column_outside_the_table_is_named_as_sent(coordinator):
    """The API's fields are `email_column`, `name_column`…: a refusal names the one sent
    (it said «email», a field the operation does not have)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def post(**columns):
        return bearer(coordinator).post(
            f"{API}/mailing-contacts/import",
            {
                **columns,
                "dry_run": True,
                "file": SimpleUploadedFile("list.csv", b"email;name\na@example.org;A\n"),
            },
        )

    for columns, field in (
        ({"email_column": 5}, "email_column"),
        ({"email_column": 0, "name_column": 7}, "name_column"),
    ):
        response = post(**columns)
        assert response.status_code == 422
        assert list(response.json()["errors"]) == [field]
    assert MailingContact.objects.count() == 0


def test_import_refuses_what_is_not_a_table(coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = bearer(coordinator).post(
        f"{API}/mailing-contacts/import",
        {
            "email_column": 0,
            "file": SimpleUploadedFile("x.exe", b"MZ\x00", "application/octet-stream"),
        },
    )
    assert response.status_code == 422
    assert "file" in response.json()["errors"]


def test_the_schema_lists_the_mailings_operations():
    schema = Client().get(f"{API}/openapi.json").json()
    for path in (
        "/api/v1/mailings",
        "/api/v1/mailings/{pk}/progress",
        "/api/v1/mailing-segments/{pk}",
        "/api/v1/mailing-contacts/import",
    ):
        assert path in schema["paths"]


def test_segment_size_in_the_api_is_what_the_segment_reaches(coordinator):
    subscriber(is_coordinator=True)
    subscriber()
    s = segment(roles=["coordinator"])
    assert send(bearer(coordinator), "get", f"/mailing-segments/{s.pk}").json()["size"] == 1


def test_an_unknown_field_of_a_body_is_a_422_naming_it(coordinator):
    m = mailing()
    body = {"subject": "x", "body_text": "x", "segment_id": m.segment_id, "status": "sent"}
    response = send(bearer(coordinator), "put", f"/mailings/{m.pk}", body)
    assert response.status_code == 422
    assert "status" in response.json()["errors"]
    m.refresh_from_db()
    assert (m.subject, m.status) == ("Новости города", Mailing.Status.DRAFT)


def test_an_imported_name_loses_nul_and_control_characters(coordinator):
    """A NUL in an uploaded CSV (issue 11) was stored, and PostgreSQL refuses it: 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "email,name\na@example.org,A\x00B\nb@example.org,Бо\x0bрис\u202e\x7f\n".encode()
    response = bearer(coordinator).post(
        f"{API}/mailing-contacts/import",
        {
            "email_column": 0,
            "name_column": 1,
            "file": SimpleUploadedFile("list.csv", content, "text/csv"),
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    assert sorted(MailingContact.objects.values_list("name", flat=True)) == ["AB", "Борис"]


def test_a_moment_without_an_offset_is_city_time_as_the_schema_says():
    """«2030-12-05T10:00» is 10:00 in the city (03:00 UTC in Krasnoyarsk), as for news;
    the schema said «UTC», and a caller who believed it sent the mailing 7 hours late."""
    from datetime import datetime

    from dobry.core.clock import city_zone

    staff = UserFactory(is_coordinator=True)
    subscriber()
    pk = mailing().pk
    answer = send(bearer(staff), "post", f"/mailings/{pk}/schedule", {"at": "2030-12-05T10:00:00"})
    assert answer.status_code == 200, answer.content
    expected = datetime(2030, 12, 5, 10, 0, tzinfo=city_zone())
    assert Mailing.objects.get(pk=pk).scheduled_at == expected
    schema = Client().get(f"{API}/openapi.json").json()["components"]["schemas"]["ScheduleIn"]
    described = schema["properties"]["at"]["description"]
    assert "city time" in described
    assert "UTC" not in described
