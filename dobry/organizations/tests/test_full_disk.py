"""The disk for uploads full while an organisation is proposed with its logo: the form comes
back with a clear message and everything typed, nothing is stored — no organisation, no
part of the file — and never a 500 (`make drill` runs the same on PostgreSQL)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.core.testing import FULL_PUBLIC
from dobry.organizations.models import Organization
from dobry.organizations.tests.test_logo import png_bytes
from dobry.organizations.tests.test_views import FORM

FULL_MESSAGE = "Файл не сохранён: на сервере закончилось место для файлов."


@pytest.fixture
def full_disk(settings):
    settings.STORAGES = {**settings.STORAGES, "default": FULL_PUBLIC}


def _logo():
    return SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")


def test_a_logo_on_a_full_disk_gives_the_form_back_with_a_message(login_as, resident, full_disk):
    response = login_as(resident).post("/organizations/new/", {**FORM, "logo": _logo()})
    body = response.content.decode()
    assert response.status_code == 200
    assert FULL_MESSAGE in body
    assert 'value="АНО «Тёплый дом»"' in body
    assert not Organization.objects.exists()


def test_no_part_of_the_file_stays_on_the_full_disk(login_as, resident, full_disk, settings):
    login_as(resident).post("/organizations/new/", {**FORM, "logo": _logo()})
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []


def test_the_same_form_is_stored_once_the_disk_has_room(login_as, resident):
    response = login_as(resident).post("/organizations/new/", {**FORM, "logo": _logo()})
    assert response.status_code == 302
    assert Organization.objects.get().logo.name.startswith("logos/")
