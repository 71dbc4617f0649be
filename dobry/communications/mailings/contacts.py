"""Imported contacts: reading a CSV or XLSX list, mapping its columns, checking each row,
and the double opt-in — a contact is mailed only after opening the signed link."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.accounts.models import User
from dobry.communications.models import MailingContact
from dobry.communications.services import email_queue
from dobry.core.audit import log_action
from dobry.core.documents import table_rows
from dobry.core.errors import DomainError
from dobry.core.models import District
from dobry.core.site import absolute_url

MAX_ROWS = 20_000
FIELDS = {
    "email": gettext_lazy("Email"),
    "name": gettext_lazy("Имя"),
    "district": gettext_lazy("Район"),
    "interests": gettext_lazy("Интересы (направления)"),
    "source": gettext_lazy("Источник"),
}
# Header words that name a field, lower case: the mapping the preview starts from.
HEADER_WORDS = {
    "email": ("email", "e-mail", "почта", "электронная почта", "адрес"),
    "name": ("name", "имя", "фио", "имя и фамилия"),
    "district": ("district", "район"),
    "interests": ("interests", "интересы", "направления"),
    "source": ("source", "источник"),
}
TEXT_LIMIT = 200  # the name and the source of a contact (MailingContact)
OPT_IN_SALT = "dobry.mailings.opt-in"
OPT_IN_DAYS = 30


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


def read_table(content: bytes, filename: str) -> Table:
    """The header row and the data rows of a CSV (UTF-8 or Windows-1251, comma or
    semicolon) or an XLSX file; anything else is refused."""
    if len(content) > settings.DOBRY_DOCUMENT_MAX_BYTES:
        raise DomainError(
            _("Файл слишком большой."), field_errors={"file": [_("Файл слишком большой.")]}
        )
    try:
        # one row more than the limit is read: enough to tell the file is too long
        rows = table_rows(content, filename, max_rows=MAX_ROWS + 1)
    except (ValueError, UnicodeDecodeError) as error:
        raise DomainError(
            _("Не удалось прочитать файл: загрузите таблицу CSV или XLSX."),
            field_errors={"file": [_("Загрузите таблицу CSV или XLSX.")]},
        ) from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise DomainError(_("В файле нет строк."), field_errors={"file": [_("В файле нет строк.")]})
    if len(rows) - 1 > MAX_ROWS:
        raise DomainError(
            _("В файле слишком много строк (предел %(max)s): разделите его.") % {"max": MAX_ROWS},
            field_errors={"file": [_("Слишком много строк.")]},
        )
    headers = [cell.strip() for cell in rows[0]]
    return Table(headers=headers, rows=rows[1:])


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """field → column index, from the header words; None where no column fits."""
    mapping: dict[str, int | None] = {}
    for field_name, words in HEADER_WORDS.items():
        mapping[field_name] = next(
            (i for i, header in enumerate(headers) if header.strip().lower() in words), None
        )
    return mapping


@dataclass
class CheckedRow:
    line: int  # the line of the file (the header is line 1)
    email: str
    name: str = ""
    district: District | None = None
    interests: list[str] = field(default_factory=list)
    source: str = ""
    errors: list[str] = field(default_factory=list)
    exists: bool = False


def _areas() -> dict[str, str]:
    """Each area's code and label (lower case) → its code."""
    choices = apps.get_model("organizations", "OrganizationArea")._meta.get_field("area").choices
    found: dict[str, str] = {}
    for value, label in choices or ():
        found[str(value).lower()] = str(value)
        with translation.override("ru"):
            found[str(label).lower()] = str(value)
    return found


def _check_mapping(table: Table, mapping: Mapping[str, int | None]) -> None:
    if mapping.get("email") is None:
        raise DomainError(
            _("Укажите столбец с email."), field_errors={"email": [_("Обязательное поле.")]}
        )
    width = len(table.headers)
    for field_name, column in mapping.items():
        if field_name not in FIELDS or (column is not None and not 0 <= column < width):
            raise DomainError(
                _("Проверьте данные."), field_errors={field_name: [_("Выберите из списка.")]}
            )


def _interests(text: str, areas: Mapping[str, str], result: "CheckedRow") -> None:
    for word in filter(None, (w.strip() for w in text.replace(";", ",").split(","))):
        area = areas.get(word.lower())
        if area is None:
            result.errors.append(_("Неизвестное направление: %(value)s") % {"value": word})
        elif area not in result.interests:
            result.interests.append(area)


def _districts() -> dict[str, District]:
    """Each district's name and slug (lower case) → the district."""
    found: dict[str, District] = {}
    for district in District.objects.all():
        found[district.name.lower()] = district
        found[district.slug.lower()] = district
    return found


def _text_lengths(result: CheckedRow) -> None:
    for label, text in ((_("Имя"), result.name), (_("Источник"), result.source)):
        if len(text) > TEXT_LIMIT:
            result.errors.append(
                _("%(field)s: слишком длинный текст (предел %(limit)s).")
                % {"field": label, "limit": TEXT_LIMIT}
            )


def _email(result: CheckedRow, seen: set[str]) -> None:
    """A valid address, once in the file (`seen`: the addresses of the rows above)."""
    try:
        validate_email(result.email)
    except ValidationError:
        result.errors.append(_("Неверный email: %(value)s") % {"value": result.email or "—"})
    if result.email in seen:
        result.errors.append(_("Этот email уже есть в файле выше."))
    seen.add(result.email)


def _district(name: str, districts: Mapping[str, District], result: CheckedRow) -> None:
    if name:
        result.district = districts.get(name.lower())
        if result.district is None:
            result.errors.append(_("Неизвестный район: %(value)s") % {"value": name})


def _mark_existing(checked: list[CheckedRow]) -> None:
    """Rows whose address already is a contact: marked, not errors."""
    existing = set(
        MailingContact.objects.filter(email__in=[r.email for r in checked]).values_list(
            "email", flat=True
        )
    )
    for result in checked:
        result.exists = result.email in existing


def check_rows(
    table: Table, mapping: Mapping[str, int | None], source: str = ""
) -> list[CheckedRow]:
    """Each data row mapped to a contact and checked: a valid email once in the file, a
    known district and known areas. Rows that already are contacts are marked, not
    errors."""
    _check_mapping(table, mapping)
    districts, areas = _districts(), _areas()

    def cell(row: list[str], name: str) -> str:
        column = mapping.get(name)
        return row[column].strip() if column is not None and column < len(row) else ""

    checked: list[CheckedRow] = []
    seen: set[str] = set()
    for index, row in enumerate(table.rows, start=2):
        result = CheckedRow(line=index, email=cell(row, "email").lower(), name=cell(row, "name"))
        result.source = cell(row, "source") or source
        _text_lengths(result)
        _email(result, seen)
        _district(cell(row, "district"), districts, result)
        _interests(cell(row, "interests"), areas, result)
        checked.append(result)
    _mark_existing(checked)
    return checked


@dataclass
class ImportReport:
    created: int
    existing: int
    errors: list[CheckedRow]


def contacts_import(*, actor: User, rows: Sequence[CheckedRow]) -> ImportReport:
    """Add the rows without errors as unconfirmed contacts and send each new one the
    double opt-in email; rows with errors are reported and nothing of them is kept. An
    address that became a contact since the preview (another import, a second press of
    the button) counts as existing: the report counts only the contacts this import
    wrote, and nobody is invited twice."""
    good = [row for row in rows if not row.errors]
    bad = [row for row in rows if row.errors]
    now = timezone.now()
    with transaction.atomic():
        known = set(
            MailingContact.objects.filter(email__in=[row.email for row in good]).values_list(
                "email", flat=True
            )
        )
        MailingContact.objects.bulk_create(
            [
                MailingContact(
                    email=row.email,
                    name=row.name,
                    district=row.district,
                    interests=row.interests,
                    source=row.source,
                    imported_by=actor,
                    invited_at=now,
                )
                for row in good
                if row.email not in known
            ],
            ignore_conflicts=True,  # one written meanwhile by a parallel import stays theirs
        )
        fresh = list(
            MailingContact.objects.filter(
                email__in=[row.email for row in good if row.email not in known],
                imported_by=actor,
                invited_at=now,
                confirmed_at__isnull=True,
            )
        )
        for contact in fresh:
            send_opt_in(contact)
        if fresh:
            log_action(
                actor=actor,
                action="contact.import",
                obj=actor,
                data={"created": len(fresh), "skipped": len(rows) - len(fresh)},
            )
    return ImportReport(created=len(fresh), existing=len(good) - len(fresh), errors=bad)


def opt_in_token(contact: MailingContact) -> str:
    return signing.dumps({"c": contact.pk, "e": contact.email}, salt=OPT_IN_SALT, compress=True)


def contact_from_token(token: str) -> MailingContact | None:
    """The contact a confirmation link names, or None if the link is wrong or too old."""
    try:
        data = signing.loads(token[:500], salt=OPT_IN_SALT, max_age=OPT_IN_DAYS * 86400)
    except signing.BadSignature:
        return None
    pk, email = (data.get("c"), data.get("e")) if isinstance(data, dict) else (None, None)
    if not isinstance(pk, int) or not isinstance(email, str):
        return None
    return MailingContact.objects.filter(pk=pk, email=email).first()


def send_opt_in(contact: MailingContact) -> None:
    url = absolute_url(reverse("mailings:confirm", args=[opt_in_token(contact)]))
    context = {"contact": contact, "url": url, "days": OPT_IN_DAYS}
    email_queue(
        key=f"mailing-opt-in:{contact.pk}",
        to=contact.email,
        subject=_("Подтвердите подписку на рассылку"),
        body_text=render_to_string("communications/mailings/opt_in_email.txt", context).strip(),
    )


def contact_confirm(contact: MailingContact) -> MailingContact:
    """The person opened the link and confirmed: from now on mailings may reach them."""
    if contact.confirmed_at is None:
        with transaction.atomic():
            contact.confirmed_at = timezone.now()
            contact.save(update_fields=["confirmed_at"])
            log_action(actor=None, action="contact.confirm", obj=contact)
    return contact
