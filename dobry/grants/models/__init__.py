"""Municipal grant competitions: the call, applications and their frozen versions, the
expert pool, reviews, allocation runs, the commission's meeting and its decision.

The rules that turn reviews into scores, a ranking and awards are in `rules.py`; these
modules only store what those rules read and what they decided."""

from dobry.grants.models.agreements import (
    AGREEMENT_WORKFLOW,
    AMENDMENT_WORKFLOW,
    TRANCHE_WORKFLOW,
    Agreement,
    AgreementVersion,
    Amendment,
    BudgetLine,
    ReportDue,
    Tranche,
)
from dobry.grants.models.applications import (
    APPLICATION_WORKFLOW,
    SCREENING_MOVES,
    Application,
    ApplicationAttachment,
    ApplicationVersion,
    ResidentsVoteScore,
)
from dobry.grants.models.calendar import WorkCalendarDay
from dobry.grants.models.commission import AllocationRun, CommissionMember, Meeting
from dobry.grants.models.competitions import (
    COMPETITION_LIMITS,
    COMPETITION_WORKFLOW,
    MAX_CRITERION_SCORE,
    MAX_CRITERION_WEIGHT,
    Competition,
    Criterion,
    Section,
    new_seed,
)
from dobry.grants.models.outcomes import (
    PROJECT_COMMENT_WORKFLOW,
    RATING_MAX,
    RATING_MIN,
    ProjectComment,
    ProjectCommentReport,
    ProjectPhoto,
    ProjectRating,
    ProjectSummary,
)
from dobry.grants.models.reports import REPORT_WORKFLOW, GrantReport, ReportFile, ReportVersion
from dobry.grants.models.reviews import REVIEW_WORKFLOW, Expert, Review

__all__ = [
    "AGREEMENT_WORKFLOW",
    "AMENDMENT_WORKFLOW",
    "APPLICATION_WORKFLOW",
    "COMPETITION_LIMITS",
    "COMPETITION_WORKFLOW",
    "MAX_CRITERION_SCORE",
    "MAX_CRITERION_WEIGHT",
    "PROJECT_COMMENT_WORKFLOW",
    "RATING_MAX",
    "RATING_MIN",
    "REPORT_WORKFLOW",
    "REVIEW_WORKFLOW",
    "SCREENING_MOVES",
    "TRANCHE_WORKFLOW",
    "Agreement",
    "AgreementVersion",
    "AllocationRun",
    "Amendment",
    "Application",
    "ApplicationAttachment",
    "ApplicationVersion",
    "BudgetLine",
    "CommissionMember",
    "Competition",
    "Criterion",
    "Expert",
    "GrantReport",
    "Meeting",
    "ProjectComment",
    "ProjectCommentReport",
    "ProjectPhoto",
    "ProjectRating",
    "ProjectSummary",
    "ReportDue",
    "ReportFile",
    "ReportVersion",
    "ResidentsVoteScore",
    "Review",
    "Section",
    "Tranche",
    "WorkCalendarDay",
    "new_seed",
]
