"""The organisers' desk pages for setting up a competition: who reaches them, what they
change, and that a bad form shows an error without losing anything."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.grants.models import Application, Competition, Criterion, Expert
from dobry.grants.services import assignments, competitions
from dobry.grants.tests.factories import (
    admitted_application,
    expert_pool,
    open_competition,
    score_all,
    submitted_application,
)
from dobry.grants.tests.pages import local_input, said

pytestmark = pytest.mark.django_db


def create_form(**changes) -> dict:
    now = timezone.now()
    return {
        "kind": "sonko",
        "title": "Конкурс «Соседи»",
        "rules": "Положение в тексте.",
        "budget": "500000",
        "min_grant": "0",
        "max_grant": "200000",
        "local_only": "on",
        "min_registered_months": "0",
        "one_per_applicant": "on",
        "applications_open": local_input(now - timedelta(days=1)),
        "applications_close": local_input(now + timedelta(days=5)),
        "review_deadline": local_input(now + timedelta(days=20)),
        "results_on": (now + timedelta(days=30)).date().isoformat(),
        "experts_per_application": "2",
        "divergence_percent": "30",
        "comment_below": "5",
        "passing_score": "0",
        "allocation_rule": "rank_greedy",
        "partial_funding": "on",
        "lottery_winners": "0",
        "lottery_amount": "0",
        "lottery_min_score": "0",
        "lottery_seed": "семя-2027",
    } | changes


def edit_form(competition: Competition, **changes) -> dict:
    data = create_form(
        title=competition.title,
        budget=str(competition.budget),
        max_grant=str(competition.max_grant),
        applications_open=local_input(competition.applications_open),
        applications_close=local_input(competition.applications_close),
        review_deadline=local_input(competition.review_deadline),
        results_on=competition.results_on.isoformat(),
        lottery_seed=competition.lottery_seed,
        eligible_kinds=competition.eligible_kinds,
        sections=competition.sections,
    )
    del data["kind"]
    return data | changes


def test_only_officials_and_admins_open_the_new_competition_form(
    client, official, admin_user, outsider, login_as
):
    assert client.get("/grants/new/").status_code == 302
    assert login_as(outsider).get("/grants/new/").status_code == 403
    assert login_as(UserFactory(is_expert=True)).get("/grants/new/").status_code == 403
    assert login_as(official).get("/grants/new/").status_code == 200
    assert login_as(admin_user).get("/grants/new/").status_code == 200


def test_a_competition_is_created_from_the_form_with_the_kinds_defaults(official, login_as):
    response = login_as(official).post("/grants/new/", create_form())
    competition = Competition.objects.get()
    assert response.url == f"/grants/{competition.pk}/manage/"
    assert competition.status == Competition.Status.DRAFT
    assert competition.eligible_kinds == ["sonko", "public_association"]
    assert len(competition.sections) == 6
    assert competition.criteria.count() == 10
    assert competition.lottery_seed == "семя-2027"


def test_the_form_keeps_chosen_kinds_and_sections_and_the_rules_file(official, login_as):
    upload = SimpleUploadedFile("polozhenie.pdf", b"%PDF-1.4 rules", "application/pdf")
    login_as(official).post(
        "/grants/new/",
        create_form(eligible_kinds=["initiative_group"], sections=["budget"], rules_file=upload),
    )
    competition = Competition.objects.get()
    assert competition.eligible_kinds == ["initiative_group"]
    assert competition.sections == ["budget"]
    assert competition.rules_document_name == "polozhenie.pdf"


def test_the_services_refusal_is_shown_at_the_field_and_nothing_is_created(official, login_as):
    response = login_as(official).post("/grants/new/", create_form(max_grant="900000"))
    assert response.status_code == 200
    assert "Максимальный грант больше фонда конкурса." in response.content.decode()
    assert response.context["form"]["title"].value() == "Конкурс «Соседи»"  # kept as typed
    assert not Competition.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("budget", "много"), ("applications_open", "31.02.2027"), ("kind", "lottery")],
)
def test_malformed_input_is_a_form_error_not_a_500(official, login_as, field, value):
    response = login_as(official).post("/grants/new/", create_form(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Competition.objects.exists()


def test_the_terms_are_edited_on_the_edit_page(official, login_as, outsider, client):
    competition = open_competition(official)
    url = f"/grants/{competition.pk}/edit/"
    assert client.get(url).status_code == 302
    assert login_as(outsider).get(url).status_code == 403
    assert login_as(outsider).post(url, edit_form(competition, title="Чужое")).status_code == 403
    staff = login_as(official)
    page = staff.get(url)
    assert "kind" not in page.context["form"].fields  # the kind is fixed at creation
    response = staff.post(url, edit_form(competition, passing_score="42.5"))
    assert response.status_code == 302, response.context["form"].errors
    competition.refresh_from_db()
    assert competition.passing_score == Decimal("42.5")
    assert competition.title == "Конкурс «Добрые дела»"


def test_an_edit_that_breaks_a_rule_is_shown_and_not_saved(official, login_as):
    competition = open_competition(official)
    response = login_as(official).post(
        f"/grants/{competition.pk}/edit/", edit_form(competition, lottery_seed="другое")
    )
    assert response.status_code == 200
    assert "lottery_seed" in response.context["form"].errors
    competition.refresh_from_db()
    assert competition.lottery_seed != "другое"


def test_publishing_from_the_desk(official, login_as, outsider):
    competition = competitions.competition_create(
        actor=official,
        kind="sonko",
        title="Черновик",
        budget=Decimal(100_000),
        max_grant=Decimal(50_000),
        applications_open=timezone.now(),
        applications_close=timezone.now() + timedelta(days=3),
        review_deadline=timezone.now() + timedelta(days=6),
        results_on=(timezone.now() + timedelta(days=9)).date(),
    )
    url = f"/grants/{competition.pk}/publish/"
    assert login_as(official).get(url).status_code == 405
    # a draft is not revealed to one who may not see it (as the API): 404, not 403
    assert login_as(outsider).post(url).status_code == 404
    response = login_as(official).post(url)
    assert said(response) == ["Конкурс объявлен."]
    again = login_as(official).post(url)
    assert said(again) == ["Конкурс уже объявлен."]
    competition.refresh_from_db()
    assert competition.status == Competition.Status.PUBLISHED


def test_criteria_are_added_and_changed_on_their_page(official, login_as, outsider):
    competition = open_competition(official)
    staff = login_as(official)
    assert login_as(outsider).get(f"/grants/{competition.pk}/criteria/new/").status_code == 403
    assert staff.get(f"/grants/{competition.pk}/criteria/new/").status_code == 200
    response = staff.post(
        f"/grants/{competition.pk}/criteria/new/",
        {"title": "Вовлечение жителей", "description": "", "weight": "1.5", "max_score": "5"},
    )
    assert response.url == f"/grants/{competition.pk}/manage/"
    added = competition.criteria.get(title="Вовлечение жителей")
    assert (added.weight, added.max_score, added.position) == (Decimal("1.5"), 5, 11)
    refused = staff.post(
        f"/grants/{competition.pk}/criteria/{added.pk}/",
        {"title": "Вовлечение", "description": "", "weight": "0", "max_score": "5"},
    )
    assert refused.status_code == 200
    assert "Вес должен быть больше нуля." in refused.content.decode()
    added.refresh_from_db()
    assert added.title == "Вовлечение жителей"


def test_a_criterion_of_another_competition_is_not_found(official, login_as):
    competition = open_competition(official)
    other = open_competition(official, title="Другой")
    foreign = other.criteria.first()
    staff = login_as(official)
    assert staff.get(f"/grants/{competition.pk}/criteria/{foreign.pk}/").status_code == 404
    assert staff.post(f"/grants/{competition.pk}/criteria/{foreign.pk}/delete/").status_code == 404
    assert Criterion.objects.filter(pk=foreign.pk).exists()


def test_deleting_a_criterion_until_experts_score(official, login_as, outsider):
    competition = open_competition(official)
    first, second = competition.criteria.all()[:2]
    assert (
        login_as(outsider).post(f"/grants/{competition.pk}/criteria/{first.pk}/delete/")
    ).status_code == 403
    login_as(official).post(f"/grants/{competition.pk}/criteria/{first.pk}/delete/")
    assert not Criterion.objects.filter(pk=first.pk).exists()
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    score_all(application.reviews.first(), 6)
    response = login_as(official).post(f"/grants/{competition.pk}/criteria/{second.pk}/delete/")
    assert said(response) == ["Эксперты уже ставят оценки: критерии менять нельзя."]
    assert Criterion.objects.filter(pk=second.pk).exists()


def test_co_organisers_are_added_by_email_and_removed(official, login_as, outsider):
    competition = open_competition(official)
    staff = login_as(official)
    unknown = staff.post(f"/grants/{competition.pk}/managers/", {"email": "nobody@example.org"})
    assert said(unknown) == ["На портале нет пользователя с таким email."]
    malformed = staff.post(f"/grants/{competition.pk}/managers/", {"email": "не почта"})
    # the field's own problem, not «no such user»
    [message] = said(malformed)
    assert "Введите правильный адрес электронной почты." in message
    assert (
        login_as(outsider)
        .post(f"/grants/{competition.pk}/managers/", {"email": outsider.email})
        .status_code
        == 403
    )
    staff.post(f"/grants/{competition.pk}/managers/", {"email": outsider.email.upper()})
    assert list(competition.managers.all()) == [outsider]
    stranger = UserFactory()
    assert staff.post(f"/grants/{competition.pk}/managers/{stranger.pk}/remove/").status_code == 404
    staff.post(f"/grants/{competition.pk}/managers/{outsider.pk}/remove/")
    assert not competition.managers.exists()
    assert login_as(outsider).get(f"/grants/{competition.pk}/manage/").status_code == 403


def test_an_erased_or_blocked_person_cannot_be_seated(official, login_as):
    competition = open_competition(official)
    blocked = UserFactory(is_active=False)
    erased = UserFactory(erased_at=timezone.now())
    staff = login_as(official)
    for person in (blocked, erased):
        response = staff.post(
            f"/grants/{competition.pk}/experts/", {"email": person.email, "sector": "nko"}
        )
        assert said(response) == ["На портале нет пользователя с таким email."]
        staff.post(f"/grants/{competition.pk}/managers/", {"email": person.email})
    assert not competition.experts.exists()
    assert not competition.managers.exists()


def test_experts_are_seated_by_email_and_taken_out_of_the_pool(official, login_as, outsider):
    competition = open_competition(official)
    person = UserFactory()
    staff = login_as(official)
    url = f"/grants/{competition.pk}/experts/"
    assert login_as(outsider).post(url, {"email": person.email, "sector": "nko"}).status_code == 403
    incomplete = staff.post(url, {"email": person.email})
    assert said(incomplete) == ["Укажите email и кого представляет эксперт."]
    added = staff.post(url, {"email": person.email, "sector": "business"})
    assert said(added) == ["Эксперт добавлен в пул."]
    again = staff.post(url, {"email": person.email, "sector": "nko"})
    assert said(again) == ["Этот человек уже в пуле экспертов конкурса."]
    expert = competition.experts.get()
    assert (expert.user, expert.sector, expert.is_active) == (person, "business", True)
    person.refresh_from_db()
    assert person.is_expert
    removed = staff.post(f"/grants/{competition.pk}/experts/{expert.pk}/remove/")
    assert removed.url == f"/grants/{competition.pk}/manage/"
    expert.refresh_from_db()
    assert not expert.is_active


def test_an_expert_of_another_competition_cannot_be_removed_here(official, login_as):
    competition = open_competition(official)
    other = open_competition(official, title="Другой")
    (foreign,) = expert_pool(other, official, 1)
    response = login_as(official).post(f"/grants/{competition.pk}/experts/{foreign.pk}/remove/")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


def test_an_expert_taken_out_returns_with_a_new_sector(official):
    competition = open_competition(official)
    (expert,) = expert_pool(competition, official, 1, sector=Expert.Sector.NKO)
    assignments.expert_remove(actor=official, expert=expert)
    back = assignments.expert_add(
        actor=official, competition=competition, user=expert.user, sector="independent"
    )
    assert (back.pk, back.is_active, back.sector) == (expert.pk, True, "independent")


def test_the_desk_filters_applications_by_status(official, login_as):
    competition = open_competition(official)
    admitted = admitted_application(competition, official, title="Допущенная")
    submitted, _leader = submitted_application(competition, title="Поданная")
    staff = login_as(official)
    every = staff.get(f"/grants/{competition.pk}/manage/").context["applications"]
    assert {a.pk for a in every} == {admitted.pk, submitted.pk}
    only = staff.get(f"/grants/{competition.pk}/manage/?status=admitted").context["applications"]
    assert [a.pk for a in only] == [admitted.pk]
    unknown = staff.get(f"/grants/{competition.pk}/manage/?status=<b>")
    assert unknown.status_code == 400  # refused naming the filter, not silently unfiltered
    assert "«status»" in unknown.content.decode()
    assert Application.objects.count() == 2


def test_the_desk_counts_reviews_and_the_pool_by_sector(official, login_as):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2, sector=Expert.Sector.NKO)
    (business,) = expert_pool(competition, official, 1, sector=Expert.Sector.BUSINESS)
    assignments.expert_remove(actor=official, expert=business)
    assignments.assign_experts(actor=official, competition=competition)
    score_all(application.reviews.first(), 8)
    context = login_as(official).get(f"/grants/{competition.pk}/manage/").context
    (row,) = context["applications"]
    assert (row.reviews_done, row.reviews_total) == (1, 2)
    assert context["sectors"] == [("представитель НКО", 2)]  # the removed one is not counted
    assert sorted(load for _expert, load in context["experts"]) == [0, 1, 1]
