"""Withdrawing the health-data consent erases the health information of every request the
person entered under it — for a relative or a client too (issue 11).

Someone else's health information was accepted on the requester's written consent, given
confirming the person's agreement (`health_on_behalf`): the only written consent on record
for it (152-ФЗ art. 10 part 2 item 1). Withdrawn, nothing lawfully holds that information
(art. 9 part 2, art. 21 part 5), so it goes; the request stays. A request a coordinator
registered with the scan of the form the person helped signed rests on that person's own
consent and keeps its health information, whoever withdraws."""

import pytest

from dobry.accounts.models import ConsentDocument, ConsentRecord
from dobry.accounts.services import consent_withdraw
from dobry.accounts.tests.factories import written_consent
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HealthInfo, HelpRequest
from dobry.helprequests.services import submission
from dobry.helprequests.tests.factories import taken_by_phone

pytestmark = pytest.mark.django_db

FOR_MOTHER = {
    "category": "accompaniment",
    "summary": "Проводить в поликлинику",
    "details": "Маме нужно к врачу во вторник",
    "recipient_name": "Галина Петровна",
    "recipient_phone": "+79135550111",
    "asap": True,
    "relation": HelpRequest.Relation.RELATIVE,
}


def _for_mother(daughter) -> HelpRequest:
    return submission.request_submit(
        requester=daughter,
        fields=FOR_MOTHER,
        health_info="Плохо ходит, слабое зрение",
        health_consent=True,
        health_on_behalf=True,
    )


def _health_consent(person) -> ConsentRecord:
    return ConsentRecord.objects.active().get(
        user=person, document__kind=ConsentDocument.Kind.HEALTH_DATA
    )


def test_withdrawing_erases_a_relatives_health_data_given_under_the_consent(resident):
    written_consent(resident)
    for_mother = _for_mother(resident)

    consent_withdraw(user=resident, record=_health_consent(resident))

    for_mother.refresh_from_db()
    assert not for_mother.has_health_info
    assert not HealthInfo.objects.filter(help_request=for_mother).exists()
    # The request itself is the mother's and stays, open, with her name and contacts.
    assert for_mother.status == HelpRequest.Status.NEW
    assert for_mother.recipient_name == "Галина Петровна"
    erased = AuditEntry.objects.get(action="helprequest.health_erase", object_id=for_mother.pk)
    assert erased.actor == resident


def test_a_request_resting_on_the_recipients_own_scanned_consent_keeps_its_health_data(
    coordinator,
):
    """A coordinator withdraws their own consent: the residents' requests they registered
    with the residents' signed forms are untouched."""
    written_consent(coordinator)
    taken = taken_by_phone(coordinator)
    text = HealthInfo.objects.get(help_request=taken).text

    consent_withdraw(user=coordinator, record=_health_consent(coordinator))

    assert HealthInfo.objects.get(help_request=taken).text == text
    assert HealthInfo.objects.get(help_request=taken).consent_scan


def test_the_consent_text_says_what_withdrawing_erases():
    text = ConsentDocument.current(ConsentDocument.Kind.HEALTH_DATA).text
    assert "в поданных мной за другого человека" in text
    assert "собственное согласие на бумажном бланке" in text
