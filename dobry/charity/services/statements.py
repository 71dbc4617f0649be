"""A bank statement from upload to commit: read (1C or a table), previewed with its matches
and duplicates, committed once — each incoming payment an entry, a matched one a donation,
the rest in the queue."""

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.charity.matching import Match, line_amount, match_lines
from dobry.charity.models import STATEMENT_WORKFLOW, StatementEntry, StatementImport
from dobry.charity.permissions import can_manage_money, can_move_statement, require
from dobry.charity.services.donations import donation_from_entry
from dobry.charity.statements import StatementError, StatementLine, onec, tables
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.permissions import Actor
from dobry.core.uploads import Upload
from dobry.organizations.models import Organization

_EXTENSIONS = (".txt", ".csv", ".xlsx")
FILENAME_LENGTH = 200  # StatementImport.filename


def _refuse(message: str) -> DomainError:
    return DomainError(message, field_errors={"file": [message]})


def _check_account(organization: Organization, accounts: list[str]) -> None:
    """StatementError when a 1C statement is for an account other than the organisation's
    own (its bank details, which its payment QR codes name): another account's payments are
    not donations to these campaigns. A statement without ``РасчСчет`` or an organisation
    without bank details is not checked."""
    details = getattr(organization, "bank_details", None)
    if details is None or not accounts or details.account in accounts:
        return
    raise StatementError(
        _(
            "Выписка по счёту %(statement)s, а в реквизитах организации — счёт %(own)s. "
            "Загрузите выписку по своему счёту или исправьте реквизиты."
        )
        % {"statement": ", ".join(accounts), "own": details.account}
    )


def _read(
    content: bytes, filename: str, organization: Organization
) -> tuple[str, dict[str, Any], dict[str, int | None]]:
    """(format, content, mapping) of an uploaded statement."""
    if onec.looks_like_onec(content):
        accounts, lines = onec.read_onec(content)
        _check_account(organization, accounts)
        return StatementImport.Format.ONEC, {"lines": [_as_json(line) for line in lines]}, {}
    table = tables.read_table(content, filename)
    return (
        StatementImport.Format.TABLE,
        {"headers": table.headers, "rows": table.rows},
        tables.guess_mapping(table.headers),
    )


def _as_json(line: StatementLine) -> dict[str, Any]:
    data = dataclasses.asdict(line)
    data["paid_on"] = line.paid_on.isoformat()
    return data


def _from_json(data: dict[str, Any]) -> StatementLine:
    return StatementLine(**{**data, "paid_on": date.fromisoformat(data["paid_on"])})


def statement_upload(*, actor: User, organization: Organization, upload: Upload) -> StatementImport:
    """Read an uploaded statement into a preview. DomainError (at the field `file`) for a
    file too big, of another kind, unreadable — with the line where reading stopped — or a
    1C statement of another account than the organisation's bank details name."""
    require(can_manage_money(actor, organization))
    name = upload.name or ""
    if len(name) > FILENAME_LENGTH:
        raise _refuse(
            _("Имя файла слишком длинное (предел — %(limit)s): переименуйте файл.")
            % {"limit": FILENAME_LENGTH}
        )
    if not name.lower().endswith(_EXTENSIONS):
        raise _refuse(_("Загрузите выписку 1С (.txt) или таблицу CSV или XLSX."))
    limit = settings.DOBRY_DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _refuse(_("Файл больше %(limit)s.") % {"limit": filesizeformat(limit)})
    try:
        kind, content, mapping = _read(upload.read(), name, organization)
    except StatementError as error:
        raise _refuse(error.message) from None
    with transaction.atomic():
        statement = StatementImport.objects.create(
            organization=organization,
            filename=name,
            format=kind,
            content=content,
            mapping=mapping,
            uploaded_by=actor,
        )
        log_action(actor=actor, action="charity.statement_upload", obj=statement)
    return statement


@dataclass
class Preview:
    """What committing would do: each readable line's match, and rows that cannot be read."""

    matches: list[Match] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)

    @property
    def new(self) -> list[Match]:
        return [match for match in self.matches if not match.duplicate]

    @property
    def duplicates(self) -> int:
        return sum(match.duplicate for match in self.matches)

    @property
    def matched(self) -> int:
        return sum(match.campaign is not None for match in self.new)


def statement_lines(statement: StatementImport) -> tuple[list[StatementLine], dict[int, str]]:
    if statement.format == StatementImport.Format.ONEC:
        return [_from_json(data) for data in statement.content.get("lines", [])], {}
    table = tables.Table(statement.content.get("headers", []), statement.content.get("rows", []))
    mapping = tables.check_mapping(table, statement.mapping)
    read = tables.read_lines(table, mapping)
    return read.lines, read.errors


def statement_preview(statement: StatementImport) -> Preview:
    """The preview of a statement (StatementError when a table's columns are not chosen)."""
    lines, errors = statement_lines(statement)
    return Preview(matches=match_lines(statement.organization, lines), errors=errors)


def statement_map(
    *, actor: User, statement: StatementImport, mapping: dict[str, Any]
) -> StatementImport:
    """Choose a table's columns (field → column index, None for none)."""
    _check_preview(actor, statement)
    table = tables.Table(statement.content.get("headers", []), statement.content.get("rows", []))
    try:
        statement.mapping = tables.check_mapping(table, mapping)
    except StatementError as error:
        raise DomainError(error.message) from None
    statement.save(update_fields=["mapping", "updated_at"])
    return statement


def _check_preview(actor: Actor, statement: StatementImport) -> None:
    require(can_manage_money(actor, statement.organization))
    if statement.format != StatementImport.Format.TABLE:
        raise DomainError(_("Столбцы выбирают только для таблиц."))


def statement_commit(*, actor: User, statement: StatementImport) -> StatementImport:
    """Write the statement's new payments: each an entry (never twice — the fingerprint is
    unique per organisation, so a second commit of the same payments, even concurrent,
    writes none), a matched one also a donation. The file's content is then dropped."""
    with transaction.atomic():
        statement = (
            StatementImport.objects.select_related("organization")
            .select_for_update(of=("self",))
            .get(pk=statement.pk)
        )
        move = STATEMENT_WORKFLOW.check_for(actor, statement, "commit", can_move_statement)
        try:
            preview = statement_preview(statement)
        except StatementError as error:
            raise DomainError(error.message) from None
        written = sum(_write(statement, match, actor) for match in preview.new)
        statement.status = move.target
        statement.lines_read = len(preview.matches)
        statement.duplicates = len(preview.matches) - written
        statement.matched = sum(m.campaign is not None for m in preview.new)
        statement.content = {}
        statement.save()
        log_action(
            actor=actor,
            action="charity.statement_commit",
            obj=statement,
            data={"count": written},
        )
    return statement


def _write(statement: StatementImport, match: Match, actor: User) -> bool:
    """One entry (and its donation); False when the payment is already recorded."""
    line = match.line
    entry = StatementEntry(
        organization_id=statement.organization_id,
        statement=statement,
        line=line.line,
        paid_on=line.paid_on,
        amount=line_amount(line),
        payer=line.payer,
        payer_inn=line.payer_inn,
        payer_account=line.payer_account,
        purpose=line.purpose,
        number=line.number,
        fingerprint=match.fingerprint,
        status=StatementEntry.Status.MATCHED if match.campaign else StatementEntry.Status.UNMATCHED,
        suggested_campaign=match.suggested,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        return False
    if match.campaign is not None:
        donation_from_entry(entry, campaign=match.campaign, donor=match.donor, actor=actor)
    return True


def statement_discard(*, actor: User, statement: StatementImport) -> StatementImport:
    with transaction.atomic():
        statement = (
            StatementImport.objects.select_related("organization")
            .select_for_update(of=("self",))
            .get(pk=statement.pk)
        )
        move = STATEMENT_WORKFLOW.check_for(actor, statement, "discard", can_move_statement)
        statement.status = move.target
        statement.content = {}
        statement.save(update_fields=["status", "content", "updated_at"])
        log_action(actor=actor, action="charity.statement_discard", obj=statement)
    return statement
