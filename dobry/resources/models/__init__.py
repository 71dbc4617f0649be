"""The resources app's tables, one module per part of the resource centre's work (issue 12):
support given (`support`), consultations, rooms and their bookings, the library, project
groups. Everything is importable from `dobry.resources.models` as before, and the migrations'
`upload_to` paths (`attachment_path`, `library_path`) stay here."""

from dobry.resources.models.consultations import (
    CONSULTATION_WORKFLOW,
    Consultation,
    ConsultationMessage,
    attachment_path,
)
from dobry.resources.models.groups import (
    Decision,
    GroupMember,
    GroupTask,
    GroupTaskQuerySet,
    Meeting,
    ProjectGroup,
)
from dobry.resources.models.library import (
    LibraryCategory,
    LibraryFile,
    LibraryItem,
    LibraryItemQuerySet,
    library_path,
)
from dobry.resources.models.rooms import BOOKING_WORKFLOW, Room, RoomBooking, RoomBookingQuerySet
from dobry.resources.models.support import (
    Giver,
    SupportKind,
    SupportRecord,
    SupportRecordQuerySet,
)

__all__ = [
    "BOOKING_WORKFLOW",
    "CONSULTATION_WORKFLOW",
    "Consultation",
    "ConsultationMessage",
    "Decision",
    "Giver",
    "GroupMember",
    "GroupTask",
    "GroupTaskQuerySet",
    "LibraryCategory",
    "LibraryFile",
    "LibraryItem",
    "LibraryItemQuerySet",
    "Meeting",
    "ProjectGroup",
    "Room",
    "RoomBooking",
    "RoomBookingQuerySet",
    "SupportKind",
    "SupportRecord",
    "SupportRecordQuerySet",
    "attachment_path",
    "library_path",
]
