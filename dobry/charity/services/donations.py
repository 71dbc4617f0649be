"""Donations recorded by hand, and statement entries sorted from the queue."""

import secrets
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.charity.models import ENTRY_WORKFLOW, Campaign, Donation, StatementEntry, payer_key
from dobry.charity.permissions import (
    can_move_entry,
    can_record_donation,
    require,
)
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.validators import normalize_phone, require_fact_date
from dobry.organizations.models import Organization


def donor_key_of(donor: User | None, *, inn: str = "", name: str = "", account: str = "") -> str:
    """How a donation's giver is counted once (`Donation.donor_key`)."""
    if donor is not None:
        return f"u{donor.pk}"
    return payer_key(inn=inn, name=name, account=account)


def find_donor(contact: str) -> User | None:
    """The account with this email or phone, if there is exactly one (issue 14: donors are
    matched to accounts by email or phone where known)."""
    text = contact.strip()
    if not text:
        return None
    if "@" in text:
        found = list(User.objects.filter(email__iexact=text, is_active=True)[:2])
    else:
        try:
            phone = normalize_phone(text)
        except ValidationError:
            raise DomainError(
                _("Укажите email или телефон жертвователя."),
                field_errors={"donor_contact": [_("Это не email и не номер телефона.")]},
            ) from None
        found = list(User.objects.filter(phone=phone, is_active=True)[:2])
    return found[0] if len(found) == 1 else None


def _check_campaign(organization: Organization, campaign: Campaign | None) -> None:
    if campaign is not None and campaign.organization_id != organization.pk:
        message = _("Выберите сбор своей организации.")
        raise DomainError(message, field_errors={"campaign": [message]})
    if campaign is not None and campaign.status == Campaign.Status.DRAFT:
        message = _("Сбор ещё не начат: пожертвования записываются в начатые сборы.")
        raise DomainError(message, field_errors={"campaign": [message]})


def donation_record(
    *,
    actor: User,
    organization: Organization,
    amount: Decimal,
    received_on: date,
    campaign: Campaign | None = None,
    donor_name: str = "",
    donor_contact: str = "",
    is_anonymous: bool = True,
    note: str = "",
) -> Donation:
    """A donation received outside a statement (cash box, a transfer already in the books):
    amount in roubles, the city's local date. A donor's email or phone links it to their
    account when one matches."""
    require(can_record_donation(actor, organization))
    _check_campaign(organization, campaign)
    require_fact_date(received_on, field="received_on")
    if amount <= 0:
        message = _("Сумма должна быть больше нуля.")
        raise DomainError(message, field_errors={"amount": [message]})
    donor = find_donor(donor_contact)
    donation = Donation(
        organization=organization,
        campaign=campaign,
        amount=amount,
        received_on=received_on,
        source=Donation.Source.MANUAL,
        donor=donor,
        donor_name=" ".join(donor_name.split()),
        # an unnamed gift (a cash box) is one donor of its own
        donor_key=donor_key_of(donor, name=donor_name)
        if donor or donor_name.strip()
        else f"anon-{secrets.token_hex(8)}",
        is_anonymous=is_anonymous,
        note=note.strip(),
        recorded_by=actor,
    )
    donation.full_clean(exclude=["organization", "campaign", "donor", "recorded_by", "entry"])
    with transaction.atomic():
        donation.save()
        log_action(actor=actor, action="charity.donation_record", obj=donation)
    return donation


def donation_from_entry(
    entry: StatementEntry, *, campaign: Campaign | None, donor: User | None, actor: User | None
) -> Donation:
    """The donation a statement entry is (inside the caller's transaction)."""
    donation = Donation.objects.create(
        organization_id=entry.organization_id,
        campaign=campaign,
        amount=entry.amount,
        received_on=entry.paid_on,
        source=Donation.Source.STATEMENT,
        entry=entry,
        donor=donor,
        donor_name=entry.payer,
        donor_key=donor_key_of(
            donor, inn=entry.payer_inn, name=entry.payer, account=entry.payer_account
        ),
        recorded_by=actor,
    )
    return donation


def entry_assign(*, actor: User, entry: StatementEntry, campaign: Campaign | None) -> Donation:
    """A queued payment is a donation: to `campaign`, or to the organisation's work in
    general when None."""
    organization = entry.organization
    _check_campaign(organization, campaign)
    with transaction.atomic():
        entry = StatementEntry.objects.select_for_update().get(pk=entry.pk)
        move = ENTRY_WORKFLOW.check_for(actor, entry, "assign", can_move_entry)
        entry.status = move.target
        entry.save(update_fields=["status", "updated_at"])
        donation = donation_from_entry(entry, campaign=campaign, donor=None, actor=actor)
        log_action(actor=actor, action="charity.entry_assign", obj=entry)
    return donation


def entry_move(*, actor: User, entry: StatementEntry, name: str) -> StatementEntry:
    """«ignore» (not a donation: a refund, a grant, a member's fee) or «restore»."""
    if name == "assign":
        raise DomainError(_("Неизвестное действие."))
    with transaction.atomic():
        entry = StatementEntry.objects.select_for_update().get(pk=entry.pk)
        move = ENTRY_WORKFLOW.check_for(actor, entry, name, can_move_entry)
        entry.status = move.target
        entry.save(update_fields=["status", "updated_at"])
        action = "charity.entry_restore"
        if move.name == "ignore":
            action = "charity.entry_ignore"
        log_action(actor=actor, action=action, obj=entry)
    return entry
