"""A refused action form on the competition's manage page says its field's own problem,
not a generic message (issue 11 §2)."""

import pytest
from django.contrib.messages import get_messages

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.grants.tests.factories import open_competition

pytestmark = pytest.mark.django_db


def said(response) -> str:
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    return message


def test_adding_a_manager_with_a_malformed_email_names_the_field(official):
    competition = open_competition(official)
    response = login(official).post(f"/grants/{competition.pk}/managers/", {"email": "не-адрес"})
    assert response.status_code == 302
    message = said(response)
    assert message.startswith("Укажите email организатора.")
    assert "(учётная запись на портале): Введите правильный адрес электронной почты." in message
    assert not competition.managers.exclude(pk=official.pk).exists()


def test_adding_a_manager_with_a_nul_names_the_field(official):
    competition = open_competition(official)
    response = login(official).post(f"/grants/{competition.pk}/managers/", {"email": "a\x00@b.org"})
    assert "ноль-байт" in said(response)


def test_adding_a_manager_unknown_to_the_portal_says_so(official):
    competition = open_competition(official)
    response = login(official).post(
        f"/grants/{competition.pk}/managers/", {"email": "nobody@example.org"}
    )
    assert said(response) == "На портале нет пользователя с таким email."


def test_adding_a_manager_who_exists_adds_them(official):
    competition = open_competition(official)
    person = UserFactory()
    response = login(official).post(f"/grants/{competition.pk}/managers/", {"email": person.email})
    assert said(response) == "Организатор добавлен."
    assert competition.managers.filter(pk=person.pk).exists()


def test_adding_an_expert_with_a_malformed_email_names_the_field(official):
    competition = open_competition(official)
    response = login(official).post(
        f"/grants/{competition.pk}/experts/", {"email": "не-адрес", "sector": "nko"}
    )
    message = said(response)
    assert message.startswith("Укажите email и кого представляет эксперт.")
    assert "(учётная запись на портале): Введите правильный адрес электронной почты." in message
