"""The initiative pages as every role sees them: the anonymous visitor, an outsider, the
author, a team member and a coordinator; forms refused without a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Comment, Initiative, Support, TeamMember
from dobry.civic.tests.factories import (
    CommentFactory,
    InitiativeFactory,
    TeamMemberFactory,
    coordinator,
    district,
)
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db

FORM = {"title": "Сад", "problem": "Пусто", "idea": "Посадить", "needed_skills": "садовник"}


def test_the_list_shows_initiatives_the_map_and_filters_for_anyone():
    north = district("Северный")
    InitiativeFactory(title="Каток", district=north, area="sport")
    InitiativeFactory(title="Сквер", status=Initiative.Status.GATHERING)
    page = Client().get(reverse("civic:initiatives"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Каток" in text
    assert "Сквер" in text
    assert "<svg" in text
    assert "Северный" in text
    by_district = Client().get(reverse("civic:initiatives"), {"district": north.pk})
    assert "Каток" in by_district.content.decode()
    assert "Сквер" not in by_district.content.decode()
    by_stage = Client().get(reverse("civic:initiatives"), {"stage": "gathering"}).content.decode()
    assert "Сквер" in by_stage
    assert "Каток" not in by_stage


def test_needs_my_skills_matches_the_volunteer_profile():
    resident = UserFactory()
    VolunteerProfile.objects.create(user=resident, skills="Фотограф, вожу машину")
    InitiativeFactory(title="Фотовыставка", needed_skills="фотограф")
    InitiativeFactory(title="Грядки", needed_skills="садовник")
    text = login(resident).get(reverse("civic:initiatives"), {"my_skills": "on"}).content.decode()
    assert "Фотовыставка" in text
    assert "Грядки" not in text
    nothing = login(UserFactory()).get(reverse("civic:initiatives"), {"my_skills": "on"})
    assert "не указаны навыки" in nothing.content.decode()


@pytest.mark.parametrize("params", [{"district": "²"}, {"stage": "nope"}, {"page": "x" * 40}])
def test_hostile_filters_are_a_clear_refusal_not_a_500(params):
    assert Client().get(reverse("civic:initiatives"), params).status_code in (200, 400)


def test_the_anonymous_visitor_reads_but_is_sent_to_sign_in_to_act():
    initiative = InitiativeFactory(title="Сквер у школы")
    page = Client().get(initiative.get_absolute_url())
    assert page.status_code == 200
    assert "Войдите" in page.content.decode()
    for name in ("civic:support", "civic:follow", "civic:team", "civic:comment"):
        response = Client().post(reverse(name, args=[initiative.pk]))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert Client().get(reverse("civic:initiative_create")).status_code == 302


def test_a_resident_posts_an_initiative_through_the_form():
    resident = UserFactory()
    client = login(resident)
    assert client.get(reverse("civic:initiative_create")).status_code == 200
    response = client.post(reverse("civic:initiative_create"), FORM)
    initiative = Initiative.objects.get(title="Сад")
    assert response.status_code == 302
    assert response["Location"] == initiative.get_absolute_url()
    assert initiative.author == resident
    refused = client.post(reverse("civic:initiative_create"), {**FORM, "needed_money": "-1"})
    assert refused.status_code == 200
    assert Initiative.objects.count() == 1


def test_an_outsider_supports_joins_comments_and_may_not_edit():
    initiative = InitiativeFactory()
    outsider = UserFactory()
    client = login(outsider)
    client.post(reverse("civic:support", args=[initiative.pk]))
    client.post(reverse("civic:team", args=[initiative.pk]), {"role": "фотограф"})
    client.post(reverse("civic:comment", args=[initiative.pk]), {"text": "Я за"})
    assert Support.objects.filter(initiative=initiative, user=outsider).exists()
    assert TeamMember.objects.get(initiative=initiative, user=outsider).role == "фотограф"
    assert Comment.objects.get(initiative=initiative).author == outsider
    assert client.get(reverse("civic:initiative_edit", args=[initiative.pk])).status_code == 403
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Отозвать поддержку" in page
    assert "Выйти из команды" in page
    client.post(reverse("civic:unsupport", args=[initiative.pk]))
    assert not Support.objects.current().filter(initiative=initiative, user=outsider).exists()
    assert "Отозвать поддержку" not in client.get(initiative.get_absolute_url()).content.decode()


def test_the_author_edits_and_moves_the_stage_a_team_member_posts_results():
    initiative = InitiativeFactory()
    author = login(initiative.author)
    assert author.get(reverse("civic:initiative_edit", args=[initiative.pk])).status_code == 200
    author.post(reverse("civic:initiative_edit", args=[initiative.pk]), {**FORM, "title": "Новое"})
    author.post(
        reverse("civic:initiative_move", args=[initiative.pk]), {"move": "gather", "note": "Вперёд"}
    )
    initiative.refresh_from_db()
    assert (initiative.title, initiative.status) == ("Новое", Initiative.Status.GATHERING)
    member = TeamMemberFactory(initiative=initiative).user
    login(member).post(reverse("civic:timeline_post", args=[initiative.pk]), {"note": "Сделали"})
    assert initiative.timeline.filter(note="Сделали").exists()
    forged = author.post(reverse("civic:initiative_move", args=[initiative.pk]), {"move": "x"})
    assert forged.status_code == 400


def test_a_coordinator_moderates_comments_from_the_queue():
    comment = CommentFactory(text="Грубость")
    login(UserFactory()).post(reverse("civic:report", args=[comment.pk]), {"reason": "хамство"})
    staff = login(coordinator())
    queue = staff.get(reverse("civic:moderation"))
    assert queue.status_code == 200
    assert "Грубость" in queue.content.decode()
    staff.post(
        reverse("civic:comment_move", args=[comment.pk]),
        {"move": "hide", "next": "/initiatives/moderation/"},
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    assert "Грубость" not in Client().get(comment.initiative.get_absolute_url()).content.decode()
    assert login(UserFactory()).get(reverse("civic:moderation")).status_code == 403
    assert login(UserFactory()).post(reverse("civic:report", args=[comment.pk])).status_code == 404


def test_the_centre_answers_on_the_page_and_everyone_reads_it(settings):
    settings.DOBRY_INITIATIVE_SUPPORT_THRESHOLD = 1
    initiative = InitiativeFactory()
    login(UserFactory()).post(reverse("civic:support", args=[initiative.pk]))
    outsider = login(UserFactory())
    outsider.post(reverse("civic:respond", args=[initiative.pk]), {"response": "Я не центр"})
    login(coordinator()).post(
        reverse("civic:respond", args=[initiative.pk]), {"response": "Ждём на консультацию"}
    )
    page = Client().get(initiative.get_absolute_url()).content.decode()
    assert "Ждём на консультацию" in page
    assert "Я не центр" not in page


def test_unknown_initiatives_are_404():
    assert Client().get(reverse("civic:initiative", args=[999999])).status_code == 404
    assert login(UserFactory()).post(reverse("civic:support", args=[999999])).status_code == 404
