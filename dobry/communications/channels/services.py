"""The moderated queue of posts to the city's channels: proposing a published item to each
configured channel, a coordinator's moves (approve, reject, retry), and the worker's
posting with the channel's rate limit, 429's `retry_after` and no second post of a row."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dobry.accounts.models import User
from dobry.communications import notifications as kinds
from dobry.communications import permissions
from dobry.communications.channels import adapters
from dobry.communications.channels.rendering import ChannelItem, render_post
from dobry.communications.models import CHANNEL_POST_WORKFLOW, ChannelPost, NewsItem
from dobry.communications.remote import RateLimited, Refused, RemoteError, Unknown
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.locking import locked
from dobry.core.references import Reference

MAX_ATTEMPTS = 5
# A call still unanswered after this long is taken as a worker that died mid-call.
IN_FLIGHT_LIMIT = timedelta(minutes=10)
_P = ChannelPost.Status


def post_key(item: NewsItem, channel: str) -> str:
    return f"news:{item.pk}:{channel}"


def channel_posts_for_published(*, item: NewsItem) -> None:
    """Receiver of `news.services.NEWS_PUBLISHED`: the item is proposed to each configured
    channel (`channel_posts_propose`)."""
    channel_posts_propose(item=item)


def channel_posts_propose(
    *, item: NewsItem, channels: list[str] | None = None
) -> list[ChannelPost]:
    """Propose a published item to each channel (by default the configured ones) for a
    coordinator to approve; an item already proposed to a channel keeps its row. Returns
    the rows made now."""
    made = []
    for channel in adapters.configured_channels() if channels is None else channels:
        post, created = ChannelPost.objects.get_or_create(
            key=post_key(item, channel), defaults={"news": item, "channel": channel}
        )
        if created:
            log_action(
                actor=None, action="channel_post.propose", obj=post, data={"channel": channel}
            )
            made.append(post)
    _tell_coordinators(made)
    return made


def _tell_coordinators(posts: list[ChannelPost]) -> None:
    """Each post made now is told to the coordinators through the hub (in the app, and by
    email and Telegram as each chose for `CHANNEL_POST_PROPOSED`): once per post, when it
    is proposed — a retry or a repeated proposal makes no row and tells nobody."""
    if not posts:
        return
    coordinators = list(User.objects.filter(is_active=True, is_coordinator=True))
    url = reverse("news:channels") + "?status=" + _P.PROPOSED
    for post in posts:
        notify(kinds.CHANNEL_POST_PROPOSED, coordinators, {"post": post}, url=url)


def channel_posts_propose_item(
    *, subject: Reference, item: ChannelItem, channels: list[str] | None = None
) -> list[ChannelPost]:
    """Propose an object of another app (`subject`, an event) to each channel (by default
    the configured ones) for a coordinator to approve, the post showing `item` as it is
    now; an object already proposed to a channel keeps its row. Returns the rows made."""
    made = []
    for channel in adapters.configured_channels() if channels is None else channels:
        post, created = ChannelPost.objects.get_or_create(
            key=f"{subject.kind}:{subject.pk}:{channel}",
            defaults={
                "subject_kind": subject.kind,
                "subject_pk": subject.pk,
                "title": item.title,
                "item": item.as_json(),
                "channel": channel,
            },
        )
        if created:
            log_action(
                actor=None, action="channel_post.propose", obj=post, data={"channel": channel}
            )
            made.append(post)
    _tell_coordinators(made)
    return made


def channel_post_move(*, actor: User, post: ChannelPost, move: str) -> ChannelPost:
    """A coordinator's move of `CHANNEL_POST_WORKFLOW` (`permissions.can_move_channel_post`):
    approve (the worker posts it), reject, retry a failed post, bring a rejected one back.
    Approving or retrying enqueues the posting."""
    with locked(ChannelPost.objects.all(), post.pk) as fresh:
        done = CHANNEL_POST_WORKFLOW.check_for(
            actor, fresh, move, permissions.can_move_channel_post
        )
        before = fresh.status
        fresh.status = done.target
        if done.target == _P.APPROVED:
            fresh.approved_by, fresh.approved_at = actor, timezone.now()
            fresh.not_before, fresh.last_error = None, ""
            if done.name == "retry":
                fresh.attempts = 0
        fresh.save()
        action = _audit_code(done.name)
        log_action(actor=actor, action=action, obj=fresh, data={"from": before, "to": done.target})
        if done.target == _P.APPROVED:
            _enqueue(fresh.pk)
    for name in ("status", "approved_by", "approved_at", "not_before", "last_error", "attempts"):
        setattr(post, name, getattr(fresh, name))
    return post


def _audit_code(move: str) -> str:
    """The audit code of a coordinator's move (each named in `telegram_audit_actions.py`)."""
    action = "channel_post.approve"
    match move:
        case "reject":
            action = "channel_post.reject"
        case "retry":
            action = "channel_post.retry"
        case "repropose":
            action = "channel_post.repropose"
    return action


def _enqueue(post_id: int) -> None:
    from dobry.communications.channels.tasks import post_to_channel

    post_to_channel.enqueue(post_id)


def _rate_wait(post: ChannelPost, now: datetime) -> datetime | None:
    """When the channel has had its posts of the last minute, the moment a slot frees."""
    minute_ago = now - timedelta(minutes=1)
    recent = [
        moment
        for moment in ChannelPost.objects.filter(channel=post.channel, sent_at__gt=minute_ago)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)[: settings.DOBRY_CHANNEL_POSTS_PER_MINUTE]
        if moment is not None
    ]
    if len(recent) < settings.DOBRY_CHANNEL_POSTS_PER_MINUTE:
        return None
    return recent[0] + timedelta(minutes=1)


def _claim(post_id: int) -> ChannelPost | str:
    """The approved row whose wait is over, marked in flight under its lock; else why not."""
    now = timezone.now()
    with transaction.atomic():
        post = (
            ChannelPost.objects.select_for_update(of=("self",))
            .select_related("news")
            .filter(pk=post_id)
            .first()
        )
        if post is None:
            return "missing"
        if post.status != _P.APPROVED or post.in_flight_since is not None or post.remote_id:
            return str(post.status) if post.in_flight_since is None else "in_flight"
        if not adapters.configured(post.channel):
            return "not_configured"
        wait = _rate_wait(post, now)
        if wait is not None and (post.not_before is None or post.not_before < wait):
            post.not_before = wait
            post.save(update_fields=["not_before"])
        if post.not_before is not None and post.not_before > now:
            return "waiting"
        post.in_flight_since, post.attempts = now, post.attempts + 1
        post.save(update_fields=["in_flight_since", "attempts"])
    return post


def channel_post_send(*, post_id: int) -> str:
    """Post one approved row to its channel (the task `post_to_channel`); what happened.

    The row is marked in flight before the call and answered after it: a second worker,
    or a retry of the task, finds it in flight or sent and does nothing, so a post is never
    made twice; a call whose answer never came fails the row for a coordinator to check
    the channel before retrying. A 429 (or VK's flood control) waits for its
    `retry_after`; a service that cannot be reached is tried again with a growing pause,
    up to MAX_ATTEMPTS; a refusal fails the row at once."""
    claimed = _claim(post_id)
    if isinstance(claimed, str):
        return claimed
    post = claimed
    rendered = render_post(post)
    try:
        remote_id = adapters.post(post.channel, rendered, key=post.key)
    except RateLimited as error:
        return _again(post, error, timedelta(seconds=error.retry_after))
    except (Refused, Unknown) as error:
        return _finish(post, "fail", error=error)
    except RemoteError as error:
        if post.attempts >= MAX_ATTEMPTS:
            return _finish(post, "fail", error=error)
        return _again(post, error, timedelta(minutes=2**post.attempts))
    return _finish(post, "send", text=rendered.text, remote_id=remote_id or "-")


def _again(post: ChannelPost, error: Exception, pause: timedelta) -> str:
    ChannelPost.objects.filter(pk=post.pk).update(
        in_flight_since=None,
        not_before=timezone.now() + pause,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    return "waiting"


def _finish(
    post: ChannelPost,
    move: str,
    *,
    error: Exception | None = None,
    text: str = "",
    remote_id: str = "",
) -> str:
    """The worker's move: sent (with what went and the remote id) or failed (why)."""
    fields: dict[str, Any] = {"in_flight_since": None}
    if move == "send":
        fields.update(text=text, remote_id=remote_id, sent_at=timezone.now(), last_error="")
    else:
        fields["last_error"] = f"{type(error).__name__}: {error}"[:2000]
    moved = CHANNEL_POST_WORKFLOW.move_rows(
        ChannelPost.objects.filter(pk=post.pk),
        move,
        actor=None,
        action=f"channel_post.{move}",
        **fields,
    )
    return str(moved[0].status) if moved else "gone"


def channel_posts_tend(*, now: datetime | None = None) -> dict[str, int]:
    """Periodic: a row in flight past IN_FLIGHT_LIMIT (its worker died mid-call) fails —
    it may have been posted, so it is never posted again without a person; approved rows
    whose wait is over are enqueued again."""
    moment = now or timezone.now()
    stale = ChannelPost.objects.filter(
        status=_P.APPROVED, in_flight_since__lt=moment - IN_FLIGHT_LIMIT
    )
    failed = CHANNEL_POST_WORKFLOW.move_rows(
        stale,
        "fail",
        actor=None,
        action="channel_post.fail",
        in_flight_since=None,
        last_error="Unknown: no answer from the worker; check the channel before retrying",
    )
    due = list(
        ChannelPost.objects.filter(status=_P.APPROVED, in_flight_since__isnull=True)
        .exclude(not_before__gt=moment)
        .values_list("pk", flat=True)[:500]
    )
    for post_id in due:
        _enqueue(post_id)
    return {"failed": len(failed), "enqueued": len(due)}
