"""Rows stored before one-line fields refused line breaks still held them, and their next
save was refused at a field nobody touched (attacker's finding of issue 11). Each app with
one-line fields has a data migration `NNNN_one_line_fields` that flattens them once
(`core.one_line.flatten_stored_line_breaks`)."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.migrations.loader import MigrationLoader

from dobry.core.one_line import flatten_stored_line_breaks, one_line
from dobry.events.tests.factories import EventFactory
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory


@pytest.mark.parametrize(
    ("stored", "kept"),
    [
        ("Рога\r\nи копыта", "Рога и копыта"),
        ("Рога \n\n  и копыта", "Рога и копыта"),
        ("Место\r\nX-INJECT:1", "Место X-INJECT:1"),
        ("a\x85b\u2028c\u2029d\re", "a b c d e"),
        ("\nв начале и в конце\n", "в начале и в конце"),
        ("без переносов", "без переносов"),
    ],
)
def test_each_run_of_line_breaks_becomes_one_space(stored, kept):
    assert one_line(stored) == kept


@pytest.mark.django_db
def test_stored_line_breaks_are_flattened_and_the_row_saves_again():
    organization = OrganizationFactory(description="Абзац один.\n\nАбзац два.")
    # stored before the rule: written past the checks, as the old code did
    Organization.objects.filter(pk=organization.pk).update(
        name="АНО\r\n«Старые соседи»", address="ул. Ленина,\n1"
    )
    untouched = OrganizationFactory(name="АНО «Ровно»")
    organization.refresh_from_db()
    with pytest.raises(ValidationError, match="одна строка"):
        organization.save()
    assert flatten_stored_line_breaks(apps, "organizations") == 2
    organization.refresh_from_db()
    assert (organization.name, organization.address) == ("АНО «Старые соседи»", "ул. Ленина, 1")
    # a multi-line text (TextField) keeps its paragraphs
    assert organization.description == "Абзац один.\n\nАбзац два."
    organization.save()  # no longer refused
    untouched.refresh_from_db()
    assert untouched.name == "АНО «Ровно»"
    assert flatten_stored_line_breaks(apps, "organizations") == 0  # once is enough


@pytest.mark.django_db
def test_an_events_place_with_a_line_break_is_flattened():
    event = EventFactory()
    type(event).objects.filter(pk=event.pk).update(place="Дом культуры\r\nмалый зал")
    assert flatten_stored_line_breaks(apps, "events") == 1
    event.refresh_from_db()
    assert event.place == "Дом культуры малый зал"


def _has_char_fields(config) -> bool:
    return any(
        isinstance(field, models.CharField)
        for model in config.get_models()
        for field in model._meta.concrete_fields
    )


def test_every_app_with_one_line_fields_has_the_migration():
    loader = MigrationLoader(None, ignore_no_migrations=True)  # the files only
    ours = [
        config
        for config in apps.get_app_configs()
        if config.name.startswith("dobry.") and _has_char_fields(config)
    ]
    assert ours
    missing = [
        config.label
        for config in ours
        if not any(
            label == config.label and name.endswith("_one_line_fields")
            for label, name in loader.disk_migrations
        )
    ]
    assert missing == []
