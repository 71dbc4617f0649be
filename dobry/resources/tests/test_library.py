import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from dobry.organizations.models import Organization
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
    newest = public.files.get(version=2)
    assert response.status_code == 302
    assert (
        response["Location"] == newest.file.url == f"/files/resources.libraryfile.file/{newest.pk}/"
    )
    download = client.get(response["Location"])
    assert b"".join(download.streaming_content) == b"%PDF-1.4 v2"
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D1%88%D0%B0%D0%B1%D0%BB%D0%BE%D0%BD-2026.pdf"  # шаблон
    )
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
    login_as(coordinator).post(
        f"/desk/consultations/{consultation.pk}/faq/", library.faq_draft(consultation)
    )
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


@pytest.fixture
def members_only(coordinator):
    return library.library_item_create(
        actor=coordinator,
        title="Шаблон устава",
        kind="template",
        members_only=True,
        file=pdf("ustav.pdf", b"%PDF-1.4 ustav"),
    )


def _file_status(client, url) -> int:
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # reading closes the file
    return response.status_code


def _opens(client, item) -> dict[str, bool]:
    """Whether each way in shows the item: list, page, API, download, the file itself."""
    file_url = item.files.get().file.url
    api = client.get("/api/v1/library").json()["items"]
    return {
        "list": item.title in client.get("/desk/library/").content.decode(),
        "page": client.get(f"/desk/library/{item.pk}/").status_code == 200,
        "api": item.pk in [row["id"] for row in api],
        "download": client.get(f"/desk/library/{item.pk}/download/").status_code == 302,
        "file": _file_status(client, file_url) == 200,
    }


NOWHERE = dict.fromkeys(["list", "page", "api", "download", "file"], False)
EVERYWHERE = dict.fromkeys(["list", "page", "api", "download", "file"], True)


def test_a_proposed_unverified_organisation_does_not_open_members_only_items(
    login_as, members_only, resident
):
    MembershipFactory(user=resident, organization__status=Organization.Status.PENDING, role="owner")
    assert _opens(login_as(resident), members_only) == NOWHERE


def test_a_returned_organisation_does_not_open_them_either(login_as, members_only, resident):
    MembershipFactory(user=resident, organization__status=Organization.Status.RETURNED)
    assert _opens(login_as(resident), members_only) == NOWHERE


def test_members_of_a_verified_organisation_and_staff_open_members_only_items(
    login_as, members_only, resident, coordinator, admin_user
):
    MembershipFactory(user=resident, organization__status=Organization.Status.VERIFIED)
    for person in (resident, coordinator, admin_user):
        assert _opens(login_as(person), members_only) == EVERYWHERE


def test_anonymous_and_outsiders_see_no_members_only_item(client, login_as, members_only, outsider):
    assert _opens(login_as(outsider), members_only) == NOWHERE
    opened = _opens(client, members_only)
    assert opened == NOWHERE


def test_a_change_of_visibility_applies_to_the_file_at_once(client, login_as, coordinator):
    """Library files always go through the view, so nothing moves when an item's
    visibility changes — and nothing stays reachable at an old address."""
    item = library.library_item_create(
        actor=coordinator, title="Памятка", kind="guide", file=pdf("pamyatka.pdf")
    )
    url = item.files.get().file.url
    assert _file_status(client, url) == 200
    LibraryItem.objects.filter(pk=item.pk).update(members_only=True)
    assert _file_status(client, url) == 302  # to the login page
    assert _file_status(login_as(coordinator), url) == 200
    LibraryItem.objects.filter(pk=item.pk).update(members_only=False, published=False)
    assert _file_status(client, url) == 302
    assert _file_status(login_as(coordinator), url) == 404


def test_the_api_and_pages_use_the_same_rule(client, login_as, members_only, resident):
    from dobry.resources import permissions

    MembershipFactory(user=resident, organization__status=Organization.Status.PENDING)
    assert not permissions.can_view_library_item(resident, members_only)
    assert permissions.can_view_library_item(resident, members_only).reason == (
        "Материал открыт участникам проверенных организаций."
    )
    assert list(permissions.library_items_for_user(resident)) == []
