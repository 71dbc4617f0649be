"""Account services: consents (152-ФЗ), personal-data export and erasure, API tokens."""

import json
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts import personal_data
from dobry.accounts.models import ApiToken, ConsentDocument, ConsentRecord, User, hash_token
from dobry.core.audit import log_action
from dobry.core.erasure import Traces
from dobry.core.errors import DomainError


def consent_accept(*, user: User, kind: str, ip_address: str | None) -> ConsentRecord:
    """Record the user's acceptance of the current version of a consent text."""
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
    """Create a personal API token; the raw value is returned once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("Назовите токен."), field_errors={"name": [_("Обязательное поле.")]})
    raw = ApiToken.generate_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], token_hash=hash_token(raw), hint=raw[:12]
        )
        log_action(actor=user, action="api_token.create", obj=token)
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


def api_token_authenticate(raw: str) -> User | None:
    """The active user owning this raw token, or None."""
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
    return token.user
