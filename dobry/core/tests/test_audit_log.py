import pytest

from dobry.core.audit import log_action
from dobry.organizations.tests.factories import OrganizationFactory


@pytest.fixture
def entry(db, resident):
    organization = OrganizationFactory(short_name="Аудит")
    return log_action(actor=resident, action="organization.update", obj=organization)


def test_anonymous_is_sent_to_login(client, entry):
    response = client.get("/audit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_outsider_is_forbidden(login_as, outsider, entry):
    assert login_as(outsider).get("/audit/").status_code == 403


def test_coordinator_sees_entries_filtered_by_object(login_as, coordinator, entry):
    other = OrganizationFactory(short_name="Другая")
    log_action(actor=None, action="organization.verify", obj=other)
    response = login_as(coordinator).get(
        "/audit/", {"object_type": entry.object_type, "object_id": entry.object_id}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "organization.update" in body
    assert "organization.verify" not in body


@pytest.mark.parametrize("count", [1, 40])
def test_audit_log_has_a_fixed_query_count(
    login_as, admin_user, django_assert_max_num_queries, count
):
    organization = OrganizationFactory()
    for _ in range(count):
        log_action(actor=admin_user, action="organization.update", obj=organization)
    client = login_as(admin_user)
    with django_assert_max_num_queries(8):
        assert client.get("/audit/").status_code == 200
