"""The initiative page's action forms for each role: what each refusal says (a message,
the page kept, nothing saved) and what each success leaves — the same answers as the API."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Initiative, InitiativeLink, TeamMember
from dobry.civic.services.initiatives import link_add
from dobry.civic.tests.factories import InitiativeFactory, TeamMemberFactory, coordinator
from dobry.communications.tests.factories import NewsItemFactory

pytestmark = pytest.mark.django_db


def _said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_empty_role_is_refused_with_a_message_and_no_team_place():
    initiative = InitiativeFactory()
    response = login(UserFactory()).post(reverse("civic:team", args=[initiative.pk]), {"role": ""})
    assert response["Location"] == initiative.get_absolute_url()
    assert any("команде" in text for text in _said(response))
    assert not TeamMember.objects.exists()


def test_leaving_a_team_one_is_not_in_is_said_and_leaving_ones_place_works():
    initiative = InitiativeFactory()
    outsider = login(UserFactory())
    refused = outsider.post(reverse("civic:team_leave", args=[initiative.pk]))
    assert any("не в команде" in text for text in _said(refused))
    member = TeamMemberFactory(initiative=initiative)
    left = login(member.user).post(reverse("civic:team_leave", args=[initiative.pk]))
    assert any("вышли" in text for text in _said(left))
    assert not TeamMember.objects.current().exists()
    page = login(member.user).get(initiative.get_absolute_url()).content.decode()
    assert "Выйти из команды" not in page
    assert "В команде пока никого." in page


def test_unfollowing_and_unsupporting_from_the_page():
    initiative = InitiativeFactory()
    resident = UserFactory()
    client = login(resident)
    client.post(reverse("civic:follow", args=[initiative.pk]))
    assert initiative.follows.filter(user=resident).exists()
    client.post(reverse("civic:unfollow", args=[initiative.pk]))
    assert not initiative.follows.filter(user=resident).exists()
    never = client.post(reverse("civic:unsupport", args=[initiative.pk]))
    assert any("не поддерживали" in text for text in _said(never))


def test_a_done_initiative_refuses_support_and_the_team_with_a_message():
    initiative = InitiativeFactory(status=Initiative.Status.DONE)
    client = login(UserFactory())
    support = client.post(reverse("civic:support", args=[initiative.pk]))
    assert any("воплощена" in text for text in _said(support))
    team = client.post(reverse("civic:team", args=[initiative.pk]), {"role": "фото"})
    assert any("воплощена" in text for text in _said(team))
    assert not initiative.supports.exists()
    assert not TeamMember.objects.exists()


def test_an_empty_answer_and_an_answer_too_early_are_refused_on_the_page():
    initiative = InitiativeFactory()
    staff = login(coordinator())
    empty = staff.post(reverse("civic:respond", args=[initiative.pk]), {"response": ""})
    assert any("не сохранён" in text for text in _said(empty))
    early = staff.post(reverse("civic:respond", args=[initiative.pk]), {"response": "Ждём"})
    assert any("поддержку" in text for text in _said(early))
    initiative.refresh_from_db()
    assert initiative.response == ""


@pytest.mark.parametrize(
    "data", [{"kind": "user", "pk": "1"}, {"kind": "news", "pk": "x"}, {"kind": "news", "pk": "0"}]
)
def test_a_link_form_with_a_bad_kind_or_number_is_refused(data):
    initiative = InitiativeFactory()
    response = login(initiative.author).post(reverse("civic:link_add", args=[initiative.pk]), data)
    assert response.status_code == 302
    assert any("не добавлена" in text for text in _said(response))
    assert not InitiativeLink.objects.exists()


def test_a_link_is_added_on_the_page_and_removed_by_the_author_only():
    initiative = InitiativeFactory()
    news = NewsItemFactory(title="О сквере")
    author = login(initiative.author)
    added = author.post(
        reverse("civic:link_add", args=[initiative.pk]), {"kind": "news", "pk": str(news.pk)}
    )
    assert any("добавлена" in text for text in _said(added))
    link = InitiativeLink.objects.get()
    assert "О сквере" in author.get(initiative.get_absolute_url()).content.decode()
    outsider = login(UserFactory()).post(reverse("civic:link_remove", args=[link.pk]))
    assert outsider["Location"] == initiative.get_absolute_url()
    assert InitiativeLink.objects.exists()
    removed = author.post(reverse("civic:link_remove", args=[link.pk]))
    assert any("удалена" in text for text in _said(removed))
    assert not InitiativeLink.objects.exists()
    assert author.post(reverse("civic:link_remove", args=[link.pk])).status_code == 404


def test_a_link_the_reader_may_not_see_is_not_on_their_page():
    staff_user = coordinator()
    initiative = InitiativeFactory()
    from dobry.resources.groups import group_create

    group = group_create(actor=staff_user, title="Тайная группа по скверу")
    link_add(actor=staff_user, initiative=initiative, kind="project_group", pk=group.pk)
    assert "Тайная группа" in login(staff_user).get(initiative.get_absolute_url()).content.decode()
    for client in (login(UserFactory()), login(initiative.author)):
        assert "Тайная группа" not in client.get(initiative.get_absolute_url()).content.decode()


def test_a_stage_move_the_stage_does_not_allow_is_said_not_made():
    initiative = InitiativeFactory()
    author = login(initiative.author)
    response = author.post(
        reverse("civic:initiative_move", args=[initiative.pk]), {"move": "finish"}
    )
    assert response.status_code == 302
    assert _said(response)
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.IDEA
    assert initiative.timeline.count() == 1


def test_the_moderation_desk_is_for_coordinators_only():
    assert login(UserFactory()).get(reverse("civic:moderation")).status_code == 403
    assert login(coordinator()).get(reverse("civic:moderation")).status_code == 200
