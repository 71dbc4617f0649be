"""The workflow value: moves as data, checked by services, offered as buttons."""

import pytest
from django.db import models
from django.template import Context, Template

from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import District
from dobry.core.permissions import ALLOW, deny
from dobry.core.workflow import Move, Workflow, workflow_of
from dobry.grants.models import Competition
from dobry.organizations.models import INVITATION_WORKFLOW, Invitation


class Door(models.TextChoices):
    SHUT = "shut", "закрыта"
    OPEN = "open", "открыта"
    LOCKED = "locked", "заперта"


DOOR = Workflow(
    Door,
    (
        Move("open", frozenset({Door.SHUT}), Door.OPEN, "Открыть", refused="Уже открыта."),
        Move("shut", frozenset({Door.OPEN}), Door.SHUT, "Закрыть"),
        Move("lock", frozenset({Door.SHUT}), Door.LOCKED, "Запереть", needs_reason=True),
    ),
    public_names={Door.LOCKED: "недоступна"},
)


def test_the_table_is_what_the_moves_add_up_to():
    assert DOOR.table == {
        Door.SHUT: frozenset({Door.OPEN, Door.LOCKED}),
        Door.OPEN: frozenset({Door.SHUT}),
    }


def test_an_allowed_move_is_returned():
    assert DOOR.check(Door.SHUT, "open").target == Door.OPEN


def test_a_move_from_the_wrong_state_says_its_own_refusal():
    with pytest.raises(InvalidTransition, match="Уже открыта"):
        DOOR.check(Door.OPEN, "open")


def test_a_move_without_its_own_refusal_names_both_states():
    with pytest.raises(InvalidTransition, match="«закрыта» в «закрыта»"):
        DOOR.check(Door.SHUT, "shut")


def test_a_move_that_needs_a_reason_is_refused_on_the_reason_field():
    with pytest.raises(DomainError) as refused:
        DOOR.check(Door.SHUT, "lock", reason="  ")
    assert list(refused.value.field_errors) == ["reason"]
    assert DOOR.check(Door.SHUT, "lock", reason="ремонт").name == "lock"


def test_an_unknown_move_is_a_domain_error_not_a_crash():
    with pytest.raises(DomainError, match="Неизвестное действие"):
        DOOR.check(Door.SHUT, "kick")


def test_allowed_moves_are_the_tables_filtered_by_the_permission():
    assert [m.name for m in DOOR.allowed(Door.SHUT)] == ["open", "lock"]
    only_open = DOOR.allowed(Door.SHUT, lambda m: ALLOW if m.name == "open" else deny("нет"))
    assert [m.name for m in only_open] == ["open"]
    assert DOOR.allowed(Door.LOCKED) == []


def test_public_names_fall_back_to_the_staff_names():
    assert DOOR.public_name(Door.LOCKED) == "недоступна"
    assert DOOR.public_name(Door.OPEN) == DOOR.staff_name(Door.OPEN) == "открыта"


def test_a_move_naming_an_unknown_state_or_a_repeated_name_fails_at_import():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(Door, (Move("fly", frozenset({"air"}), Door.OPEN, "x"),))
    with pytest.raises(ValueError, match="repeat"):
        Workflow(
            Door, (Move("a", frozenset(), Door.OPEN, "x"), Move("a", frozenset(), Door.OPEN, "y"))
        )


def _refuse_locking(actor, obj, move):
    return deny("Запирает только завхоз.") if move.name == "lock" else ALLOW


class _Thing:
    status = Door.SHUT


def test_check_for_checks_who_then_the_table():
    """The one order (`test_refusal_order.py`): who may (403), then the table (409)."""
    assert DOOR.check_for(None, _Thing(), "open", _refuse_locking).name == "open"
    with pytest.raises(PermissionDenied, match="завхоз") as refused:
        DOOR.check_for(None, _Thing(), "lock", _refuse_locking, reason="ремонт")
    assert refused.value.status == 403
    # the table speaks to one who may make the move: refused as such from the wrong state
    with pytest.raises(InvalidTransition, match="«закрыта» в «закрыта»"):
        DOOR.check_for(None, _Thing(), "shut", _refuse_locking)


def test_moves_for_are_the_buttons_the_permission_leaves():
    assert [m.name for m in DOOR.moves_for(None, _Thing(), _refuse_locking)] == ["open"]


def test_a_workflow_bound_to_a_model_must_have_its_states():
    with pytest.raises(ValueError, match="is not"):
        Workflow(Door, (), model=Invitation)
    assert workflow_of(Invitation) is INVITATION_WORKFLOW
    assert workflow_of(Invitation()) is INVITATION_WORKFLOW
    with pytest.raises(LookupError):
        workflow_of(District)


def test_templates_name_a_state_from_the_workflow_of_the_objects_model():
    page = Template("{% load dobry %}{{ c|status_name }} / {{ c|public_status }}")
    decided = Competition(status=Competition.Status.DECIDED)
    assert page.render(Context({"c": decided})) == "решение принято / подводятся итоги"


def test_check_to_finds_the_move_leading_to_a_state():
    assert DOOR.check_to(Door.SHUT, Door.LOCKED, reason="ремонт").name == "lock"
    with pytest.raises(DomainError) as refused:
        DOOR.check_to(Door.SHUT, Door.LOCKED)
    assert list(refused.value.field_errors) == ["reason"]
    with pytest.raises(InvalidTransition, match="«открыта» в «заперта»"):
        DOOR.check_to(Door.OPEN, Door.LOCKED, reason="ремонт")
