"""An organisation follows a call; its owners and editors are reminded of the deadline 14
and 3 days before, each exactly once however often the job runs."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from conftest import login
from dobry.communications.models import Notification
from dobry.core.clock import local_moment
from dobry.opportunities.models import Follow
from dobry.opportunities.notifications import OPPORTUNITY_DEADLINE
from dobry.opportunities.services.follows import remind_opportunity_deadlines
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.tests.factories import MembershipFactory
from dobry.site.schedule import JOBS

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return MembershipFactory(role="owner")


def _before(opportunity, days):
    return local_moment(opportunity.closes_on - timedelta(days=days), time(12, 0))


def test_an_owner_follows_and_unfollows_a_call(owner):
    opportunity = OpportunityFactory()
    client = login(owner.user)
    follow = reverse("opportunities:follow", args=[opportunity.pk])
    assert client.post(follow, {"organization": owner.organization_id}).status_code == 302
    client.post(follow, {"organization": owner.organization_id})  # twice: one follow
    assert Follow.objects.filter(organization=owner.organization).count() == 1
    page = client.get(opportunity.get_absolute_url()).content.decode()
    assert "следит за конкурсом" in page
    client.post(
        reverse("opportunities:unfollow", args=[opportunity.pk]),
        {"organization": owner.organization_id},
    )
    assert not Follow.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_only_an_owner_or_editor_follows_for_the_organisation(client, outsider, owner, who):
    opportunity = OpportunityFactory()
    if who == "outsider":
        client = login(outsider)
    elif who == "member":
        client = login(MembershipFactory(organization=owner.organization, role="member").user)
    client.post(
        reverse("opportunities:follow", args=[opportunity.pk]),
        {"organization": owner.organization_id},
    )
    assert not Follow.objects.exists()


@pytest.mark.parametrize("value", ["", "x", "\x00", "99999999", "１"])
def test_a_hostile_organisation_value_is_refused_with_a_message(owner, value):
    opportunity = OpportunityFactory()
    response = login(owner.user).post(
        reverse("opportunities:follow", args=[opportunity.pk]), {"organization": value}
    )
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_a_closed_call_cannot_be_followed(owner):
    opportunity = OpportunityFactory(withdrawn=True)
    login(owner.user).post(
        reverse("opportunities:follow", args=[opportunity.pk]),
        {"organization": owner.organization_id},
    )
    assert not Follow.objects.exists()


def test_reminders_are_sent_fourteen_and_three_days_before_each_once(owner):
    opportunity = OpportunityFactory()
    editor = MembershipFactory(organization=owner.organization, role="editor").user
    MembershipFactory(organization=owner.organization, role="member")  # not reminded
    Follow.objects.create(opportunity=opportunity, organization=owner.organization)
    assert remind_opportunity_deadlines(now=_before(opportunity, 15)) == 0
    assert remind_opportunity_deadlines(now=_before(opportunity, 14)) == 1
    assert remind_opportunity_deadlines(now=_before(opportunity, 14)) == 0  # the job again
    for days in (13, 5, 4):
        assert remind_opportunity_deadlines(now=_before(opportunity, days)) == 0
    assert remind_opportunity_deadlines(now=_before(opportunity, 3)) == 1
    for days in (3, 2, 0):
        assert remind_opportunity_deadlines(now=_before(opportunity, days)) == 0
    sent = Notification.objects.filter(kind=OPPORTUNITY_DEADLINE)
    assert sorted(n.user_id for n in sent) == sorted([owner.user_id, editor.pk] * 2)
    assert all(n.url == opportunity.get_absolute_url() for n in sent)


def test_a_call_followed_late_gets_only_the_nearer_reminder(owner):
    opportunity = OpportunityFactory()
    Follow.objects.create(opportunity=opportunity, organization=owner.organization)
    assert remind_opportunity_deadlines(now=_before(opportunity, 2)) == 1
    follow = Follow.objects.get()
    assert follow.reminded_early_at is None
    assert follow.reminded_late_at is not None


def test_a_withdrawn_call_is_not_reminded(owner):
    opportunity = OpportunityFactory(withdrawn=True)
    Follow.objects.create(opportunity=opportunity, organization=owner.organization)
    assert remind_opportunity_deadlines(now=_before(opportunity, 3)) == 0


def test_the_reminder_job_is_in_the_schedule():
    assert "remind_grant_calls" in {job.name for job in JOBS}
