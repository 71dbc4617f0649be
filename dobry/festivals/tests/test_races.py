"""Places taken at the same instant: a session with limited places never holds more people
than its capacity, and a numbered place never holds two stands, however many press at
once. As negative controls, without the session's lock the same crowd overbooks the
session, and without the place's lock the check «place free» passes more than once — then
only the database's constraint `one_stand_per_place` keeps one stand. An organiser lowering
a session's capacity while people register counts the places under the session's lock too,
so the session never ends with more people than its new capacity; without the lock it does.
Runs on SQLite and on PostgreSQL."""

import time
from contextlib import contextmanager

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError
from dobry.core.tests.threads import at_once
from dobry.festivals.models import SessionRegistration, StandApplication
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),
]
CAPACITY = 3
PEOPLE = 8


def _slow(monkeypatch, name):
    """The counting step is slowed, as on a busy server, so that without the lock every
    thread counts before any has written."""
    plain = getattr(services, name)

    def slow(*args):
        found = plain(*args)
        time.sleep(0.2)
        return found

    monkeypatch.setattr(services, name, slow)


@contextmanager
def _unguarded(queryset, pk):
    yield queryset.get(pk=pk)


def _crowd_registers(monkeypatch):
    _slow(monkeypatch, "taken_places")
    f = festival(capacity=CAPACITY)
    session = f.sessions[0]
    crowd = [UserFactory() for _ in range(PEOPLE)]
    taken, raised = at_once(
        lambda person: services.session_register(actor=person, session=session), crowd
    )
    return session, taken, raised


def test_a_crowd_takes_exactly_the_places_of_a_session(monkeypatch):
    session, taken, raised = _crowd_registers(monkeypatch)
    assert len(taken) == CAPACITY
    assert len(raised) == PEOPLE - CAPACITY
    assert {e.message for e in raised if isinstance(e, DomainError)} == {
        "Мест на сессии больше нет."
    }
    assert SessionRegistration.objects.filter(session=session).count() == CAPACITY


def test_without_the_lock_the_same_crowd_overbooks_the_session(monkeypatch):
    monkeypatch.setattr(services, "locked", _unguarded)
    session, _taken, _raised = _crowd_registers(monkeypatch)
    assert SessionRegistration.objects.filter(session=session).count() > CAPACITY


def _stands_race_for_one_place(monkeypatch):
    passed = []
    plain = services.place_is_free

    def counted(place, stand):
        free = plain(place, stand)
        time.sleep(0.2)
        if free:
            passed.append(stand.pk)
        return free

    monkeypatch.setattr(services, "place_is_free", counted)
    f = festival()
    stands = []
    for _n in range(4):
        organization, editor = stand_organization()
        stands.append(
            services.stand_apply(
                actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
            )
        )
    place = f.places[0]
    taken, raised = at_once(
        lambda stand: services.stand_accept(actor=f.organiser, stand=stand, place=place), stands
    )
    accepted = StandApplication.objects.filter(place=place, status="accepted").count()
    return passed, taken, raised, accepted


def test_four_stands_accepted_on_one_place_at_once_leave_one(monkeypatch):
    passed, taken, raised, accepted = _stands_race_for_one_place(monkeypatch)
    assert len(passed) == 1
    assert len(taken) == 1
    assert accepted == 1
    assert {e.message for e in raised} == {"Это место уже занято другим стендом."}


def test_without_the_lock_only_the_constraint_keeps_one_stand(monkeypatch):
    monkeypatch.setattr(services, "locked", _unguarded)
    passed, _taken, raised, accepted = _stands_race_for_one_place(monkeypatch)
    assert len(passed) > 1  # the check alone let several through …
    assert accepted == 1  # … and the database kept one stand on the place
    assert all(isinstance(e, DomainError) for e in raised), raised


def _capacity_lowered_while_a_crowd_registers(monkeypatch):
    """One place is taken of four; three more people register while the organiser lowers
    the capacity to one place."""
    _slow(monkeypatch, "taken_places")
    f = festival(capacity=4)
    session = f.sessions[0]
    services.session_register(actor=UserFactory(), session=session)
    crowd = [UserFactory() for _ in range(3)]

    def lower():
        return services.session_save(
            actor=f.organiser, programme=f.programme, session=session, values={"capacity": 1}
        )

    jobs = [lower] + [
        (lambda person: lambda: services.session_register(actor=person, session=session))(p)
        for p in crowd
    ]
    _done, raised = at_once(lambda job: job(), jobs)
    session.refresh_from_db()
    return session, SessionRegistration.objects.filter(session=session).count(), raised


def test_a_capacity_lowered_during_registrations_is_never_below_the_places_taken(monkeypatch):
    session, taken, raised = _capacity_lowered_while_a_crowd_registers(monkeypatch)
    assert taken <= session.capacity
    assert all(isinstance(e, DomainError) for e in raised), raised
    # either the capacity went down first and the crowd found no place, or someone
    # registered first and the organiser was told how many had registered
    for error in raised:
        assert error.message == "Мест на сессии больше нет." or (
            error.message.startswith("Уже записал") and "capacity" in error.field_errors
        )


def test_without_the_lock_a_lowered_capacity_leaves_the_session_overbooked(monkeypatch):
    monkeypatch.setattr(services, "locked", _unguarded)
    session, taken, _raised = _capacity_lowered_while_a_crowd_registers(monkeypatch)
    assert session.capacity == 1
    assert taken > session.capacity


# --- a decision on an application that changed meanwhile ---------------------------------------


def _applied(f):
    organization, editor = stand_organization()
    stand = services.stand_apply(
        actor=editor, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    return stand, editor


def _read(stand):
    """The application as a page or the API reads it before calling the service."""
    return StandApplication.objects.select_related(
        "programme__event__organization", "organization"
    ).get(pk=stand.pk)


def test_an_application_withdrawn_after_the_organiser_read_it_is_not_accepted():
    f = festival()
    stand, editor = _applied(f)
    read_by_organiser = _read(stand)
    services.stand_withdraw(actor=editor, stand=_read(stand))
    with pytest.raises(DomainError, match="Заявка уже не действует"):
        services.stand_accept(actor=f.organiser, stand=read_by_organiser, place=f.places[0])
    stand.refresh_from_db()
    assert (stand.status, stand.place_id) == ("withdrawn", None)


def test_an_accepted_application_read_before_is_not_declined_over_its_place():
    f = festival()
    stand, _editor = _applied(f)
    read_by_second_organiser = _read(stand)
    services.stand_accept(actor=f.organiser, stand=_read(stand), place=f.places[0])
    with pytest.raises(DomainError, match="Отклонить можно только поданную заявку"):
        services.stand_decline(actor=f.organiser, stand=read_by_second_organiser, reason="Нет")
    stand.refresh_from_db()
    assert (stand.status, stand.place_id) == ("accepted", f.places[0].pk)


def _withdrawn_while_being_accepted(monkeypatch):
    """The organiser accepts (slowed after reading the application); a moment later the
    organisation withdraws it."""
    _slow(monkeypatch, "place_is_free")
    f = festival()
    stand, editor = _applied(f)

    def accept():
        return services.stand_accept(actor=f.organiser, stand=_read(stand), place=f.places[0])

    def withdraw():
        time.sleep(0.05)
        return services.stand_withdraw(actor=editor, stand=_read(stand))

    _done, raised = at_once(lambda job: job(), [accept, withdraw])
    stand.refresh_from_db()
    return stand, raised


def test_a_withdrawal_during_an_acceptance_stands(monkeypatch):
    stand, raised = _withdrawn_while_being_accepted(monkeypatch)
    # accepted first and then withdrawn, or withdrawn first and the acceptance refused:
    # either way the organisation's withdrawal, which came last, is what remains
    assert (stand.status, stand.place_id) == ("withdrawn", None)
    assert all(isinstance(e, DomainError) for e in raised), raised


def test_without_the_lock_an_acceptance_overwrites_the_withdrawal(monkeypatch):
    monkeypatch.setattr(services, "locked", _unguarded)
    stand, raised = _withdrawn_while_being_accepted(monkeypatch)
    assert raised == []
    assert stand.status == "accepted"  # the withdrawal was lost


# --- one person pressing «Записаться» twice at once ---------------------------------------------


def _double_press(monkeypatch):
    _slow(monkeypatch, "taken_places")
    f = festival(capacity=CAPACITY)
    session, person = f.sessions[0], UserFactory()
    taken, raised = at_once(
        lambda _press: services.session_register(actor=person, session=session), range(3)
    )
    return session, person, taken, raised


def test_a_person_pressing_twice_at_once_takes_one_place(monkeypatch):
    session, person, taken, raised = _double_press(monkeypatch)
    assert len(taken) == 1
    assert {e.message for e in raised} == {"Вы уже записаны на эту сессию."}
    assert all(getattr(e, "status", None) == 409 for e in raised)
    assert SessionRegistration.objects.filter(session=session, user=person).count() == 1
    assert session.selections.filter(user=person).count() == 1


def test_without_the_lock_only_the_constraint_keeps_one_place_and_says_so(monkeypatch):
    """The check «already registered» passes for every press; the database's constraint
    `one_registration_per_session` refuses all but one, and each refusal is still the
    same 409 — never an IntegrityError (a 500)."""
    monkeypatch.setattr(services, "locked", _unguarded)
    session, person, taken, raised = _double_press(monkeypatch)
    assert SessionRegistration.objects.filter(session=session, user=person).count() == 1
    assert len(taken) == 1
    assert {e.message for e in raised} <= {"Вы уже записаны на эту сессию."}
    assert all(isinstance(e, DomainError) for e in raised), raised
