"""The voting pages for every role: the list, a vote with its ballot (with and without
JavaScript for a budget vote), the receipt, the tally after closing, who voted, paper
ballots, confirming residents; hostile input gets a message, never a 500."""

from decimal import Decimal

import pytest
from django.test import Client

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Ballot, ResidentVerification, Vote, VoterMark
from dobry.civic.services import votes
from dobry.civic.sms import FakeSmsProvider
from dobry.civic.tests.factories import close_now, coordinator, running_vote, verified_resident

pytestmark = pytest.mark.django_db


def _option(vote, n):
    return vote.options.order_by("position")[n - 1].pk


def _closed(vote):
    close_now(vote)
    return votes.vote_move(actor=coordinator(), vote=vote, name="close")


def test_the_list_shows_announced_votes_and_drafts_to_coordinators_only():
    running_vote(title="Открытое")
    running_vote(title="Черновик", status=Vote.Status.DRAFT)
    public = Client().get("/votes/").content.decode()
    assert "Открытое" in public
    assert "Черновик" not in public
    assert "Черновик" in login(coordinator()).get("/votes/").content.decode()


@pytest.mark.parametrize("who", ["anonymous", "resident", "expert"])
def test_a_draft_is_not_found_but_for_coordinators(who):
    vote = running_vote(status=Vote.Status.DRAFT)
    client = Client() if who == "anonymous" else login(UserFactory(is_expert=who == "expert"))
    assert client.get(f"/votes/{vote.pk}/").status_code == 404
    assert login(coordinator()).get(f"/votes/{vote.pk}/").status_code == 200


def test_anonymous_people_see_the_options_and_are_asked_to_sign_in():
    vote = running_vote()
    page = Client().get(f"/votes/{vote.pk}/").content.decode()
    assert "Проект 1" in page
    assert "Войдите, чтобы голосовать." in page
    assert 'name="options"' not in page
    response = Client().post(f"/votes/{vote.pk}/", {"options": [_option(vote, 1)]})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Ballot.objects.exists()


def test_an_unconfirmed_resident_is_told_how_to_be_confirmed(settings):
    settings.DOBRY_SMS_PROVIDER = "dobry.civic.sms.FakeSmsProvider"
    vote = running_vote()
    client = login(UserFactory())
    page = client.get(f"/votes/{vote.pk}/").content.decode()
    assert "Голосуют подтверждённые жители." in page
    assert "/votes/confirm/" in page
    client.post(f"/votes/{vote.pk}/", {"options": [_option(vote, 1)], "action": "cast"})
    assert not Ballot.objects.exists()


def test_a_verified_resident_votes_and_gets_the_receipt_once():
    vote = running_vote()
    client = login(verified_resident())
    page = client.get(f"/votes/{vote.pk}/").content.decode()
    assert 'name="options"' in page
    response = client.post(
        f"/votes/{vote.pk}/", {"options": [_option(vote, 1), _option(vote, 2)], "action": "cast"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ваш голос принят" in text
    receipt = text.split("data-receipt>")[1].split("<")[0]
    assert votes.receipt_check(receipt) == vote
    again = client.get(f"/votes/{vote.pk}/").content.decode()
    assert "Вы проголосовали." in again
    assert receipt not in again
    repeated = client.post(f"/votes/{vote.pk}/", {"options": [_option(vote, 3)], "action": "cast"})
    assert "Вы уже проголосовали в этом голосовании." in repeated.content.decode()
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_over_k_is_refused_with_a_message_and_the_marks_kept():
    vote = running_vote(options=3, max_choices=1)
    client = login(verified_resident())
    ids = [_option(vote, 1), _option(vote, 2)]
    page = client.post(f"/votes/{vote.pk}/", {"options": ids, "action": "cast"}).content.decode()
    assert "Можно выбрать не больше 1 варианта." in page
    assert page.count("checked") == 2
    assert not Ballot.objects.exists()


def test_a_budget_ballot_counts_what_is_left_without_javascript_and_refuses_overspending():
    costs = [Decimal(150_000), Decimal(100_000), Decimal(60_000)]
    vote = running_vote(kind="budget", budget=Decimal(250_000), costs=costs)
    client = login(verified_resident())
    page = client.get(f"/votes/{vote.pk}/").content.decode()
    assert "Выбрано на 0 ₽, осталось 250\xa0000 ₽." in page
    assert "js/vote-budget.js" in page
    checked = client.post(
        f"/votes/{vote.pk}/", {"options": [_option(vote, 1)], "action": "check"}
    ).content.decode()
    assert "Выбрано на 150\xa0000 ₽, осталось 100\xa0000 ₽." in checked
    assert not Ballot.objects.exists()
    over = client.post(
        f"/votes/{vote.pk}/",
        {"options": [_option(vote, 1), _option(vote, 2), _option(vote, 3)], "action": "check"},
    ).content.decode()
    assert "это на 60\xa0000 ₽ больше бюджета" in over
    refused = client.post(
        f"/votes/{vote.pk}/",
        {"options": [_option(vote, 1), _option(vote, 2), _option(vote, 3)], "action": "cast"},
    ).content.decode()
    assert "а бюджет — 250\xa0000 ₽" in refused
    assert not Ballot.objects.exists()
    client.post(f"/votes/{vote.pk}/", {"options": [_option(vote, 1), _option(vote, 2)]})
    assert Ballot.objects.filter(vote=vote).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"options": ["²"]},
        {"options": ["99999999999999999999"]},
        {"options": ["-1"]},
        {"options": ["<script>"]},
        {"options": ["1"], "action": "drop"},
        {"options": ["\x00"]},
        {},
    ],
)
def test_hostile_ballots_get_a_message_never_a_500(data):
    vote = running_vote()
    response = login(verified_resident()).post(f"/votes/{vote.pk}/", data)
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert "error-summary" in response.content.decode()
    assert not Ballot.objects.exists()


def test_the_tally_is_shown_to_everyone_only_after_closing():
    vote = running_vote()
    votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=[_option(vote, 2)])
    for client in (Client(), login(coordinator())):
        assert "Итоги голосования" not in client.get(f"/votes/{vote.pk}/").content.decode()
    _closed(vote)
    page = Client().get(f"/votes/{vote.pk}/").content.decode()
    assert "Итоги голосования" in page
    assert "Подан 1 бюллетень" in page
    assert "выбран жителями" in page


def test_a_coordinator_announces_and_closes_with_buttons():
    vote = running_vote(status=Vote.Status.DRAFT)
    client = login(coordinator())
    assert "Объявить голосование" in client.get(f"/votes/{vote.pk}/").content.decode()
    client.post(f"/votes/{vote.pk}/move/", {"move": "announce"})
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN
    response = client.post(f"/votes/{vote.pk}/move/", {"move": "close"}, follow=True)
    assert "Голосование ещё идёт" in response.content.decode()
    assert client.post(f"/votes/{vote.pk}/move/", {"move": "explode"}).status_code == 400


@pytest.mark.parametrize("who", ["resident", "verified", "expert"])
def test_others_may_not_move_a_vote(who):
    vote = running_vote(status=Vote.Status.DRAFT)
    actor = verified_resident() if who == "verified" else UserFactory(is_expert=who == "expert")
    login(actor).post(f"/votes/{vote.pk}/move/", {"move": "announce"})
    vote.refresh_from_db()
    assert vote.status == Vote.Status.DRAFT


def test_who_voted_is_for_coordinators_and_officials_and_shows_no_choice():
    vote = running_vote()
    resident = verified_resident(first_name="Анна", last_name="Смирнова")
    votes.ballot_cast(actor=resident, vote=vote, option_ids=[_option(vote, 2)])
    url = f"/votes/{vote.pk}/voters/"
    assert Client().get(url).status_code == 302
    assert login(resident).get(url).status_code == 403
    assert login(UserFactory(is_expert=True)).get(url).status_code == 403
    for staff in (coordinator(), UserFactory(is_official=True)):
        page = login(staff).get(url).content.decode()
        assert "Смирнова" in page
        assert "Проект 2" not in page


def test_an_officer_enters_a_paper_ballot_by_the_residents_email_or_phone():
    vote = running_vote()
    officer = UserFactory()
    vote.officers.add(officer)
    by_email = UserFactory(email="voter@example.org")
    by_phone = UserFactory(phone="+73919750020")
    client = login(officer)
    assert client.get(f"/votes/{vote.pk}/paper/").status_code == 200
    first = client.post(
        f"/votes/{vote.pk}/paper/",
        {"voter": "VOTER@example.org", "polling_point": "Школа 1", "options": [_option(vote, 1)]},
    )
    assert "Бумажный бюллетень внесён" in first.content.decode()
    client.post(
        f"/votes/{vote.pk}/paper/",
        {"voter": "8 391 975-00-20", "polling_point": "Школа 1", "options": [_option(vote, 1)]},
    )
    assert set(VoterMark.objects.values_list("user", flat=True)) == {by_email.pk, by_phone.pk}
    again = client.post(
        f"/votes/{vote.pk}/paper/",
        {"voter": "voter@example.org", "polling_point": "Школа 2", "options": [_option(vote, 2)]},
    ).content.decode()
    assert "Вы уже проголосовали в этом голосовании." in again
    unknown = client.post(
        f"/votes/{vote.pk}/paper/",
        {"voter": "nobody@example.org", "polling_point": "1", "options": [_option(vote, 1)]},
    ).content.decode()
    assert "не найдена" in unknown
    assert Ballot.objects.filter(vote=vote).count() == VoterMark.objects.filter(vote=vote).count()
    assert VoterMark.objects.filter(vote=vote, channel="paper").count() == 2


@pytest.mark.parametrize("who", ["anonymous", "resident", "verified", "expert"])
def test_paper_ballots_are_not_for_others(who):
    vote = running_vote()
    if who == "anonymous":
        assert Client().get(f"/votes/{vote.pk}/paper/").status_code == 302
        return
    actor = verified_resident() if who == "verified" else UserFactory(is_expert=who == "expert")
    assert login(actor).get(f"/votes/{vote.pk}/paper/").status_code == 403


def test_the_receipt_page_says_counted_or_not_found():
    vote = running_vote(title="Скверы")
    receipt = votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=[_option(vote, 1)])
    found = Client().get("/votes/receipt/", {"code": receipt}).content.decode()
    assert "учтён в голосовании" in found
    assert "Скверы" in found
    assert "Проект 1" not in found
    missing = Client().get("/votes/receipt/", {"code": "AAAA-AAAA-AAAA"}).content.decode()
    assert "не найден" in missing
    for hostile in ["\x00", "x" * 500, "²"]:
        assert Client().get("/votes/receipt/", {"code": hostile}).status_code in {200, 400}


def test_a_resident_confirms_by_sms_on_the_page(settings):
    settings.DOBRY_SMS_PROVIDER = "dobry.civic.sms.FakeSmsProvider"
    FakeSmsProvider.sent.clear()
    resident = UserFactory()
    client = login(resident)
    assert "Прислать код" in client.get("/votes/confirm/").content.decode()
    client.post("/votes/confirm/", {"phone": "+7 391 975-00-30"})
    code = FakeSmsProvider.sent[-1][1].rsplit(" ", 1)[-1]
    wrong = client.post("/votes/confirm/", {"code": "abc"}).content.decode()
    assert "Неверный код." in wrong
    client.post("/votes/confirm/", {"code": code})
    assert ResidentVerification.objects.get(user=resident).method == "sms"
    assert "можете голосовать" in client.get("/votes/confirm/").content.decode()
    FakeSmsProvider.sent.clear()


def test_without_sms_the_page_sends_residents_to_a_coordinator(settings):
    settings.DOBRY_SMS_PROVIDER = ""
    page = login(UserFactory()).get("/votes/confirm/").content.decode()
    assert "попросите координатора" in page
    assert "Прислать код" not in page
    assert Client().get("/votes/confirm/").status_code == 302


def test_a_coordinator_confirms_and_unconfirms_a_resident_by_email():
    resident = UserFactory(email="anna@example.org")
    client = login(coordinator())
    client.post("/votes/residents/", {"email": "anna@example.org", "action": "verify"})
    assert ResidentVerification.objects.filter(user=resident).exists()
    again = client.post("/votes/residents/", {"email": "anna@example.org", "action": "verify"})
    assert "уже подтверждён" in again.content.decode()
    client.post("/votes/residents/", {"email": "anna@example.org", "action": "unverify"})
    assert not ResidentVerification.objects.exists()
    missing = client.post("/votes/residents/", {"email": "no@example.org", "action": "verify"})
    assert "не найдена" in missing.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "resident", "verified", "official"])
def test_only_coordinators_confirm_residents_on_the_page(who):
    if who == "anonymous":
        assert Client().get("/votes/residents/").status_code == 302
        return
    actor = verified_resident() if who == "verified" else UserFactory(is_official=who == "official")
    client = login(actor)
    assert client.get("/votes/residents/").status_code == 403
    client.post("/votes/residents/", {"email": actor.email, "action": "verify"})
    assert ResidentVerification.objects.count() == (1 if who == "verified" else 0)


def test_a_closed_vote_about_a_competition_shows_its_tally_on_the_results_page():
    from django.template.loader import render_to_string

    from dobry.civic.vote_selectors import competition_section
    from dobry.grants.result_sections import results_sections
    from dobry.grants.tests.factories import admitted_application, open_competition

    official = UserFactory(is_official=True, is_coordinator=True)
    competition = open_competition(official)
    admitted_application(competition, official, title="Сквер у школы")
    vote = running_vote(options=0, competition=competition)
    vote.options.create(title="Сквер у школы", position=1)
    vote.options.create(title="Каток", position=2)
    votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=[_option(vote, 1)])
    assert competition_section(competition) is None
    _closed(vote)
    sections = results_sections(competition)
    assert [s.template for s in sections] == ["civic/votes/_competition_results.html"]
    html = render_to_string(sections[0].template, {"data": sections[0].context})
    assert "Голосование жителей: Народный выбор" in html
    assert "отдельная награда «народный выбор»" in html
    assert "Сквер у школы" in html
    assert "Подан 1 бюллетень." in html


def test_the_list_names_how_many_options_a_resident_may_choose():
    """The list said «выбрать до K вариантов»: the kind's label, with its letter K."""
    running_vote(max_choices=2)
    running_vote(max_choices=1, title="Один из трёх")
    running_vote(kind="budget", title="Бюджет")
    html = Client().get("/votes/").content.decode()
    assert "до K" not in html
    assert "выбрать до 2 вариантов" in html
    assert "выбрать 1 вариант" in html
    assert "выбрать проекты в пределах бюджета" in html


def test_counts_of_two_to_four_read_in_the_russian_few_form():
    """«Подано 2 бюллетеней», «3 вариантов»: the Russian plural of 2–4 had the form of 5."""
    vote = running_vote(options=3)
    for _n in range(2):
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=[_option(vote, 1)])
    assert "3 варианта" in Client().get("/votes/").content.decode()
    _closed(vote)
    html = Client().get(vote.get_absolute_url()).content.decode()
    assert "Подано 2 бюллетеня" in html
    voters = login(coordinator()).get(f"/votes/{vote.pk}/voters/").content.decode()
    assert "Проголосовали 2 жителя" in voters
