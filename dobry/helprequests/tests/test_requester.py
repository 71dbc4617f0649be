"""The resident's side of a request (issue 11 §5, §6): duplicates flagged, cancel and
edit one's own request while allowed, plain-language messages only at the moments that
matter, offers closed with the request and showing when and where before acceptance, and
a status select offering only the allowed moves."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import login
from dobry.accounts.services import api_token_create
from dobry.communications.models import Notification
from dobry.core.models import District
from dobry.helprequests import permissions
from dobry.helprequests.forms import TransitionForm
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import completion, offering, submission, workflow
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
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
FIELDS = {
    "category": "delivery",
    "summary": "Привезти продукты",
    "details": "Хлеб, молоко и крупа",
    "recipient_name": "Анна Петровна",
    "asap": True,
}


def bearer(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def test_the_same_request_sent_twice_without_phone_or_address_is_flagged(resident):
    first = submission.request_submit(requester=resident, fields=FIELDS)
    again = submission.request_submit(
        requester=resident, fields={**FIELDS, "details": "  хлеб, МОЛОКО и крупа "}
    )
    assert again.possible_duplicate_of == first


def test_different_content_or_another_person_is_not_a_duplicate(resident, outsider):
    submission.request_submit(requester=resident, fields=FIELDS)
    other = submission.request_submit(requester=resident, fields={**FIELDS, "details": "Лекарства"})
    theirs = submission.request_submit(requester=outsider, fields=FIELDS)
    assert other.possible_duplicate_of is None
    assert theirs.possible_duplicate_of is None


def test_the_same_content_after_the_window_is_a_new_request(resident, settings):
    settings.DOBRY_HELP_DUPLICATE_HOURS = 2
    first = submission.request_submit(requester=resident, fields=FIELDS)
    HelpRequest.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=3))
    again = submission.request_submit(requester=resident, fields=FIELDS)
    assert again.possible_duplicate_of is None


def _walk_to_done(coordinator, help_request):
    helper = offerable_volunteer()
    workflow.request_transition(actor=coordinator, help_request=help_request, to=S.VERIFIED)
    [offer] = offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[helper])
    offering.offer_answer(user=helper, offer=offer, accept=True)
    accepted_hours_ago(help_request)
    help_request.refresh_from_db()
    completion.help_report(volunteer=helper, help_request=help_request, text="Купил", hours="1")
    help_request.refresh_from_db()
    completion.request_complete(actor=coordinator, help_request=help_request)
    return helper


def test_the_resident_gets_three_plain_messages_for_the_whole_way(resident, coordinator):
    help_request = submission.request_submit(requester=resident, fields=FIELDS)
    _walk_to_done(coordinator, help_request)
    titles = [n.title for n in Notification.objects.filter(user=resident).order_by("pk")]
    assert titles == [
        "Ваша просьба о помощи принята",
        "Для вашей просьбы нашёлся помощник",
        "Ваша просьба выполнена",
    ]


def test_a_refusal_tells_the_resident_why(resident, coordinator):
    help_request = submission.request_submit(requester=resident, fields=FIELDS)
    workflow.request_transition(
        actor=coordinator, help_request=help_request, to=S.REJECTED, reason="Вне города"
    )
    [message] = Notification.objects.filter(user=resident)
    assert message.title == "Мы не сможем помочь с вашей просьбой"
    assert "Вне города" in message.body


def test_the_resident_sees_my_requests_in_the_menu(resident):
    page = login(resident).get("/")
    assert reverse("helprequests:mine") in page.text
    assert reverse("helprequests:mine") not in Client().get("/").text


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(S.NEW, True), (S.OFFERED, True), (S.ASSIGNED, True), (S.IN_PROGRESS, False), (S.DONE, False)],
)
def test_the_resident_cancels_their_own_request_until_help_has_started(resident, status, allowed):
    help_request = HelpRequestFactory(requester=resident, status=status)
    client = login(resident)
    assert ("Отменить просьбу" in client.get(help_request.get_absolute_url()).text) is allowed
    response = client.post(reverse("helprequests:cancel", args=[help_request.pk]))
    assert response.status_code == (302 if allowed else 403)
    help_request.refresh_from_db()
    assert (help_request.status == S.CANCELLED) is allowed


@pytest.mark.parametrize("who", ["anonymous", "outsider", "coordinator"])
def test_nobody_else_cancels_a_residents_request_on_the_page(resident, outsider, coordinator, who):
    help_request = HelpRequestFactory(requester=resident, status=S.VERIFIED)
    client = {"anonymous": Client(), "outsider": login(outsider), "coordinator": login(coordinator)}
    response = client[who].post(reverse("helprequests:cancel", args=[help_request.pk]))
    assert response.status_code == {"anonymous": 302, "outsider": 403, "coordinator": 403}[who]
    help_request.refresh_from_db()
    assert help_request.status == S.VERIFIED


def test_cancelling_through_the_api_withdraws_offers_and_releases_the_helper(resident, coordinator):
    help_request = HelpRequestFactory(requester=resident, status=S.VERIFIED)
    helper, other = offerable_volunteer(), offerable_volunteer()
    offers = offering.offer_make(
        actor=coordinator, help_request=help_request, volunteers=[helper, other]
    )
    HelpRequest.objects.filter(pk=help_request.pk).update(volunteers_needed=2)
    offering.offer_answer(user=helper, offer=offers[0], accept=True)
    response = bearer(resident).post(
        f"/api/v1/help-requests/{help_request.pk}/cancel",
        {"reason": "Соседка помогла"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert set(HelpOffer.objects.values_list("status", flat=True)) == {HelpOffer.Status.WITHDRAWN}
    assert Notification.objects.filter(user=helper, kind="help_task_cancelled").exists()
    again = bearer(resident).post(
        f"/api/v1/help-requests/{help_request.pk}/cancel", {}, content_type="application/json"
    )
    assert again.status_code == 403
    assert (
        bearer(coordinator)
        .post(
            f"/api/v1/help-requests/{help_request.pk}/cancel", {}, content_type="application/json"
        )
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("status", "allowed"), [(S.NEW, True), (S.WAITING, True), (S.MATCHING, False)]
)
def test_the_resident_edits_their_own_request_while_new_or_waiting(resident, status, allowed):
    help_request = HelpRequestFactory(requester=resident, status=status)
    client = login(resident)
    page = client.get(reverse("helprequests:edit", args=[help_request.pk]))
    assert page.status_code == (200 if allowed else 403)
    response = bearer(resident).patch(
        f"/api/v1/help-requests/{help_request.pk}",
        {"details": "Ещё кефир"},
        content_type="application/json",
    )
    assert response.status_code == (200 if allowed else 403)
    help_request.refresh_from_db()
    assert (help_request.details == "Ещё кефир") is allowed


def test_an_outsider_cannot_edit_or_even_see_it(resident, outsider):
    help_request = HelpRequestFactory(requester=resident, status=S.NEW)
    assert (
        login(outsider).get(reverse("helprequests:edit", args=[help_request.pk])).status_code == 404
    )
    assert Client().get(reverse("helprequests:edit", args=[help_request.pk])).status_code == 302


def test_offers_made_before_the_request_was_done_are_closed_with_it(coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED, volunteers_needed=2)
    first, second, third = offerable_volunteer(), offerable_volunteer(), offerable_volunteer()
    offers = offering.offer_make(
        actor=coordinator, help_request=help_request, volunteers=[first, second, third]
    )
    offering.offer_answer(user=first, offer=offers[0], accept=True)
    workflow.request_transition(actor=coordinator, help_request=help_request, to=S.MATCHING)
    workflow.request_transition(actor=coordinator, help_request=help_request, to=S.ASSIGNED)
    workflow.request_transition(actor=coordinator, help_request=help_request, to=S.DONE)
    statuses = dict(HelpOffer.objects.values_list("volunteer_id", "status"))
    assert statuses[first.pk] == HelpOffer.Status.ACCEPTED  # history of who helped
    assert statuses[second.pk] == statuses[third.pk] == HelpOffer.Status.WITHDRAWN
    page = login(second).get(help_request.get_absolute_url())
    assert "Вам предложили помочь" not in page.text


def test_an_offer_on_a_closed_request_cannot_be_accepted(coordinator):
    from dobry.core.errors import InvalidTransition

    help_request = HelpRequestFactory(status=S.VERIFIED)
    helper = offerable_volunteer()
    [offer] = offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[helper])
    HelpRequest.objects.filter(pk=help_request.pk).update(status=S.DONE)
    with pytest.raises(InvalidTransition):
        offering.offer_answer(user=helper, offer=offer, accept=True)
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.OFFERED


def test_an_offer_shows_when_and_where_before_it_is_accepted(coordinator):
    district = District.objects.create(name="Первомайский", slug="pervomaiskii")
    start = timezone.now() + timedelta(days=2)
    help_request = HelpRequestFactory(
        status=S.VERIFIED, asap=False, wanted_from=start, district=district, needs_car=False
    )
    helper = offerable_volunteer()
    offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[helper])
    page = login(helper).get(help_request.get_absolute_url()).text
    local = timezone.localtime(start)
    assert "Вам предложили помочь" in page
    assert "Первомайский" in page
    assert f"{local:%H:%M}" in page
    assert help_request.address not in page  # the address comes with acceptance
    mine = login(helper).get(reverse("helprequests:mine")).text
    assert "Первомайский" in mine


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.NEW, {S.VERIFIED, S.WAITING, S.REJECTED, S.CANCELLED}),
        # «assigned» only by a volunteer accepting an offer (test_moves_by_hand)
        (S.OFFERED, {S.MATCHING, S.WAITING, S.CANCELLED}),
        (S.DONE, set()),
    ],
)
def test_the_status_select_offers_only_the_allowed_next_statuses(status, expected, coordinator):
    help_request = HelpRequestFactory(status=status)
    form = TransitionForm(
        help_request=help_request, moves=permissions.moves_by_hand(coordinator, help_request)
    )
    assert {value for value, _label in form.fields["to"].choices} == expected


def test_a_status_change_is_confirmed_and_a_stale_one_refused(coordinator):
    help_request = HelpRequestFactory(status=S.NEW)
    client = login(coordinator)
    url = reverse("helprequests:transition", args=[help_request.pk])
    page = client.post(url, {"to": "verified"}, follow=True)
    assert "Статус изменён: «проверена»" in page.text
    stale = client.post(url, {"to": "verified"}, follow=True)  # a second tab, same choice
    assert "Выберите один из допустимых статусов" in stale.text
    help_request.refresh_from_db()
    assert help_request.status == S.VERIFIED
    detail = client.get(help_request.get_absolute_url()).text
    assert '<option value="new"' not in detail
