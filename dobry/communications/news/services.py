"""Writing and publishing news: create, edit, the moves of `NEWS_WORKFLOW`, and the
periodic release of scheduled items."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.models import User
from dobry.communications import notifications as kinds
from dobry.communications import permissions
from dobry.communications.models import NEWS_WORKFLOW, NewsItem, NewsTag
from dobry.communications.models.news import MAX_TAGS, ORGANIZATION_KIND, TAG_LENGTH
from dobry.communications.news.newsrooms import newsrooms
from dobry.communications.rich_text import sanitize
from dobry.communications.services import notify
from dobry.core import references
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, PermissionDenied
from dobry.core.hooks import Hook
from dobry.core.locking import locked
from dobry.core.references import Reference
from dobry.core.text_limits import require_within_limits, text_limit, too_long
from dobry.core.uploads import Upload, public_image

# An item became public (by a person's «publish» or by the schedule), inside that
# transaction: the site connects the support registry to it (news about an organisation
# is informational support).
NEWS_PUBLISHED = Hook("news.published", arguments="item: NewsItem")

# What an author may set; `organization` is an organisation's id, `subject` a Reference,
# `tags` a list of words.
EDITABLE_FIELDS = frozenset(
    {"kind", "title", "lead", "body", "cover_alt", "publish_at", "organization", "subject", "tags"}
)
TEXT_FIELDS = ("title", "lead", "body", "cover_alt")
# What an item may be about: objects of these kinds, once the site registers them.
SUBJECT_KINDS = ("event", "competition", "campaign", "initiative")


def _refuse(field: str, message: str) -> DomainError:
    return DomainError(message, field_errors={field: [message]})


def news_create(
    *, author: User, fields: Mapping[str, Any], cover: Upload | None = None
) -> NewsItem:
    """A new draft. The city's authors write for the city (the organisation is optional:
    what the item is about); anyone else writes for a verified organisation they edit,
    and their item goes to moderation before it is published."""
    decision = permissions.can_write_news(author)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    publisher = (
        NewsItem.Publisher.CITY
        if permissions.is_city_author(author)
        else NewsItem.Publisher.ORGANIZATION
    )
    item = NewsItem(author=author, publisher=publisher)
    with transaction.atomic():
        _apply(author, item, fields, cover=cover, remove_cover=False)
        log_action(actor=author, action="news.create", obj=item, data={"publisher": publisher})
    return item


def news_update(
    *,
    actor: User,
    item: NewsItem,
    fields: Mapping[str, Any],
    cover: Upload | None = None,
    remove_cover: bool = False,
) -> NewsItem:
    """Change what is given of an item (the fields not named keep their values)."""
    decision = permissions.can_edit_news(actor, item)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    with transaction.atomic():
        _apply(actor, item, fields, cover=cover, remove_cover=remove_cover)
        changed = sorted(set(fields) | ({"cover"} if cover is not None or remove_cover else set()))
        log_action(actor=actor, action="news.update", obj=item, data={"fields": changed})
    return item


def _apply(
    actor: User,
    item: NewsItem,
    fields: Mapping[str, Any],
    *,
    cover: Upload | None,
    remove_cover: bool,
) -> None:
    """Check and set what is given, check the item as a whole, save it and its tags."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("Неизвестные поля: %s.") % ", ".join(sorted(unknown)))
    require_within_limits(
        {name: (fields[name], text_limit(NewsItem, name)) for name in TEXT_FIELDS if name in fields}
    )
    tags = _clean_tags(fields["tags"]) if "tags" in fields else None
    _set_fields(actor, item, fields)
    if cover is not None:
        item.cover = public_image(cover, field="cover")
    elif remove_cover:
        item.cover = ""
    _check_whole(item)
    # The body was checked against its limit as typed; the sanitiser's own additions (a
    # link's rel) must not turn an accepted text into a refused one.
    item.full_clean(exclude=["body"])
    item.save()
    if tags is not None:
        _set_tags(item, tags)


def _set_fields(actor: User, item: NewsItem, fields: Mapping[str, Any]) -> None:
    for name in ("kind", "title", "lead", "cover_alt", "publish_at"):
        if name in fields:
            value = fields[name]
            setattr(item, name, value.strip() if isinstance(value, str) else value)
    if "body" in fields:
        item.body = sanitize(fields["body"] or "")
    if "organization" in fields:
        item.organization = _organization(actor, item, fields["organization"])
    if "subject" in fields:
        item.subject = _subject(actor, fields["subject"])


def _check_whole(item: NewsItem) -> None:
    """What no single field says: an organisation's item names it, a cover is described,
    a scheduled item has its time."""
    if item.publisher == NewsItem.Publisher.ORGANIZATION and item.organization is None:
        raise _refuse("organization", _("Укажите организацию, от имени которой новость."))
    if item.cover and not item.cover_alt:
        raise _refuse("cover_alt", _("Опишите, что на обложке: это прочтут те, кто её не видит."))
    if item.status == NewsItem.Status.SCHEDULED and item.publish_at is None:
        raise _refuse(
            "publish_at",
            _(
                "У запланированной новости должно быть время. Чтобы опубликовать сейчас, "
                "нажмите «Опубликовать сейчас»."
            ),
        )


def _organization(actor: User, item: NewsItem, pk: Any) -> Reference | None:
    """The organisation an item names: for an organisation's item one its author edits
    (a moderator may name any verified one); for the city's, any verified one or none."""
    if pk is None or pk == "":
        return None
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise _refuse("organization", _("Выберите организацию из списка."))
    if item.publisher == NewsItem.Publisher.ORGANIZATION and not permissions.is_news_moderator(
        actor
    ):
        allowed = newsrooms().edited_by(actor)
    else:
        allowed = newsrooms().verified()
    if not allowed.filter(pk=pk).exists():
        raise _refuse("organization", _("Вы не можете писать от имени этой организации."))
    return Reference(ORGANIZATION_KIND, pk)


def _subject(actor: User, subject: Any) -> Reference | None:
    """What the item is about: an object of a subject kind that the author may see."""
    if subject is None:
        return None
    if not isinstance(subject, Reference) or subject.kind not in SUBJECT_KINDS:
        raise _refuse("subject", _("Новость может рассказывать о мероприятии, конкурсе или сборе."))
    try:
        references.check_kind(subject.kind)
    except references.UnknownReference:
        raise _refuse("subject", _("Неизвестный вид ссылки.")) from None
    if references.resolve(subject, actor) is None:
        raise _refuse("subject", _("Объект не найден."))
    return subject


def _clean_tags(names: Any) -> dict[str, str]:
    """slug → name of each tag given (spaces collapsed; the same word once)."""
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise _refuse("tags", _("Перечислите метки списком."))
    found: dict[str, str] = {}
    for name in names:
        text = " ".join(str(name).split())
        if not text:
            continue
        if len(text) > TAG_LENGTH:
            raise _refuse("tags", too_long(TAG_LENGTH))
        slug = slugify(text, allow_unicode=True)
        if not slug:
            raise _refuse("tags", _("В метке должны быть буквы или цифры."))
        found.setdefault(slug, text)
    if len(found) > MAX_TAGS:
        raise _refuse(
            "tags",
            ngettext("Не больше %(n)s метки.", "Не больше %(n)s меток.", MAX_TAGS)
            % {"n": MAX_TAGS},
        )
    return found


def _set_tags(item: NewsItem, tags: Mapping[str, str]) -> None:
    existing = {tag.slug: tag for tag in NewsTag.objects.filter(slug__in=list(tags))}
    for slug, name in tags.items():
        if slug not in existing:
            existing[slug], _created = NewsTag.objects.get_or_create(
                slug=slug, defaults={"name": name}
            )
    item.tags.set([existing[slug] for slug in tags])


# --- the moves ----------------------------------------------------------------------------


def _moderators() -> Iterable[User]:
    return User.objects.filter(is_active=True, is_coordinator=True)


def news_move(*, actor: User, item: NewsItem, move: str, reason: str = "") -> NewsItem:
    """Make `move` of `NEWS_WORKFLOW` (`permissions.can_move_news` says who may): submit
    for moderation, withdraw, publish now, schedule, return with a reason, unpublish,
    back to drafts. Publishing tells the support registry (`NEWS_PUBLISHED`) and, for an
    organisation's item, its author; submitting tells the moderators."""
    require_within_limits({"reason": (reason, text_limit(NewsItem, "return_reason"))})
    with locked(NewsItem.objects.all(), item.pk) as fresh:
        done = NEWS_WORKFLOW.check_for(
            actor,
            fresh,
            move,
            permissions.can_move_news,
            reason=reason,
        )
        before = fresh.status
        fresh.status = done.target
        if done.name == "return":
            fresh.return_reason = reason.strip()
        elif done.name == "submit":
            fresh.return_reason = ""
        if done.target == NewsItem.Status.PUBLISHED:
            fresh.published_at = timezone.now()
        fresh.save(update_fields=["status", "return_reason", "published_at", "updated_at"])
        data: dict[str, Any] = {"from": before, "to": done.target}
        if reason.strip():
            data["reason"] = reason.strip()
        action = _audit_code(done.name)
        log_action(actor=actor, action=action, obj=fresh, data=data)
        _after_move(fresh, done.name, actor=actor)
    for name in ("status", "return_reason", "published_at", "updated_at"):
        setattr(item, name, getattr(fresh, name))
    return item


def _audit_code(move: str) -> str:
    """The audit code of a person's move (each named in `audit_actions.py`)."""
    action = "news.redraft"
    match move:
        case "submit":
            action = "news.submit"
        case "withdraw":
            action = "news.withdraw"
        case "publish":
            action = "news.publish"
        case "schedule":
            action = "news.schedule"
        case "return":
            action = "news.return"
        case "unpublish":
            action = "news.unpublish"
    return action


def _after_move(item: NewsItem, move: str, *, actor: User | None) -> None:
    url = item.get_absolute_url()
    author = item.author if item.author_id != getattr(actor, "pk", None) else None
    if move == "submit":
        notify(kinds.NEWS_SUBMITTED, _moderators(), {"item": item}, url=url)
    elif move == "return" and author is not None:
        notify(kinds.NEWS_RETURNED, [author], {"item": item}, url=url)
    elif move in ("publish", "schedule", "release"):
        if move != "schedule":
            NEWS_PUBLISHED.send(item=item)
        if author is not None and item.publisher == NewsItem.Publisher.ORGANIZATION:
            notify(kinds.NEWS_PUBLISHED, [author], {"item": item}, url=url)


def news_release_due(*, now: datetime | None = None) -> list[NewsItem]:
    """Publish every scheduled item whose time has come (the periodic job
    `publish_due_news`): one UPDATE from «scheduled» only, each row's audit entry, then
    the same consequences as a person's «publish». Returns the items released."""
    moment = now or timezone.now()
    with transaction.atomic():
        released: Sequence[NewsItem] = NEWS_WORKFLOW.move_rows(
            NewsItem.objects.due(moment).select_related("author"),
            "release",
            actor=None,
            action="news.release",
            published_at=moment,
        )
        for item in released:
            _after_move(item, "release", actor=None)
    return list(released)
