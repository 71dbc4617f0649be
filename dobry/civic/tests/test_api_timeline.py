"""The public timeline through the API as on the pages: a stage move keeps its note, a
result is posted with a described photo, a link is removed — each by the roles the page
allows, refusals structured, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.civic.models import InitiativeLink, TimelineEntry
from dobry.civic.tests.factories import InitiativeFactory, TeamMemberFactory, coordinator, picture
from dobry.communications.tests.factories import NewsItemFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, path, body=None):
    return client.post(f"{API}{path}", body, content_type="application/json")


def test_a_move_keeps_its_note_on_the_public_timeline():
    initiative = InitiativeFactory()
    moved = post(
        bearer(initiative.author),
        f"/initiatives/{initiative.pk}/gather",
        {"note": "Собираем подписи"},
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["timeline"][-1]["note"] == "Собираем подписи"
    assert TimelineEntry.objects.filter(initiative=initiative, moved_from="idea").get().note == (
        "Собираем подписи"
    )


def test_a_move_without_a_body_still_moves():
    initiative = InitiativeFactory()
    path = f"{API}/initiatives/{initiative.pk}/gather"
    moved = bearer(initiative.author).generic("POST", path, b"", content_type="")
    assert moved.json()["status"] == "gathering"
    assert moved.json()["timeline"][-1]["note"] == ""


@pytest.mark.parametrize(
    "body", [{"note": "x" * 5000}, {"note": 5}, {"nota": "опечатка"}, ["note"]]
)
def test_a_bad_note_is_a_422_and_nothing_moves(body):
    initiative = InitiativeFactory()
    refused = post(bearer(initiative.author), f"/initiatives/{initiative.pk}/gather", body)
    assert refused.status_code == 422, refused.content
    initiative.refresh_from_db()
    assert initiative.status == "idea"


def test_an_outsider_moves_nothing_even_with_a_note():
    initiative = InitiativeFactory()
    refused = post(bearer(UserFactory()), f"/initiatives/{initiative.pk}/gather", {"note": "я"})
    assert refused.status_code == 403
    assert not TimelineEntry.objects.filter(note="я").exists()


def _result(client, initiative, **data):
    return client.post(f"{API}/initiatives/{initiative.pk}/results", data)


def test_the_team_posts_a_result_with_a_described_photo():
    initiative = InitiativeFactory()
    member = bearer(TeamMemberFactory(initiative=initiative).user)
    posted = _result(
        member, initiative, note="Поставили скамейки", photo=picture(), photo_alt="Скамейки у озера"
    )
    assert posted.status_code == 201, posted.content
    entry = posted.json()["timeline"][-1]
    assert entry["note"] == "Поставили скамейки"
    assert entry["photo_alt"] == "Скамейки у озера"
    assert entry["photo_url"]


def test_a_photo_without_description_or_an_empty_result_is_refused():
    initiative = InitiativeFactory()
    author = bearer(initiative.author)
    before = TimelineEntry.objects.count()
    no_alt = _result(author, initiative, note="Фото", photo=picture())
    assert no_alt.status_code == 422
    assert "photo_alt" in no_alt.content.decode()
    empty = _result(author, initiative)
    assert empty.status_code in (409, 422)
    assert "note" in empty.content.decode()
    not_image = _result(
        author,
        initiative,
        photo=SimpleUploadedFile("result.png", b"MZ not a picture"),
        photo_alt="что-то",
    )
    assert not_image.status_code == 422
    assert TimelineEntry.objects.count() == before


def test_results_by_role():
    initiative = InitiativeFactory()
    assert _result(bearer(UserFactory()), initiative, note="Я тоже").status_code == 403
    assert (
        Client().post(f"{API}/initiatives/{initiative.pk}/results", {"note": "x"}).status_code
        == 401
    )
    assert _result(bearer(coordinator()), initiative, note="Помогли").status_code == 201


def test_a_link_is_removed_by_the_author_not_by_an_outsider():
    initiative = InitiativeFactory()
    author = bearer(initiative.author)
    news = NewsItemFactory()
    link_id = post(
        author, f"/initiatives/{initiative.pk}/links", {"kind": "news", "pk": news.pk}
    ).json()["links"][0]["id"]
    path = f"{API}/initiatives/{initiative.pk}/links/{link_id}"
    assert bearer(UserFactory()).delete(path).status_code == 403
    assert InitiativeLink.objects.exists()
    removed = author.delete(path)
    assert removed.status_code == 200
    assert removed.json()["links"] == []
    assert author.delete(path).status_code == 404


def test_a_link_of_another_initiative_is_not_found_through_this_one():
    mine, other = InitiativeFactory(), InitiativeFactory()
    news = NewsItemFactory()
    link_id = post(
        bearer(other.author), f"/initiatives/{other.pk}/links", {"kind": "news", "pk": news.pk}
    ).json()["links"][0]["id"]
    assert (
        bearer(mine.author).delete(f"{API}/initiatives/{mine.pk}/links/{link_id}").status_code
        == 404
    )
    assert InitiativeLink.objects.filter(pk=link_id).exists()
