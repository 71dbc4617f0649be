"""The civic app's uploaded files: photos of an initiative's results are public pictures
on its public timeline."""

from dobry.civic.models import TimelineEntry
from dobry.core.files import register_public

register_public(
    TimelineEntry, "photo", reason="a photo of an initiative's result on its public timeline"
)
