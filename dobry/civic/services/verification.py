"""Confirming residents for votes: by a coordinator, or by a code sent by SMS through the
configured provider (`civic.sms`; none configured — coordinators only).

A code is six digits kept only as a keyed hash; it lives `DOBRY_SMS_CODE_MINUTES`, allows
`DOBRY_SMS_CODE_ATTEMPTS` wrong tries, and an account, like a phone, is sent at most
`DOBRY_SMS_CODES_PER_HOUR` codes an hour (a 429 past it). One phone confirms one account
(`one_account_per_phone`): otherwise one person with many accounts would vote many times."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.civic.models import PhoneCode, ResidentVerification
from dobry.civic.permissions import can_verify_residents, require
from dobry.civic.sms import SmsFailed, sms_provider
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.validators import normalize_phone

CODE_FORMAT = re.compile(r"[0-9]{6}")


class TooManyCodes(DomainError):
    status = 429


def sms_available() -> bool:
    return bool(settings.DOBRY_SMS_PROVIDER)


def _code_hash(user: User, phone: str, code: str) -> str:
    return salted_hmac(
        "dobry.phone_code", f"{user.pk}:{phone}:{code}", algorithm="sha256"
    ).hexdigest()


def _field_error(field: str, message: str) -> DomainError:
    return DomainError(message, field_errors={field: [message]})


def resident_verify(*, actor: User, user: User) -> ResidentVerification:
    """A coordinator confirms a resident to vote (having seen a document or known them)."""
    require(can_verify_residents(actor))
    if not user.is_active:
        raise DomainError(_("Учётная запись жителя отключена."))
    with transaction.atomic():
        verification, created = ResidentVerification.objects.get_or_create(
            user=user,
            defaults={
                "method": ResidentVerification.Method.COORDINATOR,
                "verified_at": timezone.now(),
                "verified_by": actor,
            },
        )
        if not created:
            raise InvalidTransition(_("Этот житель уже подтверждён."))
        log_action(actor=actor, action="civic.resident_verify", obj=user)
    return verification


def resident_unverify(*, actor: User, user: User) -> None:
    """A coordinator withdraws a confirmation (ballots already cast stay counted)."""
    require(can_verify_residents(actor))
    with transaction.atomic():
        removed, _rows = ResidentVerification.objects.filter(user=user).delete()
        if not removed:
            raise InvalidTransition(_("Этот житель не подтверждён."))
        log_action(actor=actor, action="civic.resident_unverify", obj=user)


def phone_code_send(*, user: User, phone: str) -> PhoneCode:
    """Send a six-digit code by SMS to `phone` to confirm `user` as a resident.

    Raises DomainError when SMS confirmation is off, the phone is not a phone or already
    confirms another account, or the provider refused; TooManyCodes (429) past the hourly
    limit for the account or the phone. Earlier live codes of the account stop working."""
    provider = sms_provider()
    if provider is None:
        raise DomainError(
            _(
                "Подтверждение по СМС не работает. Попросите координатора ресурсного центра "
                "подтвердить вас."
            )
        )
    if ResidentVerification.objects.filter(user=user).exists():
        raise InvalidTransition(_("Вы уже подтверждены и можете голосовать."))
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        raise _field_error("phone", str(error.messages[0])) from None
    if ResidentVerification.objects.filter(phone=phone).exists():
        raise _field_error("phone", _("Этот номер уже подтверждает другую учётную запись."))
    now = timezone.now()
    recent = PhoneCode.objects.filter(
        Q(user=user) | Q(phone=phone), created_at__gte=now - timedelta(hours=1)
    )
    if recent.count() >= settings.DOBRY_SMS_CODES_PER_HOUR:
        raise TooManyCodes(_("Слишком много кодов за час. Попробуйте позже."))
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        PhoneCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        phone_code = PhoneCode.objects.create(
            user=user,
            phone=phone,
            code_hash=_code_hash(user, phone, code),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.DOBRY_SMS_CODE_MINUTES),
        )
        log_action(actor=user, action="civic.phone_code_send", obj=user)
        try:
            provider.send(phone, _("Код для голосования: %(code)s") % {"code": code})
        except SmsFailed:
            raise DomainError(_("СМС не отправлено. Попробуйте позже.")) from None
    return phone_code


def phone_code_confirm(*, user: User, code: str) -> ResidentVerification:
    """Confirm `user` with the code from the SMS: compared in constant time with the newest
    live code; a wrong one counts as an attempt. Raises DomainError on the `code` field."""
    code = "".join(code.split())
    now = timezone.now()
    try:
        with transaction.atomic():
            phone_code = (
                PhoneCode.objects.select_for_update()
                .filter(user=user, used_at__isnull=True, expires_at__gt=now)
                .first()
            )
            if phone_code is None:
                raise _field_error("code", _("Код устарел или уже использован. Запросите новый."))
            if phone_code.attempts >= settings.DOBRY_SMS_CODE_ATTEMPTS:
                raise _field_error(
                    "code", _("Слишком много неверных попыток. Запросите новый код.")
                )
            given = _code_hash(user, phone_code.phone, code) if CODE_FORMAT.fullmatch(code) else ""
            if constant_time_compare(given, phone_code.code_hash):
                phone_code.used_at = now
                phone_code.save(update_fields=["used_at"])
                verification = ResidentVerification.objects.create(
                    user=user,
                    method=ResidentVerification.Method.SMS,
                    phone=phone_code.phone,
                    verified_at=now,
                )
                log_action(actor=user, action="civic.resident_verify_sms", obj=user)
                return verification
            PhoneCode.objects.filter(pk=phone_code.pk).update(attempts=F("attempts") + 1)
    except IntegrityError:  # the phone, or the account, confirmed meanwhile
        raise _field_error(
            "code", _("Этот номер уже подтверждает другую учётную запись.")
        ) from None
    raise _field_error("code", _("Неверный код."))


__all__ = [
    "TooManyCodes",
    "phone_code_confirm",
    "phone_code_send",
    "resident_unverify",
    "resident_verify",
    "sms_available",
]
