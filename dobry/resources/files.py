"""Who may read the resource centre's uploaded files: the rules of their consultation or
library item.

Library files are private files even when their item is public: an item's visibility
(published, members only) changes at any time — in the admin too — and a file served through
the access-checked view needs nothing moved when it does, where a file split between two
storages would have to be moved by every path that changes the item, or leak when one
forgets."""

from dobry.core.files import register_private
from dobry.core.permissions import Actor, Decision
from dobry.resources import permissions
from dobry.resources.models import ConsultationMessage, LibraryFile


def can_read_consultation_attachment(user: Actor, message: ConsultationMessage) -> Decision:
    """A file sent in a consultation: whoever may read the consultation."""
    return permissions.can_view_consultation(user, message.consultation)


register_private(
    ConsultationMessage,
    "attachment",
    can_read=can_read_consultation_attachment,
    select_related=("consultation",),
)
register_private(
    LibraryFile, "file", can_read=permissions.can_read_library_file, select_related=("item",)
)
