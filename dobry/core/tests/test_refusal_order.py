"""One order for every move of every workflow (`Workflow.check_for`): first who — a person
who may never make the move is refused with 403 whatever state the object is in (the
state is none of their business); then when — a person who may make it, but not in this
state (the table) or not at this time (the permission's `not_now`), gets 409.

Before, the table was asked first: a stranger «approving» a registration already decided
got 409 and learned its state, and each service chose its own error for the permission's
refusal (403 in one app, 409 or 422 in others)."""

from types import SimpleNamespace

import pytest
from django.db.models import TextChoices

from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.permissions import ALLOW, Decision, deny, not_now
from dobry.core.workflow import Move, Workflow


class Door(TextChoices):
    SHUT = "shut", "закрыта"
    OPEN = "open", "открыта"


DOOR = Workflow(
    Door,
    (
        Move("open", frozenset({Door.SHUT}), Door.OPEN, "Открыть"),
        Move("shut", frozenset({Door.OPEN}), Door.SHUT, "Закрыть", needs_reason=True),
    ),
)


def keyholder(actor, door, move) -> Decision:
    if actor != "keyholder":
        return deny("Открывает тот, у кого ключ.")
    if door.night:
        return not_now("Ночью дверь не открывают.")
    return ALLOW


@pytest.mark.parametrize("state", [Door.SHUT, Door.OPEN])
def test_one_who_may_never_act_gets_403_in_every_state(state):
    door = SimpleNamespace(status=state, night=False)
    with pytest.raises(PermissionDenied, match="у кого ключ"):
        DOOR.check_for("stranger", door, "open", keyholder)


def test_one_who_may_act_gets_409_when_the_table_refuses():
    door = SimpleNamespace(status=Door.OPEN, night=False)
    with pytest.raises(InvalidTransition) as refused:
        DOOR.check_for("keyholder", door, "open", keyholder)
    assert refused.value.status == 409


def test_one_who_may_act_gets_409_when_it_is_not_the_time():
    door = SimpleNamespace(status=Door.SHUT, night=True)
    with pytest.raises(InvalidTransition, match="Ночью") as refused:
        DOOR.check_for("keyholder", door, "open", keyholder)
    assert refused.value.status == 409


def test_the_table_speaks_before_the_time():
    """Both refuse: the state is the plainer reason."""
    door = SimpleNamespace(status=Door.OPEN, night=True)
    with pytest.raises(InvalidTransition, match="открыта"):
        DOOR.check_for("keyholder", door, "open", keyholder)


def test_a_missing_reason_is_asked_for_only_of_one_who_may_act():
    door = SimpleNamespace(status=Door.OPEN, night=False)
    with pytest.raises(PermissionDenied):
        DOOR.check_for("stranger", door, "shut", keyholder)
    with pytest.raises(DomainError) as missing:
        DOOR.check_for("keyholder", door, "shut", keyholder)
    assert missing.value.field_errors == {"reason": ["Обязательное поле."]}
    assert DOOR.check_for("keyholder", door, "shut", keyholder, reason="Сквозняк").target == (
        Door.SHUT
    )


def test_allowed_is_the_move():
    door = SimpleNamespace(status=Door.SHUT, night=False)
    assert DOOR.check_for("keyholder", door, "open", keyholder).name == "open"
    assert not not_now("later")
    assert not_now("later").not_now
    assert not deny("never").not_now
