"""Hours keep the project's one order of refusals: a person who may never decide an entry
(not an editor of its organisation, or the volunteer themself) gets 403 whatever the
entry's state — they used to get 409 for an entry already decided, learning that it
was —; an editor deciding an entry already decided gets 409."""

from datetime import date
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import InvalidTransition, PermissionDenied
from dobry.events.tests.factories import volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services.hours import hours_confirm, hours_decline

pytestmark = pytest.mark.django_db
H = HoursEntry.Status


def entry(status: str) -> HoursEntry:
    return HoursEntry.objects.create(
        user=volunteer(),
        organization=OrganizationFactory(),
        date=date(2025, 5, 1),
        hours=Decimal(3),
        claimed_hours=Decimal(3),
        source=HoursEntry.Source.CLAIM,
        status=status,
    )


@pytest.mark.parametrize("status", [H.PENDING, H.CONFIRMED, H.DECLINED])
def test_a_stranger_and_the_volunteer_get_403_in_every_state(status):
    line = entry(status)
    for person in (UserFactory(), line.user):
        with pytest.raises(PermissionDenied):
            hours_confirm(actor=person, entry=line)
    with pytest.raises(PermissionDenied):
        hours_decline(actor=UserFactory(), entry=line, reason="Не было")
    line.refresh_from_db()
    assert line.status == status


@pytest.mark.parametrize("status", [H.CONFIRMED, H.DECLINED])
def test_an_editor_deciding_twice_gets_409(status):
    line = entry(status)
    editor = MembershipFactory(organization=line.organization, role=Membership.Role.EDITOR).user
    with pytest.raises(InvalidTransition):
        hours_confirm(actor=editor, entry=line)
    with pytest.raises(InvalidTransition):
        hours_decline(actor=editor, entry=line, reason="Не было")
