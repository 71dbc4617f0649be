"""One-line texts keep one line, and a text keeps no invisible spoofing characters (issue
11): a line break in a name, a title or a place (every model `CharField`, every form
`CharField` not shown as a textarea, the API's fields stored in them) is refused at the
field with a sentence; zero-width characters, the Arabic letter mark and the Unicode
noncharacters join the forbidden characters of `core.validators`."""

import json
from datetime import timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from dobry.accounts.tests.factories import bearer
from dobry.communications.models import NewsItem
from dobry.core.validators import (
    forbidden_character,
    refuse_line_breaks,
    strip_forbidden_characters,
)
from dobry.events.models import Event, Shift
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

LINE_ERROR = "Это поле — одна строка: уберите перенос строки."


@pytest.mark.parametrize(
    "character",
    [
        "\ufffe",
        "\uffff",
        "\ufdd0",
        "\ufdef",
        "\U0001fffe",
        "\U0010ffff",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u061c",
    ],
)
def test_noncharacters_zero_width_and_the_arabic_letter_mark_are_forbidden(character):
    assert forbidden_character(f"Новость{character}дня") == character
    assert strip_forbidden_characters(f"Новость{character}дня") == "Новостьдня"


@pytest.mark.parametrize("text", ["Ёлка 😀", "עברית", "العربية", "a\u00a0b", "\ufdcf\ufdf0"])
def test_letters_emoji_and_the_neighbours_of_the_forbidden_ranges_stay_text(text):
    assert forbidden_character(text) is None


@pytest.mark.parametrize("text", ["a\nb", "a\r\nb", "a\rb", "a\x85b", "a\u2028b", "a\u2029b"])
def test_a_line_break_is_refused_in_a_one_line_text(text):
    with pytest.raises(ValidationError) as error:
        refuse_line_breaks(text)
    assert error.value.messages == [LINE_ERROR]
    refuse_line_breaks("a\tb")  # a tab is not a line break


def test_a_form_text_field_refuses_a_line_break_a_textarea_keeps_it():
    class Form(forms.Form):
        name = forms.CharField()
        text = forms.CharField(widget=forms.Textarea)

    form = Form({"name": "Организация\nBcc: victim@example.com", "text": "Строка\nещё одна"})
    assert not form.is_valid()
    assert form.errors == {"name": [LINE_ERROR]}
    ok = Form({"name": "Организация", "text": "Строка\nещё одна"})
    assert ok.is_valid()
    assert ok.cleaned_data["text"] == "Строка\nещё одна"


@pytest.mark.django_db
def test_a_model_refuses_a_line_break_in_full_clean_and_before_save():
    organization = OrganizationFactory()
    organization.name = "Организация\nBcc: victim@example.com"
    with pytest.raises(ValidationError) as cleaned:
        organization.full_clean()
    assert cleaned.value.message_dict["name"] == [LINE_ERROR]
    with pytest.raises(ValidationError) as saved:
        organization.save()
    assert saved.value.message_dict == {"name": [LINE_ERROR]}
    organization.refresh_from_db()
    assert "\n" not in organization.name
    organization.description = "Абзац\nи ещё абзац"  # a TextField: many lines
    organization.save(update_fields=["description"])


@pytest.mark.django_db
def test_the_api_refuses_a_line_break_in_an_organisations_name(resident):
    organization = OrganizationFactory(name="Тёплый дом")
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    response = bearer(resident).patch(
        f"/api/v1/organizations/{organization.pk}",
        {"name": "Организация\nBcc: victim@example.com", "confirm_review": True},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["name"] == [LINE_ERROR]
    assert Organization.objects.get().name == "Тёплый дом"


def _event_payload(organization: Organization, **changes: object) -> dict:
    start = timezone.now() + timedelta(days=5)
    shift = {
        "title": "Наставник",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "capacity": 5,
    }
    shift.update(changes.pop("shift", {}))  # type: ignore[arg-type]
    return {
        "organization": organization.pk,
        "kind": "volunteer_action",
        "title": "Бабушкина школа",
        "areas": ["elderly"],
        "shifts": [shift],
        **changes,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"place": "Место\r\nX-INJECT:1"}, "place"),
        ({"shift": {"title": "смена\nATTENDEE:x"}}, "title"),
        ({"title": "Событие\nSUMMARY:x"}, "title"),
    ],
)
def test_the_api_refuses_a_line_break_in_an_events_place_and_a_shifts_title(
    resident, changes, field
):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    response = bearer(resident).post(
        "/api/v1/events", _event_payload(organization, **changes), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    messages = [message for found in response.json()["errors"].values() for message in found]
    assert LINE_ERROR in messages
    assert any(key.split(".")[-1] == field for key in response.json()["errors"])
    assert not Event.objects.exists()
    assert not Shift.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("character", "code"),
    [
        ("\ufffe", "U+FFFE"),
        ("\uffff", "U+FFFF"),
        ("\u200b", "U+200B"),
        ("\ufeff", "U+FEFF"),
        ("\u061c", "U+061C"),
        ("\u202e", "U+202E"),
        ("\u2066", "U+2066"),
    ],
)
def test_a_news_title_with_an_invisible_or_noncharacter_is_refused(
    login_as, coordinator, character, code
):
    response = login_as(coordinator).post(
        "/api/v1/news",
        json.dumps({"title": f"Новость{character}дня", "lead": "Коротко."}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert list(errors) == ["title"]
    assert code in errors["title"][0]
    assert not NewsItem.objects.exists()


@pytest.mark.django_db
def test_a_news_title_with_a_line_break_is_refused_its_lead_too(login_as, coordinator):
    response = login_as(coordinator).post(
        "/api/v1/news",
        json.dumps({"title": "Новость\nдня", "lead": "Коротко."}),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["title"] == [LINE_ERROR]
    assert not NewsItem.objects.exists()
