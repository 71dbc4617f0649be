"""API tokens under the staff two-factor rule, with expiry, revoked with the password."""

import re
from datetime import datetime, timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from dobry.accounts import services
from dobry.accounts.models import ApiToken
from dobry.accounts.permissions import staff_mfa_decision
from dobry.accounts.tests.factories import PASSWORD, UserFactory
from dobry.core.errors import PermissionDenied
from dobry.core.models import AuditEntry
from dobry.helprequests.tests.factories import HelpRequestFactory


@pytest.fixture
def mfa_required(settings):
    settings.DOBRY_REQUIRE_STAFF_MFA = True


def _with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


def _token_for(user, settings) -> str:
    """A token made while the rule was off (a demo), or before the person became staff."""
    before = settings.DOBRY_REQUIRE_STAFF_MFA
    settings.DOBRY_REQUIRE_STAFF_MFA = False
    _token, raw = services.api_token_create(user=user, name="скрипт")
    settings.DOBRY_REQUIRE_STAFF_MFA = before
    return raw


def _bearer(raw: str, path: str = "/api/v1/me"):
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")


# Staff two-factor login applies to tokens


def test_a_coordinators_token_without_an_authenticator_reads_nothing(
    coordinator, settings, mfa_required
):
    raw = _token_for(coordinator, settings)
    help_request = HelpRequestFactory()
    for path in ("/api/v1/me", f"/api/v1/help-requests/{help_request.pk}"):
        response = _bearer(raw, path)
        assert response.status_code == 403
        message = response.json()["message"]
        assert "двухфакторный вход" in message
        assert "/accounts/2fa/" in message


def test_a_coordinators_token_works_once_an_authenticator_is_active(
    coordinator, settings, mfa_required
):
    raw = _token_for(coordinator, settings)
    _with_totp(coordinator)
    help_request = HelpRequestFactory()
    assert _bearer(raw).json()["id"] == coordinator.pk
    response = _bearer(raw, f"/api/v1/help-requests/{help_request.pk}")
    assert response.status_code == 200
    assert response.json()["summary"] == help_request.summary


def test_removing_the_authenticator_stops_the_token_again(coordinator, settings, mfa_required):
    _with_totp(coordinator)
    raw = _token_for(coordinator, settings)
    assert _bearer(raw).status_code == 200
    Authenticator.objects.filter(user=coordinator).delete()
    assert _bearer(raw).status_code == 403


def test_a_resident_who_becomes_coordinator_needs_an_authenticator_for_the_old_token(
    resident, settings, mfa_required
):
    _token, raw = services.api_token_create(user=resident, name="мой")
    assert _bearer(raw).status_code == 200
    resident.is_coordinator = True
    resident.save(update_fields=["is_coordinator"])
    assert _bearer(raw).status_code == 403


@pytest.mark.parametrize("role", ["is_expert", "is_official", "is_superuser"])
def test_every_staff_role_is_held_to_the_rule(role, settings, mfa_required, db):
    user = UserFactory(**{role: True})
    raw = _token_for(user, settings)
    assert _bearer(raw).status_code == 403


def test_residents_tokens_are_never_asked_for_two_factor_login(resident, mfa_required):
    _token, raw = services.api_token_create(user=resident, name="мой")
    assert _bearer(raw).json()["email"] == resident.email


def test_without_the_production_rule_staff_tokens_work(coordinator, settings):
    settings.DOBRY_REQUIRE_STAFF_MFA = False
    _token, raw = services.api_token_create(user=coordinator, name="демо")
    assert _bearer(raw).status_code == 200


def test_staff_without_an_authenticator_cannot_create_a_token(coordinator, mfa_required):
    with pytest.raises(PermissionDenied, match="двухфакторный вход"):
        services.api_token_create(user=coordinator, name="скрипт")
    # the page sends them to activate it first, and makes nothing
    response = Client()
    response.force_login(coordinator)
    answer = response.post("/profile/tokens/", {"name": "скрипт"})
    assert answer["Location"] == "/accounts/2fa/totp/activate/"
    with pytest.raises(CommandError, match="двухфакторный вход"):
        call_command("issue_token", coordinator.email)
    assert not ApiToken.objects.exists()


def test_staff_with_an_authenticator_create_tokens_on_the_page(login_as, coordinator, mfa_required):
    _with_totp(coordinator)
    response = login_as(coordinator).post("/profile/tokens/", {"name": "скрипт"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=coordinator).count() == 1


def test_a_staff_session_without_an_authenticator_reaches_no_api_data(
    login_as, coordinator, mfa_required
):
    help_request = HelpRequestFactory()
    client = login_as(coordinator)
    for path in ("/api/v1/me", f"/api/v1/help-requests/{help_request.pk}", "/api/v1/me/tokens"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "двухфакторный вход" in response.json()["message"]


def test_the_api_session_check_is_the_same_function_as_the_pages(rf, coordinator, mfa_required):
    """Even were the middleware absent, the API's own authentication refuses the session."""
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    from dobry.api.auth import ActiveSessionAuth

    request = rf.get("/api/v1/me")
    request.user = coordinator
    request.session = {}
    with pytest.raises(DjangoPermissionDenied) as raised:
        ActiveSessionAuth().authenticate(request, None)
    assert str(raised.value) == str(staff_mfa_decision(coordinator).reason)


# Expiry


def test_a_token_expires_after_the_configured_days(resident, settings):
    settings.DOBRY_API_TOKEN_DAYS = 30
    before = timezone.now()
    token, raw = services.api_token_create(user=resident, name="отчёт")
    assert before + timedelta(days=30) <= token.expires_at <= timezone.now() + timedelta(days=30)
    assert _bearer(raw).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _bearer(raw)
    assert response.status_code == 401
    assert "API-токен" in response.json()["message"]


def test_the_tokens_page_shows_expiry_and_expired_tokens(login_as, resident, settings):
    settings.DOBRY_API_TOKEN_DAYS = 45
    token, _raw = services.api_token_create(user=resident, name="старый")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.make_aware(timezone.datetime(2026, 1, 31, 12, 0))
    )
    services.api_token_create(user=resident, name="новый")
    body = login_as(resident).get("/profile/tokens/").content.decode()
    assert "Действует до" in body
    assert "31.01.2026" in body
    assert "истёк срок действия" in body
    assert "Срок действия токена (дней со дня создания): 45." in body


def test_the_api_shows_the_expiry_of_the_token_in_use_and_of_every_token(resident):
    token, raw = services.api_token_create(user=resident, name="отчёт")
    me = _bearer(raw).json()
    shown = datetime.fromisoformat(me["token_expires_at"])
    assert abs(shown - token.expires_at) < timedelta(milliseconds=1)
    listed = _bearer(raw, "/api/v1/me/tokens").json()
    assert [(t["name"], t["active"]) for t in listed] == [("отчёт", True)]
    assert listed[0]["expires_at"] == me["token_expires_at"]


def test_the_session_has_no_token_expiry(login_as, resident):
    assert login_as(resident).get("/api/v1/me").json()["token_expires_at"] is None


def test_the_token_list_needs_authentication(db):
    assert Client().get("/api/v1/me/tokens").status_code == 401


def test_the_token_list_shows_only_ones_own_tokens(resident, outsider):
    services.api_token_create(user=outsider, name="чужой")
    _token, raw = services.api_token_create(user=resident, name="мой")
    assert [t["name"] for t in _bearer(raw, "/api/v1/me/tokens").json()] == ["мой"]


def test_creation_records_the_expiry_in_the_audit_log(resident):
    token, _raw = services.api_token_create(user=resident, name="отчёт")
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.data == {"expires_at": token.expires_at.isoformat()}


# Revoked when the password changes


def test_changing_the_password_revokes_every_token(resident):
    _t1, raw1 = services.api_token_create(user=resident, name="один")
    _t2, raw2 = services.api_token_create(user=resident, name="два")
    client = Client()
    client.force_login(resident)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "Novy-parol-2026", "password2": "Novy-parol-2026"},
    )
    assert response.status_code == 302
    assert _bearer(raw1).status_code == 401
    assert _bearer(raw2).status_code == 401
    assert ApiToken.objects.filter(user=resident, revoked_at__isnull=True).count() == 0
    reasons = AuditEntry.objects.filter(action="api_token.revoke").values_list("data", flat=True)
    assert list(reasons) == [{"reason": "password_changed"}] * 2


def test_resetting_the_password_by_email_revokes_every_token(resident):
    _token, raw = services.api_token_create(user=resident, name="один")
    client = Client()
    client.post("/accounts/password/reset/", {"email": resident.email})
    path = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    form_page = client.get(path, follow=True)
    set_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    client.post(set_path, {"password1": "Novy-parol-2026", "password2": "Novy-parol-2026"})
    assert Client().login(email=resident.email, password="Novy-parol-2026")
    assert _bearer(raw).status_code == 401


def test_an_admin_setting_the_password_revokes_the_tokens(login_as, admin_user, resident):
    _token, raw = services.api_token_create(user=resident, name="один")
    response = login_as(admin_user).post(
        f"/admin/accounts/user/{resident.pk}/password/",
        {"password1": "Novy-parol-2026", "password2": "Novy-parol-2026", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert _bearer(raw).status_code == 401


def test_the_changepassword_command_revokes_the_tokens_too(resident):
    _token, raw = services.api_token_create(user=resident, name="один")
    resident.set_password("Novy-parol-2026")
    resident.save()
    assert _bearer(raw).status_code == 401


def test_saving_the_user_without_a_new_password_keeps_the_tokens(resident):
    _token, raw = services.api_token_create(user=resident, name="один")
    resident.first_name = "Анна-Мария"
    resident.save()
    assert _bearer(raw).status_code == 200


def test_tokens_made_after_the_change_work(resident):
    resident.set_password("Novy-parol-2026")
    resident.save()
    _token, raw = services.api_token_create(user=resident, name="после")
    assert _bearer(raw).status_code == 200
