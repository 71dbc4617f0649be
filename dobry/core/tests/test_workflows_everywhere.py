"""Every status field of the project is a workflow value (`dobry.core.workflow`): a model
with a `status` field of choices has a Workflow bound to it, every state of it is reached
from where a new object starts, and every state and button is named in Russian and in
English. No service moves a status around the workflows (a bare table, a bulk UPDATE)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from dobry.core.workflow import Workflow, bound_workflows, workflow_of

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
SOURCE = Path(__file__).resolve().parents[2]


def _status_fields() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("dobry.")  # the project's own, not the task queue's
        for field in model._meta.concrete_fields
        if field.name == "status"
    ]


STATUS_MODELS = [model for model, field in _status_fields() if field.choices]
WORKFLOWS = list(bound_workflows().values())


def test_the_sweep_sees_the_projects_status_fields():
    names = {model._meta.label for model in STATUS_MODELS}
    assert {
        "events.Event",
        "events.Registration",
        "helprequests.HelpRequest",
        "helprequests.HelpOffer",
        "grants.Application",
        "grants.Review",
        "grants.Competition",
        "resources.Consultation",
        "resources.RoomBooking",
        "organizations.Organization",
        "organizations.Invitation",
        "volunteering.HoursEntry",
    } <= names


@pytest.mark.parametrize("model", STATUS_MODELS, ids=lambda m: m._meta.label)
def test_every_status_field_with_choices_has_its_workflow(model):
    workflow = workflow_of(model)
    field = model._meta.get_field(workflow.field)
    assert [value for value, _label in field.choices] == list(workflow.states.values)


def test_a_status_without_choices_is_a_number_not_a_state():
    """A response's or a job's status code is not a workflow."""
    for model, field in _status_fields():
        if not field.choices:
            assert isinstance(field, models.IntegerField), model._meta.label


# Send states are workflows too: the outbox rows' `state` (`outbox_workflow`), and a
# mailing's delivery rows, moved many at a time under a lease (`DELIVERY_WORKFLOW`).
STATE_FIELDS = {
    "communications.OutboundEmail",
    "communications.OutboundTelegram",
    "communications.Delivery",
}


def test_every_bound_workflow_is_one_of_a_status_field():
    assert sorted(
        model._meta.label for model, field in bound_workflows() if field == "status"
    ) == sorted(model._meta.label for model in STATUS_MODELS)
    others = {model._meta.label for model, field in bound_workflows() if field != "status"}
    assert others == STATE_FIELDS


def test_every_state_field_with_choices_has_its_workflow():
    fields = {
        model._meta.label: field
        for model in apps.get_models()
        if model.__module__.startswith("dobry.")
        for field in model._meta.concrete_fields
        if field.name == "state" and field.choices
    }
    assert set(fields) == STATE_FIELDS
    for label in STATE_FIELDS:
        workflow = workflow_of(apps.get_model(label), "state")
        assert [value for value, _label in fields[label].choices] == list(workflow.states.values)


def _reachable(workflow: Workflow) -> set[str]:
    seen = set(workflow.starts)
    frontier = list(seen)
    while frontier:
        for target in workflow.table.get(frontier.pop(), frozenset()):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.states.__qualname__)
def test_every_state_is_reached_from_where_an_object_starts(workflow):
    assert workflow.starts, "a new object starts somewhere: the field's default or `initial`"
    assert _reachable(workflow) == set(workflow.states.values)


def _names(workflow: Workflow) -> list[str]:
    states = [workflow.states(value).label for value in workflow.states.values]
    public = list(workflow.public_names.values())
    buttons = [move.label for move in workflow.moves]
    return [str(text) for text in (*states, *public, *buttons)]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.states.__qualname__)
def test_every_state_and_move_is_named_in_russian_and_english(workflow):
    with translation.override("ru"):
        russian = _names(workflow)
    with translation.override("en"):
        english = _names(workflow)
    assert all(CYRILLIC.search(name) for name in russian), russian
    untranslated = [name for name in english if CYRILLIC.search(name)]
    assert not untranslated


def _sources() -> list[Path]:
    return [
        path
        for path in (SOURCE / "dobry").rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def test_no_service_keeps_a_bare_transition_table():
    bare = [
        str(path.relative_to(SOURCE))
        for path in _sources()
        if path.name != "workflow.py"
        and re.search(r"check_transition\(|TransitionTable", path.read_text())
    ]
    assert bare == []


def test_no_status_is_changed_by_a_bulk_update_around_its_workflow():
    """`Workflow.move_rows` moves many rows: only from the move's sources, with the audit
    entries; `Workflow.update_rows` the machine's many rows (a mailing's deliveries), only
    from the move's sources. Demo seeding sets the scene directly and is left out."""
    bulk = re.compile(r"\.update\(\s*(status|state)\s*=|[\"']state[\"']\s*:\s*S\.")
    found = [
        str(path.relative_to(SOURCE))
        for path in _sources()
        if path.name != "demo.py" and bulk.search(path.read_text())
    ]
    assert found == []
