"""Project groups: who sees and runs a group, meetings and decisions with tasks, reminders on
the city's calendar; pages and API operations as outsider, member, lead and staff."""

from datetime import date, datetime, timedelta

import pytest

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.models import Notification
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError, InvalidTransition
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import groups
from dobry.resources.models import Decision, GroupMember, GroupTask, Meeting, ProjectGroup

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 3, 10, 10, 0, tzinfo=city_zone())


@pytest.fixture
def group(coordinator, resident):
    group = groups.group_create(actor=coordinator, title="Доступная среда")
    groups.group_member_add(actor=coordinator, group=group, user=resident)
    return group


@pytest.fixture
def lead(group, coordinator):
    """A member of the group who leads it without being staff."""
    user = UserFactory(first_name="Лидия")
    groups.group_member_add(actor=coordinator, group=group, user=user, role="lead")
    return user


@pytest.fixture
def meeting(group, coordinator):
    return groups.meeting_create(
        actor=coordinator, group=group, starts_at=NOW + timedelta(days=3), agenda="План"
    )


def task_for(meeting, owner, due_on, title="Письмо"):
    groups.decision_add(
        actor=meeting.group.created_by,
        meeting=meeting,
        text="Решили",
        task=title,
        owner=owner,
        due_on=due_on,
    )
    return GroupTask.objects.get(title=title)


# --- rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "view", "lead_it", "create"),
    [
        ("outsider", False, False, False),
        ("resident", True, False, False),
        ("lead", True, True, False),
        ("coordinator", True, True, True),
        ("official", True, True, True),
    ],
)
def test_who_sees_leads_and_creates_groups(request, group, lead, who, view, lead_it, create):
    user = request.getfixturevalue(who)
    assert groups.can_view_group(user, group) is view
    assert groups.can_lead_group(user, group) is lead_it
    assert groups.can_create_groups(user) is create


def test_the_creator_leads_the_group_they_create(coordinator):
    group = groups.group_create(actor=coordinator, title="  Инклюзия  ", topic="  Пандусы ")
    assert (group.title, group.topic) == ("Инклюзия", "Пандусы")
    assert group.memberships.get().role == GroupMember.Role.LEAD


def test_a_group_needs_a_title(coordinator):
    with pytest.raises(DomainError) as error:
        groups.group_create(actor=coordinator, title="  ")
    assert "title" in error.value.field_errors
    assert not ProjectGroup.objects.exists()


def test_a_member_joins_once_and_only_for_an_organisation_they_belong_to(
    group, coordinator, outsider
):
    foreign = OrganizationFactory()
    with pytest.raises(DomainError, match="не состоит в этой организации"):
        groups.group_member_add(actor=coordinator, group=group, user=outsider, organization=foreign)
    MembershipFactory(organization=foreign, user=outsider)
    member = groups.group_member_add(
        actor=coordinator, group=group, user=outsider, organization=foreign
    )
    assert (member.organization, member.role) == (foreign, GroupMember.Role.MEMBER)
    with pytest.raises(DomainError) as error:
        groups.group_member_add(actor=coordinator, group=group, user=outsider)
    assert error.value.field_errors == {"email": ["Уже в группе."]}


def test_a_meeting_tells_the_active_members_but_not_the_one_who_set_it(
    group, coordinator, resident
):
    retired = UserFactory(is_active=False)
    groups.group_member_add(actor=coordinator, group=group, user=retired)
    groups.meeting_create(actor=coordinator, group=group, starts_at=NOW, agenda="  План  ")
    told = set(Notification.objects.filter(kind="group_meeting").values_list("user", flat=True))
    assert told == {resident.pk}
    assert Meeting.objects.get().agenda == "План"


def test_a_meeting_needs_an_agenda(group, coordinator):
    with pytest.raises(DomainError) as error:
        groups.meeting_create(actor=coordinator, group=group, starts_at=NOW, agenda=" ")
    assert "agenda" in error.value.field_errors
    assert not Meeting.objects.exists()


def test_a_decision_without_a_task_makes_no_task_and_tells_nobody(meeting, coordinator):
    decision = groups.decision_add(actor=coordinator, meeting=meeting, text="  Принято  ")
    assert decision.text == "Принято"
    assert not GroupTask.objects.exists()
    assert not Notification.objects.filter(kind="group_task").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": " "}, "text"),
        ({"owner": None}, "owner"),
        ({"due_on": None}, "owner"),
    ],
)
def test_a_task_needs_an_owner_and_a_due_date(meeting, coordinator, resident, changes, field):
    values = {
        "text": "Решили",
        "task": "Письмо",
        "owner": resident,
        "due_on": date(2031, 3, 20),
        **changes,
    }
    with pytest.raises(DomainError) as error:
        groups.decision_add(actor=coordinator, meeting=meeting, **values)
    assert field in error.value.field_errors
    assert not Decision.objects.exists()


def test_the_owner_of_a_task_is_told(meeting, resident):
    task = task_for(meeting, resident, date(2031, 3, 20))
    notice = Notification.objects.get(user=resident, kind="group_task")
    assert notice.url == f"/desk/groups/meetings/{meeting.pk}/"
    assert task.done_at is None


def test_a_task_is_done_once(meeting, resident, freeze_now):
    task = task_for(meeting, resident, date(2031, 3, 20))
    freeze_now(NOW)
    groups.task_done(actor=resident, task=task)
    task.refresh_from_db()
    assert task.done_at == NOW
    with pytest.raises(InvalidTransition):
        groups.task_done(actor=resident, task=task)


@pytest.mark.parametrize(
    ("due", "reminded"),
    [
        (date(2031, 3, 9), True),  # overdue and never reminded
        (date(2031, 3, 10), True),
        (date(2031, 3, 11), True),  # tomorrow in the city
        (date(2031, 3, 12), False),
    ],
)
def test_reminders_go_to_tasks_due_by_tomorrow_on_the_citys_calendar(
    meeting, resident, freeze_now, due, reminded
):
    """At 00:30 on 10 March in the city it is still 9 March in UTC: tomorrow is the 11th."""
    task = task_for(meeting, resident, due)
    freeze_now(datetime(2031, 3, 10, 0, 30, tzinfo=city_zone()))
    assert groups.tasks_remind() == int(reminded)
    assert Notification.objects.filter(user=resident, kind="group_task_due").exists() is reminded
    task.refresh_from_db()
    assert (task.reminded_at is not None) is reminded


def test_a_done_task_is_not_reminded(meeting, resident, freeze_now):
    task = task_for(meeting, resident, date(2031, 3, 10))
    groups.task_done(actor=resident, task=task)
    freeze_now(NOW)
    assert groups.tasks_remind() == 0


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/desk/groups/", "/desk/groups/{group}/", "/desk/groups/meetings/{meeting}/"]
)
def test_group_pages_send_anonymous_to_log_in(client, group, meeting, url):
    response = client.get(url.format(group=group.pk, meeting=meeting.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_outsider_finds_neither_the_meeting_nor_its_tasks(login_as, meeting, outsider, resident):
    task = task_for(meeting, resident, date(2031, 3, 20))
    client = login_as(outsider)
    assert client.get(f"/desk/groups/meetings/{meeting.pk}/").status_code == 404
    assert client.post(f"/desk/groups/tasks/{task.pk}/done/").status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_a_member_reads_a_meeting_without_the_lead_forms(login_as, meeting, resident):
    response = login_as(resident).get(f"/desk/groups/meetings/{meeting.pk}/")
    assert response.status_code == 200
    assert (response.context["decision_form"], response.context["minutes_form"]) == (None, None)
    refused = login_as(resident).post(
        f"/desk/groups/meetings/{meeting.pk}/", {"minutes-minutes": "Моя версия"}
    )
    assert refused.status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes == ""


def test_a_lead_who_is_not_staff_runs_the_group(login_as, group, lead, resident):
    client = login_as(lead)
    response = client.post(
        f"/desk/groups/{group.pk}/",
        {"meeting-starts_at": "2031-03-20T18:00", "meeting-agenda": "Итоги"},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == f"/desk/groups/meetings/{meeting.pk}/"
    assert meeting.starts_at == datetime(2031, 3, 20, 18, 0, tzinfo=city_zone())
    client.post(
        f"/desk/groups/meetings/{meeting.pk}/",
        {
            "decision-text": "Написать письмо",
            "decision-task": "Письмо",
            "decision-owner": resident.pk,
            "decision-due_on": "2031-03-25",
        },
    )
    assert GroupTask.objects.get().owner == resident


def test_a_task_owner_outside_the_group_is_a_form_error(login_as, meeting, coordinator, outsider):
    response = login_as(coordinator).post(
        f"/desk/groups/meetings/{meeting.pk}/",
        {
            "decision-text": "Решили",
            "decision-task": "Письмо",
            "decision-owner": outsider.pk,
            "decision-due_on": "2031-03-25",
        },
    )
    assert response.status_code == 200
    assert "owner" in response.context["decision_form"].errors
    assert not Decision.objects.exists()


def test_a_task_without_a_due_date_is_explained_on_the_page(
    login_as, meeting, coordinator, resident
):
    response = login_as(coordinator).post(
        f"/desk/groups/meetings/{meeting.pk}/",
        {"decision-text": "Решили", "decision-task": "Письмо", "decision-owner": resident.pk},
    )
    assert "Выберите ответственного." in response.context["decision_form"].errors["owner"]
    assert not Decision.objects.exists()


def test_bad_meeting_values_are_shown_and_nothing_is_scheduled(login_as, group, coordinator):
    response = login_as(coordinator).post(
        f"/desk/groups/{group.pk}/",
        {"meeting-starts_at": "завтра", "meeting-agenda": ""},
    )
    assert response.status_code == 200
    assert set(response.context["meeting_form"].errors) == {"starts_at", "agenda"}
    assert not Meeting.objects.exists()


def test_adding_someone_already_in_the_group_is_a_form_error(
    login_as, group, coordinator, resident
):
    response = login_as(coordinator).post(
        f"/desk/groups/{group.pk}/", {"member-email": resident.email.upper()}
    )
    assert response.context["member_form"].errors["email"] == ["Уже в группе."]
    assert group.memberships.count() == 2


@pytest.mark.parametrize(("who", "status"), [("resident", 302), ("lead", 302), ("other", 403)])
def test_a_task_is_marked_done_by_its_owner_or_a_lead(
    request, login_as, group, meeting, coordinator, resident, who, status
):
    other = UserFactory()
    groups.group_member_add(actor=coordinator, group=group, user=other)
    task = task_for(meeting, resident, date(2031, 3, 20))
    user = other if who == "other" else request.getfixturevalue(who)
    assert login_as(user).post(f"/desk/groups/tasks/{task.pk}/done/").status_code == status
    task.refresh_from_db()
    assert (task.done_at is not None) is (status == 302)


def test_marking_a_done_task_again_is_a_message(login_as, meeting, resident):
    task = task_for(meeting, resident, date(2031, 3, 20))
    client = login_as(resident)
    client.post(f"/desk/groups/tasks/{task.pk}/done/")
    again = client.post(f"/desk/groups/tasks/{task.pk}/done/", follow=True)
    assert "Задача уже выполнена." in again.content.decode()


@pytest.mark.parametrize("count", [1, 15])
def test_the_group_list_has_a_fixed_query_count(
    login_as, coordinator, resident, django_assert_max_num_queries, count
):
    for i in range(count):
        group = groups.group_create(actor=coordinator, title=f"Группа {i}")
        groups.group_member_add(actor=coordinator, group=group, user=resident)
    client = login_as(resident)
    with django_assert_max_num_queries(5):
        response = client.get("/desk/groups/")
    assert len(response.context["groups"]) == count


def test_staff_page_through_every_group_thirty_at_a_time(login_as, coordinator):
    for i in range(31):
        groups.group_create(actor=coordinator, title=f"Группа {i:02d}")
    staff = login_as(coordinator)
    first = staff.get("/desk/groups/")
    assert len(first.context["groups"]) == 30
    assert 'href="?page=2" rel="next"' in first.content.decode()
    last = staff.get("/desk/groups/", {"page": "2"})
    assert [group.title for group in last.context["groups"]] == ["Группа 30"]
    assert staff.get("/desk/groups/", {"page": "٢"}).context["groups"].number == 1


# --- API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 8])
def test_the_api_group_list_has_a_fixed_query_count(
    coordinator, resident, django_assert_max_num_queries, count
):
    for i in range(count):
        group = groups.group_create(actor=coordinator, title=f"Группа {i}")
        groups.group_member_add(actor=coordinator, group=group, user=resident)
        meeting = groups.meeting_create(actor=coordinator, group=group, starts_at=NOW, agenda="x")
        task_for(meeting, resident, date(2031, 3, 20), title=f"Задача {i}")
    client = bearer(resident)
    with django_assert_max_num_queries(9):  # the page and its count
        data = client.get("/api/v1/groups").json()["items"]
    assert sorted(len(g["meetings"][0]["decisions"][0]["tasks"]) for g in data) == [1] * count


def test_the_api_refuses_a_member_who_does_not_lead(group, meeting, resident, outsider):
    path = f"/api/v1/groups/{group.pk}/meetings"
    body = {"starts_at": "2031-03-20T18:00:00+07:00", "agenda": "x"}
    assert bearer(resident).post(path, body, content_type="application/json").status_code == 403
    assert bearer(outsider).post(path, body, content_type="application/json").status_code == 404
    decisions = f"/api/v1/meetings/{meeting.pk}/decisions"
    assert (
        bearer(resident).post(decisions, {"text": "x"}, content_type="application/json").status_code
        == 403
    )
    assert Meeting.objects.count() == 1
    assert not Decision.objects.exists()


def test_the_api_names_a_missing_owner_as_a_missing_owner(meeting, coordinator):
    response = bearer(coordinator).post(
        f"/api/v1/meetings/{meeting.pk}/decisions",
        {"text": "Решили", "task": "Письмо", "owner": 987654, "due_on": "2031-03-20"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "owner" in response.json()["errors"]
    assert not Decision.objects.exists()


def test_the_api_lets_only_the_owner_or_a_lead_finish_a_task(
    group, meeting, coordinator, resident, lead
):
    other = UserFactory()
    groups.group_member_add(actor=coordinator, group=group, user=other)
    task = task_for(meeting, resident, date(2031, 3, 20))
    assert bearer(other).post(f"/api/v1/tasks/{task.pk}/done").status_code == 403
    assert bearer(lead).post(f"/api/v1/tasks/{task.pk}/done").json()["done_at"]
    assert bearer(resident).post(f"/api/v1/tasks/{task.pk}/done").status_code == 409
