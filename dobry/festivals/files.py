"""The festivals' uploaded files: a section's resolution is a document read by whoever
sees the programme once published (`permissions.can_read_resolution`)."""

from dobry.core.files import register_private
from dobry.festivals.models import Resolution
from dobry.festivals.permissions import can_read_resolution

register_private(
    Resolution,
    "file",
    can_read=can_read_resolution,
    select_related=("track__programme__event__organization",),
)
