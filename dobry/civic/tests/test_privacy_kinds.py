"""Each kind of person around an initiative in the export and on erasure: the author, a
supporter, a follower, a team member who posted results, a commenter whose comment was
reported, a reporter, the coordinator who answered; and what other people's rows keep."""

import pytest
from django.test import Client

from dobry.accounts import personal_data
from dobry.accounts.services import user_erase
from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import (
    Comment,
    CommentReport,
    Initiative,
    Support,
    TeamMember,
    TimelineEntry,
)
from dobry.civic.services.initiatives import centre_respond, initiative_move, timeline_post
from dobry.civic.services.people import (
    comment_add,
    comment_report,
    follow_set,
    support_add,
    team_join,
)
from dobry.civic.tests.factories import InitiativeFactory, coordinator
from dobry.core.erasure import REDACTED

pytestmark = pytest.mark.django_db


def _section(user):
    return personal_data.export_sections(user)["initiatives"]


def test_the_author_erased_leaves_an_initiative_the_city_still_reads_and_coordinators_run():
    author = UserFactory(first_name="Пётр", last_name="Зимин")
    initiative = InitiativeFactory(author=author, title="Каток", status=Initiative.Status.GATHERING)
    initiative_move(actor=author, initiative=initiative, name="start", note="Начали, Зимин")
    user_erase(user=author, actor=None)
    initiative.refresh_from_db()
    assert initiative.author is None
    assert not TimelineEntry.objects.filter(author=author).exists()
    assert TimelineEntry.objects.filter(initiative=initiative).count() == 2
    assert TimelineEntry.objects.get(moved_from="gathering").note == f"Начали, {REDACTED}"
    assert Client().get(initiative.get_absolute_url()).status_code == 200
    assert Client().get(f"/api/v1/initiatives/{initiative.pk}").json()["title"] == "Каток"
    moved = initiative_move(actor=coordinator(), initiative=initiative, name="finish")
    assert moved.status == Initiative.Status.DONE  # followers told; nobody's gone author


def test_a_supporter_is_exported_and_erased_the_threshold_stays(settings):
    settings.DOBRY_INITIATIVE_SUPPORT_THRESHOLD = 1
    supporter = UserFactory()
    initiative = InitiativeFactory(title="Сквер")
    support_add(actor=supporter, initiative=initiative)
    section = _section(supporter)
    assert [s["initiative"] for s in section["supports"]] == ["Сквер"]
    assert (section["initiatives"], section["teams"], section["comments"]) == ([], [], [])
    user_erase(user=supporter, actor=None)
    initiative.refresh_from_db()
    assert not Support.objects.exists()
    assert initiative.threshold_reached_at is not None
    assert initiative.response_due is not None


def test_a_follower_is_exported_by_the_initiatives_title_and_erased():
    follower = UserFactory()
    follow_set(actor=follower, initiative=InitiativeFactory(title="Фонтан"), follow=True)
    assert _section(follower)["follows"] == ["Фонтан"]
    user_erase(user=follower, actor=None)
    assert not follower.initiative_follows.exists()


def test_a_team_member_leaves_the_team_on_erasure_their_results_stay_without_name(
    settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    member = UserFactory(first_name="Анна", last_name="Ветрова")
    initiative = InitiativeFactory(title="Сквер")
    team_join(actor=member, initiative=initiative, role="фотограф")
    timeline_post(actor=member, initiative=initiative, note="Посадили липы — Ветрова")
    section = _section(member)
    assert [(t["initiative"], t["role"], t["withdrawn_at"]) for t in section["teams"]] == [
        ("Сквер", "фотограф", None)
    ]
    assert [e["note"] for e in section["timeline"]] == ["Посадили липы — Ветрова"]
    user_erase(user=member, actor=None)
    assert not TeamMember.objects.exists()
    entry = TimelineEntry.objects.get(note__startswith="Посадили")
    assert entry.author is None
    assert entry.note == f"Посадили липы — {REDACTED}"


def test_a_commenters_reported_comment_goes_with_its_reports():
    commenter = UserFactory()
    initiative = InitiativeFactory()
    comment = comment_add(actor=commenter, initiative=initiative, text="Грубость")
    comment_report(actor=UserFactory(), comment=comment, reason="грубо")
    assert _section(commenter)["comments"][0]["status"] == "reported"
    user_erase(user=commenter, actor=None)
    assert not Comment.objects.exists()
    assert not CommentReport.objects.exists()


def test_a_reporter_exports_their_reason_and_loses_it_the_comment_stays():
    reporter = UserFactory()
    comment = comment_add(actor=UserFactory(), initiative=InitiativeFactory(), text="Спорно")
    comment_report(actor=reporter, comment=comment, reason="не по теме")
    reports = _section(reporter)["comment_reports"]
    assert [(r["comment"], r["reason"]) for r in reports] == [(comment.pk, "не по теме")]
    user_erase(user=reporter, actor=None)
    assert not CommentReport.objects.exists()
    assert Comment.objects.get().text == "Спорно"


def test_a_reporter_never_exports_the_reported_text_even_once_hidden():
    reporter = UserFactory()
    comment = comment_add(actor=UserFactory(), initiative=InitiativeFactory(), text="Оскорбление")
    comment_report(actor=reporter, comment=comment, reason="грубо")
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.HIDDEN)
    assert "Оскорбление" not in str(_section(reporter))


def test_a_comment_whose_only_reporter_is_erased_stays_for_the_moderator():
    reporter = UserFactory()
    comment = comment_add(actor=UserFactory(), initiative=InitiativeFactory(), text="Спорно")
    comment_report(actor=reporter, comment=comment, reason="не по теме")
    user_erase(user=reporter, actor=None)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REPORTED


def test_others_texts_lose_the_erased_persons_name_and_phone():
    person = UserFactory(first_name="Ольга", last_name="Ключникова", phone="+79135550101")
    initiative = InitiativeFactory(problem="Звоните Ключниковой: +7 913 555-01-01")
    comment = comment_add(actor=UserFactory(), initiative=initiative, text="Ольга Ключникова права")
    user_erase(user=person, actor=None)
    comment.refresh_from_db()
    initiative.refresh_from_db()
    assert "Ключникова" not in comment.text
    assert "555" not in initiative.problem


def test_the_coordinator_who_answered_keeps_no_export_row_and_the_answer_stays():
    staff = coordinator()
    initiative = InitiativeFactory(threshold_reached_at="2026-01-01T00:00Z")
    centre_respond(actor=staff, initiative=initiative, response="Консультация в четверг")
    section = _section(staff)
    assert all(rows == [] for rows in section.values())
    user_erase(user=staff, actor=None)
    initiative.refresh_from_db()
    assert initiative.response == "Консультация в четверг"
    assert initiative.responded_at is not None


def test_the_export_of_one_person_holds_nobody_elses_rows():
    one, other = UserFactory(), UserFactory()
    initiative = InitiativeFactory()
    for person in (one, other):
        support_add(actor=person, initiative=initiative)
        team_join(actor=person, initiative=initiative, role=f"роль {person.pk}")
        comment_add(actor=person, initiative=initiative, text=f"текст {person.pk}")
    section = _section(one)
    assert [t["role"] for t in section["teams"]] == [f"роль {one.pk}"]
    assert [c["text"] for c in section["comments"]] == [f"текст {one.pk}"]
    assert len(section["supports"]) == 1
