"""Residents' votes: preparing a vote and its options, casting a ballot online, entering a
paper ballot from a polling point, checking a receipt, announcing and closing a vote.

One ballot per voter and vote: the ballot and the voter's mark are written in one
transaction under the vote's row lock (which also keeps a ballot from slipping in while the
vote is being closed), and the database's unique constraint on the mark
(`one_ballot_per_voter`) refuses a second whatever happens — the transaction then rolls the
ballot back with it, so ballots and marks always add up.

The ballot is secret by construction (`civic.models.votes`): nothing written here puts the
voter, a time or an order on the ballot; the audit entry of a cast names the vote, not the
ballot. The receipt code is returned to the caller once, to be shown to the voter, and kept
only as a keyed hash on the ballot."""

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dobry.accounts.models import User
from dobry.civic.models import (
    VOTE_WORKFLOW,
    Ballot,
    BallotChoice,
    Initiative,
    ResidentVerification,
    Vote,
    VoteOption,
    VoterMark,
)
from dobry.civic.models.votes import MAX_CRITERION_POINTS, MAX_OFFICERS, MAX_VOTE_BUDGET
from dobry.civic.permissions import (
    can_cast,
    can_enter_paper,
    can_manage_officers,
    can_manage_votes,
    can_move_vote,
    can_prepare_vote,
    is_verified_resident,
    paper_ballots_until,
    require,
)
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.locking import lock_rows, locked
from dobry.core.numbers import amount
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.typography import quoted
from dobry.grants.models import Application, Competition
from dobry.grants.services.residents_vote import residents_vote_record

# Receipt codes: 12 characters from an alphabet without look-alikes (60 bits), shown in
# groups of four.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 12
ALREADY_VOTED = gettext_lazy("Вы уже проголосовали в этом голосовании.")


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _n in range(RECEIPT_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def normalize_receipt(text: str) -> str:
    """The code as typed, without spaces and dashes, in capitals ("" when it cannot be one)."""
    code = "".join(ch for ch in text.upper() if ch not in " -\t")
    if len(code) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in code):
        return ""
    return code


def receipt_hash(code: str) -> str:
    """The keyed hash (HMAC-SHA256 with the site's secret) of a normalized receipt code."""
    return salted_hmac("dobry.vote_receipt", code, algorithm="sha256").hexdigest()


def voter_phone_hash(voter: User) -> str:
    """The keyed hash of the phone that confirmed `voter` by SMS ("" for a resident a
    coordinator confirmed): a mark carries it while the vote runs, so an erased voter who
    comes back confirmed by the same phone is the same voter."""
    phone = (
        ResidentVerification.objects.filter(user_id=voter.pk)
        .values_list("phone", flat=True)
        .first()
    )
    if not phone:
        return ""
    return salted_hmac("dobry.voter_phone", phone, algorithm="sha256").hexdigest()


def _choice_error(message: str) -> DomainError:
    return DomainError(message, field_errors={"options": [message]})


def checked_options(vote: Vote, option_ids: Iterable[int]) -> list[VoteOption]:
    """The vote's options for the ids chosen, checked against the vote's limit: at least
    one, at most `max_choices` in an approval vote, a total cost within the budget in a
    budget vote. Raises DomainError (on the `options` field) naming what is wrong."""
    ids = list(dict.fromkeys(option_ids))
    if not ids:
        raise _choice_error(_("Выберите хотя бы один вариант."))
    options = list(VoteOption.objects.filter(vote=vote, pk__in=ids))
    if len(options) != len(ids):
        raise _choice_error(_("Среди выбранного есть вариант не из этого голосования."))
    if vote.is_budget:
        total = sum((option.cost or Decimal(0) for option in options), Decimal(0))
        if vote.budget is not None and total > vote.budget:
            raise _choice_error(
                _("Выбранное стоит %(total)s ₽, а бюджет — %(budget)s ₽. Уберите что-нибудь.")
                % {"total": amount(total), "budget": amount(vote.budget)}
            )
    elif len(options) > vote.max_choices:
        raise _choice_error(
            ngettext(
                "Можно выбрать не больше %(count)d варианта.",
                "Можно выбрать не больше %(count)d вариантов.",
                vote.max_choices,
            )
            % {"count": vote.max_choices}
        )
    return options


def _record(
    *,
    vote: Vote,
    voter: User,
    option_ids: Sequence[int],
    channel: str,
    officer: User | None = None,
    polling_point: str = "",
) -> str:
    """Write one ballot and the voter's mark under the vote's lock; returns the receipt.
    The ballot comes first, the mark second: a second mark fails on the database's
    constraint and takes its ballot back with the transaction."""
    receipt = new_receipt()
    try:
        with locked(Vote.objects.all(), vote.pk) as fresh:
            permission = can_enter_paper if officer is not None else can_cast
            require(permission(officer or voter, fresh))
            options = checked_options(fresh, option_ids)
            phone_hash = voter_phone_hash(voter)
            if has_voted(fresh, voter) or (
                phone_hash and VoterMark.objects.filter(vote=fresh, phone_hash=phone_hash).exists()
            ):
                raise InvalidTransition(str(ALREADY_VOTED))
            ballot = Ballot.objects.create(
                vote=fresh, receipt_hash=receipt_hash(normalize_receipt(receipt))
            )
            BallotChoice.objects.bulk_create(
                [BallotChoice(ballot=ballot, option=option) for option in options]
            )
            VoterMark.objects.create(
                vote=fresh,
                user=voter,
                voted_on=local_today(),
                phone_hash=phone_hash,
                channel=channel,
                officer=officer,
                polling_point=polling_point,
            )
    except IntegrityError:  # the database's one ballot per voter
        raise InvalidTransition(str(ALREADY_VOTED)) from None
    return receipt


def has_voted(vote: Vote, voter: User) -> bool:
    return VoterMark.objects.filter(vote=vote, user_id=voter.pk).exists()


def ballot_cast(*, actor: User, vote: Vote, option_ids: Sequence[int]) -> str:
    """Cast `actor`'s ballot online: a verified resident, the vote running, the choices
    within its limit (DomainError 422 naming the limit), once (InvalidTransition 409).
    Returns the receipt code to show the voter once («ABCD-EFGH-JKMN»)."""
    require(can_cast(actor, vote))
    receipt = _record(vote=vote, voter=actor, option_ids=option_ids, channel="online")
    log_action(actor=actor, action="civic.vote_cast", obj=vote)
    return receipt


def paper_ballot_enter(
    *, actor: User, vote: Vote, voter: User, option_ids: Sequence[int], polling_point: str
) -> str:
    """An officer enters the paper ballot of `voter`, whom they identified at the polling
    point: the same one-ballot rule as online (a resident who voted online cannot vote on
    paper too). Returns the receipt code to hand the voter."""
    require(can_enter_paper(actor, vote))
    require_within_limits(
        {"polling_point": (polling_point, text_limit(VoterMark, "polling_point"))}
    )
    if not polling_point.strip():
        message = _("Укажите участок.")
        raise DomainError(message, field_errors={"polling_point": [message]})
    if not voter.is_active:
        raise DomainError(_("Учётная запись жителя отключена."))
    receipt = _record(
        vote=vote,
        voter=voter,
        option_ids=option_ids,
        channel="paper",
        officer=actor,
        polling_point=polling_point.strip(),
    )
    log_action(actor=actor, action="civic.paper_ballot", obj=vote)
    return receipt


def receipt_check(code: str) -> Vote | None:
    """The vote in which the ballot with this receipt is counted, or None. Says nothing of
    the choices (a receipt that showed them could be sold or demanded)."""
    normalized = normalize_receipt(code)
    if not normalized:
        return None
    ballot = (
        Ballot.objects.select_related("vote").filter(receipt_hash=receipt_hash(normalized)).first()
    )
    return ballot.vote if ballot else None


def _limit_problems(
    kind: str, max_choices: int, budget: Decimal | None, opens_at: datetime, closes_at: datetime
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if kind not in Vote.Kind.values:
        problems["kind"] = [_("Выберите способ голосования.")]
    if kind == Vote.Kind.BUDGET and (budget is None or not 0 < budget <= MAX_VOTE_BUDGET):
        problems["budget"] = [_("Укажите бюджет больше нуля и не больше 100 000 000 ₽.")]
    if kind == Vote.Kind.APPROVAL and not 1 <= max_choices <= 100:
        problems["max_choices"] = [_("Число вариантов — от 1 до 100.")]
    if closes_at <= opens_at:
        problems["closes_at"] = [_("Голосование должно заканчиваться позже, чем начинается.")]
    return problems


def _dearer_than_budget(
    budget: Decimal, costs: Iterable[tuple[str, Decimal | None]]
) -> dict[str, list[str]]:
    """A budget vote's options must each fit in its budget (one dearer could never be
    chosen): the first (title, cost) that does not, named on the `budget` field."""
    for title, cost in costs:
        if cost is not None and cost > budget:
            return {
                "budget": [
                    _("Вариант %(title)s стоит больше этого бюджета.") % {"title": quoted(title)}
                ]
            }
    return {}


def _criterion_problems(use: str, points: Decimal) -> dict[str, list[str]]:
    """A criterion needs the greatest points the competition's rules give it."""
    if use == Vote.Use.CRITERION and not 0 < points <= MAX_CRITERION_POINTS:
        return {
            "criterion_points": [
                _("Укажите по положению конкурса наибольший балл критерия: от 0,01 до 100.")
            ]
        }
    return {}


def vote_create(
    *,
    actor: User,
    title: str,
    kind: str,
    opens_at: datetime,
    closes_at: datetime,
    description: str = "",
    max_choices: int = 1,
    budget: Decimal | None = None,
    competition: Competition | None = None,
    use: str = Vote.Use.AWARD,
    criterion_points: Decimal = Decimal(0),
) -> Vote:
    """A coordinator prepares a vote (a draft until announced). With a competition, its
    admitted applications become the options (each costing the sum asked for)."""
    require(can_manage_votes(actor))
    require_within_limits(
        {
            "title": (title, text_limit(Vote, "title")),
            "description": (description, text_limit(Vote, "description")),
        }
    )
    problems = _limit_problems(kind, max_choices, budget, opens_at, closes_at)
    if not title.strip():
        problems["title"] = [_("Назовите голосование.")]
    if use not in Vote.Use.values:
        problems["use"] = [_("Выберите, чем станут итоги.")]
    elif use == Vote.Use.CRITERION and competition is None:
        problems["use"] = [_("Критерием итоги становятся только в голосовании о конкурсе.")]
    problems.update(_criterion_problems(use, criterion_points))
    applications = Application.objects.none()
    if competition is not None:
        applications = Application.objects.filter(competition=competition).admitted()
        applications = applications.order_by("number", "pk")
    if kind == Vote.Kind.BUDGET and budget is not None and "budget" not in problems:
        problems.update(
            _dearer_than_budget(budget, applications.values_list("title", "requested_amount"))
        )
    if problems:
        raise DomainError(next(iter(problems.values()))[0], field_errors=problems)
    with transaction.atomic():
        vote = Vote.objects.create(
            criterion_points=criterion_points if use == Vote.Use.CRITERION else Decimal(0),
            title=title.strip(),
            description=description.strip(),
            kind=kind,
            max_choices=max_choices if kind == Vote.Kind.APPROVAL else 1,
            budget=budget if kind == Vote.Kind.BUDGET else None,
            opens_at=opens_at,
            closes_at=closes_at,
            competition=competition,
            use=use,
        )
        if competition is not None:
            VoteOption.objects.bulk_create(
                [
                    VoteOption(
                        vote=vote,
                        position=n,
                        title=application.title,
                        cost=application.requested_amount,
                        application=application,
                    )
                    for n, application in enumerate(applications, 1)
                ]
            )
        log_action(actor=actor, action="civic.vote_create", obj=vote)
    return vote


def vote_update(
    *,
    actor: User,
    vote: Vote,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    description: str = "",
    max_choices: int = 1,
    budget: Decimal | None = None,
    use: str = Vote.Use.AWARD,
    criterion_points: Decimal = Decimal(0),
) -> Vote:
    """Change a vote's rules — its title, limit (K or the budget), moments and what its
    tally is used for — while voting has not opened (`can_prepare_vote`, 409 after). Its
    kind and competition stay as created: the options were made for them."""
    require(can_prepare_vote(actor, vote))
    require_within_limits(
        {
            "title": (title, text_limit(Vote, "title")),
            "description": (description, text_limit(Vote, "description")),
        }
    )
    problems = _limit_problems(vote.kind, max_choices, budget, opens_at, closes_at)
    if not title.strip():
        problems["title"] = [_("Назовите голосование.")]
    if use not in Vote.Use.values:
        problems["use"] = [_("Выберите, чем станут итоги.")]
    elif use == Vote.Use.CRITERION and vote.competition_id is None:
        problems["use"] = [_("Критерием итоги становятся только в голосовании о конкурсе.")]
    problems.update(_criterion_problems(use, criterion_points))
    if vote.is_budget and budget is not None and "budget" not in problems:
        costs = vote.options.order_by("position", "pk").values_list("title", "cost")
        problems.update(_dearer_than_budget(budget, costs))
    if problems:
        raise DomainError(next(iter(problems.values()))[0], field_errors=problems)
    with locked(Vote.objects.all(), vote.pk) as fresh:
        require(can_prepare_vote(actor, fresh))
        fresh.title = title.strip()
        fresh.description = description.strip()
        fresh.opens_at, fresh.closes_at, fresh.use = opens_at, closes_at, use
        fresh.criterion_points = criterion_points if use == Vote.Use.CRITERION else Decimal(0)
        if fresh.is_budget:
            fresh.budget = budget
        else:
            fresh.max_choices = max_choices
        fresh.save()
        log_action(actor=actor, action="civic.vote_update", obj=fresh)
    return fresh


def option_add(
    *,
    actor: User,
    vote: Vote,
    title: str = "",
    description: str = "",
    cost: Decimal | None = None,
    initiative: Initiative | None = None,
    application: Application | None = None,
) -> VoteOption:
    """Add an option to a vote whose voting has not opened (409 after): an initiative or an
    admitted application of the vote's competition (its title, and its request as the
    cost, by default) or a named project. A budget vote's option needs its cost, within
    the budget."""
    require(can_prepare_vote(actor, vote))
    if application is not None:
        if application.competition_id != vote.competition_id or not (
            Application.objects.admitted().filter(pk=application.pk).exists()
        ):
            message = _("Добавляют допущенные заявки конкурса этого голосования.")
            raise DomainError(message, field_errors={"application": [message]})
        if cost is None and vote.is_budget:
            cost = application.requested_amount
    named = initiative.title if initiative else (application.title if application else "")
    title = (title or named).strip()
    require_within_limits(
        {
            "title": (title, text_limit(VoteOption, "title")),
            "description": (description, text_limit(VoteOption, "description")),
        }
    )
    if not title:
        message = _("Назовите вариант.")
        raise DomainError(message, field_errors={"title": [message]})
    if vote.is_budget and (cost is None or not 0 < cost <= MAX_VOTE_BUDGET):
        message = _("Укажите стоимость варианта больше нуля.")
        raise DomainError(message, field_errors={"cost": [message]})
    if vote.is_budget and vote.budget is not None and cost is not None and cost > vote.budget:
        message = _("Вариант стоит больше всего бюджета голосования: его нельзя профинансировать.")
        raise DomainError(message, field_errors={"cost": [message]})
    if initiative is not None and vote.options.filter(initiative=initiative).exists():
        raise InvalidTransition(_("Эта инициатива уже есть среди вариантов."))
    if application is not None and vote.options.filter(application=application).exists():
        raise InvalidTransition(_("Эта заявка уже есть среди вариантов."))
    with locked(Vote.objects.all(), vote.pk) as fresh:
        require(can_prepare_vote(actor, fresh))
        last = fresh.options.order_by("-position").values_list("position", flat=True).first()
        option = VoteOption.objects.create(
            vote=fresh,
            position=(last or 0) + 1,
            title=title,
            description=description.strip(),
            cost=cost if fresh.is_budget else None,
            initiative=initiative,
            application=application,
        )
        log_action(actor=actor, action="civic.vote_option_add", obj=fresh)
    return option


def option_remove(*, actor: User, option: VoteOption) -> None:
    """Remove an option from a vote whose voting has not opened (409 after: nobody has
    marked it yet, so nothing is lost)."""
    vote = option.vote
    require(can_prepare_vote(actor, vote))
    with locked(Vote.objects.all(), vote.pk) as fresh:
        require(can_prepare_vote(actor, fresh))
        if BallotChoice.objects.filter(option=option).exists():  # never without opening
            raise InvalidTransition(_("Этот вариант уже выбран в бюллетенях."))
        log_action(
            actor=actor, action="civic.vote_option_remove", obj=fresh, data={"title": option.title}
        )
        option.delete()


def officer_add(*, actor: User, vote: Vote, officer: User) -> None:
    """Name a member of the vote's counting commission: they enter paper ballots."""
    require(can_manage_officers(actor, vote))
    if not officer.is_active:
        message = _("Учётная запись отключена.")
        raise DomainError(message, field_errors={"email": [message]})
    with locked(Vote.objects.all(), vote.pk) as fresh:
        require(can_manage_officers(actor, fresh))
        if fresh.officers.filter(pk=officer.pk).exists():
            raise InvalidTransition(_("Этот человек уже в счётной комиссии."))
        if fresh.officers.count() >= MAX_OFFICERS:
            raise InvalidTransition(_("В счётной комиссии уже 50 человек — больше нельзя."))
        fresh.officers.add(officer)
        log_action(
            actor=actor, action="civic.vote_officer_add", obj=fresh, data={"officer": officer.pk}
        )


def officer_remove(*, actor: User, vote: Vote, officer: User) -> None:
    """Take someone off the vote's counting commission (the ballots they entered stay)."""
    require(can_manage_officers(actor, vote))
    with locked(Vote.objects.all(), vote.pk) as fresh:
        require(can_manage_officers(actor, fresh))
        if not fresh.officers.filter(pk=officer.pk).exists():
            raise InvalidTransition(_("Этого человека нет в счётной комиссии."))
        fresh.officers.remove(officer)
        log_action(
            actor=actor,
            action="civic.vote_officer_remove",
            obj=fresh,
            data={"officer": officer.pk},
        )


def ballots_shuffle(vote: Vote) -> None:
    """Write the vote's ballots again in a random order, under new random keys (the
    receipts stay valid: they are found by hash). Inside the closing transaction: a plain
    SELECT or a dump of the closed vote then no longer lists ballots in the order they were
    cast — the order the list of who voted was written in."""
    shuffler = secrets.SystemRandom()
    ballots = list(Ballot.objects.filter(vote=vote).prefetch_related("choices"))
    shuffler.shuffle(ballots)
    kept = [
        (ballot.receipt_hash, [c.option_id for c in ballot.choices.all()]) for ballot in ballots
    ]
    Ballot.objects.filter(vote=vote).delete()
    fresh = Ballot.objects.bulk_create(
        [Ballot(vote=vote, receipt_hash=hashed) for hashed, _o in kept],
        batch_size=1000,
    )
    choices = [
        BallotChoice(ballot=ballot, option_id=option)
        for ballot, (_h, options) in zip(fresh, kept, strict=True)
        for option in options
    ]
    shuffler.shuffle(choices)
    BallotChoice.objects.bulk_create(choices, batch_size=1000)


def vote_move(*, actor: User, vote: Vote, name: str) -> Vote:
    """Announce a prepared vote (with two options at least) or close one whose last moment
    has passed — which publishes its tally. A coordinator cannot close a vote early: its
    closing moment was promised to the residents (docs/civic.md)."""
    with locked(Vote.objects.all(), vote.pk) as fresh:
        move = VOTE_WORKFLOW.check_for(actor, fresh, name, can_move_vote)
        if move.name == "close":
            _close(fresh, actor=actor)
        else:
            fresh.status = move.target
            fresh.save(update_fields=["status", "updated_at"])
            log_action(actor=actor, action="civic.vote_announce", obj=fresh)
    return fresh


def _close(vote: Vote, *, actor: User | None, at: datetime | None = None) -> None:
    """Close a vote whose row the caller holds locked: the ballots shuffled, the moment
    kept — `at`, the moment the scheduler closes it for, never later than now — and the
    audit entry (by `actor`, or by the system when the scheduler closes it)."""
    vote.status = Vote.Status.CLOSED
    vote.closed_at = min(at, timezone.now()) if at is not None else timezone.now()
    ballots_shuffle(vote)
    # the phones were needed only while ballots could be cast
    VoterMark.objects.filter(vote=vote).exclude(phone_hash="").update(phone_hash="")
    vote.save(update_fields=["status", "closed_at", "updated_at"])
    _feed_the_competition(vote)
    log_action(actor=actor, action="civic.vote_close", obj=vote, data={"automatic": actor is None})


def _feed_the_competition(vote: Vote) -> None:
    """A vote its competition's rules make a criterion gives each application its points
    of «Народная поддержка» in the experts' ranking — when it closes, never before."""
    if vote.use != Vote.Use.CRITERION or vote.competition is None:
        return
    counted = (
        VoteOption.objects.filter(vote=vote, application__isnull=False)
        .annotate(marks=Count("choices"))
        .values_list("application_id", "marks")
    )
    residents_vote_record(
        competition=vote.competition,
        votes=dict(counted),
        ballots=Ballot.objects.filter(vote=vote).count(),
        max_points=vote.criterion_points,
        source=vote.title,
        source_url=vote.get_absolute_url(),
        counted_at=vote.closed_at or timezone.now(),
    )


def _lock_for_closing(vote: Vote) -> Vote:
    """The vote's row, locked and read again: a second scheduler finds it closed."""
    return lock_rows(Vote.objects.all(), [vote.pk])[0]


def closes_automatically_at(vote: Vote) -> datetime:
    """When the scheduler closes `vote`: at its closing moment, or `DOBRY_VOTE_PAPER_HOURS`
    later when it has officers whose polling points' boxes are entered after the end."""
    return paper_ballots_until(vote)


def _due_for_closing(moment: datetime) -> QuerySet[Vote]:
    with_officers = Exists(Vote.officers.through.objects.filter(vote_id=OuterRef("pk")))
    paper_until = moment - timedelta(hours=settings.DOBRY_VOTE_PAPER_HOURS)
    return (
        Vote.objects.alias(has_officers=with_officers)
        .filter(status=Vote.Status.OPEN)
        .filter(
            Q(closes_at__lte=moment, has_officers=False)
            | Q(closes_at__lte=paper_until, has_officers=True)
        )
    )


def votes_close_due(*, now: datetime | None = None) -> int:
    """Close every announced vote whose time has come (`closes_automatically_at`), as a
    coordinator's «Подвести и опубликовать итоги» does (the periodic job
    `close_due_votes`). Each vote is closed once even when two schedulers run at the same
    instant: its row is locked and its state read again under the lock. `now` (aware) is
    for tests and for the demo's vote that closed in the past: a vote closed for a past
    `now` has its tally published at that moment. Returns how many votes this run closed."""
    moment = now or timezone.now()
    closed = 0
    for vote in _due_for_closing(moment).order_by("closes_at", "pk"):
        with transaction.atomic():
            fresh = _lock_for_closing(vote)
            if fresh.status != Vote.Status.OPEN:
                continue
            _close(fresh, actor=None, at=moment)
            closed += 1
    return closed


__all__ = [
    "ballot_cast",
    "checked_options",
    "has_voted",
    "is_verified_resident",
    "new_receipt",
    "normalize_receipt",
    "officer_add",
    "officer_remove",
    "option_add",
    "option_remove",
    "paper_ballot_enter",
    "receipt_check",
    "vote_create",
    "vote_move",
    "vote_update",
    "votes_close_due",
]
