"""A full disk for uploads is a `StorageFull` domain error (a message, a 503 in the API),
never an `OSError` reaching the visitor as a 500; the part written is removed."""

import errno

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import path

import dobry.site.urls
from dobry.core.errors import StorageFull
from dobry.core.files import PrivateStorage
from dobry.core.testing import FULL_PRIVATE, FULL_PUBLIC


@pytest.fixture
def full_disk(settings):
    settings.STORAGES = {**settings.STORAGES, "default": FULL_PUBLIC, "private": FULL_PRIVATE}


@pytest.mark.parametrize("alias", ["default", "private"])
def test_a_full_disk_refuses_the_file_and_leaves_no_part_of_it(full_disk, settings, alias):
    storage = storages[alias]
    with pytest.raises(StorageFull, match="закончилось место") as refused:
        storage.save("scans/a.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 1000))
    assert refused.value.status == 503
    assert refused.value.__cause__.errno == errno.ENOSPC
    root = settings.MEDIA_ROOT if alias == "default" else settings.DOBRY_PRIVATE_MEDIA_ROOT
    assert [p for p in root.rglob("*") if p.is_file()] == []


def test_other_storage_failures_are_not_disguised(monkeypatch, settings):
    def denied(self, name, content):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("django.core.files.storage.FileSystemStorage._save", denied)
    with pytest.raises(PermissionError):
        PrivateStorage().save("scans/a.pdf", ContentFile(b"x"))


@pytest.mark.django_db
def test_a_full_disk_no_page_turned_into_a_message_answers_503_saying_so(settings):
    """The fallback (an admin page, a view without a form): the standalone 503 page."""

    def upload(request):
        storages["default"].save("covers/c.png", ContentFile(b"x"))

    settings.DEBUG = False
    settings.STORAGES = {**settings.STORAGES, "default": FULL_PUBLIC}
    settings.ROOT_URLCONF = type(
        "Urls",
        (),
        {
            "handler500": dobry.site.urls.handler500,
            "urlpatterns": [path("upload/", upload), *dobry.site.urls.urlpatterns],
        },
    )
    response = Client(raise_request_exception=False).post("/upload/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "закончилось место для файлов" in body
    assert "Ошибка на сервере" not in body
