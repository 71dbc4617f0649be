"""A funded project's public page and its forms, for every role: anonymous readers see
the summary, the ratings and the comments; an outside resident rates and comments; the
grantee writes the summary and may not rate; organisers moderate; a running project says
when it can be rated; hostile input gets a message, never a 500. The competition's
results page links each funded project's page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.communications.tests.factories import png
from dobry.grants.models import (
    Agreement,
    Competition,
    ProjectComment,
    ProjectPhoto,
    ProjectRating,
    ProjectSummary,
)
from dobry.grants.services import agreements, outcomes
from dobry.grants.tests.factories import decide, open_competition, scored_applications
from dobry.grants.tests.outcomes import finished_project, grantee_of, official_of, running_project

pytestmark = pytest.mark.django_db


def url(project: Agreement, action: str = "") -> str:
    return f"/grants/projects/{project.pk}/" + (f"{action}/" if action else "")


def text(response) -> str:
    return response.content.decode()


def _busy(project: Agreement, n: int) -> None:
    for index in range(n):
        outcomes.project_rate(actor=UserFactory(), agreement=project, score=index % 5 + 1)
        comment = outcomes.project_comment_add(
            actor=UserFactory(), agreement=project, text=f"Отзыв {index}."
        )
        outcomes.project_comment_report(actor=UserFactory(), comment=comment)


def test_anonymous_reads_the_summary_ratings_and_comments():
    project = finished_project()
    ProjectSummary.objects.create(agreement=project, text="Провели 12 встреч во дворах.")
    outcomes.project_rate(actor=UserFactory(), agreement=project, score=5)
    outcomes.project_rate(actor=UserFactory(), agreement=project, score=4)
    outcomes.project_comment_add(actor=UserFactory(), agreement=project, text="Было здорово.")
    page = text(Client().get(url(project)))
    assert "Провели 12 встреч во дворах." in page
    assert "4,5 из 5 — 2 оценки" in page
    assert "Было здорово." in page
    assert "Войдите" in page
    assert 'action="/grants/projects/' not in page


def test_the_page_of_a_competition_without_published_results_is_not_found():
    project = finished_project()
    Competition.objects.filter(pk=project.application.competition_id).update(
        status=Competition.Status.DECIDED
    )
    assert Client().get(url(project)).status_code == 404
    assert login(UserFactory()).get(url(project)).status_code == 404


def test_a_running_project_says_when_it_can_be_rated():
    project = running_project()
    page = text(login(UserFactory()).get(url(project)))
    assert "Проект ещё идёт." in page
    assert "Оценить" not in page


def test_an_outside_resident_rates_and_changes_their_rating():
    project, resident = finished_project(), UserFactory()
    client = login(resident)
    assert "Оценить" in text(client.get(url(project)))
    response = client.post(url(project, "rate"), {"score": "3"}, follow=True)
    assert "Спасибо, ваша оценка сохранена." in text(response)
    client.post(url(project, "rate"), {"score": "5"})
    assert list(ProjectRating.objects.values_list("author", "score")) == [(resident.pk, 5)]
    assert "Изменить вашу оценку" in text(client.get(url(project)))
    client.post(url(project, "unrate"))
    assert not ProjectRating.objects.exists()


def test_the_grantee_sees_why_they_cannot_rate_and_a_post_is_refused():
    project = finished_project()
    client = login(grantee_of(project.application))
    page = text(client.get(url(project)))
    assert "его команда, эксперты и организаторы конкурса не оценивают" in page
    response = client.post(url(project, "rate"), {"score": "5"}, follow=True)
    assert "не оценивают" in text(response)
    assert not ProjectRating.objects.exists()


def test_rating_a_running_project_is_refused_with_the_reason():
    project = running_project()
    response = login(UserFactory()).post(url(project, "rate"), {"score": "5"}, follow=True)
    assert "оценить его можно после принятия итогового отчёта" in text(response)
    assert not ProjectRating.objects.exists()


@pytest.mark.parametrize("score", ["", "abc", "0", "6", "٥", "5\x00", "9" * 40, "4.5"])
def test_hostile_stars_get_a_message_never_a_500(score):
    project = finished_project()
    response = login(UserFactory()).post(url(project, "rate"), {"score": score}, follow=True)
    assert response.status_code == 200
    assert "Оценка не сохранена." in text(response)
    assert not ProjectRating.objects.exists()


def test_anonymous_posts_go_to_the_login_page():
    project = finished_project()
    for action in ("rate", "unrate", "comment", "summary"):
        response = Client().post(url(project, action), {"score": "5", "text": "x"})
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert not ProjectRating.objects.exists()


def test_a_resident_comments_and_another_reports_it():
    project = finished_project()
    response = login(UserFactory()).post(
        url(project, "comment"), {"text": "Хороший проект."}, follow=True
    )
    assert "Комментарий опубликован." in text(response)
    comment = ProjectComment.objects.get()
    response = login(UserFactory()).post(
        f"/grants/project-comments/{comment.pk}/report/", {"reason": "Спам"}, follow=True
    )
    assert "модератор посмотрит комментарий" in text(response)
    comment.refresh_from_db()
    assert comment.status == ProjectComment.Status.REPORTED


def test_an_empty_or_too_long_comment_gets_a_message():
    project = finished_project()
    client = login(UserFactory())
    for body in ({"text": ""}, {"text": "ж" * 2001}, {}):
        response = client.post(url(project, "comment"), body, follow=True)
        assert "Комментарий не отправлен." in text(response)
    assert not ProjectComment.objects.exists()


def test_organisers_see_the_moderation_buttons_and_hide_a_comment():
    project = finished_project()
    comment = outcomes.project_comment_add(actor=UserFactory(), agreement=project, text="Грубо.")
    moderator = login(official_of(project))
    assert "Скрыть" in text(moderator.get(url(project)))
    assert "Скрыть" not in text(login(UserFactory()).get(url(project)))
    moderator.post(f"/grants/project-comments/{comment.pk}/move/", {"move": "hide"})
    comment.refresh_from_db()
    assert comment.status == ProjectComment.Status.HIDDEN
    assert "Грубо." not in text(Client().get(url(project)))
    assert "Грубо." in text(moderator.get(url(project)))


def test_an_outsider_cannot_moderate_nor_see_a_hidden_comment():
    project = finished_project()
    comment = outcomes.project_comment_add(actor=UserFactory(), agreement=project, text="Грубо.")
    outsider = login(UserFactory())
    response = outsider.post(
        f"/grants/project-comments/{comment.pk}/move/", {"move": "hide"}, follow=True
    )
    assert "Комментарии модерируют организаторы конкурса." in text(response)
    outcomes.project_comment_move(actor=official_of(project), comment=comment, name="hide")
    response = outsider.post(f"/grants/project-comments/{comment.pk}/report/", {"reason": ""})
    assert response.status_code == 404


def test_a_forged_move_is_a_bad_request():
    project = finished_project()
    comment = outcomes.project_comment_add(actor=UserFactory(), agreement=project, text="Ок.")
    response = login(official_of(project)).post(
        f"/grants/project-comments/{comment.pk}/move/", {"move": "delete"}
    )
    assert response.status_code == 400


def test_the_grantee_writes_the_summary_and_adds_a_described_photo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = finished_project()
    client = login(grantee_of(project.application))
    assert "Написать итоги для жителей" in text(client.get(url(project)))
    assert client.get(url(project, "summary")).status_code == 200
    response = client.post(url(project, "summary"), {"text": "Сделали 3 площадки."}, follow=True)
    assert "Итоги проекта сохранены." in text(response)
    response = client.post(
        url(project, "photos"), {"photo": png("dvor.png"), "alt": "Дети на площадке"}, follow=True
    )
    assert "Фото добавлено." in text(response)
    page = text(Client().get(url(project)))
    assert "Сделали 3 площадки." in page
    assert 'alt="Дети на площадке"' in page
    photo = ProjectPhoto.objects.get()
    client.post(f"/grants/project-photos/{photo.pk}/delete/")
    assert not ProjectPhoto.objects.exists()


def test_a_photo_without_a_description_or_not_a_picture_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = finished_project()
    client = login(grantee_of(project.application))
    response = client.post(url(project, "photos"), {"photo": png(), "alt": ""}, follow=True)
    assert "Фото не добавлено." in text(response)
    fake = png("x.png")
    fake.file.write(b"not really")
    fake.file.seek(0)
    fake.file.truncate(10)
    response = client.post(url(project, "photos"), {"photo": fake, "alt": "Двор"}, follow=True)
    assert response.status_code == 200
    assert not ProjectPhoto.objects.exists()


def test_an_empty_summary_is_refused_at_its_field():
    project = finished_project()
    response = login(grantee_of(project.application)).post(url(project, "summary"), {"text": ""})
    assert response.status_code == 200
    assert not ProjectSummary.objects.exists()


@pytest.mark.parametrize("who", ["resident", "organiser"])
def test_only_the_grantee_writes_the_summary(who):
    project = finished_project()
    user = UserFactory() if who == "resident" else official_of(project)
    client = login(user)
    assert client.get(url(project, "summary")).status_code == 403
    assert client.post(url(project, "summary"), {"text": "Чужие итоги."}).status_code == 403
    assert not ProjectSummary.objects.exists()
    assert "Написать итоги для жителей" not in text(client.get(url(project)))


def test_the_grantee_writes_the_summary_before_the_final_report_is_accepted():
    project = running_project()
    client = login(grantee_of(project.application))
    client.post(url(project, "summary"), {"text": "Готовим итоги."})
    assert ProjectSummary.objects.get().text == "Готовим итоги."
    assert "Готовим итоги." not in text(Client().get(url(project)))


def test_the_results_page_links_each_funded_project():
    official = UserFactory(is_official=True)
    competition = open_competition(official, budget=100_000, max_grant=100_000)
    scored_applications(competition, official, [(9, 100_000), (3, 100_000)])
    decide(competition, official)
    [project] = agreements.agreements_prepare(actor=official, competition=competition)
    page = text(Client().get(f"/grants/{competition.pk}/results/"))
    assert page.count('href="/grants/projects/') == 1
    assert f'href="/grants/projects/{project.pk}/"' in page
    assert Client().get(url(project)).status_code == 200
    data = Client().get(f"/api/v1/competitions/{competition.pk}/results").json()
    assert [row["project_id"] for row in data["applications"]] == [project.pk, None]


def test_the_agreement_page_links_the_public_page_once_results_are_out():
    project = running_project()
    client = login(grantee_of(project.application))
    page = text(client.get(f"/grants/agreements/{project.pk}/"))
    assert f'href="/grants/projects/{project.pk}/"' in page
    Competition.objects.filter(pk=project.application.competition_id).update(
        status=Competition.Status.DECIDED
    )
    page = text(client.get(f"/grants/agreements/{project.pk}/"))
    assert f'href="/grants/projects/{project.pk}/"' not in page


def queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["anonymous", "resident", "organiser"])
def test_the_page_costs_the_same_queries_for_one_and_many(who):
    project = finished_project()
    client = {
        "anonymous": Client(),
        "resident": login(UserFactory()),
        "organiser": login(official_of(project)),
    }[who]
    _busy(project, 1)
    few = queries(client, url(project))
    _busy(project, 8)
    assert queries(client, url(project)) == few
    assert few <= 16
