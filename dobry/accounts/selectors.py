"""Reads of the person's own account, shared by the pages and the API."""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from dobry.accounts.models import ApiToken, ConsentDocument, ConsentRecord, User

# A person may hold this many active API tokens (`services.api_token_create` refuses one
# more) …
ACTIVE_TOKENS_LIMIT = 20
# … and their token page and GET /api/v1/me/tokens list at most this many: every active one
# first, then the newest revoked or expired — a short list whole, not paged.
TOKENS_SHOWN = 50


@dataclass(frozen=True)
class ConsentOverview:
    """`records`: every consent the person gave, newest first (withdrawn ones too);
    `missing`: the current text of each kind with no active consent, in `Kind` order."""

    records: list[ConsentRecord]
    missing: list[ConsentDocument]


def consent_overview(user: User) -> ConsentOverview:
    records = list(user.consents.select_related("document"))
    given = {record.document.kind for record in records if record.is_active}
    newest: dict[str, ConsentDocument] = {}
    for document in ConsentDocument.objects.order_by("kind", "-version"):
        newest.setdefault(document.kind, document)
    missing = [
        newest[kind] for kind in ConsentDocument.Kind.values if kind not in given and kind in newest
    ]
    return ConsentOverview(records=records, missing=missing)


def api_tokens(user: User) -> "QuerySet[ApiToken]":
    """The person's tokens for their page and the API: the active ones, then the newest
    revoked or expired, `TOKENS_SHOWN` at most (every active one is among them)."""
    active = ExpressionWrapper(
        Q(revoked_at__isnull=True, expires_at__gt=timezone.now()), output_field=BooleanField()
    )
    return user.api_tokens.order_by(active.desc(), "-created_at", "-pk")[:TOKENS_SHOWN]
