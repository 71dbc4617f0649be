from dobry.civic.models.initiatives import (
    INITIATIVE_WORKFLOW,
    Initiative,
    TimelineEntry,
    skill_words,
)
from dobry.civic.models.people import (
    COMMENT_WORKFLOW,
    Comment,
    CommentReport,
    Follow,
    InitiativeLink,
    Support,
    TeamMember,
)
from dobry.civic.models.votes import (
    VOTE_WORKFLOW,
    Ballot,
    BallotChoice,
    PhoneCode,
    ResidentVerification,
    Vote,
    VoteOption,
    VoterMark,
)

__all__ = [
    "COMMENT_WORKFLOW",
    "INITIATIVE_WORKFLOW",
    "VOTE_WORKFLOW",
    "Ballot",
    "BallotChoice",
    "Comment",
    "CommentReport",
    "Follow",
    "Initiative",
    "InitiativeLink",
    "PhoneCode",
    "ResidentVerification",
    "Support",
    "TeamMember",
    "TimelineEntry",
    "Vote",
    "VoteOption",
    "VoterMark",
    "skill_words",
]
