"""Every organiser action of the event pages, as anonymous, as an outsider, as a volunteer
signed up for the event, as the organisation's editor and as a coordinator: only the last
two act, the others change nothing."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.communications.models import Notification
from dobry.events.models import Event, EventMaterial, Registration, Shift
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
S = Registration.Status


@dataclass
class World:
    event: Event
    draft: Event
    shift: Shift
    empty_shift: Shift
    ended_shift: Shift
    confirmed: Registration
    pending: Registration
    ended: Registration
    editor: object
    participant: object


@pytest.fixture
def world():
    organization = OrganizationFactory()
    editor = volunteer(first_name="Елена", last_name="Редактор")
    MembershipFactory(organization=organization, user=editor, role=Membership.Role.EDITOR)
    now = timezone.now()
    # starts within the check-in window, so a code can be marked now
    shift = ShiftFactory(
        event__organization=organization,
        title="Уборка",
        starts_at=now + timedelta(hours=1),
        capacity=5,
    )
    event = shift.event
    empty_shift = ShiftFactory(event=event, title="Пустая", starts_at=now + timedelta(days=2))
    ended_shift = ShiftFactory(
        event=event,
        title="Утро",
        starts_at=now - timedelta(hours=5),
        ends_at=now - timedelta(hours=2),
    )
    confirmed = RegistrationFactory(shift=shift)
    pending = RegistrationFactory(shift=shift, status=S.PENDING_APPROVAL)
    ended = RegistrationFactory(shift=ended_shift)
    draft = ShiftFactory(event__organization=organization, event__status=Event.Status.DRAFT).event
    return World(
        event=event,
        draft=draft,
        shift=shift,
        empty_shift=empty_shift,
        ended_shift=ended_shift,
        confirmed=confirmed,
        pending=pending,
        ended=ended,
        editor=editor,
        participant=confirmed.user,
    )


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _shift_form(w, title):
    start = w.empty_shift.starts_at
    return {
        "title": title,
        "starts_at": _local(start),
        "ends_at": _local(start + timedelta(hours=2)),
        "capacity": 3,
    }


# name: (url, form data, did it happen?)
ACTIONS = {
    "publish": (
        lambda w: f"/events/{w.draft.pk}/publish/",
        lambda w: {},
        lambda w: Event.objects.get(pk=w.draft.pk).status == Event.Status.PUBLISHED,
    ),
    "cancel": (
        lambda w: f"/events/{w.event.pk}/cancel/",
        lambda w: {"reason": "Штормовое предупреждение"},
        lambda w: Event.objects.get(pk=w.event.pk).status == Event.Status.CANCELLED,
    ),
    "repeat": (
        lambda w: f"/events/{w.event.pk}/repeat/",
        lambda w: {"frequency": "weekly", "count": 2},
        lambda w: Event.objects.filter(series__isnull=False).count() == 3,
    ),
    "edit": (
        lambda w: f"/events/{w.event.pk}/edit/",
        lambda w: {
            "kind": "volunteer_action",
            "title": "Новое название",
            "cancellation_deadline_hours": 24,
        },
        lambda w: Event.objects.get(pk=w.event.pk).title == "Новое название",
    ),
    "shift_add": (
        lambda w: f"/events/{w.event.pk}/shifts/new/",
        lambda w: _shift_form(w, "Раздача воды"),
        lambda w: Shift.objects.filter(title="Раздача воды").exists(),
    ),
    "shift_edit": (
        lambda w: f"/events/shifts/{w.empty_shift.pk}/edit/",
        lambda w: _shift_form(w, "Переименована"),
        lambda w: Shift.objects.get(pk=w.empty_shift.pk).title == "Переименована",
    ),
    "shift_delete": (
        lambda w: f"/events/shifts/{w.empty_shift.pk}/delete/",
        lambda w: {},
        lambda w: not Shift.objects.filter(pk=w.empty_shift.pk).exists(),
    ),
    "approve": (
        lambda w: f"/events/registrations/{w.pending.pk}/approve/",
        lambda w: {},
        lambda w: Registration.objects.get(pk=w.pending.pk).status == S.CONFIRMED,
    ),
    "decline": (
        lambda w: f"/events/registrations/{w.pending.pk}/decline/",
        lambda w: {"reason": "Нужен опыт"},
        lambda w: Registration.objects.get(pk=w.pending.pk).status == S.DECLINED,
    ),
    "material": (
        lambda w: f"/events/{w.event.pk}/materials/",
        lambda w: {"kind": "material", "title": "Памятка", "url": "https://example.org/a.pdf"},
        lambda w: EventMaterial.objects.filter(event=w.event, title="Памятка").exists(),
    ),
    "message": (
        lambda w: f"/events/{w.event.pk}/message/",
        lambda w: {"subject": "Сбор у входа", "message": "Встречаемся у главного входа."},
        lambda w: Notification.objects.filter(kind="organiser_message").exists(),
    ),
    "check_in": (
        lambda w: f"/events/{w.event.pk}/checkin/",
        lambda w: {"code": w.confirmed.code, "action": "in"},
        lambda w: Registration.objects.get(pk=w.confirmed.pk).checked_in_at is not None,
    ),
    "bulk_mark": (
        lambda w: f"/events/shifts/{w.ended_shift.pk}/bulk/",
        lambda w: {"registration": [w.ended.pk]},
        lambda w: HoursEntry.objects.filter(registration=w.ended).exists(),
    ),
}


def _user(role, w, request):
    return {
        "outsider": lambda: request.getfixturevalue("outsider"),
        "participant": lambda: w.participant,
        "editor": lambda: w.editor,
        "coordinator": lambda: request.getfixturevalue("coordinator"),
    }[role]()


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_is_sent_to_log_in_and_nothing_happens(client, world, action):
    url, data, happened = ACTIONS[action]
    response = client.post(url(world), data(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not happened(world)


@pytest.mark.parametrize("role", ["outsider", "participant"])
@pytest.mark.parametrize("action", ACTIONS)
def test_people_who_do_not_organise_are_refused_and_nothing_happens(
    login_as, world, request, role, action
):
    url, data, happened = ACTIONS[action]
    response = login_as(_user(role, world, request)).post(url(world), data(world))
    # a draft is not even shown to them
    assert response.status_code == (404 if action == "publish" else 403)
    assert not happened(world)


@pytest.mark.parametrize("role", ["editor", "coordinator"])
@pytest.mark.parametrize("action", ACTIONS)
def test_the_organisations_editor_and_a_coordinator_act(login_as, world, request, role, action):
    url, data, happened = ACTIONS[action]
    response = login_as(_user(role, world, request)).post(url(world), data(world))
    assert response.status_code == 302
    assert happened(world)


# name: (url, status for anonymous, outsider, participant, editor)
PAGES = {
    "list": (lambda w: "/events/", 200, 200, 200, 200),
    "detail": (lambda w: f"/events/{w.event.pk}/", 200, 200, 200, 200),
    "draft": (lambda w: f"/events/{w.draft.pk}/", 404, 404, 404, 200),
    "places": (lambda w: f"/events/{w.event.pk}/places/", 200, 200, 200, 200),
    "draft_places": (lambda w: f"/events/{w.draft.pk}/places/", 404, 404, 404, 200),
    "ics": (lambda w: f"/events/{w.event.pk}/event.ics", 200, 200, 200, 200),
    "draft_ics": (lambda w: f"/events/{w.draft.pk}/event.ics", 404, 404, 404, 200),
    "manage": (lambda w: f"/events/{w.event.pk}/manage/", 302, 403, 403, 200),
    "edit": (lambda w: f"/events/{w.event.pk}/edit/", 302, 403, 403, 200),
    "shift_add": (lambda w: f"/events/{w.event.pk}/shifts/new/", 302, 403, 403, 200),
    "shift_edit": (lambda w: f"/events/shifts/{w.shift.pk}/edit/", 302, 403, 403, 200),
    "checkin": (lambda w: f"/events/{w.event.pk}/checkin/", 302, 403, 403, 200),
    "attendance": (lambda w: f"/events/{w.event.pk}/attendance.xlsx", 302, 403, 403, 200),
    "my": (lambda w: "/events/my/", 302, 200, 200, 200),
    "for_me": (lambda w: "/events/for-me/", 302, 200, 200, 200),
    "new": (lambda w: "/events/new/", 302, 200, 200, 200),
    "qr": (lambda w: f"/events/registrations/{w.confirmed.pk}/qr.svg", 302, 403, 200, 200),
    "missing_event": (lambda w: "/events/987654321/", 404, 404, 404, 404),
    "missing_shift": (lambda w: "/events/shifts/987654321/edit/", 302, 404, 404, 404),
}


@pytest.mark.parametrize("page", PAGES)
def test_each_page_answers_each_role(client, login_as, world, request, page):
    url, *expected = PAGES[page]
    clients = [
        client,
        login_as(_user("outsider", world, request)),
        login_as(world.participant),
        login_as(world.editor),
    ]
    got = [c.get(url(world)).status_code for c in clients]
    assert got == expected


def test_the_qr_code_encodes_only_the_short_code(login_as, world):
    response = login_as(world.participant).get(f"/events/registrations/{world.confirmed.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert f"<title>{world.confirmed.code}</title>" in body
    assert world.participant.email not in body


@pytest.mark.parametrize("action", ["cancel_registration", "accept_offer"])
def test_nobody_acts_on_someone_elses_registration(login_as, world, outsider, action):
    response = login_as(outsider).post(
        f"/events/registrations/{world.confirmed.pk}/{action.split('_')[0]}/"
    )
    assert response.status_code == 404
    world.confirmed.refresh_from_db()
    assert world.confirmed.status == S.CONFIRMED


def test_the_participant_cancels_their_own_place(login_as, world):
    response = login_as(world.participant).post(
        f"/events/registrations/{world.confirmed.pk}/cancel/"
    )
    assert response["Location"] == "/events/my/"
    world.confirmed.refresh_from_db()
    assert world.confirmed.status == S.CANCELLED
