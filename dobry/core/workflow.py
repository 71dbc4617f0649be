"""Workflows as data: the states of a status field and the named moves between them.

Every status field of the project is a `TextChoices` plus a `Workflow` value bound to its
model (`model=`): the named moves (what a button does), where each may start, where it
leads, which need a reason, the button labels, the states a new object starts in and the
public names of the states. Services check a move with `Workflow.check_for` (who may —
403 —, then the table and the permission's «not now» — 409); pages draw their buttons from `Workflow.moves_for`, so a
button shows exactly when the move is allowed; a move of many rows at once is
`Workflow.move_rows` (with audit entries) or `Workflow.update_rows` (the machine's bulk moves). Templates name a state with the `status_name` and `public_status`
filters, which find the workflow of the object's model (`workflow_of`).
`dobry/core/tests/test_workflows_everywhere.py` fails on a status field without one.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from dobry.core.audit import log_actions
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.permissions import Actor, Decision
from dobry.core.typography import quoted

TransitionTable = Mapping[str, frozenset[str]]
Text = str | Promise
# A permission function of a move: may `actor` make `move` on `obj` now.
MovePermission = Callable[[Actor, Any, "Move"], Decision]


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
    # The model whose `field` holds the state; a bound workflow is found by `workflow_of`.
    model: type[models.Model] | None = None
    field: str = "status"
    # States a new object may start in besides the field's default (a registration is
    # confirmed or waitlisted as places allow): every other state is reached by a move.
    initial: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        values = set(self.states.values)
        names = [move.name for move in self.moves]
        if len(names) != len(set(names)):
            raise ValueError(f"Moves of {self.states.__qualname__} repeat a name: {names}")
        for move in self.moves:
            unknown = (set(move.sources) | {move.target}) - values
            if unknown:
                raise ValueError(f"Move {move.name!r} names unknown states: {sorted(unknown)}")
        if set(self.public_names) - values or set(self.initial) - values:
            raise ValueError(f"Public names of unknown states in {self.states.__qualname__}")
        if self.model is not None:
            choices = self._status_field().choices or ()
            if [value for value, _label in choices] != list(self.states.values):
                raise ValueError(f"{self.model.__name__}.{self.field} is not {self.states}")
            _BOUND[(self.model, self.field)] = self

    @property
    def starts(self) -> frozenset[str]:
        """The states a new object begins in: the field's default and `initial`."""
        default = self._status_field().default if self.model else None
        return self.initial | ({default} if isinstance(default, str) else set())

    def _status_field(self) -> models.Field[Any, Any]:
        assert self.model is not None
        # local_fields, not get_field: the app registry is not ready when models import
        [status] = [f for f in self.model._meta.local_fields if f.name == self.field]
        return status

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
        self._check_reason(move, reason)
        return move

    def check_to(self, current: str, target: str, *, reason: str = "") -> Move:
        """The move from `current` to the state `target`, for a service told where to go
        rather than what to do (a select of statuses): InvalidTransition naming both
        states when no move leads there from `current`, DomainError on a missing reason."""
        for move in self.moves:
            if move.target == target and current in move.sources:
                self._check_reason(move, reason)
                return move
        check_transition({}, self.states, current, target)
        raise AssertionError  # check_transition raised

    @staticmethod
    def _check_reason(move: Move, reason: str) -> None:
        if move.needs_reason and not reason.strip():
            prompt = str(move.reason_prompt or _("Объясните причину."))
            raise DomainError(prompt, field_errors={"reason": [_("Обязательное поле.")]})

    def check_for(
        self,
        actor: Actor,
        obj: models.Model,
        name: str,
        permission: MovePermission,
        *,
        reason: str = "",
    ) -> Move:
        """The one check a service makes before a move, in the one order of the project:
        first who — `permission(actor, obj, move)` refusing with `deny` raises
        PermissionDenied (403), whatever state the object is in, so a person who may never
        make the move learns nothing of its state; then when — the table from where `obj`
        is (`check`: InvalidTransition, 409, or DomainError on a missing reason) and the
        permission's `not_now` refusals (InvalidTransition, 409)."""
        move = self.move(name)
        decision = permission(actor, obj, move)
        if not decision and not decision.not_now:
            raise PermissionDenied(str(decision.reason))
        self.check(getattr(obj, self.field), name, reason=reason)
        if not decision:
            raise InvalidTransition(str(decision.reason))
        return move

    def moves_for(self, actor: Actor, obj: models.Model, permission: MovePermission) -> list[Move]:
        """The moves `actor` may make on `obj` now (`allowed` filtered by `permission`):
        the buttons of its page, the actions of the API."""
        return self.allowed(getattr(obj, self.field), lambda move: permission(actor, obj, move))

    def move_rows(
        self,
        rows: models.QuerySet[Any],
        name: str,
        *,
        actor: Any,
        action: str,
        reason: str = "",
        audit: Callable[[Any], tuple[models.Model, dict[str, Any]]] | None = None,
        **fields: Any,
    ) -> list[Any]:
        """Make the move `name` on every row of `rows` it may start from, in one UPDATE
        (with `fields`), and write for each the audit entry (`action`) a single move of
        that row writes: `audit(row)` gives its object and data (the row as it was), by
        default the row itself with «from», «to» and the reason. Rows in other states are
        left as they are; the rows moved are returned. For the moves the platform makes on
        many rows (offers withdrawn when a request closes); select_related what `audit`
        and the rows' names read, or each row costs a query."""
        move = self.move(name)
        self._check_reason(move, reason)

        def by_default(row: Any) -> tuple[models.Model, dict[str, Any]]:
            data = {"from": getattr(row, self.field), "to": move.target}
            return row, {**data, "reason": reason} if reason else data

        with transaction.atomic():
            moving = list(
                rows.filter(**{f"{self.field}__in": move.sources}).select_for_update(of=("self",))
            )
            if not moving:
                return []
            rows.model._default_manager.filter(
                pk__in=[row.pk for row in moving], **{f"{self.field}__in": move.sources}
            ).update(**{self.field: move.target}, **fields)
            log_actions(actor=actor, action=action, objects=map(audit or by_default, moving))
        for row in moving:
            setattr(row, self.field, move.target)
            for key, value in fields.items():
                setattr(row, key, value)
        return moving

    def update_rows(self, rows: models.QuerySet[Any], name: str, **fields: Any) -> int:
        """Make the move `name` on the rows of `rows` it may start from, in one UPDATE
        (with `fields`), and return how many moved; rows in other states are left as
        they are. No audit entry and no row is read: for the moves the machine makes on
        many rows at a time, under its own claim (a mailing's deliveries, `mailings.
        delivery`), where the rows' history is the rows themselves."""
        move = self.move(name)
        return rows.filter(**{f"{self.field}__in": move.sources}).update(
            **{self.field: move.target}, **fields
        )

    def staff_name(self, state: str) -> str:
        return str(self.states(state).label)

    def public_name(self, state: str) -> str:
        """What the person the object belongs to sees (the staff name unless set)."""
        return str(self.public_names.get(state, self.states(state).label))


_BOUND: dict[tuple[type[models.Model], str], Workflow] = {}


def workflow_of(model: models.Model | type[models.Model], field: str = "status") -> Workflow:
    """The workflow bound to the model's (or the object's model's) status field."""
    cls = model if isinstance(model, type) else type(model)
    try:
        return _BOUND[(cls._meta.concrete_model or cls, field)]
    except KeyError:
        raise LookupError(f"{cls.__name__}.{field} has no workflow") from None


def bound_workflows() -> dict[tuple[type[models.Model], str], Workflow]:
    """Every workflow bound to a model: the sweep of status fields reads them."""
    return dict(_BOUND)
