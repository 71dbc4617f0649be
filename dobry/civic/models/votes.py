"""Residents' votes: approval votes (choose up to K) and budget votes (choose projects within
a budget), about a grant competition's applications («народный выбор») or about city
initiatives; the residents verified to vote; the secret ballots and the separate list of
who voted.

Secret by construction: a `Ballot` and its `BallotChoice` rows carry no voter, no time at
all and a random UUID key (no sequence that follows the order of casting); who voted is
`VoterMark`, written in the same transaction but in its own table, with nothing that
points at a ballot. A voter's receipt code is stored only as a keyed hash on the ballot,
so the voter — and nobody else — can find that their ballot is counted."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.civic.models.initiatives import Initiative
from dobry.core.models import TimeStampedModel
from dobry.core.text_limits import SHORT
from dobry.core.workflow import Move, Workflow
from dobry.grants.models import Application, Competition

# The largest budget of a budget vote and cost of an option, roubles.
MAX_VOTE_BUDGET = Decimal("100000000")
# The most options one may choose in an approval vote.
MAX_CHOICES = 100
# The most members of one vote's counting commission (its list is shown whole).
MAX_OFFICERS = 50
# The greatest points the criterion «Народная поддержка» may give (grants' criteria go to
# 10 × a weight of at most 10).
MAX_CRITERION_POINTS = Decimal(100)


class VoteQuerySet(models.QuerySet["Vote"]):
    def public(self) -> "VoteQuerySet":
        return self.exclude(status=Vote.Status.DRAFT)


class Vote(TimeStampedModel):
    """A residents' vote: its kind, its limit (K choices or a budget), when it is open and
    what it is about (a competition's applications or initiatives)."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("выбрать до K вариантов")
        BUDGET = "budget", _("выбрать проекты в пределах бюджета")

    class Status(models.TextChoices):
        DRAFT = "draft", _("готовится")
        OPEN = "open", _("объявлено")
        CLOSED = "closed", _("итоги опубликованы")

    class Use(models.TextChoices):
        AWARD = "award", _("отдельная награда «народный выбор»")
        CRITERION = "criterion", _("критерий конкурса")

    title = models.CharField(_("название"), max_length=300)
    description = models.TextField(_("о чём голосование"), blank=True, max_length=SHORT)
    kind = models.CharField(_("способ"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    max_choices = models.PositiveSmallIntegerField(
        _("сколько вариантов можно выбрать"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CHOICES)],
    )
    budget = models.DecimalField(
        _("бюджет, ₽"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    opens_at = models.DateTimeField(_("голосование с"))
    closes_at = models.DateTimeField(_("голосование до"))
    competition = models.ForeignKey(
        Competition,
        verbose_name=_("конкурс"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_votes",
    )
    use = models.CharField(
        _("итоги голосования"), max_length=20, choices=Use.choices, default=Use.AWARD
    )
    criterion_points = models.DecimalField(
        _("наибольший балл критерия «Народная поддержка»"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("Из положения конкурса: столько баллов получает заявка, которую выбрали все."),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("члены счётной комиссии"),
        blank=True,
        related_name="polling_votes",
    )
    closed_at = models.DateTimeField(_("итоги опубликованы"), null=True, blank=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("голосование жителей")
        verbose_name_plural = _("голосования жителей")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="vote_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=~Q(kind="budget") | Q(budget__gt=0), name="budget_vote_has_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("votes:vote", args=[self.pk])

    @property
    def is_budget(self) -> bool:
        return self.kind == self.Kind.BUDGET


_V = Vote.Status
VOTE_WORKFLOW = Workflow(
    Vote.Status,
    (
        Move(
            "announce",
            frozenset({_V.DRAFT}),
            _V.OPEN,
            _("Объявить голосование"),
            refused=_("Голосование уже объявлено."),
        ),
        Move(
            "close",
            frozenset({_V.OPEN}),
            _V.CLOSED,
            _("Подвести и опубликовать итоги"),
            refused=_("Итоги голосования уже опубликованы."),
        ),
    ),
    model=Vote,
)


class VoteOption(models.Model):
    """What residents choose from: a competition's application or an initiative (or a
    plain named project), with its cost in a budget vote."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("голосование"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("№"), default=0)
    title = models.CharField(_("вариант"), max_length=300)
    description = models.TextField(_("описание"), blank=True, max_length=SHORT)
    cost = models.DecimalField(
        _("стоимость, ₽"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("заявка"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vote_options",
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("инициатива"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vote_options",
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("вариант голосования")
        verbose_name_plural = _("варианты голосования")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "application"], name="one_option_per_application"
            ),
            models.UniqueConstraint(
                fields=["vote", "initiative"], name="one_option_per_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    """One cast ballot: no voter, no time, a random key — and nothing its voter's mark
    also says besides the vote (not even how it was cast: one paper ballot beside one
    paper voter would name that voter's choice). `receipt_hash` is the keyed hash of the
    receipt code the voter was shown once (`civic.services.votes.receipt_hash`). `Channel`
    names the ways of voting that the marks keep."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("на сайте")
        PAPER = "paper", _("бумажный бюллетень")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(
        Vote, verbose_name=_("голосование"), on_delete=models.PROTECT, related_name="ballots"
    )
    receipt_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        # By the random key: any listing of ballots is in an order that says nothing.
        ordering = ["id"]
        verbose_name = _("бюллетень")
        verbose_name_plural = _("бюллетени")

    def __str__(self) -> str:
        return str(self.id)


class BallotChoice(models.Model):
    """An option marked on a ballot (random key too: a sequence would give the order)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(VoteOption, on_delete=models.PROTECT, related_name="choices")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="one_mark_per_option")
        ]

    def __str__(self) -> str:
        return str(self.option_id)


class VoterMark(models.Model):
    """That a resident voted in a vote, on which day and how — never what they chose.
    One per voter and vote, held by the database (`one_ballot_per_voter`). On erasure the
    row stays without the person (`user` empty), so ballots and marks still add up."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("голосование"), on_delete=models.PROTECT, related_name="voters"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("житель"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vote_marks",
    )
    voted_on = models.DateField(_("день"))
    channel = models.CharField(_("как подан"), max_length=10, choices=Ballot.Channel.choices)
    polling_point = models.CharField(_("участок"), max_length=200, blank=True)
    # While the vote runs: the keyed hash of the phone that confirmed the voter by SMS, so
    # that an erased voter who comes back with the same phone does not vote twice (the
    # erasure frees the phone, the mark stays). Cleared when the vote closes.
    phone_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс бюллетень"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["voted_on", "pk"]
        verbose_name = _("отметка о голосовании")
        verbose_name_plural = _("кто проголосовал")
        constraints = [
            models.UniqueConstraint(fields=["vote", "user"], name="one_ballot_per_voter"),
            models.UniqueConstraint(
                fields=["vote", "phone_hash"],
                condition=~Q(phone_hash=""),
                name="one_ballot_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}: {self.user_id}"


class ResidentVerification(models.Model):
    """A resident confirmed to vote: by a coordinator (who saw a document) or by a code
    sent by SMS to a phone (one phone confirms one account)."""

    class Method(models.TextChoices):
        COORDINATOR = "coordinator", _("координатором")
        SMS = "sms", _("кодом из СМС")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("житель"),
        on_delete=models.CASCADE,
        related_name="resident_verification",
    )
    method = models.CharField(_("как подтверждён"), max_length=20, choices=Method.choices)
    phone = models.CharField(_("телефон"), max_length=16, blank=True)
    verified_at = models.DateTimeField(_("подтверждён"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("подтверждение жителя")
        verbose_name_plural = _("подтверждённые жители")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="one_account_per_phone"
            )
        ]

    def __str__(self) -> str:
        return str(self.user_id)


class PhoneCode(models.Model):
    """A one-time code sent by SMS: only its keyed hash is kept; it expires, and wrong
    attempts are counted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_codes"
    )
    phone = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.phone}"
