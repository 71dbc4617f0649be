"""In-kind needs and pledges. A pledge is taken under the need's row lock: what remains is
counted and written in one locked transaction, so concurrent pledges never promise more
than was asked (issue 14; `core.locking`)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.charity.models import NEED_WORKFLOW, PLEDGE_WORKFLOW, Campaign, Need, Pledge
from dobry.charity.models.needs import MAX_ESTIMATE
from dobry.charity.permissions import (
    can_manage_money,
    can_move_need,
    can_move_pledge,
    can_pledge,
    require,
)
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.locking import locked
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.validators import require_plan_date
from dobry.organizations.models import Organization
from dobry.organizations.permissions import organizations_edited_by

ACTIVE = (Pledge.Status.PLEDGED, Pledge.Status.RECEIVED)


def promised(need: Need) -> int:
    """Units pledged or received (cancelled pledges give theirs back)."""
    total = need.pledges.filter(status__in=ACTIVE).aggregate(total=Sum("quantity"))["total"]
    return int(total or 0)


def need_save(
    *,
    actor: User,
    organization: Organization,
    need: Need | None = None,
    title: str,
    unit: str,
    quantity: int,
    deadline: date,
    kind: str = Need.Kind.GOODS,
    description: str = "",
    unit_value: Decimal | None = None,
    campaign: Campaign | None = None,
) -> Need:
    """Create (need=None) or edit a need; the quantity never drops below what is already
    promised, the deadline is a plan (from today) when it changes."""
    require(can_manage_money(actor, organization))
    if campaign is not None and campaign.organization_id != organization.pk:
        message = _("Выберите сбор своей организации.")
        raise DomainError(message, field_errors={"campaign": [message]})
    if unit_value is not None and unit_value * quantity > MAX_ESTIMATE:
        # a received pledge is valued unit × quantity: past its column, a 500 on receiving
        message = _("Оценка всей нужды (за единицу × количество) слишком велика.")
        raise DomainError(message, field_errors={"unit_value": [message]})
    need = need or Need(organization=organization, created_by=actor)
    stored = Need.objects.filter(pk=need.pk).values_list("deadline", flat=True).first()
    if deadline != stored:  # a page's form has already set the new value on `need`
        require_plan_date(deadline, field="deadline")
    with transaction.atomic():
        if need.pk is not None:
            need = Need.objects.select_for_update(of=("self",)).get(pk=need.pk)
            already = promised(need)
            if quantity < already:
                message = _("Уже обещано %(count)s: меньше не указать.") % {"count": already}
                raise DomainError(message, field_errors={"quantity": [message]})
        need.title, need.unit, need.kind = title.strip(), unit.strip(), kind
        need.quantity, need.deadline, need.campaign = quantity, deadline, campaign
        need.description, need.unit_value = description.strip(), unit_value
        need.full_clean(exclude=["organization", "created_by", "campaign"])
        need.save()
        log_action(actor=actor, action="charity.need_save", obj=need)
    return need


def need_move(*, actor: User, need: Need, name: str) -> Need:
    with transaction.atomic():
        need = (
            Need.objects.select_related("organization")
            .select_for_update(of=("self",))
            .get(pk=need.pk)
        )
        move = NEED_WORKFLOW.check_for(actor, need, name, can_move_need)
        need.status = move.target
        need.save(update_fields=["status", "updated_at"])
        action = "charity.need_open"
        if move.name == "close":
            action = "charity.need_close"
        log_action(actor=actor, action=action, obj=need)
    return need


def pledge_create(
    *,
    actor: User,
    need: Need,
    quantity: int,
    on_behalf: Organization | None = None,
    note: str = "",
) -> Pledge:
    """Promise `quantity` units of an open need. InvalidTransition (409) when fewer remain
    — saying how many — or the need closed meanwhile; a business pledges on behalf of an
    organisation the person edits."""
    require_within_limits({"note": (note, text_limit(Pledge, "note"))})
    if not 1 <= quantity <= need.quantity:
        message = _("Укажите количество от 1 до %(max)s.") % {"max": need.quantity}
        raise DomainError(message, field_errors={"quantity": [message]})
    if (
        on_behalf is not None
        and not organizations_edited_by(actor).filter(pk=on_behalf.pk).exists()
    ):
        message = _("Можно обещать от имени организации, которую вы редактируете.")
        raise DomainError(message, field_errors={"on_behalf": [message]})
    with locked(Need.objects.select_related("organization"), need.pk) as fresh:
        require(can_pledge(actor, fresh))
        remaining = fresh.quantity - promised(fresh)
        if quantity > remaining:
            message = _("Осталось собрать: %(remaining)s (%(unit)s). Уменьшите количество.") % {
                "remaining": remaining,
                "unit": fresh.unit,
            }
            # 409: what remains changed under the person (another pledge came first); the
            # field is named so a form and an API client can point at it.
            raise InvalidTransition(message, field_errors={"quantity": [message]})
        pledge = Pledge.objects.create(
            need=fresh, pledger=actor, on_behalf=on_behalf, quantity=quantity, note=note.strip()
        )
        log_action(
            actor=actor, action="charity.pledge_create", obj=pledge, data={"count": quantity}
        )
    return pledge


def pledge_move(*, actor: User, pledge: Pledge, name: str, value: Decimal | None = None) -> Pledge:
    """«receive» (the organisation: the day is today, the value what it reports — by
    default the need's estimate per unit) or «cancel» (the pledger or the organisation)."""
    with locked(Need.objects.all(), pledge.need_id):
        fresh = Pledge.objects.select_related("need__organization").get(pk=pledge.pk)
        move = PLEDGE_WORKFLOW.check_for(actor, fresh, name, can_move_pledge)
        fresh.status = move.target
        if move.name == "receive":
            fresh.received_on = local_today()
            unit_value = fresh.need.unit_value
            fresh.value = (
                value
                if value is not None
                else (unit_value * fresh.quantity if unit_value is not None else None)
            )
        fresh.save(update_fields=["status", "received_on", "value", "updated_at"])
        action = "charity.pledge_cancel"
        if move.name == "receive":
            action = "charity.pledge_receive"
        log_action(actor=actor, action=action, obj=fresh)
    return fresh


__all__ = ["ACTIVE", "need_move", "need_save", "pledge_create", "pledge_move", "promised"]
