"""Events' uploaded files: covers are public pictures, materials follow the event."""

from dobry.core.files import register_private, register_public
from dobry.core.permissions import Actor, Decision
from dobry.events import permissions
from dobry.events.models import Event, EventMaterial


def can_read_material(user: Actor, material: EventMaterial) -> Decision:
    """A material or recording: whoever may see its event (a draft's, only its organisers)."""
    return permissions.can_view(user, material.event)


register_public(
    Event,
    "cover",
    reason="picture on the public event page; random name",
)
register_private(
    EventMaterial,
    "file",
    can_read=can_read_material,
    select_related=("event__organization",),
)
