from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dobry.accounts.auth import request_user
from dobry.accounts.models import ConsentDocument, User
from dobry.accounts.services import user_has_written_consent
from dobry.core import references
from dobry.core.client_ip import client_ip
from dobry.core.errors import DomainError
from dobry.core.feedback import domain_error_message, form_error_message
from dobry.core.forms import add_service_error
from dobry.core.redirects import redirect_to_next
from dobry.core.request_values import form_values, paginate
from dobry.organizations.permissions import get_organization_for_user, is_reviewer
from dobry.volunteering import permissions, selectors
from dobry.volunteering.forms import (
    ClaimForm,
    DecisionForm,
    HoursMoveForm,
    ParentalConsentForm,
    VolunteerProfileForm,
)
from dobry.volunteering.models import VolunteerProfile
from dobry.volunteering.services import hours as hours_services
from dobry.volunteering.services import profiles as profile_services


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The person's own volunteer profile. Its form shows them their own accessibility needs
    (health data) without an audit entry: the owner at their own page is no access by a
    third party. The API answers them only through their own operation
    (`profiles.accessibility_needs_read_own`), unaudited likewise."""
    user = request_user(request)
    volunteer = selectors.profile_of(user)
    form = VolunteerProfileForm(request.POST or None, instance=volunteer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_services.volunteer_profile_update(
                user=user,
                fields={name: data[name] for name in profile_services.PROFILE_FIELDS},
                districts=data["districts"],
                accessibility_needs=data["accessibility_needs"],
                public=data["public_profile"],
                # the tick sits beside the consent's text: ticking it is the consent
                public_consent=data["public_profile"],
                ip_address=client_ip(request),
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Профиль волонтёра сохранён."))
            return redirect_to_next(request, "volunteering:profile")
    consent = ConsentDocument.current(ConsentDocument.Kind.PUBLIC_PROFILE)
    health_consent = user_has_written_consent(user, ConsentDocument.Kind.VOLUNTEER_HEALTH)
    return render(
        request,
        "volunteering/profile.html",
        {
            "form": form,
            "volunteer": volunteer,
            "public_consent": consent,
            "health_consent": health_consent,
        },
    )


def public_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A volunteer's public page — only while they keep it public with its consent."""
    profile = (
        VolunteerProfile.objects.filter(
            user_id=pk,
            public_profile=True,
            user__is_active=True,
            user__consents__document__kind=ConsentDocument.Kind.PUBLIC_PROFILE,
            user__consents__withdrawn_at__isnull=True,
        )
        .select_related("user")
        .first()
    )
    if profile is None:
        raise Http404
    return render(
        request,
        "volunteering/public_profile.html",
        {"profile": profile, "summary": selectors.hours_summary(profile.user)},
    )


@login_required
def record_book(request: HttpRequest) -> HttpResponse:
    """«Книжка волонтёра»: every entry of the ledger with totals and badges."""
    user = request_user(request)
    page = paginate(request.GET, selectors.hours_of(user), selectors.RECORD_BOOK_PAGE)
    page.object_list = references.attach(page.object_list, "origin", user)
    return render(
        request, "volunteering/book.html", {"page": page, "summary": selectors.hours_summary(user)}
    )


@login_required
def claim(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hours_services.hours_claim(
                user=user,
                organization=data["organization"],
                day=data["day"],
                hours=data["hours"],
                description=data["description"],
                area=data["area"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Часы отправлены организации на подтверждение."))
            return redirect("volunteering:book")
    return render(request, "volunteering/claim.html", {"form": form})


@login_required
def organization_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisation's queue of hours to confirm, adjust or decline."""
    user = request_user(request)
    organization = get_organization_for_user(user, pk, action="edit")
    page = paginate(request.GET, selectors.pending_hours(organization), 50)
    page.object_list = references.attach(page.object_list, "origin", user)
    for entry in page:
        entry.moves = permissions.hours_moves(user, entry)
    return render(
        request,
        "volunteering/organization_hours.html",
        {"organization": organization, "page": page, "form": DecisionForm()},
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision button of the hours queue. The button's move is required: a POST without
    one (or with one the workflow does not know) is a 400 naming `decision`, never taken
    for a confirmation."""
    user = request_user(request)
    entry = permissions.get_entry_for_organiser(user, pk)
    decision = form_values(HoursMoveForm(request.POST))["decision"]
    form = DecisionForm(request.POST)
    if not form.is_valid():
        form_error_message(request, form, _("Проверьте число часов."))
        return redirect("volunteering:organization_hours", pk=entry.organization_id)
    data = form.cleaned_data
    success = _("Часы отклонены.") if decision == "decline" else _("Часы подтверждены.")
    with domain_error_message(request, success=success):
        hours_services.hours_decide(
            actor=user,
            entry=entry,
            decision=decision,
            hours=data["hours"],
            reason=data["reason"],
            thanks=data["thanks"],
        )
    return redirect("volunteering:organization_hours", pk=entry.organization_id)


@login_required
def parental_consent(request: HttpRequest) -> HttpResponse:
    """Coordinators record a parent's written consent for a volunteer aged 14–17."""
    user = request_user(request)
    if not is_reviewer(user):
        raise PermissionDenied
    form = ParentalConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        volunteer = User.objects.filter(
            email__iexact=form.cleaned_data["email"], is_active=True
        ).first()
        if volunteer is None:
            form.add_error("email", _("Нет волонтёра с таким адресом."))
        else:
            try:
                profile_services.parental_consent_record(
                    actor=user, volunteer=volunteer, parent_name=form.cleaned_data["parent_name"]
                )
            except DomainError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Согласие родителя записано для %(name)s.")
                    % {"name": volunteer.display_name},
                )
                return redirect("volunteering:parental_consent")
    return render(request, "volunteering/parental_consent.html", {"form": form})
