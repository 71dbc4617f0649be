"""A text over its limit is refused naming its field, never cut to fit (issue 11 hardening
§2: an application's text was cut at 20,000 characters without a word). Each service that
used to slice what a person typed now says so; nothing is saved (`text_limits.
require_within_limits`). The grant application's own cases are in
`grants/tests/test_text_never_cut.py`; `test_text_limits.py` refuses a new slice."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.accounts.models import ApiToken
from dobry.accounts.services import api_token_create
from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError
from dobry.events.models import EventMaterial, Registration
from dobry.events.services.events import event_material_add, event_message_participants
from dobry.events.services.registrations import registration_create
from dobry.events.tests.factories import EventFactory, ShiftFactory, volunteer
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory
from dobry.resources import groups, library, rooms
from dobry.resources import services as resources
from dobry.resources.models import (
    Consultation,
    GroupTask,
    LibraryFile,
    LibraryItem,
    ProjectGroup,
    RoomBooking,
)
from dobry.resources.tests.factories import RoomFactory
from dobry.volunteering.services.profiles import parental_consent_record

pytestmark = pytest.mark.django_db


def _refused(error: pytest.ExceptionInfo[DomainError], field: str, limit: int) -> bool:
    return error.value.field_errors == {
        field: [f"Слишком длинный текст: не больше {limit} символов."]
    }


def test_a_signup_with_a_group_name_over_its_limit_is_refused():
    person, shift = volunteer(), ShiftFactory()
    with pytest.raises(DomainError) as error:
        registration_create(user=person, shift=shift, group_name="Класс " + "я" * 150)
    assert _refused(error, "group_name", 150)
    assert not Registration.objects.exists()
    kept = registration_create(user=person, shift=shift, group_name="я" * 150)
    assert kept.group_name == "я" * 150


def test_an_organisers_message_with_a_subject_over_its_limit_is_refused(official):
    with pytest.raises(DomainError) as error:
        event_message_participants(
            actor=official, event=EventFactory(), subject="я" * 151, message="Текст"
        )
    assert _refused(error, "subject", 150)


def test_an_event_material_with_a_title_over_its_limit_is_refused(official):
    with pytest.raises(DomainError) as error:
        event_material_add(
            actor=official,
            event=EventFactory(),
            kind="material",
            title="я" * 201,
            url="https://example.org/slides",
        )
    assert _refused(error, "title", 200)
    assert not EventMaterial.objects.exists()


def test_a_room_booking_with_a_purpose_over_its_limit_is_refused():
    room = RoomFactory()
    member = MembershipFactory(organization=room.owner, role=Membership.Role.MEMBER)
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(DomainError) as error:
        rooms.booking_request(
            user=member.user,
            room=room,
            organization=room.owner,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            purpose="я" * 301,
        )
    assert _refused(error, "purpose", 300)
    assert not RoomBooking.objects.exists()


def test_a_project_group_and_its_task_over_their_limits_are_refused(coordinator):
    with pytest.raises(DomainError) as error:
        groups.group_create(actor=coordinator, title="я" * 201)
    assert _refused(error, "title", 200)
    assert not ProjectGroup.objects.exists()
    group = groups.group_create(actor=coordinator, title="Инклюзия")
    meeting = groups.meeting_create(
        actor=coordinator,
        group=group,
        starts_at=timezone.now() + timedelta(days=1),
        agenda="План",
    )
    with pytest.raises(DomainError) as error:
        groups.decision_add(
            actor=coordinator,
            meeting=meeting,
            text="Решили",
            task="я" * 301,
            owner=coordinator,
            due_on=(timezone.now() + timedelta(days=7)).date(),
        )
    assert _refused(error, "task", 300)
    assert not GroupTask.objects.exists()


def test_consultations_with_a_subject_over_its_limit_are_refused(coordinator, resident):
    with pytest.raises(DomainError) as error:
        resources.consultation_record(
            actor=coordinator,
            topic=Consultation.Topic.GRANTS,
            subject="я" * 201,
            summary="Разобрали заявку",
            channel=Consultation.Channel.PHONE,
            asker=resident,
        )
    assert _refused(error, "subject", 200)
    with pytest.raises(DomainError) as error:
        resources.consultation_ask(
            user=resident, topic=Consultation.Topic.GRANTS, subject="я" * 201, text="Вопрос"
        )
    assert _refused(error, "subject", 200)
    assert not Consultation.objects.exists()


def test_a_library_file_with_a_note_over_its_limit_is_refused(coordinator):
    upload = SimpleUploadedFile("v2.pdf", b"%PDF-1.4 new version", "application/pdf")
    with pytest.raises(DomainError) as error:
        library.library_file_add(actor=coordinator, item=LibraryItem(), file=upload, note="я" * 301)
    assert _refused(error, "note", 300)
    assert not LibraryFile.objects.exists()


def test_an_api_token_with_a_name_over_its_limit_is_refused(resident):
    with pytest.raises(DomainError) as error:
        api_token_create(user=resident, name="я" * 101)
    assert _refused(error, "name", 100)
    assert not ApiToken.objects.exists()


def test_a_parental_consent_with_a_name_over_its_limit_is_refused(coordinator):
    with pytest.raises(DomainError) as error:
        parental_consent_record(actor=coordinator, volunteer=UserFactory(), parent_name="я" * 201)
    assert _refused(error, "parent_name", 200)


def test_a_cancelled_help_requests_reason_over_its_limit_is_refused_not_cut(resident, login_as):
    help_request = HelpRequestFactory(requester=resident)
    response = login_as(resident).post(f"/help/{help_request.pk}/cancel/", {"reason": "я" * 2001})
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.NEW  # nothing changed, nothing cut
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Слишком длинный текст: сократите его."
    ]
    login_as(resident).post(f"/help/{help_request.pk}/cancel/", {"reason": "я" * 2000})
    help_request.refresh_from_db()
    assert (help_request.status, help_request.reason) == (HelpRequest.Status.CANCELLED, "я" * 2000)
