"""A campaign changed through the API: a PATCH changes what it sends and nothing else, links
are cleared with null, the cover is a real picture with its description (stored re-encoded
under a name of its own), and updates are posted with a described photo and listed newest
first — to anyone for a public campaign, to nobody else for a draft."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity.models import Campaign, CampaignUpdate
from dobry.charity.tests.factories import CampaignFactory, charity_ready, editor_of
from dobry.core.models import AuditEntry, District
from dobry.events.tests.factories import EventFactory
from dobry.helprequests.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"


def _picture(name="cover.png", kind="PNG", size=(60, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


def test_a_patch_changes_only_what_it_sends():
    campaign, editor = charity_ready(
        title="Коляски", purpose="Две коляски", goal=Decimal("5000"), story="<p>История</p>"
    )
    response = login(editor).patch(
        f"{API}/campaigns/{campaign.pk}", {"goal": "7 500,50"}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["goal"] == "7500.50"
    campaign.refresh_from_db()
    assert (campaign.title, campaign.purpose, campaign.story) == (
        "Коляски",
        "Две коляски",
        "<p>История</p>",
    )
    assert AuditEntry.objects.filter(action="charity.campaign_edit").count() == 1


def test_links_are_set_by_id_or_slug_and_cleared_with_null():
    campaign, editor = charity_ready()
    organization = campaign.organization
    programme = ProgrammeFactory(organization=organization)
    event = EventFactory(organization=organization)
    district = District.objects.create(name="Первомайский", slug="pervomaisky")
    client = login(editor)
    url = f"{API}/campaigns/{campaign.pk}"
    body = {"programme": programme.pk, "event": event.pk, "district": "pervomaisky"}
    linked = client.patch(url, body, content_type=JSON).json()
    assert (linked["programme_id"], linked["event_id"]) == (programme.pk, event.pk)
    campaign.refresh_from_db()
    assert campaign.district == district
    cleared = client.patch(
        url, {"programme": None, "event": None, "district": None}, content_type=JSON
    ).json()
    assert (cleared["programme_id"], cleared["event_id"]) == (None, None)
    campaign.refresh_from_db()
    assert campaign.district is None


def test_the_story_is_sanitised_when_saved():
    campaign, editor = charity_ready()
    story = '<p onclick="steal()">Помогите</p><script>alert(1)</script><a href="javascript:x">a</a>'
    response = login(editor).patch(
        f"{API}/campaigns/{campaign.pk}", {"story": story}, content_type=JSON
    )
    saved = response.json()["story"]
    assert "Помогите" in saved
    for dangerous in ("onclick", "<script", "javascript:"):
        assert dangerous not in saved


def test_a_patch_of_a_past_deadline_is_refused_but_keeping_it_passes():
    campaign, editor = charity_ready()
    Campaign.objects.filter(pk=campaign.pk).update(deadline="2020-01-01")
    client = login(editor)
    url = f"{API}/campaigns/{campaign.pk}"
    assert client.patch(url, {"title": "Новое"}, content_type=JSON).status_code == 200
    refused = client.patch(url, {"deadline": "2020-01-02"}, content_type=JSON)
    assert refused.status_code == 422
    assert "deadline" in refused.json()["errors"]


def test_a_cover_is_set_with_its_description_and_stored_re_encoded():
    campaign, editor = charity_ready()
    response = login(editor).post(
        f"{API}/campaigns/{campaign.pk}/cover",
        {"cover": _picture("Иванова_Мария_паспорт.png"), "cover_alt": "Коляска у входа"},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["cover_alt"] == "Коляска у входа"
    assert data["cover_url"].startswith("/media/campaigns/")
    assert "Иванова" not in data["cover_url"]
    campaign.refresh_from_db()
    with campaign.cover.open("rb") as stored:
        assert Image.open(stored).size == (60, 40)


@pytest.mark.parametrize(
    ("files", "field"),
    [
        ({"cover": SimpleUploadedFile("c.png", b"not a picture", "image/png")}, "cover"),
        ({"cover": SimpleUploadedFile("c.svg", b"<svg onload='x()'/>", "image/svg+xml")}, "cover"),
        ({"cover": _picture(kind="GIF", name="c.gif")}, "cover"),
    ],
)
def test_a_cover_that_is_no_accepted_picture_is_refused_and_the_old_one_kept(files, field):
    campaign, editor = charity_ready()
    response = login(editor).post(
        f"{API}/campaigns/{campaign.pk}/cover", {**files, "cover_alt": "Что-то"}
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    campaign.refresh_from_db()
    assert not campaign.cover


def test_a_cover_needs_its_description():
    campaign, editor = charity_ready()
    response = login(editor).post(
        f"{API}/campaigns/{campaign.pk}/cover", {"cover": _picture(), "cover_alt": "  "}
    )
    assert response.status_code == 422
    assert "cover_alt" in response.json()["errors"]
    campaign.refresh_from_db()
    assert not campaign.cover


def test_a_described_cover_keeps_its_description_when_other_fields_change():
    campaign, editor = charity_ready()
    client = login(editor)
    client.post(
        f"{API}/campaigns/{campaign.pk}/cover", {"cover": _picture(), "cover_alt": "Коляска"}
    )
    refused = client.patch(f"{API}/campaigns/{campaign.pk}", {"cover_alt": ""}, content_type=JSON)
    assert refused.status_code == 422
    assert "cover_alt" in refused.json()["errors"]
    kept = client.patch(f"{API}/campaigns/{campaign.pk}", {"title": "Две"}, content_type=JSON)
    assert kept.json()["cover_alt"] == "Коляска"


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_only_editors_set_a_cover(who, client):
    campaign, _editor = charity_ready()
    callers = {
        "anonymous": client,
        "outsider": login(UserFactory()),
        "member": login(editor_of(campaign.organization, "member")),
    }
    response = callers[who].post(
        f"{API}/campaigns/{campaign.pk}/cover", {"cover": _picture(), "cover_alt": "Коляска"}
    )
    assert response.status_code == (401 if who == "anonymous" else 403)
    campaign.refresh_from_db()
    assert not campaign.cover


def test_updates_are_posted_with_a_described_photo_and_listed_newest_first(client):
    campaign, editor = charity_ready()
    editor_client = login(editor)
    url = f"{API}/campaigns/{campaign.pk}/updates"
    first = editor_client.post(url, {"text": "  Купили первый тренажёр  "})
    assert first.status_code == 201
    assert first.json()["text"] == "Купили первый тренажёр"
    second = editor_client.post(
        url, {"text": "Привезли", "photo": _picture("p.jpg", "JPEG"), "photo_alt": "Грузовик"}
    )
    assert second.status_code == 201
    assert second.json()["photo_url"].startswith("/media/campaigns/")
    listed = client.get(url).json()["items"]
    assert [item["text"] for item in listed] == ["Привезли", "Купили первый тренажёр"]
    assert listed[1]["photo_url"] is None
    assert AuditEntry.objects.filter(action="charity.campaign_update").count() == 2


def test_a_photo_without_its_description_is_refused():
    campaign, editor = charity_ready()
    response = login(editor).post(
        f"{API}/campaigns/{campaign.pk}/updates", {"text": "Купили", "photo": _picture()}
    )
    assert response.status_code == 422
    assert "photo_alt" in response.json()["errors"]
    assert not CampaignUpdate.objects.exists()


def test_a_drafts_updates_are_not_found_by_others_and_cannot_be_posted_by_them(client):
    campaign, editor = charity_ready(status=Campaign.Status.DRAFT)
    login(editor).post(f"{API}/campaigns/{campaign.pk}/updates", {"text": "Готовим"})
    assert client.get(f"{API}/campaigns/{campaign.pk}/updates").status_code == 404
    stranger = login(editor_of(CampaignFactory().organization))
    assert stranger.get(f"{API}/campaigns/{campaign.pk}/updates").status_code == 404
    assert (
        stranger.post(f"{API}/campaigns/{campaign.pk}/updates", {"text": "Чужое"}).status_code
        == 404
    )
    assert list(CampaignUpdate.objects.values_list("text", flat=True)) == ["Готовим"]
