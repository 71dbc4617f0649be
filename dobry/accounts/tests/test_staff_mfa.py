import pytest
from allauth.mfa.models import Authenticator


@pytest.fixture
def mfa_required(settings):
    settings.DOBRY_REQUIRE_STAFF_MFA = True


def test_staff_without_totp_are_sent_to_activate_it(login_as, coordinator, mfa_required):
    response = login_as(coordinator).get("/organizations/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # the activation page itself is reachable (allauth first asks for the password again)
    activation = login_as(coordinator).get("/accounts/2fa/totp/activate/")
    assert activation["Location"].startswith("/accounts/reauthenticate/")
    assert login_as(coordinator).get(activation["Location"]).status_code == 200


def test_staff_api_calls_without_totp_get_a_json_403(login_as, coordinator, mfa_required):
    response = login_as(coordinator).get("/api/v1/me")
    assert response.status_code == 403
    assert "двухфакторный" in response.json()["message"]


def test_staff_with_totp_pass(login_as, coordinator, mfa_required):
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={})
    assert login_as(coordinator).get("/organizations/").status_code == 200


def test_residents_are_never_asked(login_as, resident, mfa_required):
    assert login_as(resident).get("/organizations/").status_code == 200


def test_demo_setting_leaves_staff_free(login_as, coordinator, settings):
    settings.DOBRY_REQUIRE_STAFF_MFA = False
    assert login_as(coordinator).get("/organizations/").status_code == 200
