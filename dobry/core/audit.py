"""The audit log: every state-changing service calls log_action."""

from typing import Any

from django.db import models

from dobry.core.models import AuditEntry


def log_action(
    *, actor: Any, action: str, obj: models.Model, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Record that `actor` (a user, or None for the system) did `action` to `obj`."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        data=data or {},
    )
