"""Project groups: meetings with agenda and minutes, decisions, tasks with owners and due
dates, reminders before the due date."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.permissions import Actor
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.validators import require_plan_date
from dobry.organizations.models import Membership, Organization
from dobry.organizations.permissions import is_reviewer
from dobry.resources import notifications as kinds
from dobry.resources.models import Decision, GroupMember, GroupTask, Meeting, ProjectGroup


def can_create_groups(user: Actor) -> bool:
    """The resource centre and the administration set up project groups."""
    return is_reviewer(user) or bool(getattr(user, "is_official", False))


def can_view_group(user: Actor, group: ProjectGroup) -> bool:
    return can_create_groups(user) or group.memberships.filter(user_id=int(user.pk or 0)).exists()


def visible_groups(user: Actor) -> "QuerySet[ProjectGroup]":
    """The list form of `can_view_group`: the staff see every group, others their own."""
    if can_create_groups(user):
        return ProjectGroup.objects.all()
    return ProjectGroup.objects.filter(memberships__user_id=int(user.pk or 0)).distinct()


def can_lead_group(user: Actor, group: ProjectGroup) -> bool:
    return (
        can_create_groups(user)
        or group.memberships.filter(user_id=int(user.pk or 0), role=GroupMember.Role.LEAD).exists()
    )


def group_create(*, actor: User, title: str, topic: str = "") -> ProjectGroup:
    if not title.strip():
        raise DomainError(_("Назовите группу."), field_errors={"title": [_("Обязательное поле.")]})
    require_within_limits({"title": (title.strip(), text_limit(ProjectGroup, "title"))})
    with transaction.atomic():
        group = ProjectGroup.objects.create(
            title=title.strip(), topic=topic.strip(), created_by=actor
        )
        GroupMember.objects.create(group=group, user=actor, role=GroupMember.Role.LEAD)
        log_action(actor=actor, action="group.create", obj=group)
    return group


def group_member_add(
    *,
    actor: User,
    group: ProjectGroup,
    user: User,
    organization: Organization | None = None,
    role: str = "member",
) -> GroupMember:
    if (
        organization is not None
        and not Membership.objects.filter(organization=organization, user=user).exists()
    ):
        raise DomainError(
            _("Человек не состоит в этой организации."),
            field_errors={"organization": [_("Выберите его организацию.")]},
        )
    with transaction.atomic():
        member, created = GroupMember.objects.get_or_create(
            group=group, user=user, defaults={"organization": organization, "role": role}
        )
        if not created:
            raise DomainError(
                _("Этот человек уже в группе."), field_errors={"email": [_("Уже в группе.")]}
            )
        log_action(actor=actor, action="group.member_add", obj=group, data={"user": user.pk})
    return member


def meeting_create(
    *, actor: User, group: ProjectGroup, starts_at: datetime, agenda: str, place: str = ""
) -> Meeting:
    if not agenda.strip():
        raise DomainError(
            _("Напишите повестку."), field_errors={"agenda": [_("Обязательное поле.")]}
        )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            group=group, starts_at=starts_at, agenda=agenda.strip(), place=place.strip()
        )
        log_action(actor=actor, action="group.meeting", obj=group, data={"meeting": meeting.pk})
        notify(
            kinds.GROUP_MEETING,
            [m for m in group.members.filter(is_active=True) if m.pk != actor.pk],
            {"meeting": meeting, "group": group},
            url=meeting.get_absolute_url(),
        )
    return meeting


def meeting_minutes(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    log_action(actor=actor, action="group.minutes", obj=meeting.group, data={"meeting": meeting.pk})
    return meeting


def decision_add(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    task: str = "",
    owner: User | None = None,
    due_on: date | None = None,
) -> Decision:
    """Record a decision; with a task, an owner from the group and a due date."""
    if not text.strip():
        raise DomainError(_("Запишите решение."), field_errors={"text": [_("Обязательное поле.")]})
    wants_task = bool(task.strip())
    require_within_limits({"task": (task.strip(), text_limit(GroupTask, "title"))})
    if wants_task and (owner is None or due_on is None):
        raise DomainError(
            _("У задачи должны быть ответственный и срок."),
            field_errors={"owner": [_("Выберите ответственного.")]},
        )
    if wants_task and due_on is not None:
        require_plan_date(due_on, field="due_on")  # a task's due day is a plan
    if (
        wants_task
        and owner is not None
        and not meeting.group.memberships.filter(user=owner).exists()
    ):
        raise DomainError(
            _("Ответственный должен быть участником группы."),
            field_errors={"owner": [_("Не в группе.")]},
        )
    with transaction.atomic():
        decision = Decision.objects.create(meeting=meeting, text=text.strip())
        if wants_task and owner is not None and due_on is not None:
            created = GroupTask.objects.create(
                decision=decision, title=task.strip(), owner=owner, due_on=due_on
            )
            notify(
                kinds.GROUP_TASK,
                [owner],
                {"task": created, "group": meeting.group},
                url=meeting.get_absolute_url(),
            )
        log_action(
            actor=actor, action="group.decision", obj=meeting.group, data={"meeting": meeting.pk}
        )
    return decision


def task_done(*, actor: User, task: GroupTask) -> GroupTask:
    if task.done_at is not None:
        raise InvalidTransition(_("Задача уже выполнена."))
    task.done_at = timezone.now()
    task.save(update_fields=["done_at"])
    log_action(
        actor=actor,
        action="group.task_done",
        obj=task.decision.meeting.group,
        data={"task": task.pk},
    )
    return task


def tasks_remind() -> int:
    """Periodic: remind owners of open tasks due by tomorrow, once."""
    tomorrow = local_today() + timedelta(days=1)
    sent = 0
    due = (
        GroupTask.objects.open()
        .filter(due_on__lte=tomorrow, reminded_at__isnull=True)
        .select_related("owner", "decision__meeting__group")
    )
    for task in due[:2000]:
        with transaction.atomic():
            if not GroupTask.objects.filter(pk=task.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            ):
                continue
            group = task.decision.meeting.group
            notify(
                kinds.GROUP_TASK_DUE,
                [task.owner],
                {"task": task, "group": group},
                url=task.decision.meeting.get_absolute_url(),
            )
            sent += 1
    return sent
