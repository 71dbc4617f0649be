from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from dobry.core.errors import DomainError
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import groups
from dobry.resources.models import GroupTask, ProjectGroup
from dobry.resources.tasks import remind_group_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(coordinator, resident):
    group = groups.group_create(
        actor=coordinator, title="Доступная среда", topic="Пандусы в поликлиниках"
    )
    organization = OrganizationFactory(short_name="Тёплый дом")
    MembershipFactory(organization=organization, user=resident)
    groups.group_member_add(
        actor=coordinator, group=group, user=resident, organization=organization
    )
    return group


def test_a_meeting_decision_makes_a_task_with_owner_and_due_date(group, coordinator, resident):
    meeting = groups.meeting_create(
        actor=coordinator, group=group, starts_at=timezone.now(), agenda="Обход поликлиник"
    )
    assert mail.outbox[-1].to == [resident.email]
    with pytest.raises(DomainError):
        groups.decision_add(
            actor=coordinator, meeting=meeting, text="Проверить вход", task="Обойти", owner=resident
        )
    groups.decision_add(
        actor=coordinator,
        meeting=meeting,
        text="Проверить вход в поликлинику № 1",
        task="Сфотографировать вход",
        owner=resident,
        due_on=timezone.localdate() + timedelta(days=1),
    )
    task = GroupTask.objects.get()
    assert remind_group_tasks.call() == 1
    assert remind_group_tasks.call() == 0
    groups.task_done(actor=resident, task=task)
    assert GroupTask.objects.open().count() == 0


def test_a_task_owner_must_be_in_the_group(group, coordinator, outsider):
    meeting = groups.meeting_create(
        actor=coordinator, group=group, starts_at=timezone.now(), agenda="x"
    )
    with pytest.raises(DomainError, match="участником группы"):
        groups.decision_add(
            actor=coordinator,
            meeting=meeting,
            text="x",
            task="y",
            owner=outsider,
            due_on=timezone.localdate(),
        )


def test_groups_are_seen_by_members_and_staff_only(login_as, group, resident, outsider, official):
    assert "Доступная среда" in login_as(resident).get("/desk/groups/").content.decode()
    assert "Доступная среда" not in login_as(outsider).get("/desk/groups/").content.decode()
    assert login_as(outsider).get(f"/desk/groups/{group.pk}/").status_code == 404
    assert login_as(official).get(f"/desk/groups/{group.pk}/").status_code == 200
    assert login_as(resident).post("/desk/groups/", {"title": "Своя"}).status_code == 403


def test_members_cannot_run_the_group_but_leads_can(login_as, group, resident, coordinator):
    assert (
        login_as(resident)
        .post(
            f"/desk/groups/{group.pk}/",
            {"meeting-starts_at": "2030-01-10T18:00", "meeting-agenda": "x"},
        )
        .status_code
        == 403
    )
    response = login_as(coordinator).post(
        f"/desk/groups/{group.pk}/",
        {
            "meeting-starts_at": "2030-01-10T18:00",
            "meeting-place": "АРГО",
            "meeting-agenda": "План",
        },
    )
    meeting = group.meetings.get()
    assert response["Location"] == meeting.get_absolute_url()
    client = login_as(coordinator)
    client.post(meeting.get_absolute_url(), {"minutes-minutes": "Обсудили план"})
    client.post(
        meeting.get_absolute_url(),
        {
            "decision-text": "Подготовить письмо",
            "decision-task": "Письмо в администрацию",
            "decision-owner": resident.pk,
            "decision-due_on": "2030-01-20",
        },
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "Обсудили план"
    task = GroupTask.objects.get()
    assert login_as(resident).post(f"/desk/groups/tasks/{task.pk}/done/").status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None


def test_staff_create_groups_and_add_members_by_email(login_as, coordinator, resident):
    client = login_as(coordinator)
    client.post("/desk/groups/", {"title": "Инклюзивный город"})
    group = ProjectGroup.objects.get(title="Инклюзивный город")
    missing = client.post(f"/desk/groups/{group.pk}/", {"member-email": "nobody@example.org"})
    assert "Нет пользователя" in missing.content.decode()
    client.post(f"/desk/groups/{group.pk}/", {"member-email": resident.email})
    assert group.memberships.filter(user=resident).exists()


def test_groups_through_the_api(group, coordinator, resident, outsider):
    from django.test import Client

    from dobry.accounts.services import api_token_create

    def bearer(user):
        return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")

    assert bearer(outsider).get(f"/api/v1/groups/{group.pk}").status_code == 404
    meeting = bearer(coordinator).post(
        f"/api/v1/groups/{group.pk}/meetings",
        {"starts_at": "2030-02-01T18:00:00+07:00", "agenda": "План"},
        content_type="application/json",
    )
    assert meeting.status_code == 201
    decision = bearer(coordinator).post(
        f"/api/v1/meetings/{meeting.json()['id']}/decisions",
        {"text": "Письмо", "task": "Написать письмо", "owner": resident.pk, "due_on": "2030-02-10"},
        content_type="application/json",
    )
    task_id = decision.json()["tasks"][0]["id"]
    assert bearer(resident).post(f"/api/v1/tasks/{task_id}/done").json()["done_at"]
    assert [g["title"] for g in bearer(resident).get("/api/v1/groups").json()["items"]] == [
        "Доступная среда"
    ]
