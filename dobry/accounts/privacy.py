"""What the accounts app keeps about a person."""

from typing import Any

from allauth.account.models import EmailAddress

from dobry.accounts import personal_data
from dobry.accounts.models import User
from dobry.core.models import AuditEntry


def _export(user: User) -> dict[str, Any]:
    return {
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "middle_name": user.middle_name,
            "phone": user.phone,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": user.role_labels,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "consents": [
            {
                "kind": c.document.kind,
                "version": c.document.version,
                "title": c.document.title,
                "accepted_at": c.accepted_at.isoformat(),
                "ip_address": c.ip_address,
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in user.consents.select_related("document")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in user.api_tokens.all()
        ],
        "actions": [
            {
                "at": e.created_at.isoformat(),
                "action": e.action,
                "object": e.object_repr,
            }
            for e in AuditEntry.objects.filter(actor=user)[:5000]
        ],
    }


personal_data.register("account", export=_export)
