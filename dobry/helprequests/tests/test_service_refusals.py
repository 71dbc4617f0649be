"""Every refusal of the help-request services: a clear error naming the field, and nothing
written — no row changed, no audit entry, nobody told."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from dobry.communications.models import Notification
from dobry.core import errors
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HealthInfo, HelpOffer, HelpReport, HelpRequest
from dobry.helprequests.services import (
    batches,
    completion,
    offering,
    programmes,
    submission,
    triage,
)
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    ProgrammeFactory,
    accepted_helper,
    consent_scan,
)

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
LATER = timezone.now() + timedelta(days=2)

FIELDS = {
    "category": "delivery",
    "summary": "Привезти продукты",
    "details": "Хлеб и молоко",
    "recipient_name": "Мария Ивановна",
    "recipient_phone": "+79135550011",
    "asap": True,
}


def nothing_logged(action: str) -> bool:
    return not AuditEntry.objects.filter(action=action).exists()


# --- submitting and correcting ---------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"recipient_phone": "12345"}, "recipient_phone"),
        ({"recipient_phone": "+7 (913) abc"}, "recipient_phone"),
        (
            {
                "asap": False,
                "wanted_from": LATER,
                "wanted_to": LATER - timedelta(hours=1),
            },
            "wanted_to",
        ),
        (
            {
                "asap": False,
                "wanted_from": LATER,
                "wanted_to": LATER,
            },
            "wanted_to",
        ),
        ({"category": "gardening"}, "category"),
        ({"volunteers_needed": 0}, "volunteers_needed"),
        ({"volunteers_needed": 21}, "volunteers_needed"),
        ({"recipient_name": "   "}, "recipient_name"),
    ],
)
def test_a_submission_with_a_bad_field_names_it_and_stores_nothing(resident, change, field):
    with pytest.raises(ValidationError) as refused:
        submission.request_submit(requester=resident, fields={**FIELDS, **change})
    assert field in refused.value.message_dict
    assert not HelpRequest.objects.exists()
    assert nothing_logged("helprequest.submit")
    assert not Notification.objects.exists()


def test_fields_the_form_does_not_have_are_refused(resident):
    with pytest.raises(DomainError, match="requester, status"):
        submission.request_submit(
            requester=resident, fields={**FIELDS, "status": S.DONE, "requester": None}
        )
    assert not HelpRequest.objects.exists()


def test_a_coordinator_taking_a_call_attaches_the_scan_of_the_paper_consent(coordinator):
    with pytest.raises(ValidationError) as refused:
        submission.request_submit(
            requester=coordinator,
            fields={**FIELDS, "relation": HelpRequest.Relation.PHONE_CALL},
            health_info="Плохо слышит",
        )
    assert "consent_scan" in refused.value.message_dict
    assert not HelpRequest.objects.exists()
    assert nothing_logged("helprequest.submit")
    help_request = submission.request_submit(
        requester=coordinator,
        fields={**FIELDS, "relation": HelpRequest.Relation.PHONE_CALL},
        health_info="Плохо слышит",
        consent_scan=consent_scan(),
    )
    assert HealthInfo.objects.get(help_request=help_request).text == "Плохо слышит"
    entry = AuditEntry.objects.get(action="helprequest.submit")
    assert entry.data["health_consent_method"] == "paper_scan"


def test_a_resident_without_a_written_consent_is_refused_health_data(resident):
    with pytest.raises(ValidationError) as refused:
        submission.request_submit(requester=resident, fields=FIELDS, health_info="Плохо слышит")
    assert "health_consent" in refused.value.message_dict
    assert not HelpRequest.objects.exists()
    assert not HealthInfo.objects.exists()


def test_blank_health_information_needs_no_consent_and_stores_no_row(resident):
    help_request = submission.request_submit(requester=resident, fields=FIELDS, health_info="  \n ")
    assert help_request.has_health_info is False
    assert not HealthInfo.objects.exists()


def test_an_outsider_cannot_correct_a_request(resident, outsider):
    help_request = HelpRequestFactory(requester=resident, status=S.NEW, details="Хлеб")
    with pytest.raises(PermissionDenied):
        submission.request_update(
            actor=outsider, help_request=help_request, fields={"details": "Ничего не нужно"}
        )
    help_request.refresh_from_db()
    assert help_request.details == "Хлеб"
    assert nothing_logged("helprequest.update")


def test_a_bad_correction_leaves_the_stored_request_as_it_was(coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED, recipient_phone="+79135550011")
    with pytest.raises(ValidationError):
        submission.request_update(
            actor=coordinator, help_request=help_request, fields={"recipient_phone": "12"}
        )
    assert HelpRequest.objects.get(pk=help_request.pk).recipient_phone == "+79135550011"
    assert nothing_logged("helprequest.update")


def test_a_correction_is_logged_with_the_fields_changed(coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    submission.request_update(
        actor=coordinator,
        help_request=help_request,
        fields={"details": "  Хлеб, молоко, кефир  ", "needs_car": True},
    )
    help_request.refresh_from_db()
    assert help_request.details == "Хлеб, молоко, кефир"
    assert help_request.needs_car is True
    entry = AuditEntry.objects.get(action="helprequest.update")
    assert entry.data == {"fields": ["details", "needs_car"]}


# --- cancelling, priority, routing ------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "coordinator"])
def test_only_the_person_who_asked_cancels_through_this_service(
    resident, outsider, coordinator, who
):
    help_request = HelpRequestFactory(requester=resident, status=S.VERIFIED)
    actor = {"outsider": outsider, "coordinator": coordinator}[who]
    with pytest.raises(PermissionDenied):
        submission.request_cancel(user=actor, help_request=help_request)
    help_request.refresh_from_db()
    assert help_request.status == S.VERIFIED


def test_a_cancellation_without_words_gets_a_plain_reason(resident):
    help_request = HelpRequestFactory(requester=resident, status=S.NEW)
    submission.request_cancel(user=resident, help_request=help_request, reason="   ")
    help_request.refresh_from_db()
    assert help_request.status == S.CANCELLED
    assert help_request.reason == "Отменена тем, кто просил о помощи."
    # the person who cancelled is not told about their own cancellation
    assert not Notification.objects.filter(user=resident).exists()


def test_a_reason_the_platform_gives_is_stored_as_source_and_read_in_the_readers_language(
    resident,
):
    """Cancelled on the English site, the reason is stored as its source text, not in the
    language of the moment: the coordinator reading in Russian reads it in Russian."""
    help_request = HelpRequestFactory(requester=resident, status=S.NEW)
    with translation.override("en"):
        submission.request_cancel(user=resident, help_request=help_request)
    help_request.refresh_from_db()
    assert help_request.reason == "Отменена тем, кто просил о помощи."
    with translation.override("en"):
        assert help_request.reason_text == "Cancelled by the person who asked for help."
    with translation.override("ru"):
        assert help_request.reason_text == "Отменена тем, кто просил о помощи."
    # what a person typed is shown as typed, whatever the language
    typed = HelpRequestFactory(requester=resident, status=S.NEW)
    submission.request_cancel(user=resident, help_request=typed, reason="Account deleted")
    typed.refresh_from_db()
    with translation.override("ru"):
        assert typed.reason_text == "Account deleted"


def test_an_erased_account_s_requests_are_cancelled_with_the_shared_reason(resident):
    from dobry.accounts.personal_data import ACCOUNT_ERASED
    from dobry.accounts.services import user_erase

    help_request = HelpRequestFactory(requester=resident, status=S.NEW)
    with translation.override("en"):
        user_erase(user=resident, actor=None)
    help_request.refresh_from_db()
    assert (help_request.status, help_request.reason) == (S.CANCELLED, ACCOUNT_ERASED)
    with translation.override("en"):
        assert help_request.reason_text == "Account deleted"


@pytest.mark.parametrize("priority", [-1, 3, 99])
def test_an_unknown_priority_is_refused(coordinator, priority):
    help_request = HelpRequestFactory(priority=HelpRequest.Priority.LOW)
    with pytest.raises(DomainError) as refused:
        triage.request_set_priority(actor=coordinator, help_request=help_request, priority=priority)
    assert "priority" in refused.value.field_errors
    help_request.refresh_from_db()
    assert help_request.priority == HelpRequest.Priority.LOW
    assert nothing_logged("helprequest.priority")


def test_a_priority_change_is_logged(coordinator):
    help_request = HelpRequestFactory()
    triage.request_set_priority(actor=coordinator, help_request=help_request, priority=2)
    assert HelpRequest.objects.get(pk=help_request.pk).priority == HelpRequest.Priority.CRITICAL
    assert AuditEntry.objects.get(action="helprequest.priority").data == {"priority": 2}


def test_a_stopped_programme_takes_no_requests(coordinator):
    programme = ProgrammeFactory(is_active=False)
    help_request = HelpRequestFactory(status=S.VERIFIED)
    with pytest.raises(DomainError, match="не принимает"):
        triage.request_route(actor=coordinator, help_request=help_request, programme=programme)
    help_request.refresh_from_db()
    assert help_request.programme is None
    assert help_request.status == S.VERIFIED


@pytest.mark.parametrize(
    ("current", "after"),
    [
        (S.NEW, S.MATCHING),  # through «verified»: routing is the coordinator's check
        (S.VERIFIED, S.MATCHING),
        (S.WAITING, S.MATCHING),
        (S.MATCHING, S.MATCHING),
        (S.OFFERED, S.OFFERED),  # already with volunteers: it keeps its offers
    ],
)
def test_routing_puts_the_request_into_matching_unless_it_is_offered(coordinator, current, after):
    programme = ProgrammeFactory()
    help_request = HelpRequestFactory(status=current)
    triage.request_route(actor=coordinator, help_request=help_request, programme=programme)
    help_request.refresh_from_db()
    assert (help_request.programme, help_request.status) == (programme, after)


def test_routing_a_new_request_checks_it_first_and_tells_the_person_once(coordinator, resident):
    programme = ProgrammeFactory()
    help_request = HelpRequestFactory(status=S.NEW, requester=resident)
    triage.request_route(actor=coordinator, help_request=help_request, programme=programme)
    moves = AuditEntry.objects.filter(action="helprequest.transition").order_by("pk")
    assert [(e.data["from"], e.data["to"]) for e in moves] == [
        (S.NEW, S.VERIFIED),
        (S.VERIFIED, S.MATCHING),
    ]
    # «accepted» is news to the person who asked; «matching» is the desk's own step
    assert Notification.objects.filter(user=resident, kind="help_request_status").count() == 1


# --- offers and answers -------------------------------------------------------------------


def test_an_offer_answered_by_someone_else_is_refused(outsider):
    help_request = HelpRequestFactory(status=S.OFFERED)
    offer = HelpOffer.objects.create(
        request=help_request, volunteer=volunteer(), expires_at=timezone.now() + timedelta(hours=1)
    )
    # who first: a stranger is refused whatever the offer's state (dobry.core.workflow)
    with pytest.raises(errors.PermissionDenied):
        offering.offer_respond(user=outsider, offer=offer, answer="accept")
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.OFFERED


@pytest.mark.parametrize("answer", ["", "maybe", "withdraw", "expire"])
def test_an_answer_that_is_not_the_volunteers_is_refused(answer):
    help_request = HelpRequestFactory(status=S.OFFERED)
    person = volunteer()
    offer = HelpOffer.objects.create(
        request=help_request, volunteer=person, expires_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(DomainError):
        offering.offer_respond(user=person, offer=offer, answer=answer)
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.OFFERED


def test_a_decline_leaves_the_request_offered_to_the_others():
    help_request = HelpRequestFactory(status=S.OFFERED)
    people = [volunteer(), volunteer()]
    offers = [
        HelpOffer.objects.create(
            request=help_request, volunteer=p, expires_at=timezone.now() + timedelta(hours=1)
        )
        for p in people
    ]
    offering.offer_respond(user=people[0], offer=offers[0], answer="decline")
    help_request.refresh_from_db()
    assert help_request.status == S.OFFERED
    assert offers[1].__class__.objects.get(pk=offers[1].pk).status == HelpOffer.Status.OFFERED
    assert AuditEntry.objects.get(action="helprequest.offer_answer").data == {"accepted": False}


def test_the_day_batch_is_sent_by_coordinators_only(resident):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    with pytest.raises(PermissionDenied):
        batches.offers_batch_send(actor=resident, plan={help_request.pk: [volunteer().pk]})
    assert not HelpOffer.objects.exists()


def test_a_batch_entry_for_a_request_that_no_longer_exists_is_skipped(coordinator):
    result = batches.offers_batch_send(actor=coordinator, plan={987654: [volunteer().pk]})
    assert (result.sent, result.skipped) == (0, [])


# --- reports and feedback ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("", "Укажите число часов."),
        ("три", "Укажите число часов."),
        ("NaN", "Укажите число часов."),
        ("Infinity", "Укажите число часов."),
        ("0", "Часов должно быть не меньше 0,25 и не больше 24."),
        ("-1", "Часов должно быть не меньше 0,25 и не больше 24."),
        ("24.01", "Часов должно быть не меньше 0,25 и не больше 24."),
        ("0.1", "Часов должно быть не меньше 0,25 и не больше 24."),  # the form's minimum
        ("1.004", "Часы указывают с точностью до сотых."),  # the form's step
    ],
)
def test_a_report_with_impossible_hours_is_refused(hours, message):
    help_request = HelpRequestFactory(status=S.ASSIGNED)
    helper = accepted_helper(help_request)
    with pytest.raises(DomainError) as refused:
        completion.help_report(
            volunteer=helper, help_request=help_request, text="Купил", hours=hours
        )
    assert refused.value.message == message
    assert "hours" in refused.value.field_errors
    assert not HelpReport.objects.exists()
    help_request.refresh_from_db()
    assert help_request.status == S.ASSIGNED


def test_a_report_without_words_is_refused():
    help_request = HelpRequestFactory(status=S.ASSIGNED)
    helper = accepted_helper(help_request)
    with pytest.raises(DomainError) as refused:
        completion.help_report(volunteer=helper, help_request=help_request, text=" \n", hours=2)
    assert "text" in refused.value.field_errors
    assert not HelpReport.objects.exists()


@pytest.mark.parametrize("status", [S.OFFERED, S.DONE, S.CANCELLED])
def test_only_the_helper_of_an_active_task_reports(status):
    help_request = HelpRequestFactory(status=status)
    helper = accepted_helper(help_request)
    with pytest.raises(PermissionDenied):
        completion.help_report(volunteer=helper, help_request=help_request, text="Купил", hours=1)
    assert not HelpReport.objects.exists()


def test_a_second_report_corrects_the_first_and_help_is_in_progress():
    help_request = HelpRequestFactory(status=S.ASSIGNED)
    helper = accepted_helper(help_request)
    completion.help_report(volunteer=helper, help_request=help_request, text="Купил", hours="1.5")
    help_request.refresh_from_db()
    completion.help_report(
        volunteer=helper, help_request=help_request, text="Купил и донёс", hours=2
    )
    report = HelpReport.objects.get()
    assert (report.text, report.hours) == ("Купил и донёс", Decimal("2.00"))
    help_request.refresh_from_db()
    assert help_request.status == S.IN_PROGRESS


@pytest.mark.parametrize(
    ("status", "who", "rating", "error"),
    [
        (S.DONE, "outsider", 5, DomainError),
        (S.IN_PROGRESS, "requester", 5, InvalidTransition),
        (S.CANCELLED, "requester", 4, InvalidTransition),
        (S.DONE, "requester", 0, DomainError),
        (S.DONE, "requester", 6, DomainError),
    ],
)
def test_feedback_only_from_the_requester_of_done_help_from_1_to_5(
    resident, outsider, status, who, rating, error
):
    help_request = HelpRequestFactory(requester=resident, status=status)
    user = resident if who == "requester" else outsider
    with pytest.raises(error):
        completion.request_feedback(user=user, help_request=help_request, rating=rating)
    help_request.refresh_from_db()
    assert help_request.rating is None
    assert nothing_logged("helprequest.feedback")


def test_feedback_is_stored_trimmed_and_logged(resident):
    help_request = HelpRequestFactory(requester=resident, status=S.DONE)
    completion.request_feedback(
        user=resident, help_request=help_request, rating=5, feedback="  Спасибо!  "
    )
    help_request.refresh_from_db()
    assert (help_request.rating, help_request.feedback) == (5, "Спасибо!")
    assert AuditEntry.objects.get(action="helprequest.feedback").data == {"rating": 5}


# --- volunteers offering themselves -----------------------------------------------------


@pytest.mark.parametrize("status", [S.NEW, S.ASSIGNED, S.DONE, S.WAITING])
def test_a_volunteer_offers_themselves_only_while_a_helper_is_sought(coordinator, status):
    help_request = HelpRequestFactory(status=status)
    with pytest.raises(InvalidTransition):
        offering.volunteer_self_offer(user=volunteer(), help_request=help_request)
    assert not Notification.objects.filter(kind="help_self_offer").exists()


def test_nobody_offers_to_help_with_their_own_request(coordinator, resident):
    help_request = HelpRequestFactory(requester=resident, status=S.VERIFIED)
    with pytest.raises(DomainError, match="собственная"):
        offering.volunteer_self_offer(user=resident, help_request=help_request)
    assert nothing_logged("helprequest.self_offer")


def test_a_self_offer_tells_the_coordinators_who_offered(coordinator):
    help_request = HelpRequestFactory(status=S.MATCHING)
    person = volunteer(first_name="Семён", last_name="Помогаев")
    offering.volunteer_self_offer(user=person, help_request=help_request)
    [told] = Notification.objects.filter(kind="help_self_offer")
    assert told.user == coordinator
    assert "Семён Помогаев" in told.title + told.body
    assert told.url == help_request.get_absolute_url()


# --- programmes ---------------------------------------------------------------------------


def programme_fields(**changes):
    return {
        "organization": changes.pop("organization"),
        "name": "Продукты на дом",
        "category": "delivery",
        "target_group": "одинокие пожилые",
        "starts_on": date(2026, 1, 1),
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"funding": ["budget", "crypto"]}, "funding"),
        ({"ends_on": date(2025, 12, 31)}, "ends_on"),
        ({"category": "gardening"}, "category"),
        ({"name": "  "}, "name"),
    ],
)
def test_a_programme_with_a_bad_field_is_refused_and_not_saved(coordinator, changes, field):
    from dobry.organizations.tests.factories import OrganizationFactory

    programme = ProgrammeFactory.build()
    fields = programme_fields(organization=OrganizationFactory(), **changes)
    with pytest.raises((DomainError, ValidationError)) as refused:
        programmes.programme_save(actor=coordinator, programme=programme, fields=fields)
    errors = getattr(refused.value, "field_errors", None) or refused.value.message_dict
    assert field in errors
    assert programme.pk is None
    assert nothing_logged("programme.save")


def test_a_programme_is_saved_with_its_districts_and_logged(coordinator):
    from dobry.core.models import District
    from dobry.helprequests.models import Programme
    from dobry.organizations.tests.factories import OrganizationFactory

    north = District.objects.create(name="Северный", slug="north")
    fields = programme_fields(organization=OrganizationFactory(), funding=["grant", "budget"])
    programme = programmes.programme_save(
        actor=coordinator, programme=Programme(), fields=fields, districts=[north]
    )
    programme.refresh_from_db()
    assert list(programme.districts.all()) == [north]
    assert programme.funding_labels == ["грант", "бюджет"]
    assert AuditEntry.objects.filter(action="programme.save", object_id=str(programme.pk)).exists()


def test_a_record_with_negative_people_is_refused(coordinator):
    programme = ProgrammeFactory(starts_on=date(2025, 1, 1))
    with pytest.raises(DomainError) as refused:
        programmes.programme_record_save(
            actor=coordinator, programme=programme, month=date(2025, 3, 1), people=-1, first_time=0
        )
    assert "people" in refused.value.field_errors
    assert not programme.records.exists()
