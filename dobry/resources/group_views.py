"""Project groups and negotiation platforms: members, meetings, decisions, tasks."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import User
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message
from dobry.core.forms import add_service_error
from dobry.core.request_values import paginate
from dobry.resources import groups, selectors
from dobry.resources.forms import DecisionForm, GroupForm, GroupMemberForm, MeetingForm, MinutesForm
from dobry.resources.models import GroupTask, Meeting, ProjectGroup


def _group_for(user: User, pk: int) -> ProjectGroup:
    group = ProjectGroup.objects.filter(pk=pk).first()
    if group is None or not groups.can_view_group(user, group):
        raise Http404
    return group


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = GroupForm(request.POST or None) if groups.can_create_groups(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                group = groups.group_create(actor=user, **form.cleaned_data)
            except DomainError as error:
                add_service_error(form, error)
            else:
                return redirect(group)
    page = paginate(request.GET, selectors.visible_groups(user), selectors.GROUPS_PAGE)
    return render(request, "resources/groups.html", {"groups": page, "form": form})


def _member_add(user: User, group: ProjectGroup, form: GroupMemberForm) -> ProjectGroup | None:
    """Adds the account named by the form's email; the group on success, None with the
    form's errors otherwise."""
    if not form.is_valid():
        return None
    new = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
    if new is None:
        form.add_error("email", _("Нет пользователя с таким адресом."))
        return None
    try:
        groups.group_member_add(
            actor=user, group=group, user=new, organization=form.cleaned_data["organization"]
        )
    except DomainError as error:
        add_service_error(form, error)
        return None
    return group


def _meeting_add(user: User, group: ProjectGroup, form: MeetingForm) -> Meeting | None:
    """Schedules the group's meeting; the meeting on success, None with the form's errors."""
    if not form.is_valid():
        return None
    try:
        return groups.meeting_create(actor=user, group=group, **form.cleaned_data)
    except DomainError as error:
        add_service_error(form, error)
        return None


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    group = _group_for(user, pk)
    can_lead = groups.can_lead_group(user, group)
    member_form = GroupMemberForm(request.POST or None, prefix="member") if can_lead else None
    meeting_form = MeetingForm(request.POST or None, prefix="meeting") if can_lead else None
    if request.method == "POST":
        if not can_lead:
            raise PermissionDenied
        done: ProjectGroup | Meeting | None = None
        if "member-email" in request.POST and member_form is not None:
            done = _member_add(user, group, member_form)
        elif "meeting-agenda" in request.POST and meeting_form is not None:
            done = _meeting_add(user, group, meeting_form)
        if done is not None:
            return redirect(done)
    context = {
        "group": group,
        "memberships": group.memberships.select_related("user", "organization"),
        "meetings": group.meetings.all(),
        "open_tasks": GroupTask.objects.open()
        .filter(decision__meeting__group=group)
        .select_related("owner"),
        "member_form": member_form,
        "meeting_form": meeting_form,
    }
    return render(request, "resources/group.html", context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    group = _group_for(user, meeting.group_id)
    can_lead = groups.can_lead_group(user, group)
    members = User.objects.filter(group_memberships__group=group)
    decision_form = (
        DecisionForm(request.POST or None, members=members, prefix="decision") if can_lead else None
    )
    minutes_form = (
        MinutesForm(request.POST or None, initial={"minutes": meeting.minutes}, prefix="minutes")
        if can_lead
        else None
    )
    if request.method == "POST":
        if not can_lead:
            raise PermissionDenied
        if (
            "minutes-minutes" in request.POST
            and minutes_form is not None
            and minutes_form.is_valid()
        ):
            groups.meeting_minutes(
                actor=user, meeting=meeting, minutes=minutes_form.cleaned_data["minutes"]
            )
            return redirect(meeting)
        if (
            "decision-text" in request.POST
            and decision_form is not None
            and decision_form.is_valid()
        ):
            try:
                groups.decision_add(actor=user, meeting=meeting, **decision_form.cleaned_data)
            except DomainError as error:
                add_service_error(decision_form, error)
            else:
                return redirect(meeting)
    context = {
        "meeting": meeting,
        "group": group,
        "decisions": meeting.decisions.prefetch_related("tasks__owner"),
        "decision_form": decision_form,
        "minutes_form": minutes_form,
    }
    return render(request, "resources/meeting.html", context)


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    task = get_object_or_404(GroupTask.objects.select_related("decision__meeting__group"), pk=pk)
    group = _group_for(user, task.decision.meeting.group_id)
    if task.owner_id != user.pk and not groups.can_lead_group(user, group):
        raise PermissionDenied
    with domain_error_message(request):
        groups.task_done(actor=user, task=task)
    return redirect(task.decision.meeting)
