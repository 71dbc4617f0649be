import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from dobry.organizations.tests.factories import MembershipFactory
from dobry.resources import library, services
from dobry.resources.models import LibraryItem

pytestmark = pytest.mark.django_db


def pdf(name="шаблон.pdf", content=b"%PDF-1.4 v1"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def items(coordinator):
    public = library.library_item_create(
        actor=coordinator,
        title="Шаблоны годовых отчётов для Минюста",
        kind="template",
        description="Формы ОН0001 и ОН0003",
        file=pdf(),
    )
    private = library.library_item_create(
        actor=coordinator, title="Смета проекта: пример", kind="document", members_only=True
    )
    return public, private


def test_search_finds_inflected_words(items):
    public, _private = items
    found = list(
        library.search(
            LibraryItem.objects.all(),
            "шаблон отчёта" if connection.vendor == "postgresql" else "отчёт",
        )
    )
    assert found == [public]


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="Russian morphology is PostgreSQL full-text search"
)
def test_postgres_search_uses_russian_morphology(items):
    public, _private = items
    assert list(library.search(LibraryItem.objects.all(), "шаблон отчёта")) == [public]
    assert list(library.search(LibraryItem.objects.all(), "отчётов минюст")) == [public]


def test_members_only_items_are_hidden_from_the_public(client, login_as, items, resident, outsider):
    _public, private = items
    assert "Смета проекта" not in client.get("/desk/library/").content.decode()
    assert client.get(f"/desk/library/{private.pk}/").status_code == 404
    MembershipFactory(user=resident)
    assert "Смета проекта" in login_as(resident).get("/desk/library/").content.decode()
    assert login_as(outsider).get(f"/desk/library/{private.pk}/").status_code == 404


def test_versions_and_download_counts(client, login_as, coordinator, items):
    public, _private = items
    login_as(coordinator).post(
        f"/desk/library/{public.pk}/",
        {"file": pdf("шаблон-2026.pdf", b"%PDF-1.4 v2"), "note": "формы 2026 года"},
    )
    assert list(public.files.values_list("version", flat=True)) == [2, 1]
    response = client.get(f"/desk/library/{public.pk}/download/")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 v2"
    public.refresh_from_db()
    assert public.download_count == 1
    assert client.post(f"/desk/library/{public.pk}/", {"note": "x"}).status_code == 403


def test_only_staff_add_items_and_bad_files_are_refused(login_as, resident, coordinator):
    assert login_as(resident).get("/desk/library/new/").status_code == 403
    bad = login_as(coordinator).post(
        "/desk/library/new/",
        {
            "title": "Вирус",
            "kind": "document",
            "file": SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload"),
        },
    )
    assert "Можно приложить PDF" in bad.content.decode()
    assert not LibraryItem.objects.filter(title="Вирус").exists()
    link = login_as(coordinator).post("/desk/library/new/", {"title": "Портал", "kind": "link"})
    assert "укажите адрес" in link.content.decode()


def test_a_closed_consultation_becomes_an_faq(login_as, coordinator, resident):
    consultation = services.consultation_ask(
        user=resident, topic="grants", subject="Как считать софинансирование?", text="?"
    )
    services.consultation_reply(
        author=coordinator, consultation=consultation, text="Вклад волонтёров тоже считается."
    )
    assert login_as(resident).post(f"/desk/consultations/{consultation.pk}/faq/").status_code == 403
    services.consultation_close(actor=coordinator, consultation=consultation, summary="Объяснили")
    login_as(coordinator).post(f"/desk/consultations/{consultation.pk}/faq/")
    faq = LibraryItem.objects.get(kind="faq")
    assert "Вклад волонтёров" in faq.body
    assert resident.first_name not in faq.body


def test_library_api_search(items):
    data = Client().get("/api/v1/library", {"q": "отчётов"}).json()
    assert [item["title"] for item in data["items"]] == ["Шаблоны годовых отчётов для Минюста"]


@pytest.mark.parametrize("count", [1, 25])
def test_library_list_has_a_fixed_query_count(
    client, coordinator, django_assert_max_num_queries, count
):
    for i in range(count):
        library.library_item_create(actor=coordinator, title=f"Методичка {i}", kind="guide")
    with django_assert_max_num_queries(4):
        assert client.get("/desk/library/").status_code == 200
