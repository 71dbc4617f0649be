"""A volunteer who accepted a request whose help is under way (accepted, not yet done) erases
their account. The acceptance used to stay — the request «in progress» with a helper who no
longer exists — and nobody was told. Now the erasure withdraws it as it does before the help
began: the request goes back to matching by the workflow (in progress → matching), the other
helpers keep their acceptance, and those who work the request are told in plain words,
without the person's name."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.services import user_erase
from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Notification
from dobry.core.clock import local_today
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpReport, HelpRequest
from dobry.helprequests.services import completion, offering
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    accepted_helper,
    offerable_volunteer,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
O = HelpOffer.Status  # noqa: E741
KIND = "help_helper_left"
SUMMARY = "Привезти продукты из магазина"


def under_way(*, needed: int = 1, helpers: int = 1, **fields) -> HelpRequest:
    """A request in progress with `helpers` accepted helpers, the first of whom reported."""
    help_request = HelpRequestFactory(
        status=S.IN_PROGRESS, volunteers_needed=needed, summary=SUMMARY, **fields
    )
    people = [accepted_helper(help_request, volunteer(first_name="Игнат")) for _ in range(helpers)]
    HelpReport.objects.create(
        request=help_request, volunteer=people[0], text="Купил половину", hours=1, day=local_today()
    )
    help_request.helpers = people
    return help_request


def offer_of(help_request: HelpRequest, person) -> HelpOffer:
    return HelpOffer.objects.get(request=help_request, volunteer=person)


def told(kind: str = KIND) -> dict[int, tuple[str, str, str]]:
    return {n.user_id: (n.title, n.body, n.url) for n in Notification.objects.filter(kind=kind)}


def test_the_acceptance_is_withdrawn_and_the_request_goes_back_to_matching(coordinator):
    help_request = under_way()
    [helper] = help_request.helpers

    user_erase(user=helper, actor=None)

    help_request.refresh_from_db()
    assert help_request.status == S.MATCHING
    assert offer_of(help_request, helper).status == O.WITHDRAWN
    withdrawal = AuditEntry.objects.get(action="helprequest.offer_withdraw")
    assert withdrawal.actor is None
    assert withdrawal.data == {"volunteers": [helper.pk], "from": O.ACCEPTED, "to": O.WITHDRAWN}
    move = AuditEntry.objects.filter(action="helprequest.transition").latest("pk")
    assert (move.actor, move.data["from"], move.data["to"]) == (None, S.IN_PROGRESS, S.MATCHING)


def test_the_coordinators_are_told_in_plain_words_without_the_persons_name(coordinator):
    other_coordinator = UserFactory(is_coordinator=True)
    help_request = under_way()
    [helper] = help_request.helpers
    name, email = helper.first_name, helper.email

    user_erase(user=helper, actor=None)

    url = f"/help/{help_request.pk}/"
    message = (
        f"Просьбе снова нужен помощник: «{SUMMARY}»",
        f"Учётная запись помощника по просьбе «{SUMMARY}» удалена: согласие помочь отозвано, "
        "и просьба снова ищет помощника. Предложите её другому волонтёру.",
        url,
    )
    assert told() == {coordinator.pk: message, other_coordinator.pk: message}
    assert name == "Игнат"
    assert not any(name in title + body or email in body for title, body, _url in told().values())


def test_the_staff_of_the_programme_it_was_routed_to_are_told_too(coordinator, outsider):
    programme = ProgrammeFactory()
    editor = MembershipFactory(
        organization=programme.organization, role=Membership.Role.EDITOR
    ).user
    member = MembershipFactory(
        organization=programme.organization, role=Membership.Role.MEMBER
    ).user
    help_request = under_way(programme=programme)

    user_erase(user=help_request.helpers[0], actor=None)

    assert set(told()) == {coordinator.pk, editor.pk}
    assert member.pk not in told()
    assert outsider.pk not in told()


def test_one_of_two_helpers_under_way_leaves_the_other_keeps_the_acceptance(coordinator):
    help_request = under_way(needed=2, helpers=2)
    leaving, staying = help_request.helpers

    user_erase(user=leaving, actor=None)

    help_request.refresh_from_db()
    assert help_request.status == S.MATCHING
    assert offer_of(help_request, leaving).status == O.WITHDRAWN
    assert offer_of(help_request, staying).status == O.ACCEPTED
    assert set(told()) == {coordinator.pk}
    # the coordinators find the second helper again, and the help goes on to be done
    [third] = offering.offer_make(
        actor=coordinator, help_request=help_request, volunteers=[offerable_volunteer()]
    )
    offering.offer_respond(user=third.volunteer, offer=third, answer="accept")
    help_request.refresh_from_db()
    assert help_request.status == S.ASSIGNED
    assert help_request.offers.filter(status=O.ACCEPTED).count() == 2


def test_an_assigned_helpers_erasure_is_told_too(coordinator):
    help_request = HelpRequestFactory(status=S.ASSIGNED, summary=SUMMARY)
    helper = accepted_helper(help_request)

    user_erase(user=helper, actor=None)

    help_request.refresh_from_db()
    assert help_request.status == S.MATCHING
    assert set(told()) == {coordinator.pk}


def test_an_offer_nobody_had_answered_is_withdrawn_without_telling_anyone(coordinator):
    help_request = HelpRequestFactory(status=S.OFFERED, summary=SUMMARY)
    offer = HelpOffer.objects.create(
        request=help_request,
        volunteer=offerable_volunteer(),
        expires_at=timezone.now() + timedelta(hours=12),
    )

    user_erase(user=offer.volunteer, actor=None)

    offer.refresh_from_db()
    help_request.refresh_from_db()
    assert (offer.status, help_request.status) == (O.WITHDRAWN, S.MATCHING)
    assert told() == {}


def test_help_that_is_done_keeps_its_helper_and_nobody_is_told(coordinator):
    help_request = under_way(programme=ProgrammeFactory())
    [helper] = help_request.helpers
    completion.request_complete(actor=coordinator, help_request=help_request)

    user_erase(user=helper, actor=None)

    help_request.refresh_from_db()
    assert help_request.status == S.DONE
    assert offer_of(help_request, helper).status == O.ACCEPTED
    assert told() == {}


def test_the_helpers_of_another_request_are_left_alone(coordinator):
    mine, theirs = under_way(), under_way()

    user_erase(user=mine.helpers[0], actor=None)

    theirs.refresh_from_db()
    assert theirs.status == S.IN_PROGRESS
    assert offer_of(theirs, theirs.helpers[0]).status == O.ACCEPTED


def test_the_service_says_how_many_offers_it_withdrew(coordinator):
    first, second = under_way(), HelpRequestFactory(status=S.OFFERED)
    [helper] = first.helpers
    HelpOffer.objects.create(
        request=second, volunteer=helper, expires_at=timezone.now() + timedelta(hours=12)
    )
    assert offering.volunteer_offers_withdraw(volunteer=helper) == 2
    assert set(told()) == {coordinator.pk}
