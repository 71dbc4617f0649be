"""What happens after the help: recurring occurrences, correcting a request, and the
invitation to volunteer («помогать могут все»)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import login
from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import completion, offering, private_data, submission, triage
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    accepted_helper,
    accepted_hours_ago,
    offerable_volunteer,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _coordinator_of_the_resource_centre(request):
    """Closing a request credits the helper's hours to the coordinator's organisation (the
    resource centre) when it was not routed to a programme."""
    if "coordinator" in request.fixturenames:
        MembershipFactory(user=request.getfixturevalue("coordinator"), role=Membership.Role.EDITOR)


S = HelpRequest.Status


def _assigned(coordinator, helper, **fields):
    request = HelpRequestFactory(status=S.VERIFIED, **fields)
    [offer] = offering.offer_make(actor=coordinator, help_request=request, volunteers=[helper])
    offering.offer_answer(user=helper, offer=offer, accept=True)
    return _reported(request, helper)


def _reported(request, helper):
    """The helper reports the help: only then may the request be closed as done."""
    accepted_hours_ago(request)
    request.refresh_from_db()
    completion.help_report(volunteer=helper, help_request=request, text="Помог", hours="1")
    request.refresh_from_db()
    return request


def test_a_weekly_request_when_done_creates_the_next_visit_offered_to_the_same_helper(
    coordinator,
):
    helper = offerable_volunteer()
    start = timezone.now() + timedelta(days=1)
    request = _assigned(
        coordinator,
        helper,
        recurrence=HelpRequest.Recurrence.WEEKLY,
        asap=False,
        wanted_from=start,
        wanted_to=start + timedelta(hours=2),
        health_info="Плохо слышит",
    )
    completion.request_complete(actor=coordinator, help_request=request)
    following = HelpRequest.objects.get(parent=request)
    assert following.wanted_from == start + timedelta(weeks=1)
    assert following.wanted_to == following.wanted_from + timedelta(hours=2)
    assert following.recurrence == HelpRequest.Recurrence.WEEKLY
    assert following.has_health_info
    assert private_data.health_info_read(user=coordinator, help_request=following) == "Плохо слышит"
    assert following.status == S.OFFERED
    assert HelpOffer.objects.get(request=following).volunteer == helper
    # The third visit still points at the first request of the series.
    [offer] = following.offers.all()
    offering.offer_answer(user=helper, offer=offer, accept=True)
    following = _reported(following, helper)
    completion.request_complete(actor=coordinator, help_request=following)
    assert HelpRequest.objects.filter(parent=request).count() == 2


def test_a_monthly_request_done_late_is_not_scheduled_in_the_past(coordinator):
    long_ago = timezone.now() - timedelta(days=75)
    request = _assigned(
        coordinator,
        offerable_volunteer(),
        recurrence=HelpRequest.Recurrence.MONTHLY,
        wanted_from=long_ago,
    )
    completion.request_complete(actor=coordinator, help_request=request)
    following = HelpRequest.objects.get(parent=request)
    assert following.wanted_from > timezone.now()
    assert following.wanted_from.day == long_ago.day or following.wanted_from.day >= 28


def test_a_one_off_request_creates_nothing_and_a_series_without_helper_goes_to_the_queue(
    coordinator,
):
    once = _assigned(coordinator, offerable_volunteer())
    completion.request_complete(actor=coordinator, help_request=once)
    assert not HelpRequest.objects.filter(parent=once).exists()

    weekly = HelpRequestFactory(status=S.ASSIGNED, recurrence=HelpRequest.Recurrence.WEEKLY)
    weekly = _reported(weekly, accepted_helper(weekly))
    # the helper reported and left (an erased account withdraws the acceptance)
    weekly.offers.update(status=HelpOffer.Status.WITHDRAWN)
    Notification.objects.all().delete()
    completion.request_complete(actor=coordinator, help_request=weekly)
    following = HelpRequest.objects.get(parent=weekly)
    assert following.status == S.VERIFIED
    assert Notification.objects.filter(user=coordinator, kind="help_request_new").exists()


def test_the_coordinator_edits_an_open_request_but_not_a_closed_one(coordinator):
    request = HelpRequestFactory(status=S.VERIFIED)
    client = login(coordinator)
    url = reverse("helprequests:edit", args=[request.pk])
    assert client.get(url).status_code == 200
    data = {
        "category": "delivery",
        "summary": "Привезти продукты и лекарства",
        "details": "Уточнили по телефону: ещё и лекарства",
        "recipient_name": request.recipient_name,
        "recipient_phone": "",
        "address": request.address,
        "asap": "on",
        "recurrence": "weekly",
        "volunteers_needed": 1,
        "relation": "self",
    }
    response = client.post(url, {**data, "summary": "Помочь Марии Ивановне"})
    assert response.status_code == 200  # the name may not reach the public summary
    request.refresh_from_db()
    assert request.summary != "Помочь Марии Ивановне"
    assert client.post(url, data).status_code == 302
    request.refresh_from_db()
    assert request.details.startswith("Уточнили")
    assert request.recurrence == "weekly"
    request.status = S.CANCELLED
    request.save()
    with pytest.raises(InvalidTransition):
        submission.request_update(actor=coordinator, help_request=request, fields={"details": "x"})


def test_the_person_helped_is_invited_to_volunteer_once(coordinator, resident):
    request = HelpRequestFactory(status=S.DONE, requester=resident)
    client = login(coordinator)
    assert "Пригласить стать добровольцем" in client.get(request.get_absolute_url()).text
    assert "Стать добровольцем" in login(resident).get(request.get_absolute_url()).text
    response = client.post(reverse("helprequests:invite", args=[request.pk]))
    assert response.status_code == 302
    note = Notification.objects.get(user=resident, kind="help_volunteer_invite")
    assert note.url == reverse("volunteering:profile")
    with pytest.raises(DomainError):
        completion.recipient_invite(actor=coordinator, help_request=request)
    assert Notification.objects.filter(kind="help_volunteer_invite").count() == 1


@pytest.mark.parametrize("relation", ["relative", "social_worker", "phone_call"])
def test_only_someone_who_asked_for_themselves_is_invited(coordinator, resident, relation):
    request = HelpRequestFactory(status=S.DONE, requester=resident, relation=relation)
    with pytest.raises(DomainError):
        completion.recipient_invite(actor=coordinator, help_request=request)


def test_an_existing_volunteer_or_an_open_request_is_not_invited(coordinator):
    helper = offerable_volunteer()
    with pytest.raises(DomainError):
        completion.recipient_invite(
            actor=coordinator, help_request=HelpRequestFactory(status=S.DONE, requester=helper)
        )
    with pytest.raises(InvalidTransition):
        completion.recipient_invite(
            actor=coordinator, help_request=HelpRequestFactory(status=S.ASSIGNED, requester=helper)
        )


@pytest.mark.parametrize("who", ["anonymous", "resident", "volunteer"])
def test_only_coordinators_edit_and_invite(who, resident):
    request = HelpRequestFactory(status=S.DONE, requester=resident)
    client = {
        "anonymous": Client,
        "resident": lambda: login(resident),
        "volunteer": lambda: login(offerable_volunteer()),
    }[who]()
    edit = client.get(reverse("helprequests:edit", args=[request.pk]))
    invite = client.post(reverse("helprequests:invite", args=[request.pk]))
    if who == "anonymous":
        assert edit.status_code == invite.status_code == 302
        assert "/accounts/login/" in edit["Location"]
    else:  # an unrelated volunteer cannot even see the closed request
        assert edit.status_code == (404 if who == "volunteer" else 403)
        assert invite.status_code == 403
    assert not Notification.objects.filter(kind="help_volunteer_invite").exists()


def test_the_programme_staff_work_a_routed_request_with_their_own_volunteers(coordinator):
    from dobry.helprequests.tests.factories import ProgrammeFactory
    from dobry.organizations.models import Membership
    from dobry.organizations.tests.factories import MembershipFactory
    from dobry.volunteering.models import HoursEntry

    programme = ProgrammeFactory()
    staff = MembershipFactory(organization=programme.organization, role=Membership.Role.EDITOR)
    stranger = MembershipFactory(role=Membership.Role.EDITOR)  # another organisation's editor
    ProgrammeFactory(organization=stranger.organization)
    request = HelpRequestFactory(status=S.VERIFIED, health_info="Диабет")
    triage.request_route(actor=coordinator, help_request=request, programme=programme)
    helper = offerable_volunteer()
    client = login(staff.user)
    assert request.summary in client.get(reverse("helprequests:mine")).text
    page = client.get(request.get_absolute_url()).text
    assert "Кому предложить" in page
    assert "Изменить просьбу" not in page  # editing and routing stay with coordinators
    assert "Показать сведения о здоровье" not in page
    assert client.post(reverse("helprequests:edit", args=[request.pk])).status_code == 403
    response = client.post(
        reverse("helprequests:offer", args=[request.pk]), {"volunteer": helper.pk}
    )
    assert response.status_code == 302
    [offer] = HelpOffer.objects.filter(request=request)
    offering.offer_answer(user=helper, offer=offer, accept=True)
    accepted_hours_ago(request)
    request.refresh_from_db()
    completion.help_report(volunteer=helper, help_request=request, text="Сделано", hours="2")
    outsider = login(stranger.user)
    assert outsider.post(reverse("helprequests:complete", args=[request.pk])).status_code == 404
    assert client.post(reverse("helprequests:complete", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == S.DONE
    entry = HoursEntry.objects.get(user=helper)
    assert entry.organization == programme.organization


def test_programme_staff_use_the_api_only_for_their_routed_requests(coordinator):
    from dobry.accounts.services import api_token_create
    from dobry.helprequests.tests.factories import ProgrammeFactory
    from dobry.organizations.models import Membership
    from dobry.organizations.tests.factories import MembershipFactory

    programme = ProgrammeFactory()
    staff = MembershipFactory(organization=programme.organization, role=Membership.Role.EDITOR)
    routed = HelpRequestFactory(status=S.VERIFIED)
    triage.request_route(actor=coordinator, help_request=routed, programme=programme)
    other = HelpRequestFactory(status=S.NEW)
    token = api_token_create(user=staff.user, name="t")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(f"/api/v1/help-requests/{routed.pk}/candidates").status_code == 200
    moved = api.post(
        f"/api/v1/help-requests/{routed.pk}/transition",
        {"to": "waiting", "reason": "Ждём звонка от дочери"},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["private"] is None  # the staff's reading is a POST, audited
    assert moved.json()["health_info"] is None
    assert api.get(f"/api/v1/help-requests/{other.pk}/candidates").status_code == 404
    assert (
        api.patch(
            f"/api/v1/help-requests/{routed.pk}", {"details": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
