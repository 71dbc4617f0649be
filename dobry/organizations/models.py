import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_today
from dobry.core.models import District, TimeStampedModel
from dobry.core.search import SearchableModel, search_words
from dobry.core.text_limits import LONG, SHORT
from dobry.core.validators import validate_inn, validate_ogrn
from dobry.core.workflow import Move, Workflow
from dobry.organizations.areas import Area


def logo_path(instance: "Organization", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"logos/{secrets.token_hex(8)}.{extension}"


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def verified(self) -> "OrganizationQuerySet":
        return self.filter(status=Organization.Status.VERIFIED)

    def listed(self) -> "OrganizationQuerySet":
        """Visible in the public catalogue: verified, or awaiting review (labelled so)."""
        return self.filter(status__in=(Organization.Status.VERIFIED, Organization.Status.PENDING))

    def search(self, text: str) -> "OrganizationQuerySet":
        return search_words(self, text)

    def with_area(self, area: str) -> "OrganizationQuerySet":
        return self.filter(area_links__area=area)

    def for_list(self) -> "OrganizationQuerySet":
        return self.select_related("district").prefetch_related("area_links")


class Organization(SearchableModel, TimeStampedModel):
    """A participant of the city's social sphere: НКО, group, institution, business..."""

    SEARCH_FIELDS = ("name", "short_name", "description", "inn", "address")
    # Until verified, its texts are shown to its members and coordinators only: the
    # catalogue's search finds it by these alone, or a search would probe the hidden text.
    UNVERIFIED_SEARCH_FIELDS = ("name", "short_name")

    class Kind(models.TextChoices):
        SONKO = "sonko", _("СО НКО")
        PUBLIC_ASSOCIATION = "public_association", _("Общественное объединение")
        INITIATIVE_GROUP = "initiative_group", _("Инициативная группа")
        MUNICIPAL = "municipal", _("Муниципальное учреждение")
        BUSINESS = "business", _("Бизнес")
        ENTERPRISE = "enterprise", _("Предприятие госкорпорации")
        ADMINISTRATION = "administration", _("Администрация")

    class Status(models.TextChoices):
        PENDING = "pending", _("ожидает проверки")
        VERIFIED = "verified", _("проверена")
        RETURNED = "returned", _("возвращена на доработку")

    # An initiative group has no legal registration; a public association may have none.
    UNREGISTERED_KINDS = (Kind.INITIATIVE_GROUP,)
    REGISTERED_KINDS = (
        Kind.SONKO,
        Kind.MUNICIPAL,
        Kind.BUSINESS,
        Kind.ENTERPRISE,
        Kind.ADMINISTRATION,
    )

    kind = models.CharField(_("вид"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("полное название"), max_length=300)
    short_name = models.CharField(_("краткое название"), max_length=120, blank=True)
    legal_form = models.CharField(
        _("организационно-правовая форма"),
        max_length=200,
        blank=True,
        help_text=_("Например: АНО, МОО, МКУ, ООО."),
    )
    inn = models.CharField(_("ИНН"), max_length=12, blank=True, validators=[validate_inn])
    ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True, validators=[validate_ogrn])
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("район"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
    )
    phone = models.CharField(_("телефон"), max_length=16, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("сайт"), blank=True)
    vk_url = models.URLField(_("ВКонтакте"), blank=True)
    telegram_url = models.URLField(_("Telegram"), blank=True)
    ok_url = models.URLField(_("Одноклассники"), blank=True)
    logo = models.ImageField(_("логотип"), upload_to=logo_path, blank=True)
    description = models.TextField(_("описание"), blank=True, max_length=LONG)
    founded_on = models.DateField(_("дата основания"), null=True, blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    review_note = models.TextField(_("комментарий проверки"), blank=True, max_length=SHORT)
    reviewed_at = models.DateTimeField(_("проверена"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        constraints = [
            models.UniqueConstraint(
                fields=["inn"], condition=~Q(inn=""), name="unique_organization_inn"
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def searched_fields(self) -> tuple[str, ...]:
        if self.status == self.Status.VERIFIED:
            return self.SEARCH_FIELDS
        return self.UNVERIFIED_SEARCH_FIELDS

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.kind in self.UNREGISTERED_KINDS:
            for field in ("inn", "ogrn", "legal_form"):
                if getattr(self, field):
                    errors[field] = [
                        _("У инициативной группы нет регистрации: оставьте поле пустым.")
                    ]
        elif self.kind in self.REGISTERED_KINDS:
            for field in ("inn", "ogrn"):
                if not getattr(self, field):
                    errors[field] = [_("Обязательно для зарегистрированной организации.")]
        if self.founded_on and self.founded_on > local_today():
            errors["founded_on"] = [_("Дата основания не может быть в будущем.")]
        if errors:
            raise ValidationError(errors)

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def areas(self) -> list[str]:
        return [link.area for link in self.area_links.all()]

    @property
    def area_labels(self) -> list[str]:
        return [str(Area(area).label) for area in self.areas]


_O = Organization.Status
# The review of an organisation: a coordinator verifies or returns it with what to fix;
# editing a returned one, or the identity (kind, name, ИНН, ОГРН) of a verified one, sends
# it back to review (no button: the edit form is the move).
ORGANIZATION_WORKFLOW = Workflow(
    Organization.Status,
    (
        Move(
            "verify",
            frozenset({_O.PENDING}),
            _O.VERIFIED,
            _("Подтвердить: организация проверена"),
        ),
        Move(
            "return",
            frozenset({_O.PENDING, _O.VERIFIED}),
            _O.RETURNED,
            _("Вернуть на доработку"),
            needs_reason=True,
            reason_prompt=_("Укажите причину возврата."),
        ),
        Move(
            "resubmit",
            frozenset({_O.RETURNED, _O.VERIFIED}),
            _O.PENDING,
            _("Отправить на проверку снова"),
            button=False,
        ),
    ),
    model=Organization,
)


class OrganizationArea(models.Model):
    """An area of activity of an organisation (a fixed taxonomy, see areas.py)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="area_links"
    )
    area = models.CharField(max_length=40, choices=Area.choices)

    class Meta:
        ordering = ["area"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "area"], name="unique_org_area")
        ]

    def __str__(self) -> str:
        return self.area


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("владелец")
        EDITOR = "editor", _("редактор")
        MEMBER = "member", _("участник")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("роль"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("с"), auto_now_add=True)

    class Meta:
        ordering = ["organization", "role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_membership")
        ]
        verbose_name = _("участие в организации")
        verbose_name_plural = _("участники организаций")

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.EDITOR)


def default_invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.DOBRY_INVITATION_DAYS)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("ожидает ответа")
        ACCEPTED = "accepted", _("принято")
        REVOKED = "revoked", _("отозвано")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("роль"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("приглашение")
        verbose_name_plural = _("приглашения")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


_I = Invitation.Status
# The invitee accepts (before it expires, under the invited address); an owner revokes.
INVITATION_WORKFLOW = Workflow(
    Invitation.Status,
    (
        Move(
            "accept",
            frozenset({_I.PENDING}),
            _I.ACCEPTED,
            _("Принять приглашение"),
            refused=_("Приглашение уже недействительно."),
        ),
        Move(
            "revoke",
            frozenset({_I.PENDING}),
            _I.REVOKED,
            _("Отозвать"),
            refused=_("Приглашение уже не ожидает ответа."),
        ),
    ),
    model=Invitation,
)
