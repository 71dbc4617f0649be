"""A consultation's path: asked → taken → answered → closed (with a consulting support entry)
→ rated; who is told at each step; what is refused and that a refusal changes nothing."""

from datetime import datetime

import pytest

from dobry.communications.models import Notification
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.events.models import Event
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import services
from dobry.resources.models import Consultation, ConsultationMessage, SupportKind, SupportRecord

pytestmark = pytest.mark.django_db

C = Consultation.Status


@pytest.fixture
def question(resident, organization, coordinator):
    return services.consultation_ask(
        user=resident,
        topic="reporting",
        subject="  Отчёт в Минюст  ",
        text="Какие формы сдавать?",
        organization=organization,
    )


def kinds_for(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_asking_stores_the_question_as_the_first_message_and_tells_every_consultant(
    question, resident, coordinator, admin_user
):
    assert (question.status, question.subject, question.asker) == (
        C.NEW,
        "Отчёт в Минюст",
        resident,
    )
    assert [m.text for m in question.messages.all()] == ["Какие формы сдавать?"]
    assert kinds_for(coordinator) == ["consultation_new"]
    assert kinds_for(resident) == []
    assert AuditEntry.objects.for_object(question).get().data == {"topic": "reporting"}


def test_an_inactive_coordinator_is_not_told(resident):
    from dobry.accounts.tests.factories import UserFactory

    retired = UserFactory(is_coordinator=True, is_active=False)
    services.consultation_ask(user=resident, topic="pr", subject="Сайт", text="?")
    assert kinds_for(retired) == []


def test_taking_a_question_makes_the_taker_its_consultant(question, coordinator, freeze_now):
    moment = datetime(2031, 3, 10, 9, 0, tzinfo=city_zone())
    freeze_now(moment)
    taken = services.consultation_take(actor=coordinator, consultation=question)
    assert (taken.status, taken.consultant, taken.taken_at) == (C.IN_PROGRESS, coordinator, moment)
    with pytest.raises(InvalidTransition):
        services.consultation_take(actor=coordinator, consultation=question)


def test_a_closed_question_cannot_be_taken(question, coordinator):
    services.consultation_close(actor=coordinator, consultation=question, summary="Ответили")
    with pytest.raises(InvalidTransition):
        services.consultation_take(actor=coordinator, consultation=question)
    question.refresh_from_db()
    assert question.status == C.CLOSED


def test_the_askers_follow_up_leaves_a_new_question_new_and_tells_nobody(question, resident):
    services.consultation_reply(author=resident, consultation=question, text="И ещё: срок?")
    question.refresh_from_db()
    assert (question.status, question.consultant) == (C.NEW, None)
    assert Notification.objects.filter(kind="consultation_reply").count() == 0


def test_the_askers_follow_up_on_a_taken_question_tells_its_consultant(
    question, resident, coordinator
):
    services.consultation_take(actor=coordinator, consultation=question)
    services.consultation_reply(author=resident, consultation=question, text="И ещё: срок?")
    assert kinds_for(coordinator) == ["consultation_new", "consultation_reply"]
    assert kinds_for(resident) == []


def test_a_fellow_member_writing_in_the_thread_does_not_become_its_consultant(
    question, organization, outsider, coordinator, resident
):
    """Members of the organisation see its questions and may add to them; only a consultant's
    answer takes the question."""
    MembershipFactory(organization=organization, user=outsider)
    services.consultation_reply(author=outsider, consultation=question, text="Добавлю: ОН0002")
    question.refresh_from_db()
    assert (question.status, question.consultant) == (C.NEW, None)
    assert kinds_for(resident) == []
    services.consultation_take(actor=coordinator, consultation=question)
    services.consultation_reply(author=outsider, consultation=question, text="И ОН0003")
    assert kinds_for(coordinator) == ["consultation_new", "consultation_reply"]


def test_an_empty_reply_is_refused_and_stores_nothing(question, coordinator):
    with pytest.raises(DomainError) as error:
        services.consultation_reply(author=coordinator, consultation=question, text="  ")
    assert error.value.field_errors == {"text": ["Обязательное поле."]}
    question.refresh_from_db()
    assert (question.status, question.consultant) == (C.NEW, None)
    assert question.messages.count() == 1


def test_closing_without_a_summary_changes_nothing(question, coordinator):
    with pytest.raises(DomainError) as error:
        services.consultation_close(actor=coordinator, consultation=question, summary=" ")
    assert "summary" in error.value.field_errors
    question.refresh_from_db()
    assert question.status == C.NEW
    assert not SupportRecord.objects.exists()


def test_closing_an_online_question_invites_the_asker_to_rate(question, resident, coordinator):
    closed = services.consultation_close(
        actor=coordinator, consultation=question, summary="  Формы ОН0001 и ОН0002  "
    )
    assert (closed.summary, closed.consultant) == ("Формы ОН0001 и ОН0002", coordinator)
    assert kinds_for(resident) == ["consultation_closed"]


def test_the_first_consultant_stays_when_a_colleague_closes(question, coordinator, admin_user):
    services.consultation_take(actor=coordinator, consultation=question)
    closed = services.consultation_close(actor=admin_user, consultation=question, summary="Да")
    assert closed.consultant == coordinator


def test_a_question_without_an_organisation_is_support_of_the_person(resident, coordinator):
    question = services.consultation_ask(user=resident, topic="grants", subject="Грант", text="?")
    services.consultation_close(actor=coordinator, consultation=question, summary="Объяснили")
    record = SupportRecord.objects.get()
    assert (record.organization, record.person, record.kind) == (
        None,
        resident,
        SupportKind.CONSULTING,
    )
    # a code read in the reader's language; the subject is the source's, never copied
    assert (record.made_from, record.description) == (SupportRecord.MadeFrom.CONSULTATION, "")
    assert record.description_text == "Консультация"


def test_the_support_entry_carries_the_citys_date_of_closing(question, coordinator, freeze_now):
    """Closed at 06:30 on 11 March in the city — still 10 March in UTC."""
    freeze_now(datetime(2031, 3, 11, 6, 30, tzinfo=city_zone()))
    services.consultation_close(actor=coordinator, consultation=question, summary="Ответили")
    assert SupportRecord.objects.get().date.isoformat() == "2031-03-11"


@pytest.mark.parametrize(("rating", "accepted"), [(0, False), (1, True), (5, True), (6, False)])
def test_a_rating_is_from_one_to_five(question, resident, coordinator, rating, accepted):
    services.consultation_close(actor=coordinator, consultation=question, summary="Да")
    if accepted:
        rated = services.consultation_rate(
            user=resident, consultation=question, rating=rating, comment="  Спасибо  "
        )
        assert (rated.rating, rated.rating_comment) == (rating, "Спасибо")
        return
    with pytest.raises(DomainError):
        services.consultation_rate(user=resident, consultation=question, rating=rating)
    question.refresh_from_db()
    assert question.rating is None


def test_a_fellow_member_may_read_but_not_rate(question, organization, outsider, coordinator):
    MembershipFactory(organization=organization, user=outsider)
    services.consultation_close(actor=coordinator, consultation=question, summary="Да")
    with pytest.raises(DomainError, match="тот, кто задал вопрос"):
        services.consultation_rate(user=outsider, consultation=question, rating=1)


# --- consultations recorded by a consultant ----------------------------------------------


def test_a_phone_consultation_is_closed_at_once_without_asking_anyone_to_rate(
    coordinator, resident
):
    consultation = services.consultation_record(
        actor=coordinator,
        topic="legal",
        subject="",
        summary="Объяснили порядок",
        channel="phone",
        asker=resident,
    )
    assert (consultation.status, consultation.channel, consultation.subject) == (
        C.CLOSED,
        "phone",
        "Юридические вопросы",
    )
    assert consultation.consultant == coordinator
    assert kinds_for(resident) == []
    assert SupportRecord.objects.get().person == resident
    assert set(AuditEntry.objects.for_object(consultation).values_list("action", flat=True)) == {
        "consultation.record",
        "consultation.close",
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "online"}, "channel"),
        ({"channel": "fax"}, "channel"),
        ({"organization": None}, "organization"),
        ({"topic": "astrology"}, "topic"),
    ],
)
def test_a_recorded_consultation_with_bad_values_saves_nothing(coordinator, changes, field):
    values = {
        "topic": "legal",
        "subject": "Устав",
        "summary": "Ответили",
        "channel": "in_person",
        "organization": OrganizationFactory(),
        **changes,
    }
    with pytest.raises(DomainError) as error:
        services.consultation_record(actor=coordinator, **values)
    assert field in error.value.field_errors
    assert not Consultation.objects.exists()


def test_a_recorded_consultation_without_a_summary_is_not_kept_half_done(coordinator):
    with pytest.raises(DomainError):
        services.consultation_record(
            actor=coordinator,
            topic="legal",
            subject="Устав",
            summary="",
            channel="in_person",
            organization=OrganizationFactory(),
        )
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    ("for_organization", "asker", "who"),
    [(True, True, "Тёплый дом"), (False, True, "Анна Жителева"), (False, False, "—")],
)
def test_a_consultation_names_the_organisation_else_the_person_else_a_dash(
    resident, organization, for_organization, asker, who
):
    consultation = Consultation.objects.create(
        topic="pr",
        subject="x",
        organization=organization if for_organization else None,
        asker=resident if asker else None,
    )
    assert consultation.who == who


# --- support entries made from other records ----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "support"),
    [(Event.Kind.SEMINAR, SupportKind.CONSULTING), (Event.Kind.WEBINAR, SupportKind.INFORMATIONAL)],
)
def test_attending_training_for_an_organisation_is_its_support_on_the_local_day(
    resident, organization, kind, support
):
    """A seminar at 06:00 on 12 March in the city begins on 11 March in UTC."""
    shift = ShiftFactory(
        event__kind=kind,
        event__title="Отчётность НКО",
        starts_at=datetime(2031, 3, 12, 6, 0, tzinfo=city_zone()),
    )
    registration = RegistrationFactory(shift=shift, user=resident, represents=organization)
    services.support_record_for_training(registration=registration)
    services.support_record_for_training(registration=registration)
    record = SupportRecord.objects.get()
    assert (record.kind, record.organization, record.person) == (support, organization, None)
    assert record.date.isoformat() == "2031-03-12"
    assert (record.made_from, record.made_params) == ("training", {"event_kind": kind})
    assert record.description_text == Event.Kind(kind).label


def test_attending_training_on_ones_own_is_support_of_the_person(resident):
    registration = RegistrationFactory(shift__event__kind=Event.Kind.SEMINAR, user=resident)
    services.support_record_for_training(registration=registration)
    assert SupportRecord.objects.get().person == resident


def test_an_entry_from_a_source_copies_none_of_its_text(coordinator, question):
    record = services.support_record_for_source(
        source=question,
        kind=SupportKind.INFORMATIONAL,
        day=question.created_at.date(),
        made_from=SupportRecord.MadeFrom.CONSULTATION,
        organization=None,
        person=coordinator,
    )
    assert record.description == ""
    assert question.subject not in str(record.made_params)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"value_rub": -1}, "value_rub"), ({"kind": "magic"}, "kind"), ({"description": ""}, None)],
)
def test_a_manual_entry_with_bad_values_is_refused(coordinator, changes, field):
    from django.core.exceptions import ValidationError

    values = {
        "kind": "property",
        "day": datetime(2025, 3, 11, tzinfo=city_zone()).date(),  # support is a fact: past
        "description": "Зал на 3 часа",
        "organization": OrganizationFactory(),
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.support_record_create(actor=coordinator, **values)
    if field:
        assert field in error.value.message_dict
    assert not SupportRecord.objects.exists()


def test_a_manual_entry_is_trimmed_and_audited(coordinator):
    record = services.support_record_create(
        actor=coordinator,
        kind="organisational",
        day=datetime(2025, 3, 11, tzinfo=city_zone()).date(),
        description="  Помощь с собранием  ",
        organization=OrganizationFactory(),
        giver="administration",
        giver_name="  Отдел культуры  ",
    )
    assert (record.description, record.giver_name, record.created_by) == (
        "Помощь с собранием",
        "Отдел культуры",
        coordinator,
    )
    assert AuditEntry.objects.for_object(record).get().action == "support.create"


def test_attachments_keep_their_name_and_the_thread_its_order(resident, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    question = services.consultation_ask(user=resident, topic="legal", subject="Устав", text="?")
    services.consultation_reply(
        author=coordinator,
        consultation=question,
        text="Вот образец",
        attachment=SimpleUploadedFile("образец.pdf", b"%PDF-1.4 x", "application/pdf"),
    )
    thread = list(ConsultationMessage.objects.filter(consultation=question))
    assert [(m.text, m.attachment_name) for m in thread] == [
        ("?", ""),
        ("Вот образец", "образец.pdf"),
    ]
