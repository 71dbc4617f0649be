import json

from allauth.account.models import EmailAddress
from django.test import Client

from dobry.accounts.models import ApiToken, User
from dobry.accounts.services import api_token_create, user_erase
from dobry.communications.models import Notification
from dobry.core.audit import log_action
from dobry.core.models import AuditEntry
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory


def test_export_needs_login(client, db):
    assert client.post("/profile/export/").status_code == 302


def test_export_gives_all_my_data_as_json(login_as, resident):
    MembershipFactory(user=resident, organization=OrganizationFactory(short_name="Моя НКО"))
    Notification.objects.create(user=resident, kind="organization_verified", title="Привет")
    response = login_as(resident).post("/profile/export/")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["profile"]["email"] == resident.email
    assert {c["kind"] for c in data["account"]["consents"]} == {"personal_data", "terms"}
    assert data["organization_memberships"][0]["organization"] == "Моя НКО"
    assert data["communications"]["notifications"][0]["title"] == "Привет"


def test_delete_requires_typing_the_confirmation_word(login_as, resident):
    response = login_as(resident).post("/profile/delete/", {"confirm": "нет"})
    assert response.status_code == 200
    assert "Введите слово УДАЛИТЬ" in response.content.decode()
    resident.refresh_from_db()
    assert resident.erased_at is None


def test_deleting_the_account_erases_personal_data_and_keeps_dependent_records(
    login_as, resident, coordinator
):
    organization = OrganizationFactory()
    MembershipFactory(user=resident, organization=organization)
    log_action(actor=resident, action="organization.update", obj=organization)
    api_token_create(user=resident, name="скрипт")
    client = login_as(resident)
    response = client.post("/profile/delete/", {"confirm": "удалить"})
    assert response.status_code == 302

    user = User.objects.get(pk=resident.pk)
    assert user.erased_at is not None
    assert not user.is_active
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert (user.first_name, user.last_name, user.phone) == ("", "", "")
    assert str(user) == "Удалённый пользователь"
    assert not Membership.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    # the audit trail stays, pointing at the anonymous tombstone
    assert AuditEntry.objects.filter(actor=user, action="organization.update").exists()
    assert user.consents.filter(ip_address__isnull=False).count() == 0
    # the session is gone and logging in again is impossible
    assert client.get("/profile/").status_code == 302
    assert not Client().login(email=resident.email, password="correct-horse-battery")


def test_erasing_twice_is_refused(resident):
    user_erase(user=resident, actor=None)
    import pytest

    from dobry.core.errors import DomainError

    with pytest.raises(DomainError):
        user_erase(user=resident, actor=None)
