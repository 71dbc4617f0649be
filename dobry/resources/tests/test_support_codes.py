"""Automatic entries of the support registry say what they are by a code, read in the
reader's language (issue 11: «Консультация: …» showed on English pages), and copy nothing
of their source's text: a consultation's subject is the consultation's, shown through its
link, and goes when the consultation is minimised. Old entries written as Russian text
are turned into codes by the migration; text it does not know stays as it is."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from dobry.accounts.services import user_erase
from dobry.core.references import reference_to
from dobry.events.models import Event
from dobry.events.tests.factories import RegistrationFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.resources import services
from dobry.resources.models import Consultation, RoomBooking, SupportRecord
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def _speaks_english(user) -> None:
    """A signed-in person reads pages in their stored language, whatever the browser asks
    (`accounts.middleware.UserLanguageMiddleware`)."""
    type(user).objects.filter(pk=user.pk).update(language="en")


PAGE = "/desk/support/"
API = "/api/v1/support-records"
SUBJECT = "Вопрос от Удаляйкиной"
migration = importlib.import_module("dobry.resources.migrations.0007_support_record_made_from")


@pytest.fixture
def closed(resident, coordinator):
    question = services.consultation_ask(
        user=resident, topic=Consultation.Topic.LEGAL, subject=SUBJECT, text="?"
    )
    services.consultation_close(actor=coordinator, consultation=question, summary="Объяснили")
    return question


def test_the_entry_of_a_consultation_reads_in_the_readers_language(closed, coordinator, login_as):
    client = login_as(coordinator)
    russian = client.get(PAGE).content.decode()
    _speaks_english(coordinator)
    english = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>Консультация</td>" in russian
    assert "<td>Consultation</td>" in english
    api = client.get(API, HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]
    assert api["description"] == "Consultation"


def test_the_subject_is_shown_only_through_the_source_and_goes_with_it(
    closed, resident, coordinator, login_as
):
    record = SupportRecord.objects.get()
    assert SUBJECT not in record.description + str(record.made_params)
    assert SUBJECT in login_as(coordinator).get(PAGE).content.decode()
    user_erase(user=resident, actor=None)
    assert SUBJECT not in login_as(coordinator).get(PAGE).content.decode()
    assert SupportRecord.objects.get().description_text == "Консультация"


@pytest.mark.parametrize(
    ("kind", "russian", "english"),
    [(Event.Kind.SEMINAR, "Семинар", "Seminar"), (Event.Kind.WEBINAR, "Вебинар", "Webinar")],
)
def test_a_training_names_its_kind_in_the_readers_language(kind, russian, english):
    registration = RegistrationFactory(shift__event__kind=kind)
    services.support_record_for_training(registration=registration)
    record = SupportRecord.objects.get()
    assert record.description_text == russian
    with translation.override("en"):
        assert record.description_text == english


def test_staff_entries_keep_their_own_words(coordinator):
    record = services.support_record_create(
        actor=coordinator,
        kind="consulting",
        day=date(2026, 3, 2),
        description="Разобрали устав",
        organization=OrganizationFactory(),
    )
    assert (record.made_from, record.description_text) == ("", "Разобрали устав")


def test_a_staff_entry_without_words_is_refused(coordinator):
    with pytest.raises(ValidationError) as refused:
        services.support_record_create(
            actor=coordinator,
            kind="consulting",
            day=date(2026, 3, 2),
            description="  ",
            organization=OrganizationFactory(),
        )
    assert "description" in refused.value.message_dict


def _old(source, description: str, kind: str = "consulting") -> SupportRecord:
    record = SupportRecord(
        organization=OrganizationFactory(),
        kind=kind,
        date=date(2026, 3, 2),
        description=description,
    )
    record.source = None
    if source is not None:
        record.source = reference_to(source)
    record.save()
    return record


def test_the_migration_turns_the_known_russian_texts_into_codes(resident):
    question = Consultation.objects.create(asker=resident, topic="legal", subject=SUBJECT)
    registration = RegistrationFactory(shift__event__kind=Event.Kind.WEBINAR)
    room = RoomFactory(name="Зал АРГО")
    start = timezone.now() + timedelta(days=2)
    booking = RoomBooking.objects.create(
        room=room,
        organization=OrganizationFactory(),
        booked_by=resident,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        purpose="Собрание",
    )
    consultation = _old(question, f"Консультация: {SUBJECT}")
    training = _old(registration, "Вебинар «Отчётность»")
    booked = _old(booking, "Помещение «Зал АРГО»: Собрание")
    unknown = _old(question, "Разговор по телефону", kind="informational")
    staff = _old(None, "Консультация: по телефону")

    migration.codes_for_known_texts(apps, None)

    for record in (consultation, training, booked, unknown, staff):
        record.refresh_from_db()
    assert (consultation.made_from, consultation.description) == ("consultation", "")
    assert (training.made_from, training.made_params) == ("training", {"event_kind": "webinar"})
    assert (booked.made_from, booked.made_params, booked.description) == (
        "room",
        {"room": "Зал АРГО"},
        "",
    )
    assert (unknown.made_from, unknown.description) == ("", "Разговор по телефону")
    assert (staff.made_from, staff.description) == ("", "Консультация: по телефону")
