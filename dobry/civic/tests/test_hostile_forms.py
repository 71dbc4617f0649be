"""Hostile input on the initiative pages: over-long texts, NUL, forged choices, other
people's groups, a picture that is not one — each a clear refusal, never a 500, and
nothing half-saved. The English UI shows the pages translated."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Comment, Initiative, InitiativeLink, TeamMember, TimelineEntry
from dobry.civic.tests.factories import InitiativeFactory, coordinator
from dobry.core.text_limits import MESSAGE, SHORT
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

FORM = {"title": "Сад", "problem": "Пусто", "idea": "Посадить"}


@pytest.mark.parametrize(
    "change",
    [
        {"idea": "и" * (MESSAGE + 1)},
        {"title": "т" * 201},
        {"title": "a\x00b"},
        {"needed_money": "１０"},
        {"needed_money": "1e400"},
        {"area": "<script>"},
        {"district": "999999"},
        {"group": "1"},
    ],
)
def test_the_initiative_form_refuses_without_saving(change):
    OrganizationFactory()
    response = login(UserFactory()).post(reverse("civic:initiative_create"), {**FORM, **change})
    assert response.status_code in (200, 400)
    assert not Initiative.objects.exists()


def test_someone_elses_group_is_not_offered_nor_taken():
    group = OrganizationFactory()
    response = login(UserFactory()).post(
        reverse("civic:initiative_create"), {**FORM, "group": group.pk}
    )
    assert response.status_code == 200
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "model"),
    [
        ("civic:comment", {"text": "к" * (SHORT + 1)}, Comment),
        ("civic:comment", {"text": "\x00"}, Comment),
        ("civic:team", {"role": "р" * 121}, TeamMember),
        ("civic:team", {"role": ""}, TeamMember),
        ("civic:timeline_post", {"note": ""}, TimelineEntry),
        ("civic:link_add", {"kind": "user", "pk": "1"}, InitiativeLink),
        ("civic:link_add", {"kind": "news", "pk": "x" * 40}, InitiativeLink),
    ],
)
def test_action_forms_refuse_with_a_message(name, data, model):
    initiative = InitiativeFactory()
    before = model.objects.count()
    response = login(initiative.author).post(reverse(name, args=[initiative.pk]), data)
    assert response.status_code in (302, 400)
    assert model.objects.count() == before


def test_a_result_photo_that_is_not_a_picture_is_refused_on_the_page():
    initiative = InitiativeFactory()
    fake = SimpleUploadedFile("x.png", b"not a picture", "image/png")
    response = login(initiative.author).post(
        reverse("civic:timeline_post", args=[initiative.pk]),
        {"note": "Фото", "photo": fake, "photo_alt": "Фото"},
    )
    assert response.status_code == 302
    assert not TimelineEntry.objects.exclude(photo="").exists()


def test_forged_moves_and_moderation_are_400_or_403():
    initiative = InitiativeFactory()
    comment = Comment.objects.create(initiative=initiative, author=UserFactory(), text="Ок")
    staff = login(coordinator())
    forged = staff.post(reverse("civic:comment_move", args=[comment.pk]), {"move": "report"})
    assert forged.status_code == 400
    outsider = login(UserFactory())
    refused = outsider.post(reverse("civic:comment_move", args=[comment.pk]), {"move": "hide"})
    assert refused.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PUBLISHED
    evil = staff.post(
        reverse("civic:comment_move", args=[comment.pk]),
        {"move": "hide", "next": "https://evil.example/"},
    )
    assert evil["Location"] == f"{initiative.get_absolute_url()}#comments"


def test_the_pages_read_in_english():
    initiative = InitiativeFactory()
    client = login(UserFactory(language="en"))
    client.cookies["django_language"] = "en"
    listing = client.get("/initiatives/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get(initiative.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "City initiatives" in listing
    assert "Support" in page
    assert "Discussion" in page
