"""Fundraising campaigns of verified organisations and the updates they post.

The amount received is never typed: it is the sum of the campaign's donations
(`charity.models.Donation`), recorded by hand or matched from a bank statement."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.charity.codes import campaign_code
from dobry.core.clock import local_today
from dobry.core.models import District, TimeStampedModel
from dobry.core.search import SearchableModel, search_words
from dobry.core.subqueries import related_figure
from dobry.core.text_limits import LONG, MESSAGE
from dobry.core.workflow import Move, Workflow
from dobry.events.models import Event
from dobry.grants.models import Agreement
from dobry.helprequests.models import Programme
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

# The largest goal a campaign may set, roubles: more than any city campaign needs, far
# below the money columns' 14 digits.
MAX_GOAL = Decimal("1000000000")


def campaign_cover_path(instance: "Campaign", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"campaigns/{secrets.token_hex(8)}.{extension}"


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def public(self) -> "CampaignQuerySet":
        """Campaigns anyone may see: collecting or finished."""
        return self.filter(status__in=(Campaign.Status.ACTIVE, Campaign.Status.FINISHED))

    def collecting(self) -> "CampaignQuerySet":
        return self.filter(status=Campaign.Status.ACTIVE, deadline__gte=local_today())

    def search(self, text: str) -> "CampaignQuerySet":
        """Every word in the row's text or its organiser's (name, INN, profile)."""
        return search_words(self, text, "search_text", "organization__search_text")

    def with_totals(self) -> "CampaignQuerySet":
        """Each campaign with `received` (roubles) and `donors` (distinct donors)."""
        from dobry.charity.models.donations import Donation  # it points at Campaign

        return self.annotate(
            received=related_figure(
                Donation.objects.all(), Sum("amount"), default=Decimal("0"), campaign="pk"
            ),
            donors=related_figure(
                Donation.objects.all(), Count("donor_key", distinct=True), campaign="pk"
            ),
        )


class Campaign(SearchableModel, TimeStampedModel):
    """A fundraising campaign: a goal in roubles by a deadline (the city's local date)."""

    SEARCH_FIELDS = ("title", "purpose")

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        ACTIVE = "active", _("идёт сбор")
        FINISHED = "finished", _("сбор завершён")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField(_("название"), max_length=200)
    purpose = models.CharField(
        _("на что собираем"),
        max_length=300,
        help_text=_("Одно предложение: его видно в каталоге и в назначении платежа."),
    )
    story = models.TextField(
        _("история"),
        blank=True,
        max_length=LONG,
        help_text=_("Абзацы через пустую строку; можно HTML: списки, ссылки, выделение."),
    )
    goal = models.DecimalField(
        _("цель, ₽"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_GOAL)],
    )
    deadline = models.DateField(_("собираем до"))
    cover = models.ImageField(_("обложка"), upload_to=campaign_cover_path, blank=True)
    cover_alt = models.CharField(
        _("описание обложки"),
        max_length=300,
        blank=True,
        help_text=_("Что на картинке — для тех, кто её не видит. Обязательно, если есть обложка."),
    )
    area = models.CharField(_("направление"), max_length=30, choices=Area.choices, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("район"), null=True, blank=True, on_delete=models.SET_NULL
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("программа помощи"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("мероприятие"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
    )
    # The grant project the campaign adds money to (a municipal grant's signed agreement).
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("грантовый проект"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        help_text=_("Проект организации, получивший грант по подписанному соглашению."),
    )
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The city's local date the campaign was last finished (None while it collects): the
    # yearly report lists the campaigns finished in its year.
    finished_on = models.DateField(_("сбор завершён"), null=True, blank=True, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("сбор")
        verbose_name_plural = _("сборы")
        constraints = [
            models.CheckConstraint(condition=Q(goal__gt=0), name="campaign_goal_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("charity:campaign", args=[self.pk])

    @property
    def is_collecting(self) -> bool:
        """Donations are asked for: started, and the deadline (the city's local date) not
        passed — the one-object form of `CampaignQuerySet.collecting`; the page, its QR code
        and the API's payment QR all ask this."""
        return self.status == Campaign.Status.ACTIVE and self.deadline >= local_today()

    @property
    def code(self) -> str:
        """The code a payment's purpose carries («DG-12», `charity.codes`)."""
        return campaign_code(self.pk)


class CampaignUpdate(TimeStampedModel):
    """News of a campaign from its organisation: what was bought, what happened."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("сбор"), on_delete=models.CASCADE, related_name="updates"
    )
    text = models.TextField(_("текст"), max_length=MESSAGE)
    photo = models.ImageField(_("фото"), upload_to=campaign_cover_path, blank=True)
    photo_alt = models.CharField(_("описание фото"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("новость сбора")
        verbose_name_plural = _("новости сборов")

    def __str__(self) -> str:
        return self.text[:60]


_C = Campaign.Status
CAMPAIGN_WORKFLOW = Workflow(
    Campaign.Status,
    (
        Move("publish", frozenset({_C.DRAFT}), _C.ACTIVE, _("Начать сбор")),
        Move("finish", frozenset({_C.ACTIVE}), _C.FINISHED, _("Завершить сбор")),
        Move("reopen", frozenset({_C.FINISHED}), _C.ACTIVE, _("Возобновить сбор")),
    ),
    public_names={_C.ACTIVE: _("идёт сбор"), _C.FINISHED: _("сбор завершён")},
    model=Campaign,
)
