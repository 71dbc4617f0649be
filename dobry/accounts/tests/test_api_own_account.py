"""The person's own account through the API, with the rules of the pages (issue 12: one way
in): profile changes, consents given, signed with an emailed code and withdrawn."""

import re

import pytest
from django.test import Client

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.accounts.tests.factories import bearer
from dobry.communications.models import OutboundEmail
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db
JSON = "application/json"
HEALTH = ConsentDocument.Kind.VOLUNTEER_HEALTH


def _optional_kind() -> str:
    """A kind given by ticking that the account may withdraw."""
    return next(
        kind
        for kind in ConsentDocument.Kind.values
        if kind not in ConsentDocument.WRITTEN and kind not in ConsentDocument.REQUIRED_AT_SIGNUP
    )


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("patch", "/api/v1/me"),
        ("get", "/api/v1/me/consents"),
        ("post", "/api/v1/me/consents/photo"),
        ("post", f"/api/v1/me/consents/{HEALTH}/code"),
        ("post", f"/api/v1/me/consents/{HEALTH}/signature"),
        ("post", "/api/v1/me/consent-records/1/withdraw"),
    ],
)
def test_anonymous_callers_get_401(method, url):
    assert getattr(Client(), method)(url, {}, content_type=JSON).status_code == 401


def test_the_profile_changes_through_the_service_with_the_pages_rules(resident):
    client = bearer(resident)
    response = client.patch(
        "/api/v1/me", {"last_name": "Новикова", "phone": "8 (391) 975-00-01"}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert response.json()["last_name"] == "Новикова"
    resident.refresh_from_db()
    assert (resident.last_name, resident.phone, resident.first_name) == (
        "Новикова",
        "+73919750001",
        "Анна",
    )
    entry = AuditEntry.objects.get(action="user.update_profile")
    assert entry.data == {"fields": ["last_name", "phone"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "٣٩١٩٧٥٠٠٠١"}, "phone"),
        ({"language": "de"}, "language"),
    ],
)
def test_a_wrong_profile_value_is_a_422_naming_the_field_and_nothing_changes(resident, body, field):
    response = bearer(resident).patch("/api/v1/me", body, content_type=JSON)
    assert response.status_code == 422
    assert field in str(response.json())
    assert User.objects.get(pk=resident.pk).phone == resident.phone
    assert not AuditEntry.objects.filter(action="user.update_profile").exists()


def test_the_profile_page_uses_the_same_rule(resident, login_as):
    client = login_as(resident)
    data = {
        "first_name": "Анна",
        "last_name": "Ж",
        "middle_name": "",
        "phone": "12345",
        "language": "ru",
    }
    response = client.post("/profile/", data)
    assert response.status_code == 200
    assert "10 цифр" in response.content.decode()
    assert User.objects.get(pk=resident.pk).last_name == resident.last_name
    data["phone"] = "+7 391 975 00 02"
    assert client.post("/profile/", data).status_code == 302
    assert User.objects.get(pk=resident.pk).phone == "+73919750002"


def test_my_consents_list_what_was_given_and_what_is_missing(
    resident, django_assert_max_num_queries
):
    client = bearer(resident)
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/me/consents").json()
    given = {record["kind"] for record in body["records"] if record["active"]}
    missing = {text["kind"]: text for text in body["missing"]}
    assert not given & set(missing)
    assert given | set(missing) == set(ConsentDocument.Kind.values)
    assert missing[HEALTH]["written"] is True


def test_a_ticked_consent_is_given_once_and_withdrawn(resident):
    client = bearer(resident)
    kind = _optional_kind()
    response = client.post(f"/api/v1/me/consents/{kind}", content_type=JSON)
    assert response.status_code == 201, response.content
    record = response.json()
    assert (record["kind"], record["method"], record["active"]) == (kind, "checkbox", True)

    withdrawn = client.post(f"/api/v1/me/consent-records/{record['id']}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["active"] is False
    assert client.post(f"/api/v1/me/consent-records/{record['id']}/withdraw").status_code == 422


def test_a_written_consent_cannot_be_ticked_but_is_signed_with_the_emailed_code(resident):
    client = bearer(resident)
    assert client.post(f"/api/v1/me/consents/{HEALTH}", content_type=JSON).status_code == 422
    assert client.post(f"/api/v1/me/consents/{HEALTH}/code").status_code == 202
    email = OutboundEmail.objects.get(to=resident.email, key__startswith="consent-code:")
    code = re.search(r"\b(\d{6})\b", email.body_text).group(1)
    wrong = "000000" if code != "000000" else "111111"

    refused = client.post(
        f"/api/v1/me/consents/{HEALTH}/signature", {"code": wrong}, content_type=JSON
    )
    assert refused.status_code == 422
    signed = client.post(
        f"/api/v1/me/consents/{HEALTH}/signature", {"code": code}, content_type=JSON
    )
    assert signed.status_code == 201, signed.content
    assert signed.json()["method"] == "ses_code"
    assert ConsentRecord.objects.active().written().filter(user=resident).count() == 1


def test_codes_are_only_for_written_kinds_and_unknown_kinds_are_422(resident):
    client = bearer(resident)
    assert client.post(f"/api/v1/me/consents/{_optional_kind()}/code").status_code == 422
    assert client.post("/api/v1/me/consents/astrology").status_code == 422


def test_a_required_consent_is_withdrawn_only_by_deleting_the_account(resident):
    record = resident.consents.get(document__kind=ConsentDocument.Kind.PERSONAL_DATA)
    response = bearer(resident).post(f"/api/v1/me/consent-records/{record.pk}/withdraw")
    assert response.status_code == 422
    record.refresh_from_db()
    assert record.is_active


def test_someone_elses_consent_is_not_found(resident, outsider):
    record = ConsentRecord.objects.filter(user=resident).first()
    assert record is not None
    response = bearer(outsider).post(f"/api/v1/me/consent-records/{record.pk}/withdraw")
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.is_active
