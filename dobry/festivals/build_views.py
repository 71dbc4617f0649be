"""The organisers' pages that build a programme: tracks (the Civic Forum's sections),
venues with their numbered stand places, sessions with their speakers and moderators —
created, changed and deleted through the same services and permissions as the API
(`festivals.services.programme`, `festivals.permissions`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.core.feedback import domain_error_message, form_action, form_saved
from dobry.core.permissions import Actor
from dobry.festivals import forms, permissions, selectors
from dobry.festivals.models import Programme, Session, Track, Venue
from dobry.festivals.services import programme as services


def _managed(user: Actor, programme_id: int) -> Programme:
    return permissions.get_programme_for_user(user, programme_id, manage=True)


def _desk(programme: Programme, anchor: str) -> HttpResponse:
    return redirect(f"/programme/{programme.pk}/manage/#{anchor}")


# --- tracks --------------------------------------------------------------------------------


def _track_page(request: HttpRequest, programme: Programme, track: Track | None) -> HttpResponse:
    user = request_user(request)
    form = forms.TrackForm(request.POST or None, instance=track)
    saved = form_saved(
        request,
        form,
        lambda: services.track_save(actor=user, programme=programme, track=track, **form.values()),
        success=_("Направление сохранено."),
    )
    if saved:
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
    track = permissions.get_track_for_user(request_user(request), pk, manage=True)
    return _track_page(request, track.programme, track)


@login_required
@require_POST
def track_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    track = permissions.get_track_for_user(user, pk, manage=True)
    with domain_error_message(request, success=_("Направление удалено.")):
        services.track_delete(actor=user, track=track)
    return _desk(track.programme, "tracks-heading")


# --- venues and their places ---------------------------------------------------------------


def _venue_page(request: HttpRequest, programme: Programme, venue: Venue | None) -> HttpResponse:
    user = request_user(request)
    form = forms.VenueForm(request.POST or None, instance=venue)
    saved = form_saved(
        request,
        form,
        lambda: services.venue_save(actor=user, programme=programme, venue=venue, **form.values()),
        success=_("Площадка сохранена."),
    )
    if saved and venue is None and saved.kind == Venue.Kind.PARK_ZONE:
        return redirect("festivals:venue_edit", saved.pk)
    if saved:
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
    venue = permissions.get_venue_for_user(request_user(request), pk, manage=True)
    return _venue_page(request, venue.programme, venue)


@login_required
@require_POST
def venue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    venue = permissions.get_venue_for_user(user, pk, manage=True)
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
    venue = permissions.get_venue_for_user(user, pk, manage=True)
    form_action(
        request,
        forms.PlacesForm(request.POST),
        lambda values: services.places_add(actor=user, venue=venue, **values),
        invalid=_("Проверьте номера мест."),
        success=_("Места для стендов добавлены."),
        details=True,
    )
    return redirect("festivals:venue_edit", venue.pk)


@login_required
@require_POST
def place_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    place = permissions.get_place_for_user(user, pk, manage=True)
    with domain_error_message(request, success=_("Место убрано.")):
        services.place_delete(actor=user, place=place)
    return redirect("festivals:venue_edit", place.venue_id)


# --- sessions and their people -------------------------------------------------------------


def _session_page(
    request: HttpRequest, programme: Programme, session: Session | None
) -> HttpResponse:
    user = request_user(request)
    form = forms.SessionForm(request.POST or None, instance=session, programme=programme)
    saved = form_saved(
        request,
        form,
        lambda: services.session_save(
            actor=user, programme=programme, session=session, values=form.values()
        ),
        success=_("Сессия сохранена. Участники увидят её, когда вы опубликуете новую версию."),
    )
    if saved:
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
    return permissions.get_session_for_user(user, pk, manage=True)


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
    form = forms.SessionStatusForm(request.POST)
    cancel = form.is_valid() and form.cleaned_data["action"] == "cancel"
    act = services.session_cancel if cancel else services.session_restore
    form_action(
        request,
        form,
        lambda values: act(actor=user, session=session),
        invalid=_("Не понятно, что сделать с сессией."),
        success=_("Сессия отменена.") if cancel else _("Сессия возвращена в программу."),
    )
    return redirect("festivals:session_edit", session.pk)


@login_required
@require_POST
def speaker_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session = _session(user, pk)
    form_action(
        request,
        forms.SpeakerForm(request.POST),
        lambda values: services.speaker_add(actor=user, session=session, **values),
        invalid=_("Проверьте спикера."),
        success=_("Добавлено."),
        details=True,
    )
    return redirect("festivals:session_edit", session.pk)


@login_required
@require_POST
def speaker_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    speaker = permissions.get_speaker_for_user(user, pk, manage=True)
    with domain_error_message(request, success=_("Убрано.")):
        services.speaker_remove(actor=user, speaker=speaker)
    return redirect("festivals:session_edit", speaker.session_id)
