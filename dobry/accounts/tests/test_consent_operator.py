"""Every consent text names the personal-data operator and its address (152-ФЗ art. 9
part 4), from the settings (issue 11 §6: the consent named no operator)."""

import pytest

from dobry.accounts.models import ConsentDocument

pytestmark = pytest.mark.django_db

NAME = "АНО «Центр добрых дел»"
ADDRESS = "660000, г. Красноярск, ул. Мира, д. 10"


@pytest.fixture
def operator(settings):
    settings.DOBRY_OPERATOR_NAME = NAME
    settings.DOBRY_OPERATOR_ADDRESS = ADDRESS


@pytest.mark.parametrize("kind", ConsentDocument.Kind.values)
def test_every_consent_text_names_the_operator_and_its_address(operator, kind):
    text = ConsentDocument.current(kind).shown_text
    assert NAME in text
    assert ADDRESS in text
    assert "{operator" not in text


def test_the_personal_data_consent_names_the_operator_in_its_first_sentence(operator):
    text = ConsentDocument.current(ConsentDocument.Kind.PERSONAL_DATA).shown_text
    first = text.split("\n", 1)[0]
    assert f"даю согласие оператору персональных данных — {NAME}, адрес: {ADDRESS}" in first


def test_an_older_text_without_the_operator_is_shown_under_a_line_naming_it(operator):
    ConsentDocument.objects.create(
        kind=ConsentDocument.Kind.NEWSLETTER, version=7, title="Рассылка", text="Старый текст."
    )
    text = ConsentDocument.current(ConsentDocument.Kind.NEWSLETTER).shown_text
    assert text == f"Оператор персональных данных: {NAME}, адрес: {ADDRESS}.\n\nСтарый текст."


@pytest.mark.parametrize(
    "url",
    ["/accounts/signup/", "/consents/personal_data/", "/consents/terms/", "/consents/newsletter/"],
)
def test_the_pages_that_show_a_consent_show_the_operator(client, operator, url):
    body = client.get(url).content.decode()
    assert "Центр добрых дел" in body
    assert ADDRESS in body


def test_the_help_request_form_shows_the_operator_with_the_health_consent(
    login_as, resident, operator
):
    body = login_as(resident).get("/help/new/").content.decode()
    assert ADDRESS in body


def test_the_operator_is_required_in_production():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "a-long-random-secret-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "dobry.example.org",
        "DOBRY_ENCRYPTION_SALT": "salt",
        "DATABASE_URL": "",
    }
    env.pop("DOBRY_OPERATOR_NAME", None)
    env.pop("DOBRY_OPERATOR_ADDRESS", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dobry.settings'); django.setup()",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DOBRY_OPERATOR_NAME" in result.stderr
