from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from dobry.accounts.tests.factories import written_consent
from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpRequest
from dobry.helprequests.services import (
    offering,
    private_data,
    retention,
    submission,
    triage,
    workflow,
)
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    offerable_volunteer,
)

pytestmark = pytest.mark.django_db
S = HelpRequest.Status

FIELDS = {
    "category": "accompaniment",
    "summary": "Проводить пожилого человека в поликлинику",
    "details": "Нужно дойти до кабинета окулиста и обратно",
    "recipient_name": "Мария Ивановна Петрова",
    "recipient_phone": "8 913 555-12-34",
    "address": "ул. Ленина, 10, кв. 5",
    "asap": True,
}


def test_submitting_normalises_the_phone_and_tells_coordinators(resident, coordinator):
    request = submission.request_submit(requester=resident, fields=FIELDS)
    assert request.recipient_phone == "+79135551234"
    assert request.status == S.NEW
    assert Notification.objects.filter(user=coordinator, kind="help_request_new").exists()


def test_health_data_needs_its_own_consent_and_is_stored_encrypted(resident):
    with pytest.raises(ValidationError) as error:
        submission.request_submit(
            requester=resident, fields=FIELDS, health_info="Слабовидящая, после инсульта"
        )
    assert "health_consent" in error.value.message_dict
    written_consent(resident)
    request = submission.request_submit(
        requester=resident,
        fields=FIELDS,
        health_info="Слабовидящая, после инсульта",
        health_consent=True,
    )
    assert request.has_health_info
    assert HealthInfo.objects.get(help_request=request).consent_version == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT text FROM helprequests_healthinfo WHERE help_request_id = %s", [request.pk]
        )
        stored = cursor.fetchone()[0]
    assert "инсульт" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert HealthInfo.objects.get(help_request=request).text == "Слабовидящая, после инсульта"


@pytest.mark.parametrize(
    "summary",
    ["Помочь Марии с продуктами", "Продукты на ул. Ленина, 10, кв. 5", "Позвонить 8 913 555 12 34"],
)
def test_the_public_summary_may_not_carry_name_address_or_phone(resident, summary):
    with pytest.raises(ValidationError) as error:
        submission.request_submit(requester=resident, fields={**FIELDS, "summary": summary})
    assert "summary" in error.value.message_dict


def test_when_is_required_unless_as_soon_as_possible(resident):
    with pytest.raises(ValidationError) as error:
        submission.request_submit(requester=resident, fields={**FIELDS, "asap": False})
    assert "wanted_from" in error.value.message_dict


def test_a_second_request_from_the_same_phone_or_address_is_flagged(resident):
    first = submission.request_submit(requester=resident, fields=FIELDS)
    by_phone = submission.request_submit(
        requester=resident, fields={**FIELDS, "address": "ул. Мира, 1", "details": "Лекарства"}
    )
    assert by_phone.possible_duplicate_of == first
    by_address = submission.request_submit(
        requester=resident,
        fields={
            **FIELDS,
            "recipient_phone": "+79130000000",
            "address": "УЛ. ЛЕНИНА, 10, КВ. 5",
            "details": "Крупа",
        },
    )
    assert by_address.possible_duplicate_of == first
    workflow.request_transition(
        actor=resident, help_request=first, to=S.CANCELLED, reason="Уже помогли"
    )
    fresh = submission.request_submit(
        requester=resident,
        fields={
            **FIELDS,
            "address": "ул. Мира, 2",
            "recipient_phone": "+79139999999",
            "details": "Помыть окна",
        },
    )
    assert fresh.possible_duplicate_of is None


def test_the_workflow_follows_its_table_and_asks_for_reasons(coordinator):
    request = HelpRequestFactory()
    with pytest.raises(InvalidTransition):
        workflow.request_transition(actor=coordinator, help_request=request, to=S.DONE)
    with pytest.raises(DomainError):
        workflow.request_transition(actor=coordinator, help_request=request, to=S.REJECTED)
    for status in (S.VERIFIED, S.MATCHING):
        request = workflow.request_transition(actor=coordinator, help_request=request, to=status)
    rejected = workflow.request_transition(
        actor=coordinator, help_request=HelpRequestFactory(), to=S.REJECTED, reason="Не наш профиль"
    )
    assert rejected.closed_at is not None


def test_offers_accept_assign_and_the_accepted_volunteer_alone_sees_health_data(coordinator):
    request = HelpRequestFactory(health_info="Диабет", status=S.VERIFIED)
    first, second = offerable_volunteer(), offerable_volunteer()
    offers = offering.offer_make(
        actor=coordinator, help_request=request, volunteers=[first, second]
    )
    request.refresh_from_db()
    assert request.status == S.OFFERED
    with pytest.raises(PermissionDenied):
        private_data.health_info_read(user=first, help_request=request)
    offering.offer_answer(user=second, offer=offers[1], accept=False)
    offering.offer_answer(user=first, offer=offers[0], accept=True)
    request.refresh_from_db()
    assert request.status == S.ASSIGNED
    assert private_data.health_info_read(user=first, help_request=request) == "Диабет"
    with pytest.raises(PermissionDenied):
        private_data.health_info_read(user=second, help_request=request)
    private_data.health_info_read(user=coordinator, help_request=request)
    reads = AuditEntry.objects.filter(action="helprequest.health_read", object_id=str(request.pk))
    assert sorted(e.actor_id for e in reads) == sorted([first.pk, coordinator.pk])
    workflow.request_transition(actor=coordinator, help_request=request, to=S.DONE)
    request.refresh_from_db()
    with pytest.raises(PermissionDenied):
        private_data.health_info_read(
            user=first, help_request=request
        )  # only while the task is active


def test_an_unanswered_offer_expires_and_the_request_returns_to_matching(coordinator):
    request = HelpRequestFactory(status=S.VERIFIED)
    [offer] = offering.offer_make(
        actor=coordinator, help_request=request, volunteers=[offerable_volunteer()]
    )
    HelpOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert offering.offers_expire() == 1
    request.refresh_from_db()
    assert request.status == S.MATCHING
    with pytest.raises(InvalidTransition):
        offering.offer_answer(user=offer.volunteer, offer=offer, accept=True)


def test_an_unanswered_offer_passes_to_the_next_best_candidate(coordinator):
    request = HelpRequestFactory(status=S.VERIFIED)
    first, second = offerable_volunteer(), offerable_volunteer()
    [offer] = offering.offer_make(actor=coordinator, help_request=request, volunteers=[first])
    HelpOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert offering.offers_expire() == 1
    request.refresh_from_db()
    assert request.status == S.OFFERED
    passed = HelpOffer.objects.get(request=request, status=HelpOffer.Status.OFFERED)
    assert passed.volunteer == second
    assert passed.offered_by is None
    assert Notification.objects.filter(user=second, kind="help_offer").exists()
    # The second one does not answer either, and nobody is left: back to the coordinators.
    HelpOffer.objects.filter(pk=passed.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert offering.offers_expire() == 1
    request.refresh_from_db()
    assert request.status == S.MATCHING


def test_routing_to_a_programme_tells_its_editors(coordinator, resident):
    from dobry.organizations.models import Membership
    from dobry.organizations.tests.factories import MembershipFactory

    programme = ProgrammeFactory()
    MembershipFactory(
        organization=programme.organization, user=resident, role=Membership.Role.EDITOR
    )
    request = triage.request_route(
        actor=coordinator, help_request=HelpRequestFactory(status=S.VERIFIED), programme=programme
    )
    assert (request.programme, request.status) == (programme, S.MATCHING)
    assert Notification.objects.filter(user=resident, kind="help_routed").exists()


def test_closed_requests_are_minimised_after_the_retention_period(settings, coordinator):
    settings.DOBRY_HELP_RETENTION_DAYS = 30
    old = HelpRequestFactory(
        status=S.DONE, closed_at=timezone.now() - timedelta(days=31), health_info="Астма"
    )
    recent = HelpRequestFactory(status=S.DONE, closed_at=timezone.now() - timedelta(days=5))
    assert retention.requests_minimise() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.recipient_name, old.recipient_phone, old.has_health_info, old.details) == (
        "—",
        "",
        False,
        "",
    )
    assert old.category == "delivery"
    assert recent.recipient_name == "Мария Ивановна"
