"""«Забыли свой пароль?» comes after the password field, not between its label and its input,
so Tab reaches the password first (issue 11 §6, issue 19): on every allauth page whose
password field carries the link."""

import re

import pytest


def _after_the_input(html: str, name: str) -> bool:
    field = re.search(rf'<input[^>]*name="{name}"', html)
    link = html.find('href="/accounts/password/reset/"')
    assert field, html[:2000]
    assert link > 0
    label = html.find(f'for="id_{name}"')
    return label < field.start() < link


@pytest.mark.django_db
def test_the_login_page_has_the_password_then_the_forgot_link(client):
    html = client.get("/accounts/login/").content.decode()
    assert _after_the_input(html, "password")
    assert 'aria-describedby="id_password_helptext"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "name"),
    [("/accounts/password/change/", "oldpassword"), ("/accounts/reauthenticate/", "password")],
)
def test_signed_in_pages_put_the_forgot_link_after_the_password(login_as, resident, path, name):
    html = login_as(resident).get(path).content.decode()
    assert _after_the_input(html, name)
