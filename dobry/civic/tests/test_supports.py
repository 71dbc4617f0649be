"""Supports (one per account), the threshold that tells the resource centre once, its
public answer within the set days, and the overdue flag."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Initiative, Support
from dobry.civic.services.initiatives import centre_respond
from dobry.civic.services.people import follow_set, support_add, support_remove
from dobry.civic.tests.factories import InitiativeFactory, SupportFactory, coordinator
from dobry.communications.models import Notification
from dobry.core.clock import local_today
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied

pytestmark = pytest.mark.django_db


def test_a_resident_supports_once_and_may_take_it_back():
    initiative = InitiativeFactory()
    resident = UserFactory()
    support_add(actor=resident, initiative=initiative)
    with pytest.raises(InvalidTransition, match="уже поддержали"):
        support_add(actor=resident, initiative=initiative)
    assert initiative.supports.count() == 1
    support_remove(actor=resident, initiative=initiative)
    assert not initiative.supports.current().exists()
    with pytest.raises(InvalidTransition):
        support_remove(actor=resident, initiative=initiative)


def test_the_database_holds_one_support_per_account():
    support = SupportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(initiative=support.initiative, user=support.user)


def test_the_anonymous_visitor_may_not_support_nor_follow():
    initiative = InitiativeFactory()
    with pytest.raises(PermissionDenied):
        support_add(actor=AnonymousUser(), initiative=initiative)
    with pytest.raises(PermissionDenied):
        follow_set(actor=AnonymousUser(), initiative=initiative, follow=True)


def test_a_done_initiative_takes_no_more_support():
    initiative = InitiativeFactory(status=Initiative.Status.DONE)
    with pytest.raises(InvalidTransition):
        support_add(actor=UserFactory(), initiative=initiative)


def test_reaching_the_threshold_tells_the_resource_centre_once(settings):
    settings.DOBRY_INITIATIVE_SUPPORT_THRESHOLD = 3
    settings.DOBRY_INITIATIVE_RESPONSE_DAYS = 10
    staff, other_staff = coordinator(), coordinator()
    initiative = InitiativeFactory()
    for _ in range(2):
        support_add(actor=UserFactory(), initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.threshold_reached_at is None
    assert not Notification.objects.filter(kind="initiative_threshold").exists()
    support_add(actor=UserFactory(), initiative=initiative)
    last = UserFactory()
    support_add(actor=last, initiative=initiative)
    support_remove(actor=last, initiative=initiative)
    support_add(actor=last, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.threshold_reached_at is not None
    assert initiative.response_due == local_today() + timedelta(days=10)
    told = Notification.objects.filter(kind="initiative_threshold")
    assert sorted(told.values_list("user", flat=True)) == sorted([staff.pk, other_staff.pk])
    assert not initiative.response_overdue


def test_the_centre_answers_publicly_and_followers_are_told(settings):
    settings.DOBRY_INITIATIVE_SUPPORT_THRESHOLD = 1
    initiative = InitiativeFactory()
    staff = coordinator()
    with pytest.raises(InvalidTransition, match="ещё не набрала"):
        centre_respond(actor=staff, initiative=initiative, response="Рано")
    support_add(actor=UserFactory(), initiative=initiative)
    with pytest.raises(PermissionDenied):
        centre_respond(actor=initiative.author, initiative=initiative, response="Сам себе")
    with pytest.raises(DomainError):
        centre_respond(actor=staff, initiative=initiative, response="  ")
    answered = centre_respond(
        actor=staff, initiative=initiative, response="Приглашаем на консультацию в среду."
    )
    assert answered.response == "Приглашаем на консультацию в среду."
    assert answered.responded_by == staff
    assert Notification.objects.filter(user=initiative.author, kind="initiative_update").exists()
    first = answered.responded_at
    again = centre_respond(actor=staff, initiative=initiative, response="Консультация в четверг.")
    assert again.responded_at == first


def test_an_unanswered_initiative_past_its_day_is_flagged_overdue():
    yesterday = local_today() - timedelta(days=1)
    late = InitiativeFactory(threshold_reached_at=timezone.now(), response_due=yesterday)
    in_time = InitiativeFactory(threshold_reached_at=timezone.now(), response_due=local_today())
    answered = InitiativeFactory(
        threshold_reached_at=timezone.now(), response_due=yesterday,
        responded_at=timezone.now(), response="Ответ",
    )  # fmt: skip
    assert late.response_overdue
    assert not in_time.response_overdue
    assert not answered.response_overdue
    assert list(Initiative.objects.response_overdue()) == [late]


def test_following_is_idempotent_and_may_be_stopped():
    initiative = InitiativeFactory()
    resident = UserFactory()
    follow_set(actor=resident, initiative=initiative, follow=True)
    follow_set(actor=resident, initiative=initiative, follow=True)
    assert initiative.follows.filter(user=resident).count() == 1
    follow_set(actor=resident, initiative=initiative, follow=False)
    assert not initiative.follows.filter(user=resident).exists()
