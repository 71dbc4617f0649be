"""Reads of the person's own account, shared by the pages and the API."""

from dataclasses import dataclass

from dobry.accounts.models import ConsentDocument, ConsentRecord, User


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
