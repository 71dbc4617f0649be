"""A person's part in forum and festival programmes in the personal-data export and on
erasure (152-ФЗ, ст. 14, 21): their selections («моё расписание») and places on sessions
go; a stand application stays the organisation's without the person who submitted it; a
speaker's line stays in the published programme without the link to their account."""

from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.core.erasure import Traces, scrub_rows
from dobry.festivals.models import Selection, SessionRegistration, Speaker, StandApplication


def _export(user: User) -> dict[str, Any]:
    return {
        "selections": [
            {"session": s.session.title, "starts_at": s.session.starts_at.isoformat()}
            for s in Selection.objects.filter(user=user).select_related("session")
        ],
        "session_registrations": [
            {
                "session": r.session.title,
                "created_at": r.created_at.isoformat(),
                "attended_at": r.attended_at.isoformat() if r.attended_at else None,
            }
            for r in SessionRegistration.objects.filter(user=user).select_related("session")
        ],
        "stand_applications": [
            {"organization": a.organization.name, "exhibit": a.exhibit, "status": a.status}
            for a in StandApplication.objects.filter(submitted_by=user).select_related(
                "organization"
            )
        ],
        "speaking": [
            {"session": s.session.title, "name": s.name, "role": s.role}
            for s in Speaker.objects.filter(user=user).select_related("session")
        ],
    }


def _erase(user: User) -> None:
    Selection.objects.filter(user=user).delete()
    SessionRegistration.objects.filter(user=user).delete()
    StandApplication.objects.filter(submitted_by=user).update(submitted_by=None)
    Speaker.objects.filter(user=user).update(user=None)


def _copies(traces: Traces) -> None:
    scrub_rows(StandApplication.objects.all(), ["exhibit", "needs", "reason"], traces)


personal_data.register(
    "programmes",
    export=_export,
    erase=_erase,
    copies=_copies,
    covers={
        "festivals.Selection.user": "programmes.selections",
        "festivals.SessionRegistration.user": "programmes.session_registrations",
        "festivals.StandApplication.submitted_by": "programmes.stand_applications",
        "festivals.Speaker.user": "programmes.speaking",
    },
)
personal_data.not_personal(
    {
        "festivals.ProgrammeVersion.published_by": "an organiser publishing a version of the "
        "programme; publishing is in their actions",
    }
)
