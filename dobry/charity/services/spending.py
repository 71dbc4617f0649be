"""Spending items: entered, changed and deleted by the organisation's editors, their
receipts attached, replaced and published one by one. Every write is audited."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.charity.models import Campaign, SpendingItem
from dobry.charity.models.campaigns import MAX_GOAL
from dobry.charity.permissions import can_manage_money, can_publish_receipt, require
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.files import delete_private_files, delete_stored_file
from dobry.core.uploads import Upload, validate_document
from dobry.core.validators import refuse_line_breaks, require_fact_date
from dobry.organizations.models import Organization


def _refuse(field: str, message: str) -> DomainError:
    return DomainError(message, field_errors={field: [message]})


def _check(
    organization: Organization,
    *,
    campaign: Campaign | None,
    spent_on: date,
    amount: Decimal,
    purpose: str,
    description: str,
) -> None:
    """The meaning of an item's values (its form checked their shape)."""
    if campaign is not None and campaign.organization_id != organization.pk:
        raise _refuse("campaign", _("Выберите сбор своей организации."))
    if campaign is not None and campaign.status == Campaign.Status.DRAFT:
        raise _refuse("campaign", _("Сбор ещё не начат: расходы записываются в начатые сборы."))
    require_fact_date(spent_on, field="spent_on")
    if not Decimal("0.01") <= amount <= MAX_GOAL:
        raise _refuse("amount", _("Сумма должна быть больше нуля и не больше миллиарда рублей."))
    if purpose not in SpendingItem.Purpose.values:
        raise _refuse("purpose", _("Выберите статью расходов из списка."))
    if not " ".join(description.split()):
        raise _refuse("description", _("Напишите, что оплачено."))
    try:
        refuse_line_breaks(description)  # one line, as every CharField (core.one_line)
    except ValidationError as error:
        raise _refuse("description", " ".join(error.messages)) from None


def _checked_receipt(receipt: Upload | None) -> Upload | None:
    """The upload if it is a document (by its content), else DomainError at `receipt`."""
    if receipt is None:
        return None
    try:
        validate_document(receipt, field="receipt")
    except ValidationError as error:
        raise DomainError(_("Файл не подходит."), field_errors=error.message_dict) from None
    return receipt


def _fill(
    item: SpendingItem,
    *,
    campaign: Campaign | None,
    spent_on: date,
    amount: Decimal,
    purpose: str,
    description: str,
) -> None:
    _check(
        item.organization,
        campaign=campaign,
        spent_on=spent_on,
        amount=amount,
        purpose=purpose,
        description=description,
    )
    item.campaign = campaign
    item.spent_on = spent_on
    item.amount = amount
    item.purpose = purpose
    item.description = " ".join(description.split())
    item.full_clean(exclude=["organization", "campaign", "created_by", "receipt"])


def _replace_receipt(item: SpendingItem, receipt: Upload) -> None:
    """A new file takes the place of the old one (deleted on commit) and is private again
    until published: the organisation has not yet seen it on its public page."""
    if item.receipt:
        delete_stored_file(item.receipt)
    item.receipt = receipt
    item.receipt_published = False


def spending_create(
    *,
    actor: User,
    organization: Organization,
    spent_on: date,
    amount: Decimal,
    description: str,
    purpose: str = SpendingItem.Purpose.GOODS,
    campaign: Campaign | None = None,
    receipt: Upload | None = None,
) -> SpendingItem:
    """A spending item of the organisation: the city's local date, roubles, a budget
    purpose (`SpendingItem.Purpose`), what was paid for, and an optional receipt (a
    document, checked by content) that stays private until published."""
    require(can_manage_money(actor, organization))
    item = SpendingItem(organization=organization, created_by=actor)
    _fill(
        item,
        campaign=campaign,
        spent_on=spent_on,
        amount=amount,
        purpose=purpose,
        description=description,
    )
    checked = _checked_receipt(receipt)
    with transaction.atomic():
        if checked is not None:
            item.receipt = checked
        item.save()
        log_action(
            actor=actor,
            action="charity.spending_create",
            obj=item,
            data={"amount": f"{item.amount:.2f}", "campaign": item.campaign_id},
        )
    return item


def spending_edit(
    *,
    actor: User,
    item: SpendingItem,
    spent_on: date,
    amount: Decimal,
    description: str,
    purpose: str,
    campaign: Campaign | None = None,
    receipt: Upload | None = None,
) -> SpendingItem:
    """Change an item's values; a new `receipt` replaces the old file and is private until
    published again."""
    require(can_manage_money(actor, item.organization))
    _fill(
        item,
        campaign=campaign,
        spent_on=spent_on,
        amount=amount,
        purpose=purpose,
        description=description,
    )
    checked = _checked_receipt(receipt)
    with transaction.atomic():
        if checked is not None:
            _replace_receipt(item, checked)
        item.save()
        log_action(
            actor=actor,
            action="charity.spending_edit",
            obj=item,
            data={"amount": f"{item.amount:.2f}", "campaign": item.campaign_id},
        )
    return item


def spending_attach_receipt(*, actor: User, item: SpendingItem, receipt: Upload) -> SpendingItem:
    """Attach or replace the receipt alone (private until published)."""
    require(can_manage_money(actor, item.organization))
    checked = _checked_receipt(receipt)
    assert checked is not None
    with transaction.atomic():
        _replace_receipt(item, checked)
        item.save()
        log_action(actor=actor, action="charity.spending_receipt", obj=item)
    return item


def spending_delete(*, actor: User, item: SpendingItem) -> None:
    """Delete the item and its stored receipt (on commit)."""
    require(can_manage_money(actor, item.organization))
    with transaction.atomic():
        log_action(
            actor=actor,
            action="charity.spending_delete",
            obj=item,
            data={"amount": f"{item.amount:.2f}", "description": item.description},
        )
        delete_private_files(item)
        item.delete()


def spending_publish_receipt(*, actor: User, item: SpendingItem, publish: bool) -> SpendingItem:
    """Show the receipt to everyone (`publish`) or take it back to the organisation."""
    with transaction.atomic():
        item = (
            SpendingItem.objects.select_related("organization", "campaign")
            .select_for_update(of=("self",))
            .get(pk=item.pk)
        )
        if publish:
            require(can_publish_receipt(actor, item))
        else:
            require(can_manage_money(actor, item.organization))
        item.receipt_published = publish
        item.save(update_fields=["receipt_published", "updated_at"])
        action = "charity.spending_publish" if publish else "charity.spending_unpublish"
        log_action(actor=actor, action=action, obj=item)
    return item
