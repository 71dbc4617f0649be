"""The organisers' pages that build a programme: tracks (the Civic Forum's sections),
venues with their numbered stand places, sessions with their speakers and moderators —
created, changed and deleted through the same services and permissions as the API
(`festivals.services.programme`, `festivals.permissions`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.permissions import Actor
from dobry.festivals import forms, permissions, selectors
from dobry.festivals.models import Programme, Session, Speaker, StandPlace, Track, Venue
from dobry.festivals.services import programme as services


def _managed(user: Actor, programme_id: int) -> Programme:
    return permissions.get_programme_for_user(user, programme_id, manage=True)


def _part(user: Actor, queryset: Any, pk: int, programme_of: Any = None) -> Any:
    """A track, venue, session, speaker or place whose programme `user` organises: 404 when
    there is none or the programme is hidden from `user`, 403 for a viewer who does not
    organise it. `programme_of`: the part's programme id (default: `programme_id`)."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    _managed(user, programme_of(found) if programme_of else found.programme_id)
    return found


def _desk(programme: Programme, anchor: str) -> HttpResponse:
    return redirect(f"/programme/{programme.pk}/manage/#{anchor}")


# --- tracks --------------------------------------------------------------------------------


def _track_page(request: HttpRequest, programme: Programme, track: Track | None) -> HttpResponse:
    user = request_user(request)
    form = forms.TrackForm(request.POST or None, instance=track)
    if request.method == "POST" and form.is_valid():
        try:
            services.track_save(
                actor=user,
                programme=programme,
                track=track,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                position=form.cleaned_data["position"] or 0,
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Направление сохранено."))
            return _desk(programme, "tracks-heading")
    return render(
        request,
        "festivals/build/track_form.html",
        {"programme": programme, "event": programme.event, "form": form, "track": track},
    )


@login_required
def track_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _track_page(request, _managed(request_user(request), pk), None)


@login_required
def track_edit(request: HttpRequest, pk: int) -> HttpResponse:
    track = _part(request_user(request), Track.objects.select_related("programme__event"), pk)
    return _track_page(request, track.programme, track)


@login_required
@require_POST
def track_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    track = _part(user, Track.objects.select_related("programme__event"), pk)
    with domain_error_message(request, success=_("Направление удалено.")):
        services.track_delete(actor=user, track=track)
    return _desk(track.programme, "tracks-heading")


# --- venues and their places ---------------------------------------------------------------


def _venue_page(request: HttpRequest, programme: Programme, venue: Venue | None) -> HttpResponse:
    user = request_user(request)
    form = forms.VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.venue_save(
                actor=user,
                programme=programme,
                venue=venue,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                position=form.cleaned_data["position"] or 0,
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Площадка сохранена."))
            if venue is None and saved.kind == Venue.Kind.PARK_ZONE:
                return redirect("festivals:venue_edit", saved.pk)
            return _desk(programme, "venues-heading")
    context = {
        "programme": programme,
        "event": programme.event,
        "form": form,
        "venue": venue,
        "places_form": forms.PlacesForm(),
        "places": selectors.places_with_stands(venue) if venue else [],
    }
    return render(request, "festivals/build/venue_form.html", context)


@login_required
def venue_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _venue_page(request, _managed(request_user(request), pk), None)


@login_required
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    venue = _part(request_user(request), Venue.objects.select_related("programme__event"), pk)
    return _venue_page(request, venue.programme, venue)


@login_required
@require_POST
def venue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    venue = _part(user, Venue.objects.select_related("programme__event"), pk)
    with domain_error_message(request, success=_("Площадка удалена.")) as outcome:
        services.venue_delete(actor=user, venue=venue)
    if not outcome.ok:
        return redirect("festivals:venue_edit", venue.pk)
    return _desk(venue.programme, "venues-heading")


@login_required
@require_POST
def places_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Number a zone's stand places «from … to …»."""
    user = request_user(request)
    venue = _part(user, Venue.objects.select_related("programme__event"), pk)
    form = forms.PlacesForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Проверьте номера мест."))
        return redirect("festivals:venue_edit", venue.pk)
    with domain_error_message(request, success=_("Места для стендов добавлены."), details=True):
        services.places_add(
            actor=user,
            venue=venue,
            first=form.cleaned_data["first"],
            last=form.cleaned_data["last"],
        )
    return redirect("festivals:venue_edit", venue.pk)


@login_required
@require_POST
def place_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    place = _part(
        user,
        StandPlace.objects.select_related("venue__programme__event"),
        pk,
        lambda found: found.venue.programme_id,
    )
    with domain_error_message(request, success=_("Место убрано.")):
        services.place_delete(actor=user, place=place)
    return redirect("festivals:venue_edit", place.venue_id)


# --- sessions and their people -------------------------------------------------------------


def _session_page(
    request: HttpRequest, programme: Programme, session: Session | None
) -> HttpResponse:
    user = request_user(request)
    form = forms.SessionForm(request.POST or None, instance=session, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.session_save(
                actor=user, programme=programme, session=session, values=form.values()
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Сессия сохранена. Участники увидят её, когда вы опубликуете новую версию."),
            )
            return redirect("festivals:session_edit", saved.pk)
    context = {
        "programme": programme,
        "event": programme.event,
        "form": form,
        "session": session,
        "speaker_form": forms.SpeakerForm(),
        "speakers": list(session.speakers.all()) if session else [],
        "can_delete": session is not None and services.can_delete_session(session),
    }
    return render(request, "festivals/build/session_form.html", context)


def _session(user: Actor, pk: int) -> Session:
    return _part(user, Session.objects.select_related("programme__event", "venue", "track"), pk)


@login_required
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _managed(request_user(request), pk)
    if not programme.venues.exists():
        messages.error(request, _("Сначала добавьте площадку: сессия проходит на площадке."))
        return redirect("festivals:venue_new", programme.pk)
    return _session_page(request, programme, None)


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request_user(request), pk)
    return _session_page(request, session.programme, session)


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session = _session(user, pk)
    with domain_error_message(request, success=_("Сессия удалена.")) as outcome:
        services.session_delete(actor=user, session=session)
    if not outcome.ok:
        return redirect("festivals:session_edit", session.pk)
    return _desk(session.programme, "sessions-heading")


@login_required
@require_POST
def session_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a session or bring it back (told with the next version)."""
    user = request_user(request)
    session = _session(user, pk)
    values = forms.SessionStatusForm(request.POST)
    if not values.is_valid():
        form_error_message(request, values, _("Не понятно, что сделать с сессией."))
        return redirect("festivals:session_edit", session.pk)
    if values.cleaned_data["action"] == "cancel":
        with domain_error_message(request, success=_("Сессия отменена.")):
            services.session_cancel(actor=user, session=session)
    else:
        with domain_error_message(request, success=_("Сессия возвращена в программу.")):
            services.session_restore(actor=user, session=session)
    return redirect("festivals:session_edit", session.pk)


@login_required
@require_POST
def speaker_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session = _session(user, pk)
    form = forms.SpeakerForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Проверьте спикера."))
        return redirect("festivals:session_edit", session.pk)
    with domain_error_message(request, success=_("Добавлено."), details=True):
        services.speaker_add(
            actor=user,
            session=session,
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            about=form.cleaned_data["about"],
        )
    return redirect("festivals:session_edit", session.pk)


@login_required
@require_POST
def speaker_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    speaker = _part(
        user,
        Speaker.objects.select_related("session__programme__event"),
        pk,
        lambda found: found.session.programme_id,
    )
    with domain_error_message(request, success=_("Убрано.")):
        services.speaker_remove(actor=user, speaker=speaker)
    return redirect("festivals:session_edit", speaker.session_id)
