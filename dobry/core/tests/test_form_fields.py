"""Every form of the project reads numbers, ids and dates the one way: the fields of
`dobry.core.form_fields` (digits 0–9 only, ids that fit the column, dates in range)."""

from datetime import date

import pytest
from django import forms
from django.utils.module_loading import autodiscover_modules

from dobry.core import form_fields
from dobry.core.models import District

READERS_OF_NUMBERS_AND_DATES = (
    forms.IntegerField,
    forms.DecimalField,
    forms.FloatField,
    forms.DateField,
    forms.DateTimeField,
    forms.TimeField,
    forms.ModelChoiceField,
)


def _project_forms() -> list[type[forms.BaseForm]]:
    autodiscover_modules("forms", "views", "admin")
    found, pending = [], [forms.BaseForm]
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        if form_class.__module__.startswith("dobry.") and ".tests" not in form_class.__module__:
            found.append(form_class)
    return found


def test_every_form_reads_numbers_ids_and_dates_through_the_core_fields():
    found = _project_forms()
    assert len(found) > 40
    plain = [
        f"{form_class.__module__}.{form_class.__name__}.{name}: {type(field).__name__}"
        for form_class in found
        for name, field in getattr(form_class, "base_fields", {}).items()
        if isinstance(field, READERS_OF_NUMBERS_AND_DATES)
        and not isinstance(field, form_fields.AsciiDigitsMixin)
    ]
    assert plain == []


@pytest.mark.parametrize("text", ["²", "٣", "３", "1²"])
def test_an_integer_field_refuses_digits_other_than_0_to_9(text):
    field = form_fields.IntegerField()
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(text)
    assert refused.value.messages == ["Введите число цифрами 0–9."]


def test_an_integer_field_still_reads_ascii_digits():
    assert form_fields.IntegerField().clean(" 42 ") == 42


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["²", "٣", "1" * 30, "9223372036854775808", "0", "-1"])
def test_a_choice_of_object_refuses_what_is_no_id_with_a_form_error(text):
    District.objects.create(name="Центр", slug="centre")
    field = form_fields.ModelChoiceField(District.objects.all())
    with pytest.raises(forms.ValidationError):
        field.clean(text)


@pytest.mark.django_db
def test_a_choice_of_objects_refuses_an_arabic_indic_id_among_good_ones():
    district = District.objects.create(name="Центр", slug="centre")
    field = form_fields.ModelMultipleChoiceField(District.objects.all())
    assert list(field.clean([str(district.pk)])) == [district]
    with pytest.raises(forms.ValidationError):
        field.clean([str(district.pk), "٣"])


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"])
def test_a_date_outside_1990_to_2100_is_a_form_error(text):
    with pytest.raises(forms.ValidationError) as refused:
        form_fields.DateField().clean(text)
    assert refused.value.messages == ["Дата должна быть между 01.01.1990 и 31.12.2100."]


def test_a_date_in_arabic_indic_digits_is_refused():
    with pytest.raises(forms.ValidationError):
        form_fields.DateField().clean("٢٠٢٦-٠١-٠١")


def test_dates_at_the_edges_of_the_range_are_accepted():
    assert form_fields.DateField().clean("1990-01-01") == date(1990, 1, 1)
    assert form_fields.DateField().clean("2100-12-31") == date(2100, 12, 31)


def test_a_birth_date_may_be_from_1900():
    field = form_fields.DateField(historical=True)
    assert field.clean("1900-01-01") == date(1900, 1, 1)
    with pytest.raises(forms.ValidationError):
        field.clean("1899-12-31")


@pytest.mark.parametrize("text", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_moment_at_the_edges_of_time_is_a_form_error(text):
    with pytest.raises(forms.ValidationError):
        form_fields.DateTimeField().clean(text)


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["1" * 30, "9223372036854775808", "1" * 5000, "0", "-1"])
def test_a_choice_of_objects_refuses_an_id_no_column_holds_with_a_form_error(text):
    """«1» × 30 among the ids reached the database's `IN (…)` and overflowed SQLite."""
    district = District.objects.create(name="Центр", slug="centre")
    field = form_fields.ModelMultipleChoiceField(District.objects.all())
    with pytest.raises(forms.ValidationError):
        field.clean([str(district.pk), text])
