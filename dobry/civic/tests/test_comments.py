"""Comments: posted at once, reported by others (once each), kept or hidden by the
coordinators; a hidden comment is gone for everyone but them."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Comment, CommentReport
from dobry.civic.permissions import visible_comments
from dobry.civic.selectors import moderation_queue
from dobry.civic.services.people import comment_add, comment_move, comment_report
from dobry.civic.tests.factories import CommentFactory, InitiativeFactory, coordinator
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.text_limits import SHORT

pytestmark = pytest.mark.django_db


def test_a_resident_comments_and_the_comment_is_shown_at_once():
    initiative = InitiativeFactory()
    comment = comment_add(actor=UserFactory(), initiative=initiative, text="  Я за!  ")
    assert comment.text == "Я за!"
    assert list(visible_comments(AnonymousUser(), initiative)) == [comment]


def test_empty_long_and_anonymous_comments_are_refused():
    initiative = InitiativeFactory()
    with pytest.raises(PermissionDenied):
        comment_add(actor=AnonymousUser(), initiative=initiative, text="Привет")
    with pytest.raises(DomainError):
        comment_add(actor=UserFactory(), initiative=initiative, text="   ")
    with pytest.raises(DomainError) as refused:
        comment_add(actor=UserFactory(), initiative=initiative, text="я" * (SHORT + 1))
    assert "text" in refused.value.field_errors
    assert not Comment.objects.exists()


def test_a_report_puts_the_comment_in_the_queue_once_per_person():
    comment = CommentFactory()
    reporter = UserFactory()
    comment_report(actor=reporter, comment=comment, reason="Оскорбление")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REPORTED
    assert list(moderation_queue()) == [comment]
    with pytest.raises(InvalidTransition):
        comment_report(actor=reporter, comment=comment)
    comment_report(actor=UserFactory(), comment=comment)
    assert CommentReport.objects.filter(comment=comment).count() == 2


def test_nobody_reports_their_own_comment_and_the_anonymous_visitor_reports_nothing():
    comment = CommentFactory()
    with pytest.raises(PermissionDenied):
        comment_report(actor=comment.author, comment=comment)
    with pytest.raises(PermissionDenied):
        comment_report(actor=AnonymousUser(), comment=comment)


def test_coordinators_hide_a_reported_comment_and_only_they_still_see_it():
    comment = CommentFactory()
    comment_report(actor=UserFactory(), comment=comment)
    staff = coordinator()
    with pytest.raises(PermissionDenied):
        comment_move(actor=comment.author, comment=comment, name="hide")
    comment_move(actor=staff, comment=comment, name="hide")
    assert not visible_comments(UserFactory(), comment.initiative).exists()
    assert list(visible_comments(staff, comment.initiative)) == [comment]
    with pytest.raises(InvalidTransition):
        comment_report(actor=UserFactory(), comment=comment)
    comment_move(actor=staff, comment=comment, name="restore")
    assert visible_comments(UserFactory(), comment.initiative).exists()


def test_keeping_a_reported_comment_clears_its_reports():
    comment = CommentFactory()
    comment_report(actor=UserFactory(), comment=comment)
    comment_move(actor=coordinator(), comment=comment, name="keep")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert not comment.reports.exists()
    assert not moderation_queue().exists()


def test_a_report_is_not_a_move_anyone_presses():
    comment = CommentFactory()
    with pytest.raises(DomainError):
        comment_move(actor=coordinator(), comment=comment, name="report")
