"""Who may do what with campaigns, donations and statements: one place, plain functions.

Campaigns are public once collecting; everything about money received — donations with
the donors' names, statements, the queue — is the organisation's own: its owner and
editors. Coordinators of the resource centre see the public figures, not who gave.
How the money was spent (spending items) is public with the organisation; a receipt only
once the organisation publishes it."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from dobry.charity.models import (
    Campaign,
    Donation,
    Need,
    Pledge,
    SpendingItem,
    StatementEntry,
    StatementImport,
)
from dobry.charity.models.campaigns import CampaignQuerySet
from dobry.core.clock import local_today
from dobry.core.permissions import ALLOW, Actor, Decision, deny, not_now
from dobry.core.permissions import require as require
from dobry.core.workflow import Move
from dobry.organizations.models import Membership, Organization
from dobry.organizations.permissions import membership_of


def can_manage_money(user: Actor, organization: Organization) -> Decision:
    """The organisation's owner and editors run its campaigns, bank details and donations."""
    membership = membership_of(user, organization)
    if membership is not None and membership.can_edit:
        return ALLOW
    return deny(_("Сборами и пожертвованиями занимаются владелец и редакторы организации."))


def can_record_donation(user: Actor, organization: Organization) -> Decision:
    """Editors record a donation by hand (a cash box, a transfer) once the resource centre
    verified the organisation: the donor's email or phone links it to their account, into
    «Мои пожертвования» and the yearly statement for the tax deduction — an organisation
    anyone just proposed must not write there (nor learn who has an account)."""
    decision = can_manage_money(user, organization)
    if decision and not organization.is_verified:
        return not_now(
            _("Пожертвования вручную записывают организации, проверенные ресурсным центром.")
        )
    return decision


def can_start_campaign(user: Actor, organization: Organization) -> Decision:
    decision = can_manage_money(user, organization)
    if not decision:
        return decision
    if not organization.is_verified:
        return not_now(_("Сборы открывают организации, проверенные ресурсным центром."))
    return ALLOW


def can_view_campaign(user: Actor, campaign: Campaign) -> Decision:
    if campaign.status != Campaign.Status.DRAFT and campaign.organization.is_verified:
        return ALLOW
    if can_manage_money(user, campaign.organization):
        return ALLOW
    return deny(_("Сбор ещё не начат."))


def can_move_campaign(user: Actor, campaign: Campaign, move: Move) -> Decision:
    """Editors start, finish and reopen; a campaign starts only for a verified organisation
    with bank details (the QR code needs them)."""
    decision = can_manage_money(user, campaign.organization)
    if not decision or move.target != Campaign.Status.ACTIVE:
        return decision
    if not campaign.organization.is_verified:
        return not_now(_("Сборы открывают организации, проверенные ресурсным центром."))
    if not hasattr(campaign.organization, "bank_details"):
        return not_now(_("Сначала укажите банковские реквизиты организации."))
    return ALLOW


def visible_campaigns(user: Actor) -> CampaignQuerySet:
    """The list form of `can_view_campaign`."""
    public = Q(
        status__in=(Campaign.Status.ACTIVE, Campaign.Status.FINISHED),
        organization__status=Organization.Status.VERIFIED,
    )
    if user.is_authenticated and user.pk is not None:
        public |= Q(organization__in=organizations_managed_by(user))
    return Campaign.objects.filter(public)


def organizations_managed_by(user: Actor) -> QuerySet[Organization]:
    if not user.is_authenticated or user.pk is None:
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user_id=user.pk,
        memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
    )


def get_campaign_for_user(user: Actor, pk: int, *, action: str = "view") -> Campaign:
    """The campaign if `user` may `action` («view» or «manage») it; 404 if unseen, 403."""
    campaign = (
        Campaign.objects.select_related("organization", "agreement__application__competition")
        .filter(pk=pk)
        .first()
    )
    if campaign is None or not can_view_campaign(user, campaign):
        raise Http404
    if action == "manage":
        decision = can_manage_money(user, campaign.organization)
        if not decision:
            raise PermissionDenied(str(decision.reason))
    return campaign


def get_money_organization_for_user(user: Actor, pk: int) -> Organization:
    """The organisation whose money `user` manages; 404 for an unknown one, 403 otherwise."""
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise Http404
    decision = can_manage_money(user, organization)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    return organization


def get_statement_for_user(user: Actor, pk: int) -> StatementImport:
    statement = StatementImport.objects.select_related("organization").filter(pk=pk).first()
    if statement is None or not can_manage_money(user, statement.organization):
        raise Http404
    return statement


def get_entry_for_user(user: Actor, pk: int) -> StatementEntry:
    entry = StatementEntry.objects.select_related("organization").filter(pk=pk).first()
    if entry is None or not can_manage_money(user, entry.organization):
        raise Http404
    return entry


def can_move_entry(user: Actor, entry: StatementEntry, move: Move) -> Decision:
    return can_manage_money(user, entry.organization)


def can_move_statement(user: Actor, statement: StatementImport, move: Move) -> Decision:
    return can_manage_money(user, statement.organization)


def can_read_donation(user: Actor, donation: Donation) -> Decision:
    """The donor reads their own donation (and its thank-you letter); the organisation's
    editors read all of its donations."""
    if user.is_authenticated and donation.donor_id == user.pk:
        return ALLOW
    return can_manage_money(user, donation.organization)


def can_view_need(user: Actor, need: Need) -> Decision:
    if need.status != Need.Status.DRAFT and need.organization.is_verified:
        return ALLOW
    if can_manage_money(user, need.organization):
        return ALLOW
    return deny(_("Нужда ещё не опубликована."))


def can_move_need(user: Actor, need: Need, move: Move) -> Decision:
    decision = can_manage_money(user, need.organization)
    if decision and move.name == "open" and not need.organization.is_verified:
        return not_now(_("Нужды публикуют организации, проверенные ресурсным центром."))
    return decision


def can_pledge(user: Actor, need: Need) -> Decision:
    """Any signed-in person may pledge to an open need before its deadline."""
    if not user.is_authenticated:
        return deny(_("Войдите, чтобы пообещать помощь."))
    if need.status != Need.Status.OPEN or need.deadline < local_today():
        return not_now(_("Эта нужда уже закрыта."))
    return ALLOW


def can_move_pledge(user: Actor, pledge: Pledge, move: Move) -> Decision:
    """The organisation marks a pledge received; the pledger or the organisation cancels it."""
    if move.name == "cancel" and user.is_authenticated and pledge.pledger_id == user.pk:
        return ALLOW
    return can_manage_money(user, pledge.need.organization)


def get_need_for_user(user: Actor, pk: int, *, action: str = "view") -> Need:
    need = Need.objects.select_related("organization", "campaign").filter(pk=pk).first()
    if need is None or not can_view_need(user, need):
        raise Http404
    if action == "manage":
        decision = can_manage_money(user, need.organization)
        if not decision:
            raise PermissionDenied(str(decision.reason))
    return need


def get_pledge_for_user(user: Actor, pk: int) -> Pledge:
    """A pledge its pledger or the need's organisation may act on; 404 for anyone else."""
    pledge = Pledge.objects.select_related("need__organization").filter(pk=pk).first()
    if pledge is None:
        raise Http404
    mine = user.is_authenticated and pledge.pledger_id == user.pk
    if not mine and not can_manage_money(user, pledge.need.organization):
        raise Http404
    return pledge


def can_view_money_report(user: Actor, organization: Organization) -> Decision:
    """An organisation's public report (money and help received, how it was spent, the
    yearly report): anyone, once the resource centre verified the organisation; before
    that, its own editors."""
    if organization.is_verified:
        return ALLOW
    if can_manage_money(user, organization):
        return ALLOW
    return deny(_("Отчёт публикуется, когда организация проверена ресурсным центром."))


def get_report_organization_for_user(user: Actor, pk: int) -> Organization:
    """The organisation whose public report `user` may read; 404 otherwise."""
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None or not can_view_money_report(user, organization):
        raise Http404
    return organization


def can_view_spending(user: Actor, item: SpendingItem) -> Decision:
    """A spending item's figures are public with its organisation's report (and its
    campaign, once started); otherwise the organisation's editors see it."""
    campaign_public = item.campaign is None or item.campaign.status != Campaign.Status.DRAFT
    if campaign_public and item.organization.is_verified:
        return ALLOW
    if can_manage_money(user, item.organization):
        return ALLOW
    return deny(_("Расход ещё не опубликован."))


def can_read_receipt(user: Actor, item: SpendingItem) -> Decision:
    """A receipt is private until the organisation publishes it (item by item): its editors
    read it always, anyone else only a published one of a visible item."""
    if can_manage_money(user, item.organization):
        return ALLOW
    if item.receipt_published and can_view_spending(user, item):
        return ALLOW
    return deny(_("Документ не опубликован организацией."))


def can_publish_receipt(user: Actor, item: SpendingItem) -> Decision:
    """Editors publish a receipt that exists (a file to show)."""
    decision = can_manage_money(user, item.organization)
    if decision and not item.receipt:
        return not_now(_("Сначала приложите документ."))
    return decision


def visible_spending(user: Actor) -> QuerySet[SpendingItem]:
    """The list form of `can_view_spending`."""
    public = Q(organization__status=Organization.Status.VERIFIED) & (
        Q(campaign__isnull=True) | ~Q(campaign__status=Campaign.Status.DRAFT)
    )
    if user.is_authenticated and user.pk is not None:
        public |= Q(organization__in=organizations_managed_by(user))
    return SpendingItem.objects.filter(public)


def get_spending_for_user(user: Actor, pk: int, *, action: str = "view") -> SpendingItem:
    """The spending item if `user` may `action` («view» or «manage») it; 404 if unseen,
    403 when seen but not theirs to change."""
    item = SpendingItem.objects.select_related("organization", "campaign").filter(pk=pk).first()
    if item is None or not can_view_spending(user, item):
        raise Http404
    if action == "manage":
        decision = can_manage_money(user, item.organization)
        if not decision:
            raise PermissionDenied(str(decision.reason))
    return item
