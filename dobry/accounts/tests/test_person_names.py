"""A person's name is letters (any script), spaces, hyphens, apostrophes and dots, with one
letter at least (issue 11): a first name «-1», «9999-12-31», «<b>x</b>», a last name «²²²» or
a formula «=HYPERLINK(…)» is refused at the field on the profile page and in the API alike
(the model field's validator, `core.validators.validate_person_name`), and so never reaches
an export (the DOBRO.RF CSV, the attendance XLSX)."""

import pytest
from django.core.exceptions import ValidationError

from dobry.accounts.forms import SignupForm
from dobry.accounts.models import User
from dobry.accounts.tests.factories import bearer
from dobry.core.validators import is_person_name, validate_person_name

NAME_ERROR = (
    "Имя может состоять только из букв, пробелов, дефисов, апострофов и точек "
    "и должно содержать хотя бы одну букву."
)
BAD_NAMES = ["-1", "9999-12-31", "<b>x</b>", "²²²", '=HYPERLINK("http://x.example/?";"Имя")']
BAD_NAMES += ["1" * 30, "٣", "...", "Анна\u00a01", "Анна_Мария", "@anna"]
GOOD_NAMES = ["Анна", "Анна-Мария", "О'Брайен", "Д’Артаньян", "Иванова М. И.", "Zinaida"]
GOOD_NAMES += ["Ёжикова", "José", "Նարե", "李", "Әлия"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_name_without_letters_or_with_digits_and_symbols_is_refused(name):
    assert not is_person_name(name)
    with pytest.raises(ValidationError) as error:
        validate_person_name(name)
    assert error.value.messages == [NAME_ERROR]


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_letters_of_any_script_hyphens_apostrophes_and_dots_are_a_name(name):
    assert is_person_name(name)
    validate_person_name(name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "-1"),
        ("first_name", "9999-12-31"),
        ("first_name", "<b>x</b>"),
        ("last_name", "²²²"),
        ("middle_name", "1" * 30),
        ("first_name", "Анна\nBcc: x@example.com"),
    ],
)
def test_the_profile_page_refuses_the_name_at_the_field(resident, login_as, field, value):
    data = {"first_name": "Анна", "last_name": "Жителева", "middle_name": "", "phone": ""}
    response = login_as(resident).post("/profile/", {**data, "language": "ru", field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    saved = User.objects.get(pk=resident.pk)
    assert getattr(saved, field) == getattr(resident, field)


@pytest.mark.django_db
def test_the_profile_page_saves_a_name_with_a_hyphen_and_an_apostrophe(resident, login_as):
    data = {"first_name": "Анна-Мария", "last_name": "О'Брайен", "middle_name": "Ивановна"}
    response = login_as(resident).post("/profile/", {**data, "phone": "", "language": "ru"})
    assert response.status_code == 302
    saved = User.objects.get(pk=resident.pk)
    assert (saved.first_name, saved.last_name, saved.middle_name) == (
        "Анна-Мария",
        "О'Брайен",
        "Ивановна",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", '=HYPERLINK("http://x.example/?";"Имя")'),
        ("last_name", "²²²"),
        ("middle_name", "1" * 30),
        ("first_name", "Анна\nBcc: x@example.com"),
    ],
)
def test_the_api_refuses_the_name_with_a_422_at_the_field(resident, field, value):
    response = bearer(resident).patch("/api/v1/me", {field: value}, content_type="application/json")
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == [field]
    assert getattr(User.objects.get(pk=resident.pk), field) == getattr(resident, field)


@pytest.mark.django_db
def test_the_api_saves_a_name_of_letters(resident):
    response = bearer(resident).patch(
        "/api/v1/me",
        {"first_name": "Zinaida", "last_name": "Д’Артаньян"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    saved = User.objects.get(pk=resident.pk)
    assert (saved.first_name, saved.last_name) == ("Zinaida", "Д’Артаньян")


@pytest.mark.django_db
def test_signup_refuses_a_name_without_letters():
    form = SignupForm({"first_name": "-1", "last_name": "<b>x</b>"})
    assert not form.is_valid()
    assert form.errors["first_name"] == [NAME_ERROR]
    assert form.errors["last_name"] == [NAME_ERROR]


@pytest.mark.django_db
def test_a_commission_members_and_a_recipients_name_follow_the_same_rule():
    from dobry.grants.models import CommissionMember
    from dobry.helprequests.models import HelpRequest

    member = CommissionMember(name="=1+1")
    with pytest.raises(ValidationError) as error:
        member.clean_fields(
            exclude=[f.name for f in CommissionMember._meta.fields if f.name != "name"]
        )
    assert error.value.message_dict["name"] == [NAME_ERROR]
    request = HelpRequest(recipient_name="<script>")
    with pytest.raises(ValidationError) as error:
        request.clean_fields(
            exclude=[f.name for f in HelpRequest._meta.fields if f.name != "recipient_name"]
        )
    assert error.value.message_dict["recipient_name"] == [NAME_ERROR]
