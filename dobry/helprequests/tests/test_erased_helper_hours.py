"""A helper reported their help, then erased their account before the request was closed.
The help was given, so the city's totals keep its hours; but the entry is made after the
erasure, so it must look like every other hour of an erased person: on the anonymous
tombstone of the account, confirmed (nobody is left to ask), with no description — and
no name, email or text of the person anywhere in the ledger or its audit entry."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from dobry.accounts.services import user_erase
from dobry.core.clock import local_today
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpReport, HelpRequest
from dobry.helprequests.services import completion
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory, accepted_helper
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
S = HelpRequest.Status


@pytest.fixture
def closed_after_erasure(coordinator):
    """Two helpers reported (2 h and 1.5 h); the first erased the account; the request,
    back in matching, was taken up again and closed by the coordinator."""
    help_request = HelpRequestFactory(
        status=S.IN_PROGRESS,
        volunteers_needed=2,
        programme=ProgrammeFactory(),
        summary="Привезти продукты Марии Ивановне",
    )
    leaving = accepted_helper(help_request, volunteer(first_name="Игнат", last_name="Уходящий"))
    staying = accepted_helper(help_request, volunteer(first_name="Вера"))
    for person, hours in ((leaving, 2), (staying, Decimal("1.5"))):
        HelpReport.objects.create(
            request=help_request,
            volunteer=person,
            text="Купил продукты",
            hours=hours,
            day=local_today(),
        )
    name, email = leaving.last_name, leaving.email
    user_erase(user=leaving, actor=None)
    help_request.refresh_from_db()
    help_request.status = S.IN_PROGRESS  # taken up again by the other helper
    help_request.save(update_fields=["status"])
    completion.request_complete(actor=coordinator, help_request=help_request)
    leaving.refresh_from_db()
    return help_request, leaving, staying, (name, email)


def test_the_hours_stay_in_the_citys_totals(closed_after_erasure):
    _help_request, _leaving, _staying, _traces = closed_after_erasure
    total = HoursEntry.objects.confirmed().aggregate(total=Sum("hours"))["total"]
    assert total == Decimal("3.5")
    assert HoursEntry.objects.filter(source=HoursEntry.Source.HELP_REQUEST).count() == 2


def test_the_erased_helpers_entry_is_on_the_tombstone_confirmed_and_says_nothing(
    closed_after_erasure, coordinator
):
    _help_request, leaving, _staying, (name, email) = closed_after_erasure
    assert leaving.erased_at is not None
    entry = HoursEntry.objects.get(user=leaving)
    assert entry.status == HoursEntry.Status.CONFIRMED
    assert entry.decided_by == coordinator
    assert (entry.description, entry.thanks, entry.reason) == ("", "", "")
    assert entry.hours == Decimal(2)
    # the tombstone holds nothing of the person
    assert (leaving.first_name, leaving.last_name, leaving.phone) == ("", "", "")
    assert leaving.email.endswith("@erased.invalid")
    record = AuditEntry.objects.get(action="hours.record", object_id=str(entry.pk))
    for trace in (name, email):
        assert trace not in str(record.data)
        assert trace not in record.object_repr


def test_the_other_helper_is_credited_as_before(closed_after_erasure, coordinator):
    help_request, _leaving, staying, _traces = closed_after_erasure
    entry = HoursEntry.objects.get(user=staying)
    assert entry.status == HoursEntry.Status.CONFIRMED
    assert entry.description == help_request.summary
    assert entry.hours == Decimal("1.5")
