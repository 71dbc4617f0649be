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

__all__ = [
    "COMMENT_WORKFLOW",
    "INITIATIVE_WORKFLOW",
    "Comment",
    "CommentReport",
    "Follow",
    "Initiative",
    "InitiativeLink",
    "Support",
    "TeamMember",
    "TimelineEntry",
    "skill_words",
]
