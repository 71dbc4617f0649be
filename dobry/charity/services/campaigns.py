"""Bank details and campaigns: entered, started, finished; updates posted."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.charity import selectors
from dobry.charity.codes import new_donor_code
from dobry.charity.models import CAMPAIGN_WORKFLOW, BankDetails, Campaign, CampaignUpdate, DonorCode
from dobry.charity.permissions import (
    can_manage_money,
    can_move_campaign,
    can_start_campaign,
    require,
)
from dobry.communications.rich_text import sanitize
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.core.models import District
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.uploads import Upload, public_image
from dobry.core.validators import require_plan_date
from dobry.events.models import Event
from dobry.grants.models import Agreement
from dobry.helprequests.models import Programme
from dobry.organizations.models import Organization

BANK_FIELDS = (
    "payee_name",
    "account",
    "bank_name",
    "bic",
    "correspondent_account",
    "inn",
    "kpp",
)


def bank_details_save(*, actor: User, organization: Organization, **values: str) -> BankDetails:
    """Create or replace the organisation's bank details; ValidationError naming the field
    whose value or control key is wrong (nothing saved then)."""
    require(can_manage_money(actor, organization))
    details = BankDetails.objects.filter(organization=organization).first() or BankDetails(
        organization=organization
    )
    for name in BANK_FIELDS:
        setattr(details, name, " ".join(str(values.get(name, "")).split()))
    details.full_clean(exclude=["organization"])
    with transaction.atomic():
        details.save()
        log_action(actor=actor, action="charity.bank_details", obj=organization)
    return details


def _check_links(
    campaign: Campaign,
    programme: Programme | None,
    event: Event | None,
    agreement: Agreement | None = None,
) -> None:
    """Links the campaign names: its organisation's own. An event or a grant project is
    checked when it changes — one linked before (an agreement since terminated) does not
    block editing the rest."""
    organization = campaign.organization
    errors: dict[str, list[str]] = {}
    if programme is not None and programme.organization_id != organization.pk:
        errors["programme"] = [_("Выберите программу своей организации.")]
    changed_event = event is not None and event.pk != campaign.event_id
    if changed_event and event not in selectors.linkable_events(organization):
        errors["event"] = [_("Выберите опубликованное мероприятие своей организации.")]
    changed_agreement = agreement is not None and agreement.pk != campaign.agreement_id
    if changed_agreement and agreement not in selectors.linkable_agreements(organization):
        errors["agreement"] = [_("Выберите грантовый проект своей организации.")]
    if errors:
        raise DomainError(_("Проверьте связи сбора."), field_errors=errors)


def _check_cover(cover: Upload | None, cover_alt: str) -> ContentFile[bytes] | None:
    """The cover re-encoded without metadata (`public_image`), None when none is sent."""
    if cover is None:
        return None
    clean = public_image(cover, field="cover")
    if not cover_alt.strip():
        raise ValidationError({"cover_alt": [_("Опишите обложку для тех, кто её не видит.")]})
    return clean


def _stored_deadline(campaign: Campaign) -> date | None:
    """The deadline as saved — a page's model form has already set the new one on the
    object it passes (so the object's own value cannot tell a change)."""
    if campaign.pk is None:
        return None
    return Campaign.objects.filter(pk=campaign.pk).values_list("deadline", flat=True).first()


def _fill(
    campaign: Campaign,
    *,
    title: str,
    purpose: str,
    story: str,
    goal: Decimal,
    deadline: date,
    area: str = "",
    district: District | None = None,
    programme: Programme | None = None,
    event: Event | None = None,
    agreement: Agreement | None = None,
    cover: Upload | None = None,
    cover_alt: str = "",
) -> None:
    _check_links(campaign, programme, event, agreement)
    if deadline != _stored_deadline(campaign):
        require_plan_date(deadline, field="deadline")  # a plan: from today, when it changes
    clean_cover = _check_cover(cover, cover_alt)
    campaign.title = title.strip()
    campaign.purpose = " ".join(purpose.split())
    campaign.story = sanitize(story)
    campaign.goal = goal
    campaign.deadline = deadline
    campaign.area = area
    campaign.district = district
    campaign.programme = programme
    campaign.event = event
    campaign.agreement = agreement
    campaign.cover_alt = cover_alt.strip()
    if clean_cover is not None:
        campaign.cover = clean_cover
    if campaign.cover and not campaign.cover_alt:
        raise ValidationError({"cover_alt": [_("Опишите обложку для тех, кто её не видит.")]})
    campaign.full_clean(exclude=["organization", "created_by", "cover"])


def campaign_create(*, actor: User, organization: Organization, **values: object) -> Campaign:
    """A draft campaign of a verified organisation (`_fill` gives the fields: title,
    purpose, story, goal in roubles, deadline as the city's local date, …)."""
    require(can_start_campaign(actor, organization))
    campaign = Campaign(organization=organization, created_by=actor)
    _fill(campaign, **values)  # type: ignore[arg-type]
    with transaction.atomic():
        campaign.save()
        log_action(actor=actor, action="charity.campaign_create", obj=campaign)
    return campaign


def campaign_edit(*, actor: User, campaign: Campaign, **values: object) -> Campaign:
    require(can_manage_money(actor, campaign.organization))
    _fill(campaign, **values)  # type: ignore[arg-type]
    with transaction.atomic():
        campaign.save()
        log_action(actor=actor, action="charity.campaign_edit", obj=campaign)
    return campaign


def campaign_move(*, actor: User, campaign: Campaign, name: str) -> Campaign:
    """Start (needs a verified organisation with bank details), finish or reopen."""
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_related("organization")
            .select_for_update(of=("self",))
            .get(pk=campaign.pk)
        )
        move = CAMPAIGN_WORKFLOW.check_for(actor, campaign, name, can_move_campaign)
        if move.target == Campaign.Status.ACTIVE and campaign.deadline < local_today():
            raise DomainError(
                _("Срок сбора прошёл: укажите новый срок."),
                field_errors={"deadline": [_("Срок сбора прошёл: укажите новый срок.")]},
            )
        campaign.status = move.target
        campaign.finished_on = local_today() if move.target == Campaign.Status.FINISHED else None
        campaign.save(update_fields=["status", "finished_on", "updated_at"])
        action = _campaign_action(move.name)
        log_action(actor=actor, action=action, obj=campaign)
    return campaign


def campaign_post_update(
    *,
    actor: User,
    campaign: Campaign,
    text: str,
    photo: Upload | None = None,
    photo_alt: str = "",
) -> CampaignUpdate:
    """A post on the campaign's page (what was bought, what happened)."""
    require(can_manage_money(actor, campaign.organization))
    # a TextField's max_length is not checked by full_clean: the API's form field has none
    require_within_limits({"text": (text, text_limit(CampaignUpdate, "text"))})
    clean_photo = None
    if photo is not None:
        clean_photo = public_image(photo, field="photo")
        if not photo_alt.strip():
            raise ValidationError({"photo_alt": [_("Опишите фото для тех, кто его не видит.")]})
    update = CampaignUpdate(
        campaign=campaign, text=text.strip(), photo_alt=photo_alt.strip(), author=actor
    )
    if clean_photo is not None:
        update.photo = clean_photo
    update.full_clean(exclude=["campaign", "author", "photo"])
    with transaction.atomic():
        update.save()
        log_action(actor=actor, action="charity.campaign_update", obj=campaign)
    return update


def donor_code_for(*, donor: User, campaign: Campaign) -> DonorCode:
    """The signed-in donor's personal code for this campaign (made once, then the same)."""
    existing = DonorCode.objects.filter(campaign=campaign, donor=donor).first()
    if existing is not None:
        return existing
    for _attempt in range(5):  # a random part taken by another donor: draw again
        try:
            with transaction.atomic():
                code, _created = DonorCode.objects.get_or_create(
                    campaign=campaign, donor=donor, defaults={"code": new_donor_code(campaign.pk)}
                )
            return code
        except IntegrityError:
            continue
    raise DomainError(_("Не удалось выдать код: попробуйте ещё раз."))


def _campaign_action(move: str) -> str:
    """The audit code of a campaign's move (each named in `audit_actions.py`)."""
    action = "charity.campaign_publish"
    if move == "finish":
        action = "charity.campaign_finish"
    elif move == "reopen":
        action = "charity.campaign_reopen"
    return action
