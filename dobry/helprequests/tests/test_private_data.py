"""Private data that stays private (issue 11 §1, issue 12): offers only to eligible
volunteers and never to oneself, nobody confirms their own hours, the recipient's private
fields only while the task is active (coordinators audited), health data in its own row
that only the audited read fetches."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from dobry.accounts.services import api_token_create
from dobry.accounts.tests.factories import UserFactory, written_consent
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import completion, offering, private_data, submission, triage
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    accepted_hours_ago,
    offerable_volunteer,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import HoursEntry, VolunteerProfile

pytestmark = pytest.mark.django_db
S = HelpRequest.Status


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


@pytest.fixture
def routed(coordinator):
    """A request routed to a programme whose editor also volunteers."""
    programme = ProgrammeFactory()
    staff = offerable_volunteer()
    MembershipFactory(user=staff, organization=programme.organization, role=Membership.Role.EDITOR)
    help_request = HelpRequestFactory(status=S.VERIFIED, health_info="Диабет")
    triage.request_route(actor=coordinator, help_request=help_request, programme=programme)
    return staff, help_request


def test_programme_staff_cannot_offer_a_request_to_themselves_through_the_api(routed):
    staff, help_request = routed
    response = bearer(staff).post(
        f"/api/v1/help-requests/{help_request.pk}/offers",
        {"volunteers": [staff.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "volunteers" in response.json()["errors"]
    assert not HelpOffer.objects.filter(request=help_request).exists()
    assert (
        bearer(staff).get(f"/api/v1/help-requests/{help_request.pk}").json()["health_info"] is None
    )


def test_programme_staff_cannot_offer_to_themselves_on_the_page_either(routed):
    staff, help_request = routed
    client = login(staff)
    response = client.post(
        reverse("helprequests:offer", args=[help_request.pk]), {"volunteer": staff.pk}, follow=True
    )
    assert "самому себе нельзя" in response.text
    assert not HelpOffer.objects.filter(request=help_request).exists()


def test_a_coordinator_may_offer_it_to_the_staff_member_who_volunteers(routed, coordinator):
    staff, help_request = routed
    [offer] = offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[staff])
    assert offer.volunteer == staff


def test_a_coordinator_cannot_offer_it_to_themselves_either(coordinator):
    VolunteerProfile.objects.create(user=coordinator)
    help_request = HelpRequestFactory(status=S.VERIFIED)
    with pytest.raises(DomainError) as error:
        offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[coordinator])
    assert "volunteers" in error.value.field_errors


@pytest.mark.parametrize(
    "who", ["not_a_volunteer", "requester", "too_young", "no_car", "no_reason"]
)
def test_offers_go_only_to_eligible_candidates(coordinator, who):
    from datetime import date

    requester = offerable_volunteer()
    help_request = HelpRequestFactory(
        status=S.VERIFIED, requester=requester, adults_only=True, needs_car=True
    )
    person = {
        "not_a_volunteer": lambda: UserFactory(),
        "requester": lambda: requester,
        "too_young": lambda: offerable_volunteer(born=date(2015, 1, 1)),
        "no_car": lambda: offerable_volunteer(skills="курьер"),
        "no_reason": lambda: volunteer(),  # a profile, but nothing to match: not listed
    }[who]()
    with pytest.raises(DomainError) as error:
        offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[person])
    assert f"№{person.pk}" in error.value.message
    assert person.display_name not in error.value.message  # a forged id reveals no name
    driver = offerable_volunteer()
    assert offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[driver])


@pytest.fixture
def led():
    """The tester's example: a request routed to the programme of an НКО whose leader
    offers it; a resident with a volunteer profile but no reason to be asked."""
    programme = ProgrammeFactory()
    leader = UserFactory()
    MembershipFactory(user=leader, organization=programme.organization, role=Membership.Role.OWNER)
    help_request = HelpRequestFactory(status=S.MATCHING, programme=programme)
    candidate = offerable_volunteer()
    stranger = volunteer()
    return leader, help_request, candidate, stranger


def test_an_nko_leader_cannot_offer_through_the_api_to_someone_not_among_the_candidates(led):
    leader, help_request, candidate, stranger = led
    client = bearer(leader)
    listed = client.get(f"/api/v1/help-requests/{help_request.pk}/candidates").json()
    assert [c["volunteer_id"] for c in listed] == [candidate.pk]
    url = f"/api/v1/help-requests/{help_request.pk}/offers"
    for forged in (stranger.pk, 10**9):
        response = client.post(url, {"volunteers": [forged]}, content_type="application/json")
        assert response.status_code == 422
        assert "volunteers" in response.json()["errors"]
        assert f"№{forged}" in response.json()["message"]
    mixed = client.post(
        url, {"volunteers": [candidate.pk, stranger.pk]}, content_type="application/json"
    )
    assert mixed.status_code == 422
    assert not HelpOffer.objects.filter(request=help_request).exists()
    ok = client.post(url, {"volunteers": [candidate.pk]}, content_type="application/json")
    assert ok.status_code == 201
    assert [o["volunteer_id"] for o in ok.json()] == [candidate.pk]


def test_an_nko_leader_cannot_offer_on_the_page_to_someone_not_among_the_candidates(led):
    leader, help_request, candidate, stranger = led
    client = login(leader)
    page = client.get(help_request.get_absolute_url()).text
    assert f'value="{candidate.pk}"' in page
    assert f'value="{stranger.pk}"' not in page
    url = reverse("helprequests:offer", args=[help_request.pk])
    refused = client.post(url, {"volunteer": stranger.pk}, follow=True).text
    assert "Этих людей нет среди кандидатов для просьбы" in refused
    refused = client.post(url, {"emails": stranger.email}, follow=True).text
    assert stranger.email in refused
    assert not HelpOffer.objects.filter(request=help_request).exists()
    sent = client.post(url, {"volunteer": candidate.pk}, follow=True).text
    assert "Предложение отправлено: 1." in sent
    assert HelpOffer.objects.get(request=help_request).volunteer == candidate


def _helped_by(staff, help_request):
    [offer] = HelpOffer.objects.filter(request=help_request, volunteer=staff)
    offering.offer_answer(user=staff, offer=offer, accept=True)
    accepted_hours_ago(help_request)
    help_request.refresh_from_db()
    completion.help_report(volunteer=staff, help_request=help_request, text="Сделано", hours="2")


def test_the_helper_closing_their_own_request_does_not_confirm_their_own_hours(routed, coordinator):
    staff, help_request = routed
    offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[staff])
    _helped_by(staff, help_request)
    response = bearer(staff).post(f"/api/v1/help-requests/{help_request.pk}/complete")
    assert response.status_code == 200
    entry = HoursEntry.objects.get(user=staff)
    assert (entry.status, entry.decided_by) == (HoursEntry.Status.PENDING, None)


def test_hours_closed_by_someone_else_are_confirmed_by_them(routed, coordinator):
    staff, help_request = routed
    offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[staff])
    _helped_by(staff, help_request)
    completion.request_complete(actor=coordinator, help_request=help_request)
    entry = HoursEntry.objects.get(user=staff)
    assert (entry.status, entry.decided_by) == (HoursEntry.Status.CONFIRMED, coordinator)


@pytest.fixture
def done(routed, coordinator):
    staff, help_request = routed
    helper = offerable_volunteer()
    offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[helper])
    _helped_by(helper, help_request)
    return staff, helper, completion.request_complete(actor=coordinator, help_request=help_request)


def test_while_open_the_programme_staff_see_the_private_fields_each_reading_audited(routed):
    """Issue 11: the staff's reading is audited like a coordinator's — a POST, never a GET."""
    staff, help_request = routed
    url = f"/api/v1/help-requests/{help_request.pk}"
    assert bearer(staff).get(url).json()["private"] is None
    body = bearer(staff).post(f"{url}/private").json()
    assert body["private"]["recipient_name"] == help_request.recipient_name
    reads = AuditEntry.objects.filter(action="helprequest.private_read", actor=staff)
    assert reads.count() == 1


@pytest.mark.parametrize("role", ["staff", "helper"])
def test_after_the_request_is_done_staff_and_helper_no_longer_get_private_fields(done, role):
    staff, helper, help_request = done
    user = staff if role == "staff" else helper
    api = bearer(user).get(f"/api/v1/help-requests/{help_request.pk}")
    if api.status_code == 200:
        assert api.json()["private"] is None
        assert api.json()["health_info"] is None
    page = login(user).get(help_request.get_absolute_url())
    assert help_request.recipient_phone not in page.text
    assert help_request.address not in page.text


def test_coordinators_still_see_them_and_each_reading_is_audited(done, coordinator):
    _staff, _helper, help_request = done
    before = AuditEntry.objects.filter(action="helprequest.private_read").count()
    url = f"/api/v1/help-requests/{help_request.pk}"
    assert bearer(coordinator).get(url).json()["private"] is None
    body = bearer(coordinator).post(f"{url}/private").json()
    assert body["private"]["recipient_phone"] == help_request.recipient_phone
    page = login(coordinator).post(f"/help/{help_request.pk}/private/")
    assert page.status_code == 200
    assert help_request.address in page.text
    reads = AuditEntry.objects.filter(action="helprequest.private_read", actor=coordinator)
    assert reads.count() == before + 2


def test_a_coordinators_get_of_the_page_hides_the_recipient_and_writes_no_audit_entry(
    coordinator,
):
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    page = login(coordinator).get(help_request.get_absolute_url())
    assert page.status_code == 200
    assert help_request.address not in page.text
    assert help_request.recipient_phone not in page.text
    assert f'<form method="post" action="/help/{help_request.pk}/private/"' in page.text
    assert "csrfmiddlewaretoken" in page.text
    assert not AuditEntry.objects.filter(action="helprequest.private_read").exists()


def test_a_get_of_the_private_url_asks_first_and_reads_nothing(coordinator):
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    url = f"/help/{help_request.pk}/private/"
    for method in ("get", "head"):
        response = getattr(login(coordinator), method)(url)
        assert response.status_code == 200
        assert help_request.address not in response.content.decode()
    assert f'<form method="post" action="{url}"' in login(coordinator).get(url).text
    assert not AuditEntry.objects.filter(action="helprequest.private_read").exists()


def test_a_post_of_the_private_url_without_a_csrf_token_is_refused(coordinator):
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(f"/help/{help_request.pk}/private/")
    assert response.status_code == 403
    assert help_request.address not in response.content.decode()
    assert not AuditEntry.objects.filter(action="helprequest.private_read").exists()


def test_the_private_url_is_refused_to_anonymous_and_outsiders(client, outsider):
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    url = f"/help/{help_request.pk}/private/"
    assert client.post(url).status_code == 302
    assert login(outsider).post(url).status_code in (403, 404)
    assert help_request.address not in login(outsider).post(url).content.decode()
    assert not AuditEntry.objects.filter(action="helprequest.private_read").exists()


def test_the_requester_sees_their_own_request_without_an_audit_entry(resident):
    help_request = HelpRequestFactory(requester=resident, status=S.DONE)
    page = login(resident).get(help_request.get_absolute_url())
    assert help_request.address in page.text
    assert not AuditEntry.objects.filter(action="helprequest.private_read").exists()


def test_the_submission_audit_records_that_health_data_was_collected_and_the_consent(resident):
    written_consent(resident)
    fields = {
        "category": "delivery",
        "summary": "Привезти продукты",
        "details": "Хлеб и молоко",
        "recipient_name": "Анна Петровна",
        "asap": True,
    }
    with_health = submission.request_submit(
        requester=resident, fields=fields, health_info="Плохо видит", health_consent=True
    )
    without = submission.request_submit(
        requester=resident, fields={**fields, "summary": "Другое"}, health_info=""
    )
    entry = AuditEntry.objects.get(action="helprequest.submit", object_id=str(with_health.pk))
    assert entry.data["health_data"] is True
    assert entry.data["health_consent_version"] == 1
    assert entry.data["health_consent_method"] == "paper"
    entry = AuditEntry.objects.get(action="helprequest.submit", object_id=str(without.pk))
    assert entry.data["health_data"] is False
    assert entry.data["health_consent_version"] is None


def test_queue_detail_and_candidates_never_fetch_the_health_row(coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED, health_info="Диабет")
    offerable_volunteer()
    client = login(coordinator)
    for url in (
        reverse("helprequests:queue"),
        help_request.get_absolute_url(),
        reverse("helprequests:mine"),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q for q in queries if "healthinfo" in q["sql"]], url


def test_only_the_audited_read_fetches_the_health_row(coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED, health_info="Диабет")
    with CaptureQueriesContext(connection) as queries:
        text = private_data.health_info_read(user=coordinator, help_request=help_request)
    assert text == "Диабет"
    assert [q for q in queries if "healthinfo" in q["sql"]]
    assert AuditEntry.objects.filter(action="helprequest.health_read").count() == 1


def test_the_helper_cannot_confirm_their_own_pending_hours_but_a_coordinator_can(
    routed, coordinator
):
    from dobry.volunteering.services.hours import hours_confirm

    staff, help_request = routed
    offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[staff])
    _helped_by(staff, help_request)
    completion.request_complete(actor=staff, help_request=help_request)
    entry = HoursEntry.objects.get(user=staff)
    with pytest.raises(DomainError):
        hours_confirm(actor=staff, entry=entry)
    entry.refresh_from_db()
    assert entry.status == HoursEntry.Status.PENDING
    assert hours_confirm(actor=coordinator, entry=entry).status == HoursEntry.Status.CONFIRMED
