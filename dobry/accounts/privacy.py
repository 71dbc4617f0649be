"""What the accounts app keeps about a person."""

from collections.abc import Iterator
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django_tasks_db.models import DBTaskResult

from dobry.accounts import personal_data
from dobry.accounts.models import ConsentCode, User
from dobry.core.audit import object_names
from dobry.core.erasure import Traces, phone_variants, scrub_file_names, scrub_rows
from dobry.core.files import delete_stored_file
from dobry.core.models import AuditEntry, IdempotentRequest


def _at(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def _export(user: User) -> dict[str, Any]:
    """The account's own data: profile, addresses, consents, tokens, second factors (never
    their secrets), the person's actions in the audit log and the admin's log."""
    return {
        "profile": _profile(user),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "consents": _consents(user),
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "revoked_at": _at(t.revoked_at),
            }
            for t in user.api_tokens.all()
        ],
        "two_factor": [
            # the kind and dates, never the secret or the recovery codes
            {
                "type": a.type,
                "created_at": a.created_at.isoformat(),
                "last_used_at": _at(a.last_used_at),
            }
            for a in Authenticator.objects.filter(user=user)
        ],
        "actions": _actions(user),
        "admin_actions": [
            {
                "at": e.action_time.isoformat(),
                "object": e.object_repr,
                "change": e.get_change_message(),
            }
            for e in LogEntry.objects.filter(user=user)[:5000]
        ],
    }


def _profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "middle_name": user.middle_name,
        "phone": user.phone,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": _at(user.last_login),
        "roles": user.role_labels,
    }


def _consents(user: User) -> list[dict[str, Any]]:
    """Every consent given, with its document's kind, version and title, and withdrawal."""
    return [
        {
            "kind": c.document.kind,
            "version": c.document.version,
            "title": c.document.shown_title,
            "accepted_at": c.accepted_at.isoformat(),
            "ip_address": c.ip_address,
            "withdrawn_at": _at(c.withdrawn_at),
            "method": c.method,
        }
        for c in user.consents.select_related("document")
    ]


def _actions(user: User) -> list[dict[str, Any]]:
    entries = list(AuditEntry.objects.filter(actor=user)[:5000])
    names = object_names(entries)
    return [
        {
            "at": e.created_at.isoformat(),
            "action": e.action,
            "object": names[(e.object_type, e.object_id)],
        }
        for e in entries
    ]


def _traces(user: User) -> Iterator[str]:
    """The person's email addresses, phone and name (alone and in the orders people write
    it), so that copies such as «Иван Петров записался» are found."""
    yield user.email
    yield from EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    yield from phone_variants(user.phone)
    first, middle, last = user.first_name, user.middle_name, user.last_name
    yield from (first, middle, last)
    yield from (f"{first} {last}", f"{last} {first}", f"{first} {middle}")
    yield from (f"{last} {first} {middle}", f"{first} {middle} {last}")


def _erase(user: User) -> None:
    ConsentCode.objects.filter(user=user).delete()
    # The answers kept for the person's own `Idempotency-Key` replays quote what they sent.
    IdempotentRequest.objects.filter(user=user).delete()
    # The paper form bears the person's name and signature; the record of the consent
    # (kind, version, when, how) stays.
    for record in user.consents.exclude(scan=""):
        delete_stored_file(record.scan)
    user.consents.update(scan="")


def _copies(traces: Traces) -> None:
    # The audit trail stays (who did what, when); the person's values inside it go.
    scrub_rows(AuditEntry.objects.all(), ["object_repr", "data"], traces)
    scrub_rows(LogEntry.objects.all(), ["object_repr", "change_message"], traces)
    # Queued and finished tasks keep their arguments (django-tasks-db rows).
    scrub_rows(DBTaskResult.objects.all(), ["args_kwargs", "return_value", "traceback"], traces)
    # Answers kept for `Idempotency-Key` replays (dobry.core.idempotency) quote what was sent.
    scrub_rows(IdempotentRequest.objects.all(), ["content"], traces)
    # Stored files named after the person, in any file field of any app.
    scrub_file_names(traces)


personal_data.register(
    "account",
    export=_export,
    erase=_erase,
    traces=_traces,
    copies=_copies,
    covers={
        "account.EmailAddress.user": "account.email_addresses",
        "accounts.ConsentRecord.user": "account.consents",
        "accounts.ApiToken.user": "account.api_tokens",
        "mfa.Authenticator.user": "account.two_factor",
        "core.AuditEntry.actor": "account.actions",
        "admin.LogEntry.user": "account.admin_actions",
    },
)
personal_data.not_personal(
    {
        "accounts.ConsentRecord.recorded_by": "a coordinator's work: the consent is the signer's "
        "(in the signer's export); the recording is in the coordinator's actions",
        "accounts.ConsentCode.user": "a one-time code's hash, valid for minutes: a secret, "
        "not data about the person; the consent it signed is in «consents»",
        "core.IdempotentRequest.user": "the stored answer to the person's own request, kept for "
        "`DOBRY_IDEMPOTENCY_HOURS` for replays: what it created is in its app's section",
    }
)
