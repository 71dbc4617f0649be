"""Who may open what of communications: one's own notifications only; mailings, their
segments and contacts for coordinators and officials; the suppression list for
coordinators; news by who wrote it and where it stands; the queue of posts to the city's
channels for coordinators."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.communications.models import (
    NEWS_WORKFLOW,
    ChannelPost,
    Mailing,
    NewsItem,
    Notification,
    Segment,
    Suppression,
)
from dobry.communications.news.newsrooms import newsrooms
from dobry.core.permissions import ALLOW, Actor, Decision, allow_if, deny, not_now
from dobry.core.workflow import Move


def get_notification_for_user(user: Actor, pk: int) -> Notification:
    """The user's own notification; anyone else's, like an unknown one, is 404."""
    notification = (
        Notification.objects.filter(pk=pk, user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    if notification is None:
        raise Http404
    return notification


def can_manage_mailings(user: Actor) -> Decision:
    """Mailings to the city's base are made by the resource centre's coordinators and the
    administration's officials (and the platform's admins)."""
    return allow_if(
        bool(
            user.is_authenticated
            and (
                getattr(user, "is_coordinator", False)
                or getattr(user, "is_official", False)
                or getattr(user, "is_superuser", False)
            )
        ),
        _("Рассылки готовят координаторы ресурсного центра и сотрудники администрации."),
    )


def get_mailing_for_user(user: Actor, pk: int) -> Mailing:
    """A mailing for the staff who make them; to anyone else, like an unknown one, 404."""
    mailing = Mailing.objects.select_related("segment").filter(pk=pk).first()
    if mailing is None or not can_manage_mailings(user):
        raise Http404
    return mailing


def get_segment_for_user(user: Actor, pk: int) -> Segment:
    """A saved segment, for the same staff as mailings."""
    segment = Segment.objects.filter(pk=pk).first()
    if segment is None or not can_manage_mailings(user):
        raise Http404
    return segment


def can_manage_suppressions(user: Actor) -> Decision:
    """The city-wide suppression list (addresses and why) is for the resource centre's
    coordinators and the platform's administrators."""
    if not user.is_authenticated:
        return deny(_("Войдите, чтобы продолжить."))
    allowed = bool(getattr(user, "is_coordinator", False) or getattr(user, "is_superuser", False))
    return allow_if(allowed, _("Стоп-лист рассылок ведут координаторы."))


def get_suppression_for_user(user: Actor, pk: int) -> Suppression:
    """An entry of the suppression list for staff; anyone else is refused (403) whether or
    not it exists, staff get 404 for an unknown one."""
    if not can_manage_suppressions(user):
        raise PermissionDenied
    suppression = Suppression.objects.filter(pk=pk).first()
    if suppression is None:
        raise Http404
    return suppression


# --- news ---------------------------------------------------------------------------------

N = NewsItem.Status
# What an organisation's editor may still change: before it goes to moderation, or after
# it was returned. A published item is taken down first (and goes through moderation again).
ORGANIZATION_EDITS = frozenset({N.DRAFT, N.RETURNED})


def _flag(user: Actor, name: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, name, False))


def is_news_moderator(user: Actor) -> bool:
    """Coordinators of the resource centre (and platform admins) moderate organisations'
    news."""
    return _flag(user, "is_coordinator") or _flag(user, "is_superuser")


def is_city_author(user: Actor) -> bool:
    """The resource centre and the administration publish the city's news themselves."""
    return is_news_moderator(user) or _flag(user, "is_official")


def writes_for(user: Actor, organization_pk: int | None) -> bool:
    """Is `user` an owner or editor of this verified organisation."""
    if organization_pk is None or not user.is_authenticated:
        return False
    return newsrooms().edited_by(user).filter(pk=organization_pk).exists()


def _speaks_for(user: Actor, item: NewsItem) -> bool:
    """Is `user` an editor of the item's organisation: one query per item and person
    however many buttons a page asks about."""
    pk = user.pk
    if pk is None or not user.is_authenticated:
        return False
    cache: dict[int, bool] = item.__dict__.setdefault("_editor_cache", {})
    if pk not in cache:
        cache[pk] = writes_for(user, item.organization_pk_named)
    return cache[pk]


def _is_editor(user: Actor, item: NewsItem) -> bool:
    """Whether `user` is on the item's side: a city author for the city's items; an editor
    of its organisation, or a moderator, for an organisation's."""
    if item.publisher == NewsItem.Publisher.CITY:
        return is_city_author(user)
    return is_news_moderator(user) or _speaks_for(user, item)


def can_write_news(user: Actor) -> Decision:
    """May `user` start a news item: the city's authors, and editors of a verified
    organisation."""
    if is_city_author(user):
        return ALLOW
    if user.is_authenticated and newsrooms().edited_by(user).exists():
        return ALLOW
    return deny(
        _("Новости пишут ресурсный центр, администрация и редакторы проверенных организаций.")
    )


def can_view_news(user: Actor, item: NewsItem) -> Decision:
    if item.status == N.PUBLISHED or _is_editor(user, item):
        return ALLOW
    return deny(_("Новость ещё не опубликована."))


def can_edit_news(user: Actor, item: NewsItem) -> Decision:
    if not _is_editor(user, item):
        return deny(_("Править новость могут её редакция и координаторы."))
    if (
        item.publisher == NewsItem.Publisher.ORGANIZATION
        and not is_news_moderator(user)
        and item.status not in ORGANIZATION_EDITS
    ):
        return deny(
            _(
                "Организация правит новость, пока это черновик или после возврата. "
                "Опубликованную снимите с публикации и верните в черновики."
            )
        )
    return ALLOW


def _time_has_come(item: NewsItem) -> bool:
    return item.publish_at is None or item.publish_at <= timezone.now()


def _can_send(user: Actor, item: NewsItem, move: Move) -> Decision:
    """submit, withdraw: the editors of the item's organisation (the city's items need no
    moderation; a moderator does not send an organisation's draft for it)."""
    if item.publisher == NewsItem.Publisher.CITY:
        return deny(_("Новости ресурсного центра и администрации публикуются без модерации."))
    if _speaks_for(user, item):
        return ALLOW
    return deny(_("Отправляют на модерацию и забирают с неё редакторы организации."))


def _can_publish(user: Actor, item: NewsItem, move: Move) -> Decision:
    """publish, schedule: the city's authors for the city's items; for an organisation's,
    a moderator once it is on moderation (or to publish a scheduled one now). «publish»
    when the time is empty or has come, «schedule» when it is in the future."""
    city = item.publisher == NewsItem.Publisher.CITY
    if not (is_city_author(user) if city else is_news_moderator(user)):
        return deny(_("Новость организации публикует координатор после модерации."))
    if not city and item.status in ORGANIZATION_EDITS:
        return not_now(_("Организация ещё не отправила новость на модерацию."))
    if move.name == "publish" and not _time_has_come(item):
        return not_now(_("Время публикации ещё не наступило: запланируйте её или уберите время."))
    if move.name == "schedule" and _time_has_come(item):
        return not_now(_("Чтобы запланировать публикацию, укажите время в будущем."))
    return ALLOW


def _can_return(user: Actor, item: NewsItem, move: Move) -> Decision:
    if is_news_moderator(user):
        return ALLOW
    return deny(_("Возвращают новости на доработку координаторы."))


def _can_take_down(user: Actor, item: NewsItem, move: Move) -> Decision:
    """unpublish, redraft: the item's side."""
    if _is_editor(user, item):
        return ALLOW
    return deny(_("Снимать и возвращать новость в черновики может её редакция."))


_MOVE_CHECKS = {
    "submit": _can_send,
    "withdraw": _can_send,
    "publish": _can_publish,
    "schedule": _can_publish,
    "return": _can_return,
    "unpublish": _can_take_down,
    "redraft": _can_take_down,
}


def can_move_news(user: Actor, item: NewsItem, move: Move) -> Decision:
    """Who makes which move of `NEWS_WORKFLOW` (each check says whom); «release» nobody by
    hand: the periodic job makes it (`news.services.news_release_due`)."""
    check = _MOVE_CHECKS.get(move.name)
    if check is None:
        return deny(_("Это действие выполняет платформа по расписанию."))
    return check(user, item, move)


def news_moves(user: Actor, item: NewsItem) -> list[Move]:
    """The buttons `user` has on the item's page now."""
    return [move for move in NEWS_WORKFLOW.moves_for(user, item, can_move_news) if move.button]


def visible_news(user: Actor) -> QuerySet[NewsItem]:
    """The list form of `can_view_news`: published items, and those whose side `user` is on."""
    if is_news_moderator(user):
        return NewsItem.objects.all()
    return NewsItem.objects.filter(Q(status=N.PUBLISHED) | _editor_condition(user))


def editable_news(user: Actor) -> QuerySet[NewsItem]:
    """The items whose side `user` is on, whatever their state (the desk's list)."""
    if is_news_moderator(user):
        return NewsItem.objects.all()
    return NewsItem.objects.filter(_editor_condition(user))


def _editor_condition(user: Actor) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    condition = Q(
        publisher=NewsItem.Publisher.ORGANIZATION,
        organization_pk__in=newsrooms().edited_by(user).values("pk"),
    )
    if is_city_author(user):
        condition |= Q(publisher=NewsItem.Publisher.CITY)
    return condition


def get_news_for_user(user: Actor, pk: int, *, action: str = "view") -> NewsItem:
    """The item if `user` may do `action` («view», «edit») with it: 404 when they may not
    see it, 403 when they see it but may not edit it."""
    item = NewsItem.objects.prefetch_related("tags").filter(pk=pk).first()
    if item is None or not can_view_news(user, item):
        raise Http404
    if action == "edit":
        decision = can_edit_news(user, item)
        if not decision:
            raise PermissionDenied(decision.reason)
    elif action != "view":
        raise ValueError(f"unknown action {action!r}")
    return item


# --- the city's channels ------------------------------------------------------------------


def can_manage_channel_posts(user: Actor) -> Decision:
    """The queue of posts to the city's channels is moderated by the resource centre's
    coordinators (and the platform's admins)."""
    allowed = _flag(user, "is_coordinator") or _flag(user, "is_superuser")
    return allow_if(allowed, _("Публикации в каналах города одобряют координаторы."))


def can_move_channel_post(user: Actor, post: ChannelPost, move: Move) -> Decision:
    """A coordinator's buttons; posting and failing are the worker's."""
    if not move.button:
        return deny(_("Это делает сама платформа."))
    return can_manage_channel_posts(user)


def get_channel_post_for_user(user: Actor, pk: int) -> ChannelPost:
    """A post of the queue for coordinators; to anyone else, like an unknown one, 404."""
    post = ChannelPost.objects.select_related("news").filter(pk=pk).first()
    if post is None or not can_manage_channel_posts(user):
        raise Http404
    return post
