"""An event of an organisation that is not verified now (awaiting a new review, or returned
to its editors) is unlisted (`EventQuerySet.public`); its page used to open by a direct link
and take signups all the same. Now it opens only for those who need it — the people
registered for it (who are told that signups are closed), its organisers and the resource
centre's coordinators — and is a 404 for anyone else, page and API alike; every signup is
refused with the reason (`rules.signups_closed`), by the page, the API and the service."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.events import permissions, rules
from dobry.events.models import Event, Registration, Shift
from dobry.events.services.registrations import (
    SignupRefused,
    registration_cancel,
    registration_create,
)
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations import services as organization_services
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
O = Organization.Status  # noqa: E741
S = Registration.Status
CLOSED = "организатор мероприятия сейчас не проверен"


@dataclass
class World:
    event: Event
    shift: Shift
    other_shift: Shift
    registered: object  # confirmed on `shift`
    waiting: object  # on the waiting list of `shift`
    attended: object  # checked in on a shift that has ended
    cancelled: object  # cancelled their registration: no longer needs the page
    editor: object
    outsider: object


def world_of(status: str) -> World:
    organization = OrganizationFactory(status=O.VERIFIED)
    editor = volunteer()
    MembershipFactory(organization=organization, user=editor, role=Membership.Role.EDITOR)
    shift = ShiftFactory(event__organization=organization, capacity=1)
    event = shift.event
    other_shift = ShiftFactory(event=event, starts_at=shift.starts_at + timedelta(days=1))
    past = timezone.now() - timedelta(days=2)
    ended = ShiftFactory(event=event, starts_at=past, ends_at=past + timedelta(hours=3))
    registered = RegistrationFactory(shift=shift).user
    waiting = RegistrationFactory(shift=shift, status=S.WAITLISTED).user
    attended = RegistrationFactory(shift=ended, checked_in_at=past).user
    cancelled = RegistrationFactory(shift=other_shift, status=S.CANCELLED).user
    Organization.objects.filter(pk=organization.pk).update(status=status)
    event.organization.refresh_from_db()
    return World(
        event, shift, other_shift, registered, waiting, attended, cancelled, editor, volunteer()
    )


@pytest.fixture(params=[O.PENDING, O.RETURNED])
def world(request):
    return world_of(request.param)


def roles(world: World, coordinator) -> dict[str, object]:
    return {
        "registered": world.registered,
        "waiting": world.waiting,
        "attended": world.attended,
        "editor": world.editor,
        "coordinator": coordinator,
    }


def hidden_from(world: World) -> dict[str, object]:
    return {"outsider": world.outsider, "cancelled": world.cancelled}


# --- who opens the page -----------------------------------------------------------------


def test_the_page_opens_for_those_registered_and_the_organisers_saying_signups_are_closed(
    world, login_as, coordinator
):
    for name, person in roles(world, coordinator).items():
        response = login_as(person).get(world.event.get_absolute_url())
        assert response.status_code == 200, name
        html = response.content.decode()
        assert CLOSED in html, name
        assert "Запись закрыта." in html, name
        assert f"/events/shifts/{world.other_shift.pk}/signup/" not in html, name


def test_a_registered_person_still_sees_their_place_and_may_cancel_it(world, login_as):
    registration = Registration.objects.get(user=world.registered)
    html = login_as(world.registered).get(world.event.get_absolute_url()).content.decode()
    assert registration.code in html
    assert f"/events/registrations/{registration.pk}/cancel/" in html
    registration_cancel(user=world.registered, registration=registration)
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED
    # …after which they no longer need the page
    assert login_as(world.registered).get(world.event.get_absolute_url()).status_code == 404


def test_anyone_else_gets_a_404_from_the_page_and_its_parts(world, client, login_as):
    urls = [
        world.event.get_absolute_url(),
        f"/events/{world.event.pk}/places/",
        f"/events/{world.event.pk}/event.ics",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        for name, person in hidden_from(world).items():
            assert login_as(person).get(url).status_code == 404, (name, url)


def test_the_api_answers_the_same_roles_the_same_way(world, coordinator):
    url = f"/api/v1/events/{world.event.pk}"
    for name, person in roles(world, coordinator).items():
        response = bearer(person).get(url)
        assert response.status_code == 200, name
        assert CLOSED in response.json()["signups_closed"], name
    assert Client().get(url).status_code == 404
    for name, person in hidden_from(world).items():
        assert bearer(person).get(url).status_code == 404, name


def test_the_list_form_agrees_with_the_page(world, coordinator):
    people = {
        **roles(world, coordinator),
        **hidden_from(world),
        "anonymous": AnonymousUser(),
    }
    for name, person in people.items():
        listed = permissions.visible_events(person).filter(pk=world.event.pk).exists()
        assert listed is bool(permissions.can_view(person, world.event)), name


def test_a_verified_organisations_event_opens_for_everyone_with_signups_open(client, login_as):
    world = world_of(O.VERIFIED)
    assert client.get(world.event.get_absolute_url()).status_code == 200
    html = login_as(world.outsider).get(world.event.get_absolute_url()).content.decode()
    assert f"/events/shifts/{world.other_shift.pk}/signup/" in html
    assert CLOSED not in html
    response = bearer(world.outsider).get(f"/api/v1/events/{world.event.pk}")
    assert response.json()["signups_closed"] == ""


# --- signups are refused ----------------------------------------------------------------


def test_the_service_refuses_every_signup_with_the_reason(world, coordinator):
    for person in (world.registered, world.editor, world.outsider, coordinator):
        with pytest.raises(SignupRefused, match=CLOSED):
            registration_create(user=person, shift=world.other_shift)
    assert (
        not Registration.objects.filter(shift=world.other_shift)
        .exclude(status=S.CANCELLED)
        .exists()
    )


def test_the_page_refuses_a_signup_with_the_reason_or_a_404(world, login_as):
    url = f"/events/shifts/{world.other_shift.pk}/signup/"
    for person in (world.registered, world.editor):
        response = login_as(person).post(url, follow=True)
        assert CLOSED in response.content.decode()
    for person in hidden_from(world).values():
        assert login_as(person).post(url).status_code == 404
    assert not Registration.objects.filter(shift=world.other_shift, status=S.CONFIRMED).exists()


def test_the_api_refuses_a_signup_with_the_reason_or_a_404(world):
    url = f"/api/v1/shifts/{world.other_shift.pk}/registrations"
    for person in (world.registered, world.editor):
        response = bearer(person).post(url, {}, content_type="application/json")
        assert response.status_code == 409
        assert CLOSED in response.json()["message"]
    for person in hidden_from(world).values():
        response = bearer(person).post(url, {}, content_type="application/json")
        assert response.status_code == 404
    assert not Registration.objects.filter(shift=world.other_shift, status=S.CONFIRMED).exists()


def test_a_signup_checked_before_the_return_is_refused_under_the_lock(monkeypatch):
    """The rules are read before the capacity lock; an organisation returned in between is
    seen again under the lock."""
    world = world_of(O.VERIFIED)
    monkeypatch.setattr(rules, "refusals", lambda **kwargs: [])
    Organization.objects.filter(pk=world.event.organization_id).update(status=O.RETURNED)
    with pytest.raises(SignupRefused, match=CLOSED):
        registration_create(user=world.outsider, shift=world.other_shift)


def test_returned_through_the_service_and_verified_again(coordinator, login_as):
    world = world_of(O.VERIFIED)
    organization = world.event.organization
    organization_services.organization_return(
        actor=coordinator, organization=organization, reason="Уточните устав"
    )
    assert login_as(world.outsider).get(world.event.get_absolute_url()).status_code == 404
    with pytest.raises(SignupRefused, match=CLOSED):
        registration_create(user=world.outsider, shift=world.other_shift)
    Organization.objects.filter(pk=organization.pk).update(status=O.VERIFIED)
    assert login_as(world.outsider).get(world.event.get_absolute_url()).status_code == 200
    registration = registration_create(user=world.outsider, shift=world.other_shift)
    assert registration.status == S.CONFIRMED


def test_a_draft_still_opens_only_for_its_organisers(world, login_as, coordinator):
    Event.objects.filter(pk=world.event.pk).update(status=Event.Status.DRAFT)
    assert login_as(world.editor).get(world.event.get_absolute_url()).status_code == 200
    assert login_as(coordinator).get(world.event.get_absolute_url()).status_code == 200
    assert login_as(world.registered).get(world.event.get_absolute_url()).status_code == 404
    assert not permissions.visible_events(world.registered).filter(pk=world.event.pk).exists()


def test_the_page_answers_in_a_fixed_number_of_queries(
    world, login_as, django_assert_max_num_queries
):
    client = login_as(world.registered)
    client.get(world.event.get_absolute_url())  # warm the session and caches
    with django_assert_max_num_queries(13):
        assert client.get(world.event.get_absolute_url()).status_code == 200


def test_an_unknown_user_is_never_counted_as_registered(world):
    assert not permissions.is_registered(AnonymousUser(), world.event)
    assert not permissions.is_registered(UserFactory.build(), world.event)
