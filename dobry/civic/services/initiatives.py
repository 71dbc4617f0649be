"""Initiatives: posted and edited, moved through their stages, results added to the
public timeline, the resource centre's public answer, links to what came of them."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.accounts.models import User
from dobry.civic import notifications as kinds
from dobry.civic.models import INITIATIVE_WORKFLOW, Initiative, InitiativeLink, TimelineEntry
from dobry.civic.permissions import (
    can_create_initiative,
    can_edit_initiative,
    can_link,
    can_move_initiative,
    can_post_result,
    can_respond,
    require,
)
from dobry.civic.services.links import LINK_KINDS
from dobry.communications.services import notify
from dobry.core import references
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.locking import locked
from dobry.core.models import District
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.uploads import Upload, public_image
from dobry.organizations.models import Organization
from dobry.organizations.permissions import organizations_edited_by


def _move_action(name: str) -> str:
    """The audit action of a stage move (`civic.audit_actions`)."""
    action = "civic.initiative_gather"
    if name == "to_centre":
        action = "civic.initiative_to_centre"
    elif name == "start":
        action = "civic.initiative_start"
    elif name == "finish":
        action = "civic.initiative_finish"
    elif name == "reopen":
        action = "civic.initiative_reopen"
    return action


def initiative_save(
    *,
    actor: User,
    initiative: Initiative | None = None,
    title: str,
    problem: str,
    idea: str,
    district: District | None = None,
    address: str = "",
    area: str = "",
    needed_skills: str = "",
    needed_money: Decimal | None = None,
    needed_premises: str = "",
    needed_materials: str = "",
    group: Organization | None = None,
) -> Initiative:
    """Post (initiative=None) or edit an initiative. A group behind it is one the author
    edits; the author of a new one follows it. The stored initiative is read again: a
    page's form has already written its values into the object it was given."""
    if initiative is not None:
        initiative = Initiative.objects.select_related("group").get(pk=initiative.pk)
    require(can_edit_initiative(actor, initiative) if initiative else can_create_initiative(actor))
    require_within_limits(
        {"problem": (problem, text_limit(Initiative, "problem")),
         "idea": (idea, text_limit(Initiative, "idea"))}
    )  # fmt: skip
    _check_group(actor, group, initiative)
    fields: dict[str, Any] = {
        "title": title.strip(), "problem": problem.strip(), "idea": idea.strip(),
        "district": district, "address": address.strip(), "area": area,
        "needed_skills": needed_skills.strip(), "needed_money": needed_money,
        "needed_premises": needed_premises.strip(), "needed_materials": needed_materials.strip(),
        "group": group,
    }  # fmt: skip
    new = initiative is None
    initiative = initiative or Initiative(author=actor)
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.full_clean(exclude=["author", "group", "district", "responded_by"])
    with transaction.atomic():
        initiative.save()
        if new:
            _begin(initiative, actor)
        action = "civic.initiative_create" if new else "civic.initiative_edit"
        log_action(actor=actor, action=action, obj=initiative)
    return initiative


def _begin(initiative: Initiative, actor: User) -> None:
    """A new initiative's first line on the timeline; its author follows it."""
    TimelineEntry.objects.create(initiative=initiative, stage=initiative.status, author=actor)
    initiative.follows.get_or_create(user=actor)


def _check_group(actor: User, group: Organization | None, initiative: Initiative | None) -> None:
    if group is None or (initiative is not None and initiative.group_id == group.pk):
        return
    if not organizations_edited_by(actor).filter(pk=group.pk).exists():
        message = _("Укажите группу или организацию, которую вы редактируете.")
        raise DomainError(message, field_errors={"group": [message]})


def initiative_move(
    *, actor: User, initiative: Initiative, name: str, note: str = ""
) -> Initiative:
    """Move to the next stage, with a note for the public timeline; followers are told."""
    require_within_limits({"note": (note, text_limit(TimelineEntry, "note"))})
    with locked(Initiative.objects.select_related("group"), initiative.pk) as fresh:
        move = INITIATIVE_WORKFLOW.check_for(actor, fresh, name, can_move_initiative)
        moved_from, fresh.status = fresh.status, move.target
        fresh.save(update_fields=["status", "updated_at"])
        TimelineEntry.objects.create(
            initiative=fresh, stage=move.target, moved_from=moved_from, note=note.strip(),
            author=actor,
        )  # fmt: skip
        action = _move_action(move.name)
        log_action(
            actor=actor, action=action, obj=fresh,
            data={"from": moved_from, "to": move.target},
        )  # fmt: skip
        notify_followers(fresh, gettext_lazy("инициатива перешла на новый этап."), skip=actor)
    return fresh


def timeline_post(
    *,
    actor: User,
    initiative: Initiative,
    note: str,
    photo: Upload | None = None,
    photo_alt: str = "",
) -> TimelineEntry:
    """A result on the public timeline, with an optional photo described for those who
    cannot see it."""
    require(can_post_result(actor, initiative))
    require_within_limits({"note": (note, text_limit(TimelineEntry, "note"))})
    if not note.strip() and photo is None:
        message = _("Напишите, что получилось, или добавьте фото.")
        raise DomainError(message, field_errors={"note": [message]})
    entry = TimelineEntry(
        initiative=initiative, stage=initiative.status, note=note.strip(),
        photo_alt=photo_alt.strip(), author=actor,
    )  # fmt: skip
    if photo is not None:
        entry.photo = public_image(photo, field="photo")
        if not entry.photo_alt:
            raise ValidationError({"photo_alt": [_("Опишите фото для тех, кто его не видит.")]})
    entry.full_clean(exclude=["initiative", "author", "photo"])
    with transaction.atomic():
        entry.save()
        log_action(actor=actor, action="civic.timeline_post", obj=initiative)
        notify_followers(initiative, gettext_lazy("новый результат в хронике."), skip=actor)
    return entry


def centre_respond(*, actor: User, initiative: Initiative, response: str) -> Initiative:
    """The resource centre's public answer to an initiative over the support threshold
    (a consultation, a project group, advice to apply or to start a campaign); may be
    corrected later, the first answer's time stays."""
    require_within_limits({"response": (response, text_limit(Initiative, "response"))})
    if not response.strip():
        message = _("Напишите ответ.")
        raise DomainError(message, field_errors={"response": [message]})
    with locked(Initiative.objects.all(), initiative.pk) as fresh:
        require(can_respond(actor, fresh))
        fresh.response = response.strip()
        fresh.responded_at = fresh.responded_at or timezone.now()
        fresh.responded_by = actor
        fresh.save(update_fields=["response", "responded_at", "responded_by", "updated_at"])
        log_action(actor=actor, action="civic.initiative_respond", obj=fresh)
        notify_followers(fresh, gettext_lazy("ответил ресурсный центр."), skip=actor)
    return fresh


def link_add(*, actor: User, initiative: Initiative, kind: str, pk: int) -> InitiativeLink:
    """Link something that came of the initiative; the person must be able to see it."""
    require(can_link(actor, initiative))
    if kind not in LINK_KINDS or kind not in references.kinds():
        message = _("Такое связать нельзя.")
        raise DomainError(message, field_errors={"kind": [message]})
    ref = references.Reference(kind, pk)
    if references.resolve(ref, actor) is None:
        message = _("Не найдено или недоступно вам.")
        raise DomainError(message, field_errors={"pk": [message]})
    try:
        with transaction.atomic():
            link = InitiativeLink(initiative=initiative, added_by=actor)
            link.target = ref
            link.save()
            log_action(actor=actor, action="civic.link_add", obj=initiative, data={"to": str(ref)})
    except IntegrityError:
        raise DomainError(_("Это уже связано с инициативой.")) from None
    return link


def link_remove(*, actor: User, link: InitiativeLink) -> None:
    require(can_link(actor, link.initiative))
    with transaction.atomic():
        log_action(
            actor=actor, action="civic.link_remove", obj=link.initiative,
            data={"to": str(link.target)},
        )  # fmt: skip
        link.delete()


def notify_followers(initiative: Initiative, what: str | Promise, *, skip: User | None) -> None:
    """Tell the initiative's followers and its author (not the one who did it) what
    happened."""
    followers = User.objects.filter(
        Q(initiative_follows__initiative=initiative) | Q(pk=initiative.author_id or 0)
    ).distinct()
    if skip is not None:
        followers = followers.exclude(pk=skip.pk)
    notify(
        kinds.INITIATIVE_UPDATE,
        followers,
        {"initiative": initiative, "what": what},
        url=initiative.get_absolute_url(),
    )


__all__ = [
    "centre_respond",
    "initiative_move",
    "initiative_save",
    "link_add",
    "link_remove",
    "notify_followers",
    "timeline_post",
]
