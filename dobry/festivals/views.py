"""The programme's pages: the public programme with its filters, «моё расписание» with
its calendar feed, the programme as a calendar file, a stand application, and the
organisers' desk (stand decisions, publishing a version)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.errors import DomainError
from dobry.core.feedback import (
    domain_error_message,
    form_action,
    form_error_message,
    form_saved,
)
from dobry.core.page_cache import public_page
from dobry.core.request_values import form_values
from dobry.core.site import absolute_url
from dobry.events.calendar import ics_response
from dobry.festivals import calendar, forms, permissions, selectors
from dobry.festivals.models import SessionRegistration, StandApplication
from dobry.festivals.services import programme as services
from dobry.organizations.permissions import organizations_edited_by
from dobry.volunteering.models import VolunteerProfile


@public_page
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """The public programme: sessions by day, filtered by track, venue and day; the
    stands on the site map; the published versions with what changed; resolutions."""
    user = request.user
    found = permissions.get_programme_for_user(user, pk)
    form = forms.ProgrammeFilterForm(
        request.GET or None, programme=found, days=selectors.day_choices(found)
    )
    filters = form_values(form)
    selected, registered = selectors.chosen_ids(user, found)
    versions = list(selectors.versions_of(found)[:10])
    manager = bool(permissions.can_manage(user, found))
    context = {
        "programme": found,
        "event": found.event,
        "form": form,
        "days": selectors.by_day(selectors.filtered_sessions(found, filters)),
        "selected": selected,
        "registered": registered,
        "site_map": selectors.site_map(found),
        "versions": [(v, services.change_lines(v.changes)) for v in versions],
        "resolutions": selectors.published_resolutions(found) if found.civic_forum else [],
        "can_manage": manager,
        "pending_count": len(services.pending_changes(found)) if manager else 0,
        "can_apply": user.is_authenticated and organizations_edited_by(user).exists(),
    }
    return render(request, "festivals/programme.html", context)


@login_required
def my_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """«Моё расписание»: the sessions one chose, printable, with the personal feed."""
    user = request_user(request)
    found = permissions.get_programme_for_user(user, pk)
    profile = VolunteerProfile.objects.filter(user=user).first()
    feed = (
        absolute_url(reverse("events:feed", args=[profile.calendar_token]))
        if profile and profile.calendar_token
        else None
    )
    sessions = list(selectors.my_sessions(user, found))
    _selected, registered = selectors.chosen_ids(user, found)
    context = {
        "programme": found,
        "event": found.event,
        "days": selectors.by_day(sessions),
        "selected": {s.pk for s in sessions},
        "registered": registered,
        "feed_url": feed,
    }
    return render(request, "festivals/mine.html", context)


def programme_ics(request: HttpRequest, pk: int) -> HttpResponse:
    found = permissions.get_programme_for_user(request.user, pk)
    sessions = selectors.published_sessions(found)
    return ics_response(calendar.programme_ics(found, sessions), "programme.ics")


@login_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's button: select, unselect, register or unregister."""
    user = request_user(request)
    session = permissions.get_session_for_user(user, pk)
    values = form_values(forms.ChooseForm(request.POST))
    action = values["action"]
    done = {
        "select": _("Сессия добавлена в ваше расписание."),
        "unselect": _("Сессия убрана из вашего расписания."),
        "register": _("Вы записаны на сессию."),
        "unregister": _("Запись на сессию отменена."),
    }
    with domain_error_message(request, success=done[action]):
        if action in ("select", "unselect"):
            services.selection_set(actor=user, session=session, selected=action == "select")
        elif action == "register":
            services.session_register(actor=user, session=session)
        else:
            services.session_unregister(actor=user, session=session)
    if values.get("back") == "mine":
        return redirect("festivals:mine", session.programme_id)
    return redirect(f"{session.programme.get_absolute_url()}#session-{session.pk}")


@login_required
def stand_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's application for a stand (its owners and editors)."""
    user = request_user(request)
    found = permissions.get_programme_for_user(user, pk)
    organizations = forms.organization_choices(organizations_edited_by(user))
    form = forms.StandForm(request.POST or None, organizations=organizations)
    applied = form_saved(
        request,
        form,
        lambda: services.stand_apply(actor=user, programme=found, **form.cleaned_data),
        success=_("Заявка на стенд подана."),
    )
    if applied:
        return redirect(found)
    mine = StandApplication.objects.filter(
        programme=found, organization__in=organizations
    ).select_related("organization", "place__venue")
    return render(
        request,
        "festivals/stand_form.html",
        {"programme": found, "event": found.event, "form": form, "mine": mine},
    )


@login_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisers' desk: the programme as it is now (the draft: tracks, venues,
    sessions, each marked with what the next version will announce), the changes not yet
    published, stand applications, resolutions."""
    user = request_user(request)
    found = permissions.get_programme_for_user(user, pk, manage=True)
    changes = services.pending_changes(found)
    marks = {change["session"]: change["change"] for change in changes}
    draft = list(selectors.sessions_of(found))
    for session in draft:
        session.change = marks.get(session.pk, "")  # type: ignore[attr-defined]
    context = {
        "programme": found,
        "event": found.event,
        "pending": services.change_lines(changes),
        "tracks": found.tracks.all(),
        "venues": found.venues.annotate(place_count=Count("places")),
        "days": selectors.by_day(draft),
        "applications": selectors.applications_of(found),
        "decision_form": forms.StandDecisionForm(programme=found),
        "versions": selectors.versions_of(found),
        "sections": found.tracks.select_related("resolution") if found.civic_forum else [],
        "resolution_form": forms.ResolutionForm(),
    }
    return render(request, "festivals/manage.html", context)


@login_required
@require_POST
def resolution(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the resolution of a Civic Forum section (its organisers)."""
    user = request_user(request)
    track = permissions.get_track_for_user(user, pk, manage=True)
    form_action(
        request,
        forms.ResolutionForm(request.POST, request.FILES),
        lambda values: services.resolution_publish(actor=user, track=track, **values),
        invalid=_("Проверьте резолюцию."),
        success=_("Резолюция секции опубликована."),
        details=True,
    )
    return redirect("festivals:manage", track.programme_id)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    found = permissions.get_programme_for_user(user, pk, manage=True)
    with domain_error_message(request, success=_("Новая версия программы опубликована.")):
        services.version_publish(actor=user, programme=found)
    return redirect("festivals:manage", found.pk)


@login_required
@require_POST
def stand_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    stand = permissions.get_stand_for_user(user, pk)
    found = stand.programme
    permissions.get_programme_for_user(user, found.pk, manage=True)
    values = form_values(forms.StandDecisionForm(request.POST, programme=found))
    with domain_error_message(request, success=_("Решение по заявке сохранено.")):
        if values["action"] == "accept":
            if values.get("place") is None:
                raise DomainError(_("Выберите место для стенда."))
            services.stand_accept(actor=user, stand=stand, place=values["place"])
        else:
            services.stand_decline(actor=user, stand=stand, reason=values.get("reason") or "")
    return redirect("festivals:manage", found.pk)


@login_required
@require_POST
def stand_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    stand = permissions.get_stand_for_user(user, pk)
    with domain_error_message(request, success=_("Заявка на стенд отозвана.")):
        services.stand_withdraw(actor=user, stand=stand)
    return redirect("festivals:stand_apply", stand.programme_id)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who came to a session: its registrations, each marked present at the door."""
    user = request_user(request)
    session = permissions.get_session_for_user(user, pk)
    permissions.get_programme_for_user(user, session.programme_id, manage=True)
    registrations = list(selectors.registrations_of(session))
    context = {
        "programme": session.programme,
        "event": session.programme.event,
        "session": session,
        "registrations": registrations,
        "came": sum(1 for r in registrations if r.attended_at),
        "can_check_in": permissions.can_check_in(user, session),
    }
    return render(request, "festivals/attendance.html", context)


@login_required
@require_POST
def attendance_mark(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    registration = get_object_or_404(
        SessionRegistration.objects.select_related("session__programme__event__organization"),
        pk=pk,
    )
    session = permissions.get_session_for_user(user, registration.session_id)
    permissions.get_programme_for_user(user, session.programme_id, manage=True)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Не понятно, пришёл человек или нет."))
        return redirect("festivals:attendance", session.pk)
    present = form.cleaned_data["action"] == "present"
    done = _("Отмечено: пришёл.") if present else _("Отметка снята.")
    with domain_error_message(request, success=done):
        services.attendance_mark(actor=user, registration=registration, present=present)
    return redirect(f"{reverse('festivals:attendance', args=[session.pk])}#registration-{pk}")
