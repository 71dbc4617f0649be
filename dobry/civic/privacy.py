"""A resident's part in city initiatives in the personal-data export and on erasure
(152-ФЗ, ст. 14, 21).

On erasure an initiative the person posted stays — it is the city's public record, and
other residents' supports and work rest on it — without its author; their results on the
timeline stay without their name. Their supports, follows, places in teams, comments and
reports go (a threshold once reached stays reached: the resource centre's answer rests on
it). Other rows that quote the person lose those values.

A report of abuse is exported as the reporter's own words and which comment it was about,
never that comment's text: it is another person's, and a moderator may have hidden it
since. A comment whose only reporter is erased stays in the coordinators' queue: the
complaint was about the text, which is still there to judge.

Votes: the export says in which votes the person voted, on which day and how — never what
they chose (the ballot knows no voter). On erasure the mark that they voted stays without
them (the vote's count of voters must still equal its ballots); their confirmation as a
resident and their SMS codes go."""

from typing import Any

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.civic.models import (
    Comment,
    CommentReport,
    Follow,
    Initiative,
    PhoneCode,
    ResidentVerification,
    Support,
    TeamMember,
    TimelineEntry,
    VoterMark,
)
from dobry.core.erasure import Traces, scrub_rows


def _export(user: User) -> dict[str, Any]:
    return {
        "initiatives": [
            {"title": i.title, "problem": i.problem, "idea": i.idea, "address": i.address,
             "status": i.status, "created_at": i.created_at.isoformat()}
            for i in Initiative.objects.filter(author=user)
        ],
        "supports": [
            {"initiative": s.initiative.title, "created_at": s.created_at.isoformat(),
             "withdrawn_at": s.withdrawn_at.isoformat() if s.withdrawn_at else None}
            for s in Support.objects.filter(user=user).select_related("initiative")
        ],
        "follows": list(
            Follow.objects.filter(user=user).values_list("initiative__title", flat=True)
        ),
        "teams": [
            {"initiative": m.initiative.title, "role": m.role,
             "created_at": m.created_at.isoformat(),
             "withdrawn_at": m.withdrawn_at.isoformat() if m.withdrawn_at else None}
            for m in TeamMember.objects.filter(user=user).select_related("initiative")
        ],
        "comments": [
            {"initiative": c.initiative.title, "text": c.text, "status": c.status,
             "created_at": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=user).select_related("initiative")
        ],
        "comment_reports": [
            {"initiative": r.comment.initiative.title, "comment": r.comment_id,
             "reason": r.reason, "created_at": r.created_at.isoformat()}
            for r in CommentReport.objects.filter(reporter=user).select_related(
                "comment__initiative"
            )
        ],
        "timeline": [
            {"initiative": e.initiative.title, "note": e.note, "photo_alt": e.photo_alt,
             "created_at": e.created_at.isoformat()}
            for e in TimelineEntry.objects.filter(author=user).select_related("initiative")
        ],
        "votes": [
            {"vote": m.vote.title, "voted_on": m.voted_on.isoformat(), "channel": m.channel,
             "polling_point": m.polling_point}
            for m in VoterMark.objects.filter(user=user).select_related("vote")
        ],
        "resident_verification": [
            {"method": v.method, "phone": v.phone, "verified_at": v.verified_at.isoformat()}
            for v in ResidentVerification.objects.filter(user=user)
        ],
    }  # fmt: skip


def _erase(user: User) -> None:
    Initiative.objects.filter(author=user).update(author=None)
    TimelineEntry.objects.filter(author=user).update(author=None)
    Support.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    TeamMember.objects.filter(user=user).delete()
    Comment.objects.filter(author=user).delete()
    CommentReport.objects.filter(reporter=user).delete()
    VoterMark.objects.filter(user=user).update(user=None)
    ResidentVerification.objects.filter(user=user).delete()
    PhoneCode.objects.filter(user=user).delete()


def _copies(traces: Traces) -> None:
    scrub_rows(
        Initiative.objects.all(),
        ["title", "problem", "idea", "address", "needed_skills", "needed_premises",
         "needed_materials", "response"],
        traces,
    )  # fmt: skip
    scrub_rows(TimelineEntry.objects.all(), ["note", "photo_alt"], traces)
    scrub_rows(Comment.objects.all(), ["text"], traces)
    scrub_rows(CommentReport.objects.all(), ["reason"], traces)
    scrub_rows(TeamMember.objects.all(), ["role"], traces)


personal_data.register(
    "initiatives",
    export=_export,
    erase=_erase,
    copies=_copies,
    covers={
        "civic.Initiative.author": "initiatives.initiatives",
        "civic.Support.user": "initiatives.supports",
        "civic.Follow.user": "initiatives.follows",
        "civic.TeamMember.user": "initiatives.teams",
        "civic.Comment.author": "initiatives.comments",
        "civic.CommentReport.reporter": "initiatives.comment_reports",
        "civic.TimelineEntry.author": "initiatives.timeline",
        "civic.VoterMark.user": "initiatives.votes",
        "civic.ResidentVerification.user": "initiatives.resident_verification",
    },
)
personal_data.not_personal(
    {
        "civic.Initiative.responded_by": "a coordinator's answer for the resource centre; "
        "answering is in their actions",
        "civic.InitiativeLink.added_by": "a link of the initiative's public record; adding it "
        "is in the person's actions",
        "civic.VoterMark.officer": "the officer who entered a paper ballot; entering it is "
        "in their actions",
        "civic.ResidentVerification.verified_by": "the coordinator who confirmed a resident; "
        "confirming is in their actions",
        "civic.Vote.officers": "a vote's polling officers: a duty staff give; the paper "
        "ballots they enter are in their actions",
        "civic.PhoneCode.user": "a one-time code's hash, valid for minutes: a secret, erased "
        "with the account",
    }
)
