"""Grant applications a person made and reviews they wrote.

What others depend on decides what stays (152-ФЗ art. 21 part 5):
- the person's own unsubmitted drafts (applying as a resident) are theirs alone: deleted,
  with their attachments;
- a draft they started for an organisation is the organisation's — its other owners and
  editors work on it — and stays; but nobody outside has seen its attachments, which are
  the person's uploads: deleted, file and name;
- submitted applications are the competition's record and the basis of public results:
  they stay, and so do their attachments' files (the experts scored them), under a neutral
  name — the uploader's file name («Петрова_смета.pdf») may carry their name in any
  spelling;
- in every application the person made that stays, any phone number and email address in
  its title and texts (the team, the contacts) is redacted, however it is written
  (`core.erasure.redact_contacts`): they are the applicant's contact data, and the
  organisation's own contacts are kept on the organisation, not in the application.
Reviews stay, like the applications, without the person's values; the applicant is now
the anonymous tombstone.
A resident's ratings of finished projects, comments on them and reports of abuse are the
person's own opinions: exported, and deleted on erasure (a project's average counts the
remaining residents)."""

from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.core.erasure import Traces, redact_contacts, scrub_rows
from dobry.core.files import delete_private_files
from dobry.grants.models import (
    Application,
    ApplicationAttachment,
    ApplicationVersion,
    Competition,
    Expert,
    Meeting,
    ProjectComment,
    ProjectCommentReport,
    ProjectPhoto,
    ProjectRating,
    ProjectSummary,
    Review,
)


def _project_export(user: User) -> dict[str, list[dict[str, Any]]]:
    """The person's ratings of finished projects, comments on them and reports of abuse."""
    return {
        "project_ratings": [
            {
                "project": r.agreement.application.title,
                "score": r.score,
                "created_at": r.created_at.isoformat(),
                "updated_at": r.updated_at.isoformat(),
            }
            for r in ProjectRating.objects.filter(author=user).select_related(
                "agreement__application"
            )
        ],
        "project_comments": [
            {
                "project": c.agreement.application.title,
                "text": c.text,
                "status": c.status,
                "created_at": c.created_at.isoformat(),
            }
            for c in ProjectComment.objects.filter(author=user).select_related(
                "agreement__application"
            )
        ],
        "project_comment_reports": [
            # the reporter's words and the comment's id — never another person's text
            {"comment_id": r.comment_id, "reason": r.reason, "created_at": r.created_at.isoformat()}
            for r in ProjectCommentReport.objects.filter(reporter=user)
        ],
    }


def _export(user: User) -> dict[str, list[dict[str, Any]]]:
    return {
        "applications": [
            {
                "competition": a.competition.title,
                "number": a.number,
                "title": a.title,
                "status": a.status,
                "organization": str(a.organization) if a.organization_id else None,
                "content": a.content,
                "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
            }
            for a in Application.objects.filter(applicant=user).select_related(
                "competition", "organization"
            )
        ],
        "reviews": [
            {
                "competition": r.application.competition.title,
                "application": r.application.number,
                "status": r.status,
                "scores": r.scores,
                "comment": r.comment,
                "total": str(r.total) if r.total is not None else None,
            }
            for r in Review.objects.filter(expert__user=user).select_related(
                "application__competition"
            )
        ],
        **_project_export(user),
        "expert_seats": [
            {"competition": e.competition.title, "sector": e.sector, "active": e.is_active}
            for e in Expert.objects.filter(user=user).select_related("competition")
        ],
    }


def _erase(user: User) -> None:
    ProjectRating.objects.filter(author=user).delete()
    ProjectComment.objects.filter(author=user).delete()
    ProjectCommentReport.objects.filter(reporter=user).delete()
    drafts = Application.objects.filter(applicant=user, number="", organization__isnull=True)
    for application in drafts:
        for attachment in application.attachments.all():
            delete_private_files(attachment)
    drafts.delete()
    kept = Application.objects.filter(applicant=user)
    unseen = ApplicationAttachment.objects.filter(application__in=kept.filter(number=""))
    for attachment in unseen:
        delete_private_files(attachment)
    unseen.delete()
    for attachment in ApplicationAttachment.objects.filter(application__in=kept):
        attachment.original_name = neutral_file_name(attachment)
        attachment.save(update_fields=["original_name"])
    for application in kept:
        application.title = redact_contacts(application.title)
        application.content = redact_contacts(application.content)
        application.save(update_fields=["title", "content"])
    for version in ApplicationVersion.objects.filter(application__in=kept):
        version.title = redact_contacts(version.title)
        version.content = redact_contacts(version.content)
        version.save(update_fields=["title", "content"])


def neutral_file_name(attachment: ApplicationAttachment) -> str:
    """A download name that names nobody: «приложение-12.pdf» (the type kept)."""
    base = attachment.original_name.rpartition("/")[2]
    suffix = base.rpartition(".")[2][:10].lower() if "." in base else ""
    suffix = suffix if suffix.isascii() and suffix.isalnum() else ""
    return f"приложение-{attachment.pk}" + (f".{suffix}" if suffix else "")


def _copies(traces: Traces) -> None:
    # Submitted applications stay (the competition's record) without the contact person.
    scrub_rows(Application.objects.all(), ["title", "content", "screening_comment"], traces)
    scrub_rows(ApplicationVersion.objects.all(), ["title", "content", "attachments"], traces)
    # Uploaded files keep the uploader's own file name («Петров_смета.pdf») for downloads.
    scrub_rows(ApplicationAttachment.objects.all(), ["title", "original_name"], traces)
    scrub_rows(Competition.objects.all(), ["rules_document_name"], traces)
    scrub_rows(Meeting.objects.all(), ["signed_protocol_name"], traces)
    scrub_rows(Review.objects.all(), ["comment", "comments", "conflict_reason"], traces)
    # Others' comments quoting the person, the grantee's summary and photo descriptions.
    scrub_rows(ProjectComment.objects.all(), ["text"], traces)
    scrub_rows(ProjectCommentReport.objects.all(), ["reason"], traces)
    scrub_rows(ProjectSummary.objects.all(), ["text"], traces)
    scrub_rows(ProjectPhoto.objects.all(), ["alt"], traces)


personal_data.register(
    "grants",
    export=_export,
    erase=_erase,
    copies=_copies,
    covers={
        "grants.Application.applicant": "grants.applications",
        "grants.Expert.user": "grants.expert_seats",
        "grants.ProjectRating.author": "grants.project_ratings",
        "grants.ProjectComment.author": "grants.project_comments",
        "grants.ProjectCommentReport.reporter": "grants.project_comment_reports",
    },
)
personal_data.not_personal(
    {
        "grants.Competition.created_by": "an official's work: the competition is the city's; "
        "creating it is in the official's actions",
        "grants.Competition.managers": "an official's work: managing a competition is a duty "
        "of office; each action is in the official's actions",
        "grants.AllocationRun.created_by": "an official's work: the allocation is the "
        "competition's record; running it is in the official's actions",
        "grants.Agreement.created_by": "an official's work: preparing an agreement is in the "
        "official's actions",
        "grants.AgreementVersion.made_by": "who approved or made a version of an agreement: "
        "the agreement's record, each step also in the audit log",
        "grants.Amendment.proposed_by": "a grantee's or an official's work for the organisation "
        "or the city under the agreement, not the person's own data; in the audit log",
        "grants.Amendment.decided_by": "an official's work: deciding on an amendment is a "
        "duty of office",
        "grants.ReportVersion.submitted_by": "a grantee's work for the organisation under the "
        "agreement, not the person's own data; in the audit log",
        "grants.ReportVersion.decided_by": "an official's work: deciding on a report is a duty "
        "of office",
        "grants.ReportFile.uploaded_by": "a grantee's work for the organisation under the "
        "agreement; the file is the organisation's report, in the audit log",
        "grants.WorkCalendarDay.updated_by": "an official's work: the production calendar is "
        "the city's data",
    }
)
