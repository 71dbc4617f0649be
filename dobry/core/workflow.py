"""Explicit transition tables for workflows (organisation review, registrations, ...).

A status field is a `TextChoices` plus a table of allowed moves. The older workflows keep a
bare `TransitionTable` checked by `check_transition`; a `Workflow` value carries more: the
named moves (what a button does), where each may start, where it leads, which need a
reason, the button labels and the public names of the states. Services check a move with
`Workflow.check`; pages draw their buttons from `Workflow.allowed` filtered by the
permission function, so a button shows exactly when the move is allowed.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.permissions import Decision
from dobry.core.typography import quoted

TransitionTable = Mapping[str, frozenset[str]]
Text = str | Promise


def check_transition(
    table: TransitionTable, states: type[TextChoices], current: str, target: str
) -> None:
    """Raise InvalidTransition unless `table` allows `current` → `target`."""
    if target not in table.get(current, frozenset()):
        raise InvalidTransition(
            _("Нельзя перейти из состояния %(current)s в %(target)s.")
            % {"current": quoted(states(current).label), "target": quoted(states(target).label)}
        )


@dataclass(frozen=True)
class Move:
    """One named move: from any state of `sources` to `target`.

    `label` is the button; `needs_reason` moves are refused without a reason; `refused` is
    the message when the object is no longer in a state the move starts from (else the
    generic «cannot go from … to …»), `reason_prompt` the one when a reason is missing;
    `button=False` marks a move made through another move's button (confirming hours with
    other hours is an adjustment)."""

    name: str
    sources: frozenset[str]
    target: str
    label: Text
    needs_reason: bool = False
    refused: Text | None = None
    reason_prompt: Text | None = None
    button: bool = True


@dataclass(frozen=True)
class Workflow:
    """The states of one status field and the moves between them."""

    states: type[TextChoices]
    moves: tuple[Move, ...]
    public_names: Mapping[str, Text] = field(default_factory=dict)

    def __post_init__(self) -> None:
        values = set(self.states.values)
        names = [move.name for move in self.moves]
        if len(names) != len(set(names)):
            raise ValueError(f"Moves of {self.states.__qualname__} repeat a name: {names}")
        for move in self.moves:
            unknown = (set(move.sources) | {move.target}) - values
            if unknown:
                raise ValueError(f"Move {move.name!r} names unknown states: {sorted(unknown)}")
        if set(self.public_names) - values:
            raise ValueError(f"Public names of unknown states in {self.states.__qualname__}")

    @property
    def table(self) -> TransitionTable:
        """The transition table the moves add up to: state → the states it may go to."""
        table: dict[str, set[str]] = {}
        for move in self.moves:
            for source in move.sources:
                table.setdefault(source, set()).add(move.target)
        return {source: frozenset(targets) for source, targets in table.items()}

    def move(self, name: str) -> Move:
        """The move called `name`; an unknown name (a forged button) is a DomainError."""
        for move in self.moves:
            if move.name == name:
                return move
        raise DomainError(_("Неизвестное действие."))

    def allowed(
        self, current: str, permitted: Callable[[Move], Decision | bool] | None = None
    ) -> list[Move]:
        """The moves the table allows from `current` that `permitted` (the permission
        function) lets this person make: the buttons of a page, the actions of an API."""
        return [
            move
            for move in self.moves
            if current in move.sources and (permitted is None or permitted(move))
        ]

    def check(self, current: str, name: str, *, reason: str = "") -> Move:
        """The move `name` from `current`, or InvalidTransition (the table refuses it) or
        DomainError on the `reason` field (the move needs a reason and has none)."""
        move = self.move(name)
        if current not in move.sources:
            if move.refused is not None:
                raise InvalidTransition(str(move.refused))
            check_transition({}, self.states, current, move.target)
        if move.needs_reason and not reason.strip():
            prompt = str(move.reason_prompt or _("Объясните причину."))
            raise DomainError(prompt, field_errors={"reason": [_("Обязательное поле.")]})
        return move

    def staff_name(self, state: str) -> str:
        return str(self.states(state).label)

    def public_name(self, state: str) -> str:
        """What the person the object belongs to sees (the staff name unless set)."""
        return str(self.public_names.get(state, self.states(state).label))
