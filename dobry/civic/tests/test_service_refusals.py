"""Every refusal of the civic services, with its kind (DomainError 422 / InvalidTransition
409 / PermissionDenied 403) and the field it names; and each stage move from each stage,
allowed or refused, with what it leaves behind (nothing, when refused)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import (
    INITIATIVE_WORKFLOW,
    Comment,
    CommentReport,
    Initiative,
    InitiativeLink,
    Support,
    TeamMember,
    TimelineEntry,
)
from dobry.civic.services.initiatives import (
    centre_respond,
    initiative_move,
    initiative_save,
    link_add,
    link_remove,
    timeline_post,
)
from dobry.civic.services.people import (
    comment_add,
    comment_move,
    comment_report,
    follow_set,
    support_add,
    support_remove,
    team_join,
    team_leave,
)
from dobry.civic.tests.factories import CommentFactory, InitiativeFactory, coordinator, picture
from dobry.communications.tests.factories import NewsItemFactory
from dobry.core.audit import AuditEntry
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
S = Initiative.Status
BODY = {"title": "Каток", "problem": "Негде кататься", "idea": "Залить каток"}


def _field_error(error_info, field):
    return error_info.value.field_errors[field][0]


# Initiatives: posting and editing


def test_an_empty_title_is_refused_at_its_field_and_nothing_is_saved():
    with pytest.raises(ValidationError) as refused:
        initiative_save(actor=UserFactory(), **{**BODY, "title": "   "})
    assert "title" in refused.value.message_dict
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("money", [Decimal("0.5"), Decimal("100000000.01")])
def test_money_out_of_its_range_is_refused_at_its_field(money):
    with pytest.raises(ValidationError) as refused:
        initiative_save(actor=UserFactory(), **BODY, needed_money=money)
    assert list(refused.value.message_dict) == ["needed_money"]
    assert not Initiative.objects.exists()


def test_the_most_money_is_accepted():
    saved = initiative_save(actor=UserFactory(), **BODY, needed_money=Decimal("100000000"))
    saved.refresh_from_db()
    assert saved.needed_money == Decimal("100000000.00")


def test_an_unknown_area_is_refused():
    with pytest.raises(ValidationError) as refused:
        initiative_save(actor=UserFactory(), **BODY, area="martian")
    assert list(refused.value.message_dict) == ["area"]


def test_a_group_the_actor_does_not_edit_is_refused_at_the_group_field():
    with pytest.raises(DomainError) as refused:
        initiative_save(actor=UserFactory(), **BODY, group=OrganizationFactory())
    assert "group" in refused.value.field_errors
    assert not Initiative.objects.exists()


def test_an_outsider_editing_changes_nothing():
    initiative = InitiativeFactory(title="Старое")
    with pytest.raises(PermissionDenied):
        initiative_save(actor=UserFactory(), initiative=initiative, **BODY)
    initiative.refresh_from_db()
    assert initiative.title == "Старое"
    assert not AuditEntry.objects.filter(action="civic.initiative_edit").exists()


def test_an_edit_keeps_the_status_the_author_and_the_timeline():
    initiative = InitiativeFactory(status=S.GATHERING)
    staff = coordinator()
    saved = initiative_save(actor=staff, initiative=initiative, **BODY, address="  двор  ")
    assert (saved.status, saved.author, saved.address) == (S.GATHERING, initiative.author, "двор")
    assert initiative.timeline.count() == 1
    assert not saved.follows.filter(user=staff).exists()


# Stage moves: every move from every stage


MOVES = [move.name for move in INITIATIVE_WORKFLOW.moves]
ALLOWED = {
    ("gather", S.IDEA): S.GATHERING,
    ("to_centre", S.IDEA): S.RESOURCE_CENTRE,
    ("to_centre", S.GATHERING): S.RESOURCE_CENTRE,
    ("start", S.GATHERING): S.IN_PROGRESS,
    ("start", S.RESOURCE_CENTRE): S.IN_PROGRESS,
    ("finish", S.IN_PROGRESS): S.DONE,
    ("reopen", S.DONE): S.IN_PROGRESS,
}


@pytest.mark.parametrize("stage", list(S))
@pytest.mark.parametrize("name", MOVES)
def test_each_move_from_each_stage(name, stage):
    initiative = InitiativeFactory(status=stage)
    staff = coordinator()
    target = ALLOWED.get((name, stage))
    if target is None:
        with pytest.raises(InvalidTransition):
            initiative_move(actor=staff, initiative=initiative, name=name)
        initiative.refresh_from_db()
        assert initiative.status == stage
        assert not initiative.timeline.exclude(moved_from="").exists()
        return
    moved = initiative_move(actor=staff, initiative=initiative, name=name, note=" Итог ")
    assert moved.status == target
    entry = initiative.timeline.get(moved_from=stage)
    assert (entry.stage, entry.note, entry.author) == (target, "Итог", staff)
    logged = AuditEntry.objects.get(action=f"civic.initiative_{name}")
    assert logged.data == {"from": stage, "to": target}


@pytest.mark.parametrize("name", MOVES)
def test_an_outsider_is_refused_every_move_before_the_stage_is_looked_at(name):
    initiative = InitiativeFactory(status=S.DONE)
    with pytest.raises(PermissionDenied):
        initiative_move(actor=UserFactory(), initiative=initiative, name=name)


def test_an_unknown_move_changes_nothing():
    initiative = InitiativeFactory()
    with pytest.raises(DomainError):
        initiative_move(actor=coordinator(), initiative=initiative, name="teleport")
    initiative.refresh_from_db()
    assert initiative.status == S.IDEA


def test_a_move_note_over_its_limit_is_refused_at_its_field():
    initiative = InitiativeFactory()
    with pytest.raises(DomainError) as refused:
        initiative_move(
            actor=initiative.author, initiative=initiative, name="gather", note="я" * 5000
        )
    assert "note" in refused.value.field_errors
    initiative.refresh_from_db()
    assert initiative.status == S.IDEA


# Results on the timeline


def test_an_empty_result_is_refused_at_the_note():
    initiative = InitiativeFactory()
    with pytest.raises(DomainError) as refused:
        timeline_post(actor=initiative.author, initiative=initiative, note="  ")
    assert "note" in refused.value.field_errors
    assert initiative.timeline.count() == 1


def test_a_photo_without_a_description_is_refused_at_photo_alt(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    initiative = InitiativeFactory()
    with pytest.raises(ValidationError) as refused:
        timeline_post(actor=initiative.author, initiative=initiative, note="", photo=picture())
    assert list(refused.value.message_dict) == ["photo_alt"]
    assert initiative.timeline.count() == 1


def test_an_outsider_posts_no_result():
    initiative = InitiativeFactory()
    with pytest.raises(PermissionDenied):
        timeline_post(actor=UserFactory(), initiative=initiative, note="Я тоже")
    assert initiative.timeline.count() == 1


def test_a_result_is_on_the_stage_the_initiative_is_in():
    initiative = InitiativeFactory(status=S.IN_PROGRESS)
    entry = timeline_post(actor=coordinator(), initiative=initiative, note=" Поставили ")
    assert (entry.stage, entry.moved_from, entry.note, entry.is_move) == (
        S.IN_PROGRESS, "", "Поставили", False,
    )  # fmt: skip


# The resource centre's answer


def test_an_empty_answer_is_refused_at_its_field():
    initiative = InitiativeFactory(threshold_reached_at="2026-01-01T00:00Z")
    with pytest.raises(DomainError) as refused:
        centre_respond(actor=coordinator(), initiative=initiative, response=" \n ")
    assert "response" in refused.value.field_errors


def test_an_answer_over_its_limit_is_refused_at_its_field():
    initiative = InitiativeFactory(threshold_reached_at="2026-01-01T00:00Z")
    with pytest.raises(DomainError) as refused:
        centre_respond(actor=coordinator(), initiative=initiative, response="я" * 20_000)
    assert "response" in refused.value.field_errors


def test_the_author_does_not_answer_for_the_centre():
    initiative = InitiativeFactory(threshold_reached_at="2026-01-01T00:00Z")
    with pytest.raises(PermissionDenied):
        centre_respond(actor=initiative.author, initiative=initiative, response="Сам отвечу")
    initiative.refresh_from_db()
    assert (initiative.response, initiative.responded_at) == ("", None)


def test_before_the_threshold_the_answer_is_a_conflict():
    initiative = InitiativeFactory()
    with pytest.raises(InvalidTransition):
        centre_respond(actor=coordinator(), initiative=initiative, response="Рано")
    initiative.refresh_from_db()
    assert initiative.responded_at is None


# Links


def test_a_link_twice_is_refused_and_kept_once():
    initiative = InitiativeFactory()
    news = NewsItemFactory()
    link_add(actor=initiative.author, initiative=initiative, kind="news", pk=news.pk)
    with pytest.raises(DomainError):
        link_add(actor=initiative.author, initiative=initiative, kind="news", pk=news.pk)
    assert InitiativeLink.objects.count() == 1


@pytest.mark.parametrize("kind", ["user", "initiative", "", "news\x00"])
def test_kinds_an_initiative_does_not_link_to_are_refused_at_kind(kind):
    initiative = InitiativeFactory()
    with pytest.raises(DomainError) as refused:
        link_add(actor=initiative.author, initiative=initiative, kind=kind, pk=1)
    assert "kind" in refused.value.field_errors


def test_an_unknown_object_is_refused_at_pk():
    initiative = InitiativeFactory()
    with pytest.raises(DomainError) as refused:
        link_add(actor=initiative.author, initiative=initiative, kind="news", pk=999_999)
    assert "pk" in refused.value.field_errors
    assert not InitiativeLink.objects.exists()


def test_a_team_member_neither_links_nor_unlinks():
    initiative = InitiativeFactory()
    member = UserFactory()
    team_join(actor=member, initiative=initiative, role="фотограф")
    with pytest.raises(PermissionDenied):
        link_add(actor=member, initiative=initiative, kind="news", pk=NewsItemFactory().pk)
    link = link_add(
        actor=coordinator(), initiative=initiative, kind="news", pk=NewsItemFactory().pk
    )
    with pytest.raises(PermissionDenied):
        link_remove(actor=member, link=link)
    assert InitiativeLink.objects.filter(pk=link.pk).exists()


# Supports, follows, the team


def test_taking_back_a_support_never_given_is_a_conflict():
    with pytest.raises(InvalidTransition):
        support_remove(actor=UserFactory(), initiative=InitiativeFactory())


def test_taking_back_ones_support_leaves_the_others():
    initiative = InitiativeFactory()
    mine, theirs = UserFactory(), UserFactory()
    support_add(actor=mine, initiative=initiative)
    support_add(actor=theirs, initiative=initiative)
    support_remove(actor=mine, initiative=initiative)
    assert list(Support.objects.current().values_list("user", flat=True)) == [theirs.pk]


def test_supports_are_taken_in_every_open_stage():
    for stage in (S.IDEA, S.GATHERING, S.RESOURCE_CENTRE, S.IN_PROGRESS):
        support_add(actor=UserFactory(), initiative=InitiativeFactory(status=stage))
    assert Support.objects.count() == 4


def test_an_empty_or_long_role_is_refused_at_role():
    initiative = InitiativeFactory()
    for role in ("  ", "я" * 121):
        with pytest.raises(DomainError) as refused:
            team_join(actor=UserFactory(), initiative=initiative, role=role)
        assert "role" in refused.value.field_errors
    assert not TeamMember.objects.exists()


def test_joining_again_changes_the_role_and_leaving_twice_is_a_conflict():
    initiative = InitiativeFactory()
    resident = UserFactory()
    team_join(actor=resident, initiative=initiative, role="макет")
    team_join(actor=resident, initiative=initiative, role=" фото ")
    assert list(TeamMember.objects.values_list("role", flat=True)) == ["фото"]
    team_leave(actor=resident, initiative=initiative)
    with pytest.raises(InvalidTransition):
        team_leave(actor=resident, initiative=initiative)
    assert initiative.follows.filter(user=resident).exists()  # following stays


def test_a_done_initiative_takes_no_team_member():
    with pytest.raises(InvalidTransition):
        team_join(actor=UserFactory(), initiative=InitiativeFactory(status=S.DONE), role="фото")


def test_following_returns_what_it_set():
    initiative = InitiativeFactory()
    resident = UserFactory()
    assert follow_set(actor=resident, initiative=initiative, follow=True) is True
    assert follow_set(actor=resident, initiative=initiative, follow=False) is False
    assert follow_set(actor=resident, initiative=initiative, follow=False) is False


# Comments


def test_a_comment_is_kept_without_its_blanks():
    comment = comment_add(actor=UserFactory(), initiative=InitiativeFactory(), text="  Я за \n")
    assert (comment.text, comment.status) == ("Я за", Comment.Status.PUBLISHED)


def test_a_report_reason_over_its_limit_is_refused_at_reason():
    comment = CommentFactory()
    with pytest.raises(DomainError) as refused:
        comment_report(actor=UserFactory(), comment=comment, reason="я" * 301)
    assert "reason" in refused.value.field_errors
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_a_second_report_of_a_reported_comment_keeps_it_reported():
    comment = CommentFactory()
    comment_report(actor=UserFactory(), comment=comment, reason="спам")
    comment_report(actor=UserFactory(), comment=comment, reason=" грубо ")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REPORTED
    assert list(comment.reports.values_list("reason", flat=True)) == ["спам", "грубо"]


def test_a_hidden_comment_takes_no_report():
    comment = CommentFactory(status=Comment.Status.HIDDEN)
    with pytest.raises(InvalidTransition):
        comment_report(actor=UserFactory(), comment=comment)
    assert not CommentReport.objects.exists()


COMMENT_MOVES = {
    ("keep", Comment.Status.REPORTED): Comment.Status.PUBLISHED,
    ("hide", Comment.Status.PUBLISHED): Comment.Status.HIDDEN,
    ("hide", Comment.Status.REPORTED): Comment.Status.HIDDEN,
    ("restore", Comment.Status.HIDDEN): Comment.Status.PUBLISHED,
}


@pytest.mark.parametrize("status", list(Comment.Status))
@pytest.mark.parametrize("name", ["keep", "hide", "restore"])
def test_each_moderation_move_from_each_status(name, status):
    comment = CommentFactory(status=status)
    target = COMMENT_MOVES.get((name, status))
    if target is None:
        with pytest.raises(InvalidTransition):
            comment_move(actor=coordinator(), comment=comment, name=name)
        comment.refresh_from_db()
        assert comment.status == status
        return
    assert comment_move(actor=coordinator(), comment=comment, name=name).status == target
    assert AuditEntry.objects.filter(action=f"civic.comment_{name}").count() == 1


def test_a_coordinator_cannot_report_through_the_moderation_move():
    comment = CommentFactory()
    with pytest.raises(DomainError):
        comment_move(actor=coordinator(), comment=comment, name="report")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_hiding_keeps_the_reports_restoring_does_not_bring_back_the_queue():
    comment = CommentFactory()
    comment_report(actor=UserFactory(), comment=comment)
    staff = coordinator()
    comment_move(actor=staff, comment=comment, name="hide")
    assert comment.reports.count() == 1
    restored = comment_move(actor=staff, comment=comment, name="restore")
    assert restored.status == Comment.Status.PUBLISHED


def test_a_result_author_is_kept_on_the_timeline():
    initiative = InitiativeFactory()
    staff = coordinator()
    timeline_post(actor=staff, initiative=initiative, note="Покрасили")
    assert list(TimelineEntry.objects.values_list("author", flat=True)) == [
        initiative.author_id, staff.pk,
    ]  # fmt: skip
