"""The НКО library beyond visibility: filters, versions, downloads of links and files, staff
editing refused to others, and the API's filters."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import MembershipFactory
from dobry.resources import library
from dobry.resources.models import LibraryCategory, LibraryFile, LibraryItem

pytestmark = pytest.mark.django_db


def pdf(name="устав.pdf", content=b"%PDF-1.4 v1"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def reports(db):
    return LibraryCategory.objects.create(name="Отчётность", slug="reports")


@pytest.fixture
def shelf(coordinator, reports):
    """A template in «Отчётность», a guide without a section, a link and an unpublished item."""
    template = library.library_item_create(
        actor=coordinator, title="Форма ОН0001", kind="template", category=reports
    )
    guide = library.library_item_create(actor=coordinator, title="Как писать заявку", kind="guide")
    link = library.library_item_create(
        actor=coordinator, title="Портал Минюста", kind="link", url="https://minjust.gov.ru/"
    )
    hidden = library.library_item_create(actor=coordinator, title="Черновик памятки", kind="guide")
    LibraryItem.objects.filter(pk=hidden.pk).update(published=False)
    return {"template": template, "guide": guide, "link": link, "hidden": hidden}


def titles(response) -> list[str]:
    return sorted(item.title for item in response.context["page"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Как писать заявку", "Портал Минюста", "Форма ОН0001"]),
        ({"kind": "guide"}, ["Как писать заявку"]),
        ({"category": "reports"}, ["Форма ОН0001"]),
        ({"q": "минюст"}, ["Портал Минюста"]),
        ({"q": "нет такого"}, []),
    ],
)
def test_the_library_filters_by_kind_section_and_words(client, shelf, reports, query, expected):
    if query.get("category") == "reports":
        query = {"category": reports.pk}
    response = client.get("/desk/library/", query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_an_unpublished_item_is_hidden_from_everyone_even_staff(
    client, login_as, shelf, coordinator
):
    hidden = shelf["hidden"]
    assert client.get(f"/desk/library/{hidden.pk}/").status_code == 404
    assert login_as(coordinator).get(f"/desk/library/{hidden.pk}/").status_code == 404
    assert "Черновик памятки" not in titles(login_as(coordinator).get("/desk/library/"))


def test_a_link_is_downloaded_by_following_it_and_counted(client, shelf):
    link = shelf["link"]
    response = client.get(f"/desk/library/{link.pk}/download/")
    assert response["Location"] == "https://minjust.gov.ru/"
    link.refresh_from_db()
    assert link.download_count == 1


def test_an_item_with_neither_file_nor_link_has_nothing_to_download(client, shelf):
    guide = shelf["guide"]
    assert client.get(f"/desk/library/{guide.pk}/download/").status_code == 404
    guide.refresh_from_db()
    assert guide.download_count == 0


def test_new_versions_are_numbered_and_the_old_ones_kept(coordinator, shelf):
    item = shelf["template"]
    first = library.library_file_add(actor=coordinator, item=item, file=pdf())
    second = library.library_file_add(
        actor=coordinator, item=item, file=pdf("устав-2031.pdf"), note="  формы 2031  "
    )
    assert (first.version, second.version, second.note) == (1, 2, "формы 2031")
    assert list(item.files.values_list("original_name", flat=True)) == [
        "устав-2031.pdf",
        "устав.pdf",
    ]


def test_a_long_file_name_keeps_its_extension(coordinator, shelf):
    # Attacker finding: the name was cut at 200 characters, «.pdf» and all.
    long_name = "Методические-рекомендации-" * 10 + ".pdf"
    stored = library.library_file_add(
        actor=coordinator, item=shelf["template"], file=pdf(long_name)
    )
    stored.refresh_from_db()
    assert len(stored.original_name) == 200
    assert stored.original_name.endswith("ческие-р.pdf")


def test_a_bad_file_adds_no_version(login_as, coordinator, shelf):
    item = shelf["template"]
    response = login_as(coordinator).post(
        f"/desk/library/{item.pk}/",
        {"file": SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload"), "note": "v2"},
    )
    assert response.status_code == 200
    assert "Можно приложить PDF" in response.content.decode()
    assert not LibraryFile.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("resident", 403), ("outsider", 403)])
def test_only_staff_upload_versions(request, login_as, shelf, who, status):
    item = shelf["template"]
    response = login_as(request.getfixturevalue(who)).post(
        f"/desk/library/{item.pk}/", {"file": pdf(), "note": "v2"}
    )
    assert response.status_code == status
    assert not LibraryFile.objects.exists()


def test_adding_an_item_sends_anonymous_to_log_in(client):
    response = client.get("/desk/library/new/")
    assert response["Location"].startswith("/accounts/login/")


def test_staff_add_a_members_only_item_with_its_file(login_as, coordinator, reports):
    response = login_as(coordinator).post(
        "/desk/library/new/",
        {
            "title": "Смета проекта",
            "kind": "document",
            "category": reports.pk,
            "tags": " смета, бюджет ,",
            "members_only": "on",
            "file": pdf("смета.pdf"),
        },
    )
    item = LibraryItem.objects.get()
    assert response["Location"] == f"/desk/library/{item.pk}/"
    assert (item.members_only, item.category, item.tag_list) == (True, reports, ["смета", "бюджет"])
    assert item.files.get().version == 1


def test_a_link_without_an_address_is_refused_by_the_service(coordinator):
    from dobry.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        library.library_item_create(actor=coordinator, title="Портал", kind="link")
    assert "url" in error.value.field_errors
    assert not LibraryItem.objects.exists()


def test_the_api_filters_by_kind_and_hides_members_only_items_from_anonymous(
    client, coordinator, shelf, login_as, resident
):
    library.library_item_create(
        actor=coordinator, title="Устав для своих", kind="template", members_only=True
    )
    guides = client.get("/api/v1/library", {"kind": "guide"}).json()
    assert [item["title"] for item in guides["items"]] == ["Как писать заявку"]
    templates = client.get("/api/v1/library", {"kind": "template"}).json()
    assert [item["title"] for item in templates["items"]] == ["Форма ОН0001"]
    assert templates["items"][0]["category"] == "Отчётность"
    MembershipFactory(user=resident, organization__status=Organization.Status.VERIFIED)
    member = login_as(resident).get("/api/v1/library", {"kind": "template"}).json()
    assert sorted(item["title"] for item in member["items"]) == ["Устав для своих", "Форма ОН0001"]
    assert Client().get("/api/v1/library", {"kind": "astrology"}).status_code == 422


def test_a_kind_that_does_not_exist_is_named_not_dropped(client, shelf):
    response = client.get("/desk/library/", {"kind": "astrology"})
    assert response.status_code == 400
    assert "«kind»" in response.content.decode()
