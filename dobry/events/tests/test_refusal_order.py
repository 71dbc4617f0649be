"""Registrations and events keep the project's one order of refusals (`Workflow.check_for`):
a person who may never make the move gets 403 whatever the state — a stranger approving
a registration used to get 422, or 409 once it was decided, learning its state —; an
organiser or the volunteer themself, refused only for the state or the time, gets 409."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import InvalidTransition, PermissionDenied
from dobry.events.models import Event, Registration
from dobry.events.services import registrations
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
R = Registration.Status


def organiser_of(event: Event):
    return MembershipFactory(organization=event.organization, role=Membership.Role.EDITOR).user


@pytest.mark.parametrize("state", [R.PENDING_APPROVAL, R.CONFIRMED, R.DECLINED, R.CANCELLED])
def test_a_stranger_approving_or_declining_gets_403_in_every_state(state):
    registration = RegistrationFactory(status=state, shift=ShiftFactory(requires_approval=True))
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        registrations.registration_approve(actor=stranger, registration=registration)
    with pytest.raises(PermissionDenied):
        registrations.registration_decline(actor=stranger, registration=registration, reason="X")
    registration.refresh_from_db()
    assert registration.status == state


def test_the_organiser_approving_a_decided_registration_gets_409():
    registration = RegistrationFactory(
        status=R.CONFIRMED, shift=ShiftFactory(requires_approval=True)
    )
    with pytest.raises(InvalidTransition):
        registrations.registration_approve(
            actor=organiser_of(registration.shift.event), registration=registration
        )


def test_someone_elses_registration_is_403_and_ones_own_after_the_start_is_409():
    started = ShiftFactory(starts_at=timezone.now() - timedelta(minutes=5))
    registration = RegistrationFactory(status=R.CONFIRMED, shift=started)
    with pytest.raises(PermissionDenied):
        registrations.registration_cancel(user=UserFactory(), registration=registration)
    with pytest.raises(InvalidTransition, match="началась"):
        registrations.registration_cancel(user=registration.user, registration=registration)
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED


def test_the_api_answers_the_same_statuses(login_as):
    started = ShiftFactory(starts_at=timezone.now() - timedelta(minutes=5))
    registration = RegistrationFactory(status=R.CONFIRMED, shift=started)
    path = f"/api/v1/registrations/{registration.pk}/cancel"
    assert login_as(UserFactory()).post(path).status_code == 404  # not even found
    assert login_as(registration.user).post(path).status_code == 409
