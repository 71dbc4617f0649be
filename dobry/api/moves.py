"""The API operations of a workflow's moves, registered the same way in every app.

A move is one operation `POST <path>/<move>` (no body; a move that needs a reason takes
`{"reason": ...}`; where the app keeps a note with every move, the others take an optional
`{"note": ...}`), its function named `<move>_<noun>`, so its operation id reads
`dobry_<app>_..._<move>_<noun>` like a hand-written one. Only moves of the workflow can be
registered: a summary naming another move fails at import, not at the first request.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema

from dobry.core.workflow import Workflow

# act(request, pk, move) → what the operation answers; act(request, pk, move, reason=...)
# for a move that needs a reason. It loads the object through its `get_<object>_for_user`
# and calls the one service of the moves.
Act = Callable[..., Any]


def register_moves(
    router: Router,
    path: str,
    workflow: Workflow,
    act: Act,
    *,
    noun: str,
    response: Any,
    summaries: Mapping[str, str],
    reason_in: type[Schema] | None = None,
    note_in: type[Schema] | None = None,
) -> None:
    """Register one operation per entry of `summaries` (move name → summary, in the order
    given) under `path` (e.g. `/campaigns/{int:pk}`); a move that needs a reason takes the
    body `reason_in`; with `note_in`, every other move takes it as an optional body and `act`
    gets `note=` (its `note` field, "" without a body). ValueError when a name is not a move of `workflow`, or a move needs a
    reason and no `reason_in` is given."""
    moves = {move.name: move for move in workflow.moves}
    for name, summary in summaries.items():
        if name not in moves:
            raise ValueError(f"{name!r} is not a move of {workflow.states.__qualname__}")
        if moves[name].needs_reason:
            if reason_in is None:
                raise ValueError(f"The move {name!r} needs a reason: give reason_in")
            operation = _with_reason(act, name, reason_in)
        elif note_in is not None:
            operation = _with_note(act, name, note_in)
        else:
            operation = _without_body(act, name)
        operation.__name__ = operation.__qualname__ = f"{name}_{noun}"
        operation.__module__ = act.__module__  # the operation id names the app, not this module
        router.post(f"{path}/{name}", response=response, summary=summary)(operation)


def _without_body(act: Act, name: str) -> Callable[..., Any]:
    def operation(request: HttpRequest, pk: int) -> Any:
        return act(request, pk, name)

    return operation


def _with_reason(act: Act, name: str, reason_in: type[Schema]) -> Callable[..., Any]:
    def operation(request: HttpRequest, pk: int, payload: Any) -> Any:
        return act(request, pk, name, reason=payload.reason)

    # ninja reads the body's schema from the annotation
    operation.__annotations__["payload"] = reason_in
    return operation


# An optional JSON body: no body (or an empty one) is `None`.
NO_BODY = Body(None)


def _with_note(act: Act, name: str, note_in: type[Schema]) -> Callable[..., Any]:
    def operation(request: HttpRequest, pk: int, payload: Any = NO_BODY) -> Any:
        return act(request, pk, name, note=payload.note if payload is not None else "")

    operation.__annotations__["payload"] = note_in | None
    return operation
