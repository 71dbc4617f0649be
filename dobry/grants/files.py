"""Who may read a competition's uploaded files: the same rules as the objects they belong to."""

from dobry.core.files import register_private, register_public
from dobry.core.permissions import Actor, Decision
from dobry.core.uploads import SCAN
from dobry.grants import permissions
from dobry.grants.models import (
    Agreement,
    ApplicationAttachment,
    Competition,
    Meeting,
    ProjectPhoto,
    ReportFile,
)


def can_read_attachment(user: Actor, attachment: ApplicationAttachment) -> Decision:
    """An application's attachment: whoever may read the application (applicant, organisers,
    experts after their conflict-of-interest declaration)."""
    return permissions.can_view_application(user, attachment.application)


def can_read_signed_protocol(user: Actor, meeting: Meeting) -> Decision:
    """The signed scan carries the commission's signatures: the competition's organisers."""
    return permissions.can_manage(user, meeting.competition)


register_private(Competition, "rules_document", can_read=permissions.can_view_competition)
register_private(
    ApplicationAttachment,
    "file",
    can_read=can_read_attachment,
    select_related=("application__competition",),
)
register_private(
    Meeting,
    "signed_protocol",
    can_read=can_read_signed_protocol,
    select_related=("competition",),
)
register_private(
    Agreement,
    "signed_scan",
    can_read=permissions.can_view_agreement,
    select_related=("application__competition",),
    holds=SCAN,
)


def can_read_report_file(user: Actor, attached: ReportFile) -> Decision:
    """A report's receipt or photo: whoever sees the report (the grantee, the organisers)."""
    return permissions.can_view_report(user, attached.report)


register_private(
    ReportFile,
    "file",
    can_read=can_read_report_file,
    select_related=("report__agreement__application__competition",),
)

register_public(
    ProjectPhoto,
    "photo",
    reason="a photo of a finished project's results, published by the grantee on its page",
)
