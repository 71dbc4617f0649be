"""What volunteering keeps about a person. Confirmed hours stay after erasure (others'
reports depend on them) but point to the anonymous tombstone of the account."""

from collections.abc import Iterator
from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import ConsentDocument, User
from dobry.communications.services import notification_emails_refresh
from dobry.core.audit import log_action
from dobry.core.erasure import Traces, scrub_rows
from dobry.volunteering.models import HoursEntry, VolunteerProfile, VolunteerQualification


def _export(user: User) -> dict[str, Any]:
    profile = VolunteerProfile.objects.filter(user=user).prefetch_related("districts").first()
    return {
        "profile": None
        if profile is None
        else {
            "date_of_birth": profile.date_of_birth.isoformat() if profile.date_of_birth else None,
            "skills": profile.skills,
            "interests": profile.interests,
            "districts": [d.name for d in profile.districts.all()],
            "availability": profile.availability,
            "languages": profile.languages,
            "woman": profile.woman,
            "accessibility_needs": profile.accessibility_needs,
            "emergency_contact": profile.emergency_contact,
            "parental_consent_by": profile.parental_consent_by,
            "public_profile": profile.public_profile,
            "weekly_digest": profile.weekly_digest,
        },
        "qualifications": [
            {
                "name": q.qualification.name,
                "valid_until": q.valid_until.isoformat() if q.valid_until else None,
            }
            for q in VolunteerQualification.objects.filter(user=user).select_related(
                "qualification"
            )
        ],
        "hours": [
            {
                "date": e.date.isoformat(),
                "organization": str(e.organization),
                "hours": str(e.hours),
                "status": e.status,
                "description": e.description,
                "reason": e.reason,
                "thanks": e.thanks,
            }
            for e in HoursEntry.objects.filter(user=user).select_related("organization")
        ],
    }


def _traces(user: User) -> Iterator[str]:
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is not None:
        yield from (profile.emergency_contact, profile.parental_consent_by)


def _copies(traces: Traces) -> None:
    scrub_rows(HoursEntry.objects.all(), ["description", "thanks", "reason"], traces)


def _erase(user: User) -> None:
    VolunteerProfile.objects.filter(user=user).delete()
    VolunteerQualification.objects.filter(user=user).delete()
    entries = list(HoursEntry.objects.filter(user=user))
    HoursEntry.objects.filter(user=user).update(description="", thanks="")
    # The emails sent about them (an organisation told of a claim) quoted the description.
    notification_emails_refresh(objects=entries)


def _erase_accessibility_needs(user: User) -> None:
    profile = VolunteerProfile.objects.filter(user=user).exclude(accessibility_needs=None).first()
    if profile is not None:
        profile.accessibility_needs = None
        profile.save(update_fields=["accessibility_needs"])
        log_action(actor=user, action="volunteer_profile.accessibility_erase", obj=profile)


personal_data.register(
    "volunteering",
    export=_export,
    erase=_erase,
    traces=_traces,
    copies=_copies,
    on_withdraw={ConsentDocument.Kind.VOLUNTEER_HEALTH: _erase_accessibility_needs},
    covers={
        "volunteering.VolunteerProfile.user": "volunteering.profile",
        "volunteering.VolunteerQualification.user": "volunteering.qualifications",
        "volunteering.HoursEntry.user": "volunteering.hours",
    },
)
personal_data.not_personal(
    {
        "volunteering.VolunteerProfile.parental_consent_recorded_by": "a coordinator's work: "
        "the parents' consent is the volunteer's (in their profile); recording it is in the "
        "coordinator's actions",
        "volunteering.HoursEntry.decided_by": "an organiser's decision on another person's "
        "hours (in that person's export); it is in the organiser's actions",
    }
)
