"""The coordinators' pages that prepare a vote, for every role: a new vote, its rules, its
options and officers; the page says why nothing changes once voting has opened (409 to a
form sent after); hostile input gets a message at the field, never a 500; the preparation
page costs the same queries for few and many options."""

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Vote, VoteOption
from dobry.civic.tests.factories import (
    InitiativeFactory,
    close_now,
    coordinator,
    running_vote,
    verified_resident,
)
from dobry.grants.tests.factories import admitted_application, open_competition

pytestmark = pytest.mark.django_db


def _draft(**kwargs):
    return running_vote(status=Vote.Status.DRAFT, **kwargs)


def _new_vote_form(**changes):
    return {
        "title": "Народный бюджет",
        "description": "Выбираем проекты дворов",
        "kind": "budget",
        "budget": "500 000",
        "max_choices": "",
        "opens_at": "2027-03-01T09:00",
        "closes_at": "2027-03-15T21:00",
        "competition": "",
        "use": "award",
        **changes,
    }


def _rules_form(vote, **changes):
    return {
        "title": vote.title,
        "description": "",
        "max_choices": str(vote.max_choices),
        "budget": "",
        "opens_at": "2027-04-01T10:00",
        "closes_at": "2027-04-10T20:00",
        "use": "award",
        **changes,
    }


def _officer(vote):
    officer = UserFactory()
    vote.officers.add(officer)
    return officer


@pytest.mark.parametrize("who", ["resident", "verified", "officer", "expert"])
def test_only_coordinators_reach_the_preparation_pages(who):
    vote = running_vote()
    user = {
        "resident": UserFactory,
        "verified": verified_resident,
        "officer": lambda: _officer(vote),
        "expert": lambda: UserFactory(is_expert=True),
    }[who]()
    client = login(user)
    assert client.get("/votes/new/").status_code == 403
    assert client.post("/votes/new/", _new_vote_form()).status_code == 403
    assert client.get(f"/votes/{vote.pk}/prepare/").status_code == 403
    assert client.post(f"/votes/{vote.pk}/options/", {"title": "Чужой"}).status_code == 403
    option = vote.options.first()
    assert client.post(f"/votes/options/{option.pk}/remove/").status_code == 403
    assert client.post(f"/votes/{vote.pk}/officers/", {"email": "a@b.ru"}).status_code == 403
    assert "Новое голосование" not in client.get("/votes/").content.decode()
    assert Vote.objects.count() == 1
    assert vote.options.count() == 3


def test_a_draft_is_not_even_found_by_others():
    vote = _draft()
    assert login(UserFactory()).get(f"/votes/{vote.pk}/prepare/").status_code == 404


def test_anonymous_people_are_sent_to_sign_in():
    vote = running_vote()
    for url in ("/votes/new/", f"/votes/{vote.pk}/prepare/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert Client().post(f"/votes/{vote.pk}/options/", {"title": "x"}).status_code == 302
    assert vote.options.count() == 3


def test_a_coordinator_creates_a_budget_vote_in_the_citys_time():
    client = login(coordinator())
    assert "Новое голосование" in client.get("/votes/").content.decode()
    response = client.post("/votes/new/", _new_vote_form())
    vote = Vote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/votes/{vote.pk}/prepare/"
    assert (vote.kind, vote.budget, vote.status) == ("budget", Decimal(500_000), "draft")
    # 09:00 in Krasnoyarsk (UTC+7) is 02:00 UTC
    assert vote.opens_at.astimezone(UTC).hour == 2
    page = client.get(response["Location"]).content.decode()
    assert "Вариантов пока нет" in page
    assert "15 марта 2027" in page  # the automatic close, on the city's clock


def test_a_vote_about_a_competition_takes_its_admitted_applications():
    official = UserFactory(is_official=True, is_coordinator=True)
    competition = open_competition(official)
    application = admitted_application(competition, official)
    client = login(official)
    form = _new_vote_form(
        kind="approval", budget="", max_choices="2", use="criterion", criterion_points="10"
    )
    response = client.post("/votes/new/", {**form, "competition": competition.pk})
    vote = Vote.objects.get()
    assert response.status_code == 302
    assert (vote.competition, vote.use) == (competition, "criterion")
    assert vote.options.get().application == application


@pytest.mark.parametrize(
    ("changes", "field_text"),
    [
        ({"title": ""}, "Обязательное поле"),
        ({"kind": "lottery"}, "Выберите корректный вариант"),
        ({"budget": ""}, "Укажите бюджет"),
        ({"budget": "1e30"}, ""),
        ({"budget": "-5"}, ""),
        ({"closes_at": "2027-02-01T10:00"}, "заканчиваться позже"),
        ({"opens_at": "0001-01-01T00:00"}, ""),
        ({"opens_at": "9999-12-31T23:59"}, ""),
        ({"opens_at": "завтра"}, ""),
        ({"use": "criterion"}, "только в голосовании о конкурсе"),
        ({"competition": "999999"}, ""),
        ({"competition": "٣"}, ""),
        ({"kind": "approval", "budget": "", "max_choices": "0"}, ""),
        ({"title": "a\u0000b"}, ""),
    ],
)
def test_hostile_input_on_a_new_vote_gets_a_message_never_a_500(changes, field_text):
    client = login(coordinator())
    response = client.post("/votes/new/", _new_vote_form(**changes))
    assert response.status_code in (200, 400)
    page = response.content.decode()
    if response.status_code == 200:
        assert "error-summary" in page
        if field_text:
            assert field_text in page
    assert not Vote.objects.exists()


def test_the_rules_change_before_voting_opens():
    vote = _draft()
    client = login(coordinator())
    page = client.get(f"/votes/{vote.pk}/prepare/").content.decode()
    assert "Сохранить правила" in page
    response = client.post(
        f"/votes/{vote.pk}/prepare/", _rules_form(vote, title="Дворы", max_choices="1")
    )
    assert response.status_code == 302
    vote.refresh_from_db()
    assert (vote.title, vote.max_choices) == ("Дворы", 1)


def test_wrong_rules_get_a_message_at_the_field():
    vote = _draft()
    response = login(coordinator()).post(
        f"/votes/{vote.pk}/prepare/", _rules_form(vote, closes_at="2027-03-01T10:00")
    )
    assert response.status_code == 200
    assert "заканчиваться позже" in response.content.decode()
    vote.refresh_from_db()
    assert vote.title == "Народный выбор"


def test_options_are_added_by_hand_and_from_initiatives_and_removed():
    vote = _draft(kind="budget", options=0)
    initiative = InitiativeFactory(title="Сквер у школы")
    client = login(coordinator())
    page = client.get(f"/votes/{vote.pk}/prepare/").content.decode()
    assert "Сквер у школы" in page  # offered in the list of initiatives
    response = client.post(
        f"/votes/{vote.pk}/options/", {"initiative": initiative.pk, "cost": "120 000,50"}
    )
    assert response.status_code == 302
    client.post(f"/votes/{vote.pk}/options/", {"title": "Горка", "cost": "80000"})
    assert [(o.title, o.cost) for o in vote.options.order_by("position")] == [
        ("Сквер у школы", Decimal("120000.50")),
        ("Горка", Decimal(80000)),
    ]
    refused = client.post(f"/votes/{vote.pk}/options/", {"title": "Без цены"})
    assert "стоимость" in refused.content.decode()
    both = client.post(
        f"/votes/{vote.pk}/options/", {"title": "x", "cost": "1", "initiative": initiative.pk}
    )
    assert both.status_code == 200  # the initiative is no longer offered
    option = vote.options.get(title="Горка")
    assert client.post(f"/votes/options/{option.pk}/remove/").status_code == 302
    assert vote.options.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"title": "x" * 301, "cost": "1"},
        {"title": "a", "cost": "1e400"},
        {"title": "a", "cost": "²"},
        {"title": "a", "cost": "1", "initiative": "9223372036854775808"},
        {"title": "a", "cost": "0"},
        {"title": "'\"<>", "cost": "-1"},
    ],
)
def test_hostile_options_are_refused_with_a_message(body):
    vote = _draft(kind="budget", options=0)
    response = login(coordinator()).post(f"/votes/{vote.pk}/options/", body)
    assert response.status_code in (200, 400)
    assert not vote.options.exists()


def test_once_voting_has_opened_the_page_says_why_and_forms_get_409():
    vote = running_vote()
    client = login(coordinator())
    page = client.get(f"/votes/{vote.pk}/prepare/").content.decode()
    assert "Голосование уже началось" in page
    assert "Сохранить правила" not in page
    assert "Убрать" not in page
    option = vote.options.first()
    for url, body in [
        (f"/votes/{vote.pk}/prepare/", _rules_form(vote, title="Другое")),
        (f"/votes/{vote.pk}/options/", {"title": "Поздний"}),
        (f"/votes/options/{option.pk}/remove/", {}),
    ]:
        response = client.post(url, body)
        assert response.status_code == 409
        assert "Голосование уже началось" in response.content.decode()
    vote.refresh_from_db()
    assert (vote.title, vote.options.count()) == ("Народный выбор", 3)


def test_officers_are_added_and_removed_by_email_until_the_tally():
    vote = running_vote()
    officer = UserFactory(email="counter@example.com", first_name="Нина", last_name="Счётова")
    client = login(coordinator())
    response = client.post(
        f"/votes/{vote.pk}/officers/", {"email": "COUNTER@example.com", "action": "add"}
    )
    assert response.status_code == 302
    assert list(vote.officers.all()) == [officer]
    assert "Счётова" in client.get(f"/votes/{vote.pk}/prepare/").content.decode()
    unknown = client.post(
        f"/votes/{vote.pk}/officers/", {"email": "nobody@example.com", "action": "add"}
    )
    assert "не найдена" in unknown.content.decode()
    client.post(f"/votes/{vote.pk}/officers/", {"email": officer.email, "action": "remove"})
    assert not vote.officers.exists()
    close_now(vote)
    client.post(f"/votes/{vote.pk}/move/", {"move": "close"})
    late = client.post(f"/votes/{vote.pk}/officers/", {"email": officer.email, "action": "add"})
    assert late.status_code == 409
    assert not vote.officers.exists()


def test_the_vote_page_links_coordinators_to_its_preparation():
    vote = running_vote()
    assert (
        f"/votes/{vote.pk}/prepare/"
        in login(coordinator()).get(f"/votes/{vote.pk}/").content.decode()
    )
    assert f"/votes/{vote.pk}/prepare/" not in Client().get(f"/votes/{vote.pk}/").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_preparation_page_costs_the_same_for_few_and_many_options_and_officers():
    vote = _draft(options=1)
    client = login(coordinator())
    few = _queries(client, f"/votes/{vote.pk}/prepare/")
    for n in range(6):
        VoteOption.objects.create(
            vote=vote, position=10 + n, title=f"Ещё {n}", initiative=InitiativeFactory()
        )
        vote.officers.add(UserFactory())
    assert _queries(client, f"/votes/{vote.pk}/prepare/") == few


def test_a_draft_with_an_opening_moment_in_the_past_is_still_prepared():
    past = timezone.now() - timedelta(days=1)
    vote = _draft(opens_at=past, closes_at=past + timedelta(days=5))
    response = login(coordinator()).post(f"/votes/{vote.pk}/options/", {"title": "Ещё"})
    assert response.status_code == 302


def test_each_input_of_the_preparation_page_has_its_own_id_and_label():
    """The rules' form and the options' form both had `id_title` and `id_description`:
    the label «Название варианта» pointed at the vote's title (a screen reader, a click
    on the label and an error summary's link all went to the wrong input)."""
    import re

    vote = _draft(kind="budget", options=0)
    client = login(coordinator())
    html = client.get(f"/votes/{vote.pk}/prepare/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert ids.count(target) == 1
    assert '<label for="option_title">Название варианта' in html
    assert '<label for="officer_email">Email члена счётной комиссии' in html
    refused = client.post(f"/votes/{vote.pk}/options/", {"title": "Горка"}).content.decode()
    assert 'href="#option_cost"' in refused


def test_an_option_named_by_hand_leaves_the_initiatives_and_applications_offered():
    """The lists left out what already is an option by «NOT IN» the options' ids, NULL for
    an option named by hand: after one such option no initiative and no application was
    offered any more (the programme journey found the empty list)."""
    official = UserFactory(is_official=True, is_coordinator=True)
    competition = open_competition(official)
    application = admitted_application(competition, official, title="Сквер у школы")
    vote = _draft(kind="approval", options=0, competition=competition)
    initiative = InitiativeFactory(title="Каток во дворе")
    client = login(official)
    client.post(f"/votes/{vote.pk}/options/", {"title": "Горка"})
    page = client.get(f"/votes/{vote.pk}/prepare/").content.decode()
    assert f'<option value="{initiative.pk}">Каток во дворе</option>' in page
    assert f'<option value="{application.pk}">' in page
    added = client.post(f"/votes/{vote.pk}/options/", {"initiative": initiative.pk})
    assert added.status_code == 302
    client.post(f"/votes/{vote.pk}/options/", {"application": application.pk})
    assert list(vote.options.order_by("position").values_list("title", flat=True)) == [
        "Горка",
        "Каток во дворе",
        "Сквер у школы",
    ]
