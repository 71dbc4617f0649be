"""A volunteer's accessibility needs are health data (152-ФЗ art. 10): given only under a
written consent, stored encrypted, shown only to the organisers of the shifts the person
signed up for (pages and API alike), each read audited, erased with the consent or the
account."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from dobry.accounts.models import ConsentDocument
from dobry.accounts.services import consent_record_paper, consent_withdraw, user_erase
from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.events.models import Registration
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import VolunteerProfile
from dobry.volunteering.services.profiles import accessibility_needs_set

pytestmark = pytest.mark.django_db
KIND = ConsentDocument.Kind.VOLUNTEER_HEALTH
NEEDS = "нужен пандус"


def _written_consent(user, coordinator):
    return consent_record_paper(
        actor=coordinator,
        user=user,
        kind=KIND,
        scan=SimpleUploadedFile("form.pdf", b"%PDF-1.4 form"),
        ip_address=None,
    )


@pytest.fixture
def signed_up(coordinator):
    """A volunteer with needs and a written consent, signed up for a shift; its organiser."""
    shift = ShiftFactory()
    organiser = UserFactory()
    MembershipFactory(
        organization=shift.event.organization, user=organiser, role=Membership.Role.EDITOR
    )
    registration = RegistrationFactory(shift=shift)
    _written_consent(registration.user, coordinator)
    accessibility_needs_set(user=registration.user, needs=NEEDS)
    return registration, organiser


def test_needs_are_refused_without_a_written_consent(resident):
    with pytest.raises(DomainError) as refused:
        accessibility_needs_set(user=resident, needs=NEEDS)
    assert "accessibility_needs" in refused.value.field_errors
    assert not VolunteerProfile.objects.filter(user=resident).exclude(accessibility_needs=None)


def test_a_checkbox_consent_is_not_enough(resident):
    from dobry.accounts.models import ConsentRecord

    ConsentRecord.objects.create(user=resident, document=ConsentDocument.current(KIND))
    with pytest.raises(DomainError):
        accessibility_needs_set(user=resident, needs=NEEDS)


def test_needs_are_stored_encrypted(resident, coordinator):
    _written_consent(resident, coordinator)
    profile = accessibility_needs_set(user=resident, needs=NEEDS)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT accessibility_needs FROM volunteering_volunteerprofile WHERE id = %s",
            [profile.pk],
        )
        stored = cursor.fetchone()[0]
    assert NEEDS not in stored
    assert VolunteerProfile.objects.get(pk=profile.pk).accessibility_needs == NEEDS


def test_clearing_needs_needs_no_consent(resident, coordinator):
    record = _written_consent(resident, coordinator)
    accessibility_needs_set(user=resident, needs=NEEDS)
    record.withdrawn_at = record.accepted_at
    record.save()
    accessibility_needs_set(user=resident, needs="")
    assert VolunteerProfile.objects.get(user=resident).accessibility_needs is None


def test_a_get_of_the_manage_page_hides_the_needs_offers_a_post_button_and_logs_nothing(
    login_as, signed_up
):
    registration, organiser = signed_up
    event_id = registration.shift.event_id
    body = login_as(organiser).get(f"/events/{event_id}/manage/").content.decode()
    assert NEEDS not in body
    assert f'<form method="post" action="/events/{event_id}/manage/needs/"' in body
    assert "csrfmiddlewaretoken" in body
    assert not AuditEntry.objects.filter(action="volunteer_profile.accessibility_read").exists()


def test_a_get_of_the_needs_url_asks_first_and_reads_nothing(login_as, signed_up):
    registration, organiser = signed_up
    url = f"/events/{registration.shift.event_id}/manage/needs/"
    for method in ("get", "head"):
        response = getattr(login_as(organiser), method)(url)
        assert response.status_code == 200
        assert NEEDS not in response.content.decode()
    body = login_as(organiser).get(url).content.decode()
    assert f'<form method="post" action="{url}"' in body
    assert not AuditEntry.objects.filter(action="volunteer_profile.accessibility_read").exists()


def test_a_post_of_the_needs_without_a_csrf_token_is_refused_and_logs_nothing(signed_up):
    registration, organiser = signed_up
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    response = client.post(f"/events/{registration.shift.event_id}/manage/needs/")
    assert response.status_code == 403
    assert NEEDS not in response.content.decode()
    assert not AuditEntry.objects.filter(action="volunteer_profile.accessibility_read").exists()


def test_the_needs_url_is_refused_to_anonymous_and_outsiders(client, login_as, signed_up, outsider):
    registration, _organiser = signed_up
    url = f"/events/{registration.shift.event_id}/manage/needs/"
    assert client.post(url).status_code == 302
    assert login_as(outsider).post(url).status_code == 403
    assert login_as(outsider).get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="volunteer_profile.accessibility_read").exists()


def test_the_organiser_sees_the_needs_after_show_and_each_read_is_audited(login_as, signed_up):
    registration, organiser = signed_up
    body = login_as(organiser).post(f"/events/{registration.shift.event_id}/manage/needs/")
    assert body.status_code == 200
    assert NEEDS in body.content.decode()
    read = AuditEntry.objects.get(action="volunteer_profile.accessibility_read")
    assert read.actor == organiser
    assert read.data == {"registration": registration.pk}


def test_a_coordinator_who_may_manage_the_event_does_not_see_the_needs(
    login_as, signed_up, coordinator
):
    registration, _organiser = signed_up
    response = login_as(coordinator).get(f"/events/{registration.shift.event_id}/manage/")
    assert response.status_code == 200
    assert NEEDS not in response.content.decode()
    assert "/manage/needs/" not in response.content.decode()
    shown = login_as(coordinator).post(f"/events/{registration.shift.event_id}/manage/needs/")
    assert shown.status_code == 200
    assert NEEDS not in shown.content.decode()
    assert not AuditEntry.objects.filter(action="volunteer_profile.accessibility_read")


def test_needs_are_not_shown_for_a_cancelled_registration(login_as, signed_up):
    registration, organiser = signed_up
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED)
    body = login_as(organiser).post(f"/events/{registration.shift.event_id}/manage/needs/")
    assert NEEDS not in body.content.decode()


def test_needs_are_not_shown_once_the_consent_is_withdrawn_and_are_erased(login_as, signed_up):
    registration, organiser = signed_up
    record = registration.user.consents.get(document__kind=KIND)
    consent_withdraw(user=registration.user, record=record)
    assert VolunteerProfile.objects.get(user=registration.user).accessibility_needs is None
    body = login_as(organiser).post(f"/events/{registration.shift.event_id}/manage/needs/")
    assert NEEDS not in body.content.decode()


def test_the_manage_page_is_refused_to_anonymous_and_outsiders(
    client, login_as, signed_up, outsider
):
    registration, _organiser = signed_up
    url = f"/events/{registration.shift.event_id}/manage/"
    assert client.get(url).status_code == 302
    assert login_as(outsider).get(url).status_code == 403


def test_the_api_gives_the_needs_to_the_organiser_only(client, login_as, signed_up, outsider):
    registration, organiser = signed_up
    url = f"/api/v1/events/{registration.shift.event_id}/accessibility-needs"
    assert client.post(url).status_code == 401
    assert login_as(outsider).post(url).status_code == 403
    response = login_as(organiser).post(url)
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "registration": registration.pk,
                "shift": registration.shift_id,
                "volunteer": registration.user.display_name,
                "needs": NEEDS,
            }
        ],
        "count": 1,
    }
    assert AuditEntry.objects.filter(action="volunteer_profile.accessibility_read").count() == 1


@pytest.mark.parametrize("count", [1, 5])
def test_the_api_pages_the_needs_with_a_fixed_query_count_and_audits_the_page_only(
    login_as, signed_up, coordinator, django_assert_num_queries, count, settings
):
    registration, organiser = signed_up
    for _ in range(count - 1):
        other = RegistrationFactory(shift=registration.shift)
        _written_consent(other.user, coordinator)
        accessibility_needs_set(user=other.user, needs=NEEDS)
    RegistrationFactory(shift=registration.shift)  # no needs written: not listed
    url = f"/api/v1/events/{registration.shift.event_id}/accessibility-needs"
    client = login_as(organiser)
    client.post(f"{url}?page=99")  # the session is read once
    AuditEntry.objects.all().delete()
    with django_assert_num_queries(10):
        body = client.post(f"{url}?page_size=3").json()
    assert body["count"] == count
    assert [item["needs"] for item in body["items"]] == [NEEDS] * min(count, 3)
    read = AuditEntry.objects.filter(action="volunteer_profile.accessibility_read")
    assert read.count() == min(count, 3)


def test_a_get_of_the_api_tells_nothing_private_and_audits_nothing(
    login_as, signed_up, coordinator
):
    """The attacker's example: GET answered `count: 2` with no items, and wrote an audit
    entry. Now a GET answers what the page shows on a GET: whether «Показать» is offered."""
    registration, organiser = signed_up
    url = f"/api/v1/events/{registration.shift.event_id}/accessibility-needs"
    assert login_as(organiser).get(url).json() == {"on_request": True}
    # a coordinator manages the event but reads no needs: not offered, not even a count
    staff = login_as(coordinator)
    assert staff.get(url).json() == {"on_request": False}
    refused = staff.post(url)
    assert refused.status_code == 403
    assert refused.json()["message"] == "Это видят только организаторы смены."
    assert not AuditEntry.objects.filter(action="volunteer_profile.accessibility_read").exists()


def test_erasing_the_account_erases_the_needs(signed_up):
    registration, _organiser = signed_up
    user_erase(user=registration.user, actor=None)
    assert not VolunteerProfile.objects.filter(user=registration.user).exists()


def test_the_profile_page_refuses_needs_without_consent_and_links_to_signing(login_as, resident):
    client = login_as(resident)
    page = client.get("/volunteer/profile/").content.decode()
    assert "/profile/consents/volunteer_health/sign/" in page
    response = client.post(
        "/volunteer/profile/", {"date_of_birth": "1990-01-01", "accessibility_needs": NEEDS}
    )
    assert response.status_code == 200
    assert "письменное согласие" in response.content.decode()
    assert not VolunteerProfile.objects.filter(user=resident).exclude(accessibility_needs=None)


def test_the_profile_page_keeps_needs_with_a_written_consent(login_as, resident, coordinator):
    _written_consent(resident, coordinator)
    response = login_as(resident).post(
        "/volunteer/profile/", {"date_of_birth": "1990-01-01", "accessibility_needs": NEEDS}
    )
    assert response.status_code == 302
    assert VolunteerProfile.objects.get(user=resident).accessibility_needs == NEEDS
