"""What a notification keeps of its context (`rendering.encode`) and how it reads it back
(`render_params`): plain values as given, numbers, dates and moments typed, lazy text as its
msgid (translated again when read), rows as references; a context that cannot be kept is
None, and a reference to a model or row that is gone reads as nothing or an empty row."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, override

from dobry.communications import rendering
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
MOMENT = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def round_trip(value):  # type: ignore[no-untyped-def]
    params = rendering.encode({"value": value})
    assert params is not None
    rows = rendering._rows([params])
    return rendering._decode(params["value"], rows)


@pytest.mark.parametrize(
    "value",
    [None, True, 3, 2.5, "текст", Decimal("12.50"), MOMENT, date(2026, 3, 2),
     [1, "два", Decimal("3")], {"a": 1, "b": [date(2026, 1, 1)]}],
)  # fmt: skip
def test_plain_and_typed_values_come_back_as_they_were(value):
    assert round_trip(value) == value


def test_lazy_text_is_kept_as_its_msgid_and_translated_when_read():
    params = rendering.encode({"label": gettext_lazy("Событий пока нет.")})
    assert params == {"label": {rendering.TEXT: "Событий пока нет."}}
    with override("en"):
        assert rendering._decode(params["label"], {}) == "No events yet."


@pytest.mark.parametrize(
    "context",
    [
        {"joined": format_lazy("{}-{}", "a", "b")},  # lazy, but not a gettext
        {"numbers": {1: "one"}},  # a mapping with keys that are not text
        {"thing": object()},
    ],
)
def test_a_context_that_cannot_be_kept_is_none(context):
    assert rendering.encode(context) is None


def test_the_keys_notify_adds_itself_are_not_kept():
    params = rendering.encode({"user": "x", "url": "/y/", "site_url": "z", "n": 1})
    assert params == {"n": 1}


def test_a_row_is_kept_as_a_reference_with_its_fields_that_are_not_free_text():
    organization = OrganizationFactory(name="Добрые руки")
    params = rendering.encode({"organization": organization})
    kept = params["organization"]
    assert kept[rendering.MODEL] == "organizations.organization"
    assert kept[rendering.PK] == organization.pk
    assert "name" not in kept[rendering.STATE]  # free text is read from the row
    assert rendering.references_of(params) == {("organizations.organization", organization.pk)}


def test_a_row_deleted_since_reads_as_an_empty_row_and_an_unknown_model_as_nothing():
    organization = OrganizationFactory(name="Добрые руки")
    params = rendering.encode({"organization": organization})
    pk = organization.pk
    Organization.objects.filter(pk=pk).delete()
    back = rendering._decode(params["organization"], rendering._rows([params]))
    assert isinstance(back, Organization)
    assert (back.pk, back.name) == (pk, "")
    gone = {rendering.MODEL: "nowhere.nothing", rendering.PK: 1}
    assert rendering._decode(gone, rendering._rows([{"x": gone}])) is None


def test_a_mapping_that_is_no_kept_value_reads_as_it_is():
    assert rendering._decode({"plain": 1}, {}) == {"plain": 1}
    assert rendering.references_of({"a": [{"b": 1}]}) == set()
