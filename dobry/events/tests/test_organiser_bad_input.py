"""An organiser's mistakes on the event pages are explained, never a 500, and change
nothing; and the certificate of a training is only for those who attended."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.events.models import Event, EventMaterial, Registration, Shift
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shift():
    return ShiftFactory(capacity=3)


@pytest.fixture
def organiser(shift):
    user = volunteer()
    MembershipFactory(organization=shift.event.organization, user=user, role=Membership.Role.EDITOR)
    return user


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("materials/", {"kind": "material", "title": ""}, "Проверьте название и вид материала."),
        (
            "materials/",
            {"kind": "material", "title": "Памятка"},
            "Приложите файл или дайте ссылку.",
        ),
        ("repeat/", {"frequency": "weekly", "count": 0}, "Проверьте, как и сколько раз повторять."),
        ("repeat/", {"frequency": "daily", "count": 2}, "Проверьте, как и сколько раз повторять."),
        ("message/", {"subject": "", "message": "Текст"}, "Напишите тему и текст сообщения."),
        ("cancel/", {"reason": ""}, "Объясните участникам причину отмены."),
    ],
)
def test_a_bad_organiser_form_is_explained_and_changes_nothing(
    login_as, organiser, shift, path, data, message
):
    response = login_as(organiser).post(f"/events/{shift.event_id}/{path}", data, follow=True)
    assert message in response.content.decode()
    assert (Event.objects.count(), EventMaterial.objects.count()) == (1, 0)
    assert Event.objects.get().status == Event.Status.PUBLISHED


def test_a_shift_with_people_is_not_deleted_from_the_page(login_as, organiser, shift):
    RegistrationFactory(shift=shift)
    response = login_as(organiser).post(f"/events/shifts/{shift.pk}/delete/", follow=True)
    assert "На смену уже записались люди" in response.content.decode()
    assert Shift.objects.filter(pk=shift.pk).exists()


def test_capacity_below_the_places_taken_is_a_form_error(login_as, organiser, shift):
    RegistrationFactory(shift=shift, seats=2, group=Registration.Group.FAMILY)
    response = login_as(organiser).post(
        f"/events/shifts/{shift.pk}/edit/",
        {
            "title": shift.title,
            "starts_at": local(shift.starts_at),
            "ends_at": local(shift.ends_at),
            "capacity": 1,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == [
        "Уже занято мест: 2. Меньше сделать нельзя."
    ]
    assert Shift.objects.get(pk=shift.pk).capacity == 3


def test_a_cancelled_event_is_not_edited(login_as, organiser, shift):
    Event.objects.filter(pk=shift.event_id).update(status=Event.Status.CANCELLED)
    response = login_as(organiser).post(
        f"/events/{shift.event_id}/edit/",
        {"kind": "volunteer_action", "title": "Другое", "cancellation_deadline_hours": 24},
    )
    assert "Отменённое мероприятие нельзя изменить." in response.content.decode()
    assert Event.objects.get().title != "Другое"


def test_publishing_a_draft_without_shifts_is_explained(login_as, organiser, shift):
    draft = Event.objects.create(
        organization=shift.event.organization, kind="seminar", title="Семинар"
    )
    response = login_as(organiser).post(f"/events/{draft.pk}/publish/", follow=True)
    assert "Добавьте хотя бы одну смену" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


# --- certificates of trainings -------------------------------------------------------------


@pytest.fixture
def seminar_registration():
    start = timezone.now() - timedelta(days=2)
    return RegistrationFactory(
        shift__event__kind=Event.Kind.SEMINAR,
        shift__event__title="Как писать заявку на грант",
        shift__starts_at=start,
        shift__ends_at=start + timedelta(hours=2),
    )


@pytest.mark.parametrize("attended", [False, True])
def test_a_certificate_only_for_an_attended_training(login_as, seminar_registration, attended):
    if attended:
        Registration.objects.filter(pk=seminar_registration.pk).update(
            checked_in_at=seminar_registration.shift.starts_at
        )
    response = login_as(seminar_registration.user).get(
        f"/events/registrations/{seminar_registration.pk}/certificate/"
    )
    assert response.status_code == (200 if attended else 404)
    if attended:
        assert "«Как писать заявку на грант» (семинар)" in response.content.decode()


def test_no_certificate_for_ordinary_volunteering_or_for_someone_else(login_as, outsider):
    action = RegistrationFactory(checked_in_at=timezone.now())
    assert (
        login_as(action.user).get(f"/events/registrations/{action.pk}/certificate/").status_code
        == 404
    )
    assert (
        login_as(outsider).get(f"/events/registrations/{action.pk}/certificate/").status_code == 404
    )


def test_the_certificate_downloads_for_word(login_as, seminar_registration):
    Registration.objects.filter(pk=seminar_registration.pk).update(checked_in_at=timezone.now())
    response = login_as(seminar_registration.user).get(
        f"/events/registrations/{seminar_registration.pk}/certificate/", {"format": "docx"}
    )
    assert f"certificate-{seminar_registration.pk}.docx" in response["Content-Disposition"]
