"""Seminars and webinars of the resource centre: representing an organisation, attendance
as support, materials and the recording, certificates of participation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from dobry.core.errors import DomainError
from dobry.events.models import Event, EventMaterial
from dobry.events.services.attendance import attendance_bulk_mark, registration_check_in
from dobry.events.services.events import event_material_add
from dobry.events.services.registrations import registration_create
from dobry.events.tests.factories import ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources.models import SupportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar():
    return ShiftFactory(
        event__kind=Event.Kind.SEMINAR, event__title="Как зарегистрировать НКО", title="Участник"
    )


@pytest.fixture
def nko_member():
    person = volunteer(first_name="Елена", last_name="Заботина")
    organization = OrganizationFactory(short_name="Тёплый дом")
    MembershipFactory(organization=organization, user=person, role=Membership.Role.MEMBER)
    return person, organization


def test_attending_a_seminar_is_consulting_support_of_the_represented_organisation(
    seminar, nko_member, coordinator, freeze_now
):
    person, organization = nko_member
    registration = registration_create(user=person, shift=seminar, represents=organization)
    freeze_now(seminar.ends_at)
    registration_check_in(actor=coordinator, registration=registration)
    record = SupportRecord.objects.get()
    assert (record.organization, record.kind) == (organization, "consulting")
    attendance_bulk_mark(actor=coordinator, shift=seminar, registrations=[registration])
    assert SupportRecord.objects.count() == 1


def test_a_webinar_is_informational_support_and_a_resident_alone_is_recorded_as_a_person(
    coordinator, freeze_now
):
    webinar = ShiftFactory(event__kind=Event.Kind.WEBINAR)
    person = volunteer()
    registration = registration_create(user=person, shift=webinar)
    freeze_now(webinar.starts_at)
    registration_check_in(actor=coordinator, registration=registration)
    record = SupportRecord.objects.get()
    assert (record.person, record.kind) == (person, "informational")


def test_ordinary_volunteering_is_not_support(coordinator, freeze_now):
    shift = ShiftFactory()
    registration = registration_create(user=volunteer(), shift=shift)
    freeze_now(shift.starts_at)
    registration_check_in(actor=coordinator, registration=registration)
    assert not SupportRecord.objects.exists()


def test_one_can_represent_only_ones_own_organisation(seminar):
    with pytest.raises(DomainError, match="свою организацию"):
        registration_create(user=volunteer(), shift=seminar, represents=OrganizationFactory())


def test_the_signup_form_offers_ones_organisations_for_trainings(login_as, seminar, nko_member):
    person, organization = nko_member
    client = login_as(person)
    assert (
        "Я представляю организацию" in client.get(f"/events/{seminar.event_id}/").content.decode()
    )
    client.post(f"/events/shifts/{seminar.pk}/signup/", {"represents": organization.pk})
    assert person.registrations.get().represents == organization


def test_materials_and_recording(seminar, coordinator, client):
    event_material_add(
        actor=coordinator,
        event=seminar.event,
        kind="material",
        title="Презентация",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    event_material_add(
        actor=coordinator,
        event=seminar.event,
        kind="recording",
        title="Запись",
        url="https://video.example.org/1",
    )
    with pytest.raises(DomainError):
        event_material_add(actor=coordinator, event=seminar.event, kind="recording", title="Пусто")
    body = client.get(f"/events/{seminar.event_id}/").content.decode()
    assert "Презентация" in body
    assert "https://video.example.org/1" in body
    assert EventMaterial.objects.count() == 2


def test_only_organisers_add_materials(login_as, seminar, outsider):
    response = login_as(outsider).post(
        f"/events/{seminar.event_id}/materials/",
        {"kind": "material", "title": "x", "url": "https://a.ru"},
    )
    assert response.status_code == 403


def test_certificate_of_participation_after_attending(
    login_as, seminar, nko_member, coordinator, freeze_now
):
    person, organization = nko_member
    registration = registration_create(user=person, shift=seminar, represents=organization)
    client = login_as(person)
    assert client.get(f"/events/registrations/{registration.pk}/certificate/").status_code == 404
    freeze_now(seminar.starts_at)
    registration_check_in(actor=coordinator, registration=registration)
    page = client.get(f"/events/registrations/{registration.pk}/certificate/").content.decode()
    assert "Сертификат участника" in page
    assert "Заботина Елена" in page
    docx = client.get(f"/events/registrations/{registration.pk}/certificate/?format=docx")
    text = "\\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Как зарегистрировать НКО" in text
