import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.references import Reference
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import services
from dobry.resources.models import Consultation, SupportKind, SupportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(resident):
    organization = OrganizationFactory(short_name="Тёплый дом")
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.MEMBER)
    return resident, organization


def test_a_consultation_goes_from_question_to_a_consulting_support_entry(member, coordinator):
    user, organization = member
    consultation = services.consultation_ask(
        user=user,
        topic="reporting",
        subject="Отчёт в Минюст",
        text="Какие формы сдавать?",
        organization=organization,
    )
    assert consultation.status == Consultation.Status.NEW
    assert Notification.objects.filter(user=coordinator, kind="consultation_new").exists()
    services.consultation_reply(
        author=coordinator, consultation=consultation, text="Форма ОН0001 до 15 апреля."
    )
    consultation.refresh_from_db()
    assert (consultation.status, consultation.consultant) == (
        Consultation.Status.IN_PROGRESS,
        coordinator,
    )
    assert Notification.objects.filter(user=user, kind="consultation_reply").exists()
    services.consultation_close(
        actor=coordinator, consultation=consultation, summary="Разобрали формы"
    )
    record = SupportRecord.objects.get()
    assert (record.organization, record.kind) == (organization, SupportKind.CONSULTING)
    assert record.source == Reference("consultation", consultation.pk)
    services.consultation_rate(user=user, consultation=consultation, rating=5, comment="Спасибо!")
    with pytest.raises(InvalidTransition):
        services.consultation_close(actor=coordinator, consultation=consultation, summary="ещё раз")
    with pytest.raises(InvalidTransition):
        services.consultation_reply(author=user, consultation=consultation, text="И ещё вопрос")


def test_automatic_support_entries_are_never_duplicated(member, coordinator):
    user, organization = member
    consultation = services.consultation_ask(user=user, topic="legal", subject="Устав", text="?")
    for _ in range(3):
        services.support_record_for_source(
            source=consultation,
            kind=SupportKind.CONSULTING,
            day=timezone.localdate(),
            made_from=SupportRecord.MadeFrom.CONSULTATION,
            organization=organization,
            person=None,
        )
    assert SupportRecord.objects.count() == 1


def test_asking_for_an_organisation_needs_membership(resident, outsider):
    organization = OrganizationFactory()
    with pytest.raises(DomainError, match="участники"):
        services.consultation_ask(
            user=outsider, topic="grants", subject="Заявка", text="?", organization=organization
        )


def test_bad_input_is_refused(resident):
    with pytest.raises(DomainError):
        services.consultation_ask(user=resident, topic="astrology", subject="x", text="y")
    with pytest.raises(DomainError):
        services.consultation_ask(user=resident, topic="grants", subject=" ", text="y")
    with pytest.raises(DomainError):
        services.consultation_ask(user=resident, topic="grants", subject="x", text=" ")
    assert not Consultation.objects.exists()


def test_attachments_are_checked(resident):
    script = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.consultation_ask(
            user=resident, topic="grants", subject="x", text="y", attachment=script
        )
    pdf = SimpleUploadedFile("устав.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    consultation = services.consultation_ask(
        user=resident, topic="grants", subject="x", text="y", attachment=pdf
    )
    assert consultation.messages.get().attachment_name == "устав.pdf"


def test_only_the_asker_rates_a_closed_consultation(member, coordinator, outsider):
    user, _organization = member
    consultation = services.consultation_ask(user=user, topic="pr", subject="Пресс-релиз", text="?")
    with pytest.raises(InvalidTransition):
        services.consultation_rate(user=user, consultation=consultation, rating=5)
    services.consultation_close(
        actor=coordinator, consultation=consultation, summary="Шаблон отправлен"
    )
    with pytest.raises(DomainError):
        services.consultation_rate(user=outsider, consultation=consultation, rating=5)
    with pytest.raises(DomainError):
        services.consultation_rate(user=user, consultation=consultation, rating=9)


def test_an_in_person_consultation_is_recorded_closed_with_its_support_entry(coordinator):
    organization = OrganizationFactory()
    consultation = services.consultation_record(
        actor=coordinator,
        topic="registration",
        subject="Регистрация АНО",
        summary="Пакет документов",
        channel="in_person",
        organization=organization,
    )
    assert consultation.status == Consultation.Status.CLOSED
    assert SupportRecord.objects.get().organization == organization


def test_manual_support_records_need_a_recipient(coordinator):
    with pytest.raises(ValidationError):
        services.support_record_create(
            actor=coordinator, kind="property", day=timezone.localdate(), description="Зал"
        )
    record = services.support_record_create(
        actor=coordinator,
        kind="property",
        day=timezone.localdate(),
        description="Зал на 3 часа",
        organization=OrganizationFactory(),
        value_rub=1500,
    )
    assert record.value_rub == 1500
