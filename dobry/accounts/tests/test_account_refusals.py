"""The refusals of the account's services and pages, each with its message: another
person's consent, a paper consent for an erased person, a token for staff without two-factor
login, an unknown consent kind in a page's address."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from dobry.accounts.models import ApiToken, ConsentDocument
from dobry.accounts.services import (
    api_token_create,
    consent_accept,
    consent_record_paper,
    consent_withdraw,
    user_erase,
    user_has_consent,
)
from dobry.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db
NEWSLETTER = ConsentDocument.Kind.NEWSLETTER


def test_a_consent_is_withdrawn_only_by_its_person(resident, outsider):
    record = consent_accept(user=resident, kind=NEWSLETTER, ip_address=None)
    with pytest.raises(DomainError, match=r"Это не ваше согласие\."):
        consent_withdraw(user=outsider, record=record)
    assert user_has_consent(resident, NEWSLETTER)
    consent_withdraw(user=resident, record=record)
    assert not user_has_consent(resident, NEWSLETTER)


def test_no_paper_consent_for_an_erased_person(coordinator, resident):
    user_erase(user=resident, actor=coordinator)
    scan = SimpleUploadedFile("blank.pdf", b"%PDF-1.4 form", content_type="application/pdf")
    with pytest.raises(DomainError, match=r"Данные этого пользователя удалены\."):
        consent_record_paper(
            actor=coordinator,
            user=resident,
            kind=ConsentDocument.Kind.HEALTH_DATA,
            scan=scan,
            ip_address=None,
        )


@override_settings(DOBRY_REQUIRE_STAFF_MFA=True)
def test_staff_without_two_factor_get_no_token_by_page_or_service(login_as, coordinator):
    with pytest.raises(PermissionDenied, match="двухфакторный вход"):
        api_token_create(user=coordinator, name="скрипт")
    response = login_as(coordinator).post("/profile/tokens/", {"name": "скрипт"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/consents/nonsense/"), ("post", "/profile/consents/nonsense/give/")],
)
def test_an_unknown_consent_kind_in_the_address_is_a_404(login_as, resident, method, path):
    assert getattr(login_as(resident), method)(path).status_code == 404
