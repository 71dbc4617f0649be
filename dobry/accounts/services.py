"""Account services: consents (152-ФЗ), personal-data export and erasure, API tokens."""

import json
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, cast

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from dobry.accounts import personal_data
from dobry.accounts.consent_texts import DEFAULTS
from dobry.accounts.models import (
    ApiToken,
    ConsentCode,
    ConsentDocument,
    ConsentRecord,
    User,
    hash_token,
)
from dobry.accounts.permissions import staff_mfa_decision
from dobry.accounts.selectors import ACTIVE_TOKENS_LIMIT
from dobry.core import errors
from dobry.core.audit import log_action
from dobry.core.erasure import Traces
from dobry.core.errors import DomainError
from dobry.core.hooks import Hook
from dobry.core.permissions import ALLOW, Actor, Decision, deny
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.uploads import Upload, validate_scan
from dobry.core.validators import normalize_phone

# What a person edits on their own profile (page and API).
PROFILE_FIELDS = ("first_name", "last_name", "middle_name", "phone", "language")


def user_profile_update(*, user: User, fields: dict[str, str]) -> User:
    """Change the person's own name, phone and language (page and API alike).

    `fields`: any of `PROFILE_FIELDS`; a phone is kept as +7XXXXXXXXXX, an empty one is
    removed. Raises DomainError for another field, and naming the field for a phone that
    is not a Russian number or a language the site does not speak."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(_("Неизвестные поля: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values = dict(fields)
    _check_names(values)
    if values.get("phone"):
        try:
            values["phone"] = normalize_phone(values["phone"])
        except ValidationError as error:
            raise DomainError(error.messages[0], field_errors={"phone": error.messages}) from None
    languages = {code for code, _name in settings.LANGUAGES}
    if "language" in values and values["language"] not in languages:
        message = _("Язык сайта: русский или английский.")
        raise DomainError(message, field_errors={"language": [message]})
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    with transaction.atomic():
        for name in changed:
            setattr(user, name, values[name])
        user.save(update_fields=changed)
        log_action(actor=user, action="user.update_profile", obj=user, data={"fields": changed})
    return user


def _check_names(values: dict[str, str]) -> None:
    """Raises DomainError naming each name field whose value the model field's validators
    refuse (`core.validators.validate_person_name`, a line break): the page's form and the
    API share them."""
    errors: dict[str, list[str]] = {}
    for name in ("first_name", "last_name", "middle_name"):
        if values.get(name):
            try:
                field = cast("models.CharField[Any, Any]", User._meta.get_field(name))
                field.run_validators(values[name])
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, field_errors=errors)


def consent_documents_publish_defaults() -> list[ConsentDocument]:
    """Publish version 1 of each built-in consent text (`consent_texts.DEFAULTS`) that has
    no version yet, so that reading the current text never writes. Idempotent; run after
    every `migrate` and database flush (`AccountsConfig.ready`)."""
    published = []
    with transaction.atomic():
        present = set(ConsentDocument.objects.values_list("kind", flat=True))
        for kind, (title, text) in DEFAULTS.items():
            if kind in present:
                continue
            document, created = ConsentDocument.objects.get_or_create(
                kind=kind, version=1, defaults={"title": title, "text": text}
            )
            if created:
                log_action(
                    actor=None,
                    action="consent_document.publish",
                    obj=document,
                    data={"kind": kind, "version": 1},
                )
                published.append(document)
    return published


def signup_complete(
    *,
    user: User,
    first_name: str,
    last_name: str,
    consents: Iterable[str],
    ip_address: str | None,
) -> User:
    """The rest of a signup once allauth has created the account: the names, and each
    consent ticked (`consents`: kinds of `ConsentDocument`), in one transaction."""
    with transaction.atomic():
        user.first_name, user.last_name = first_name.strip(), last_name.strip()
        user.save(update_fields=["first_name", "last_name"])
        for kind in consents:
            consent_accept(user=user, kind=kind, ip_address=ip_address)
    return user


def consent_accept(*, user: User, kind: str, ip_address: str | None) -> ConsentRecord:
    """Record the user's acceptance of the current version of a consent text.

    Raises DomainError for a kind that needs a written consent (`ConsentDocument.WRITTEN`):
    those are signed with a code (`consent_sign_with_code`) or on paper."""
    if kind in ConsentDocument.WRITTEN:
        raise DomainError(
            _(
                "Это согласие даётся письменно: подпишите его кодом из письма "
                "или на бумажном бланке у координатора."
            )
        )
    document = ConsentDocument.current(kind)
    if document is None:
        raise DomainError(_("Текст согласия ещё не опубликован."))
    with transaction.atomic():
        record = ConsentRecord.objects.create(user=user, document=document, ip_address=ip_address)
        log_action(
            actor=user,
            action="consent.accept",
            obj=user,
            data={"kind": kind, "version": document.version},
        )
    return record


def consent_withdraw(*, user: User, record: ConsentRecord) -> ConsentRecord:
    """Withdraw an optional consent. Withdrawing a required one means erasing the account."""
    if record.user_id != user.pk:
        raise DomainError(_("Это не ваше согласие."))
    if record.withdrawn_at is not None:
        raise DomainError(_("Согласие уже отозвано."))
    if record.document.kind in ConsentDocument.REQUIRED_AT_SIGNUP:
        raise DomainError(
            _(
                "Без этого согласия платформа не может хранить ваши данные. "
                "Чтобы отозвать его, удалите учётную запись."
            )
        )
    with transaction.atomic():
        record.withdrawn_at = timezone.now()
        record.save(update_fields=["withdrawn_at"])
        erased = personal_data.erase_for_withdrawn_consent(user, record.document.kind)
        CONSENT_WITHDRAWN.send(user=user, kind=record.document.kind)
        log_action(
            actor=user,
            action="consent.withdraw",
            obj=user,
            data={
                "kind": record.document.kind,
                "version": record.document.version,
                "erased": erased,
            },
        )
    return record


def user_has_consent(user: User, kind: str) -> bool:
    return ConsentRecord.objects.active().filter(user=user, document__kind=kind).exists()


def user_has_written_consent(user: User, kind: str) -> bool:
    """An active consent of this kind signed on paper or with a code (152-ФЗ art. 9 p. 4)."""
    records = ConsentRecord.objects.active().written()
    return records.filter(user=user, document__kind=kind).exists()


class TooManyCodes(DomainError):
    status = 429


# Withdrawing the mailing consent puts the address on `communications`' suppression list.
CONSENT_WITHDRAWN = Hook("accounts.consent_withdrawn", arguments="user, kind (the document's)")
# The email with the code is sent by `communications` (connected in `dobry.site`).
CONSENT_CODE_ISSUED = Hook(
    "accounts.consent_code_issued",
    arguments="user, code (the raw one-time code), consent_code: ConsentCode",
)
CONSENT_CODE_USED = Hook("accounts.consent_code_used", arguments="consent_code: ConsentCode")
CODE_FORMAT = re.compile(r"[0-9]{6}")


def _code_hash(user: User, code: str) -> str:
    return salted_hmac("dobry.consent_code", f"{user.pk}:{code}", algorithm="sha256").hexdigest()


def _written_document(kind: str) -> ConsentDocument:
    document = ConsentDocument.current(kind) if kind in ConsentDocument.WRITTEN else None
    if document is None:
        raise DomainError(_("Такое согласие не подписывают письменно."))
    return document


def consent_code_send(*, user: User, kind: str) -> ConsentCode:
    """Send a one-time code to the user's confirmed email for signing a written consent.

    Earlier unused codes for the same kind stop working. Raises DomainError when the email
    is not confirmed, TooManyCodes (429) past `DOBRY_CONSENT_CODES_PER_HOUR` an hour.
    """
    document = _written_document(kind)
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True):
        raise DomainError(_("Сначала подтвердите адрес электронной почты."))
    now = timezone.now()
    recent = ConsentCode.objects.filter(user=user, created_at__gte=now - timedelta(hours=1))
    if recent.count() >= settings.DOBRY_CONSENT_CODES_PER_HOUR:
        raise TooManyCodes(_("Слишком много кодов за час. Попробуйте позже."))
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        ConsentCode.objects.filter(
            user=user, document__kind=kind, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        consent_code = ConsentCode.objects.create(
            user=user,
            document=document,
            code_hash=_code_hash(user, code),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.DOBRY_CONSENT_CODE_MINUTES),
        )
        log_action(
            actor=user,
            action="consent.code_send",
            obj=user,
            data={"kind": kind, "version": document.version},
        )
        CONSENT_CODE_ISSUED.send(user=user, code=code, consent_code=consent_code)
    return consent_code


def consent_sign_with_code(
    *, user: User, kind: str, code: str, ip_address: str | None
) -> ConsentRecord:
    """Sign the current written consent of `kind` with the code from the email.

    The code is compared in constant time with the newest live code; a wrong one counts as
    an attempt (`DOBRY_CONSENT_CODE_ATTEMPTS`), a used or expired one is refused.
    Raises DomainError with the reason on the `code` field.
    """
    _written_document(kind)
    code = "".join(code.split())
    now = timezone.now()
    with transaction.atomic():
        consent_code = (
            ConsentCode.objects.select_for_update(of=("self",))
            .select_related("document")
            .filter(user=user, document__kind=kind, used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if consent_code is None:
            raise _code_error(_("Код устарел или уже использован. Запросите новый."))
        if consent_code.attempts >= settings.DOBRY_CONSENT_CODE_ATTEMPTS:
            raise _code_error(_("Слишком много неверных попыток. Запросите новый код."))
        given = _code_hash(user, code) if CODE_FORMAT.fullmatch(code) else ""
        matches = constant_time_compare(given, consent_code.code_hash)
        if matches:
            consent_code.used_at = now
            consent_code.save(update_fields=["used_at"])
            record = ConsentRecord.objects.create(
                user=user,
                document=consent_code.document,
                ip_address=ip_address,
                method=ConsentRecord.Method.SES_CODE,
                signature_hash=consent_code.code_hash,
            )
            log_action(
                actor=user,
                action="consent.sign",
                obj=user,
                data={
                    "kind": kind,
                    "version": consent_code.document.version,
                    "method": ConsentRecord.Method.SES_CODE,
                },
            )
            CONSENT_CODE_USED.send(consent_code=consent_code)
            return record
        # A wrong attempt is counted even though the call fails.
        ConsentCode.objects.filter(pk=consent_code.pk).update(attempts=F("attempts") + 1)
    raise _code_error(_("Неверный код."))


def _code_error(message: str) -> DomainError:
    return DomainError(message, field_errors={"code": [message]})


def can_record_paper_consent(user: Actor) -> Decision:
    if getattr(user, "is_coordinator", False) or getattr(user, "is_superuser", False):
        return ALLOW
    return deny(_("Бумажные согласия вносят координаторы ресурсного центра."))


def consent_record_paper(
    *, actor: User, user: User, kind: str, scan: Upload, ip_address: str | None
) -> ConsentRecord:
    """A coordinator attaches the scan of a written consent the person signed on paper.

    Raises PermissionDenied for anyone but coordinators, DomainError for a file that is not
    the scan or photo of a form (PDF, JPEG or PNG checked by content:
    `core.uploads.validate_scan`, as for the scans of health-data consents) or an erased
    person."""
    decision = can_record_paper_consent(actor)
    if not decision:
        raise PermissionDenied(decision.reason)
    document = _written_document(kind)
    if user.erased_at is not None:
        raise DomainError(_("Данные этого пользователя удалены."))
    try:
        validate_scan(scan, field="scan")
    except ValidationError as error:
        raise DomainError(_("Файл не подходит."), field_errors=error.message_dict) from None
    with transaction.atomic():
        record = ConsentRecord.objects.create(
            user=user,
            document=document,
            ip_address=ip_address,
            method=ConsentRecord.Method.PAPER,
            scan=scan,
            recorded_by=actor,
        )
        log_action(
            actor=actor,
            action="consent.record_paper",
            obj=user,
            data={"kind": kind, "version": document.version, "method": record.method},
        )
    return record


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything the platform keeps about the user, as JSON-friendly data."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "format": "dobry-personal-data/1",
        **personal_data.export_sections(user),
    }
    log_action(actor=user, action="personal_data.export", obj=user)
    return data


def user_erase(*, user: User, actor: User | None) -> User:
    """Erase the person: personal data deleted or anonymised, dependent records kept.

    The User row stays as an anonymous tombstone so that hours, reviews and reports made
    by the person keep their meaning without naming them.
    """
    if user.erased_at is not None:
        raise DomainError(_("Данные этого пользователя уже удалены."))
    with transaction.atomic():
        traces = personal_data.traces_of(user)
        sections = personal_data.erase_sections(user, traces)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.api_tokens.all().delete()
        user.consents.update(ip_address=None)
        user.email = f"erased-{user.pk}@erased.invalid"
        user.first_name = user.last_name = user.middle_name = user.phone = ""
        user.is_active = False
        user.is_coordinator = user.is_expert = user.is_official = False
        user.is_staff = user.is_superuser = False
        user.erased_at = timezone.now()
        user.set_unusable_password()
        user.save()
        _delete_sessions_of(user, traces)
        log_action(actor=actor, action="user.erase", obj=user, data={"sections": sections})
    return user


def _delete_sessions_of(user: User, traces: Traces) -> None:
    """Delete the person's sessions (expired ones too: they stay in the table until
    `clearsessions`) and any session that mentions them (a login form's email).

    Sessions are not linked to users by a column, so each is decoded; the table is small
    between clean-ups and erasure is rare."""
    for session in Session.objects.iterator():
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(user.pk) or traces.found_in(
            json.dumps(data, ensure_ascii=False, default=str)
        ):
            session.delete()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token valid for `DOBRY_API_TOKEN_DAYS` days; the raw value is
    returned once and never stored. Staff need two-factor login first (PermissionDenied)."""
    decision = staff_mfa_decision(user)
    if not decision:
        raise errors.PermissionDenied(str(decision.reason))
    name = name.strip()
    if not name:
        raise DomainError(_("Назовите токен."), field_errors={"name": [_("Обязательное поле.")]})
    require_within_limits({"name": (name, text_limit(ApiToken, "name"))})
    if user.api_tokens.active().count() >= ACTIVE_TOKENS_LIMIT:
        raise DomainError(
            _("Действующих токенов не может быть больше %(limit)s: отзовите ненужный.")
            % {"limit": ACTIVE_TOKENS_LIMIT}
        )
    raw = ApiToken.generate_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            token_hash=hash_token(raw),
            hint=raw[:12],
            expires_at=timezone.now() + timedelta(days=settings.DOBRY_API_TOKEN_DAYS),
        )
        log_action(
            actor=user,
            action="api_token.create",
            obj=token,
            data={"expires_at": token.expires_at.isoformat()},
        )
    return token, raw


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise DomainError(_("Это не ваш токен."))
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            log_action(actor=user, action="api_token.revoke", obj=token)
    return token


def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """Revoke every active token of the person (e.g. `reason="password_changed"`); returns
    how many were revoked, each with its own audit entry."""
    with transaction.atomic():
        tokens = list(user.api_tokens.active().select_for_update())
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            log_action(actor=user, action="api_token.revoke", obj=token, data={"reason": reason})
    return len(tokens)


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active (not revoked, not expired) token with this raw value, its active user
    loaded, or None. Whether the user may use it is `staff_mfa_decision`'s to say."""
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
