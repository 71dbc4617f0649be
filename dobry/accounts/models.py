import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.accounts import consent_texts
from dobry.core.files import PrivateFileField
from dobry.core.text_limits import DOCUMENT
from dobry.core.validators import validate_person_name


class EmailUserManager(UserManager["User"]):
    """Users log in with their email; there is no username."""

    use_in_migrations = True

    def _create_user_object(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self._create_user_object(email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Every account is a resident; staff roles are flags; organisation roles are memberships.

    Platform admin = `is_superuser` (also `is_staff`, for the Django admin).
    """

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email"), unique=True)
    # A person's name: letters, spaces, hyphens, apostrophes, dots (core.validators, issue 11).
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_person_name]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_person_name]
    )
    middle_name = models.CharField(
        _("отчество"), max_length=150, blank=True, validators=[validate_person_name]
    )
    phone = models.CharField(_("телефон"), max_length=16, blank=True)
    language = models.CharField(
        _("язык писем"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    is_coordinator = models.BooleanField(_("координатор ресурсного центра"), default=False)
    is_expert = models.BooleanField(_("эксперт конкурсов"), default=False)
    is_official = models.BooleanField(_("сотрудник администрации"), default=False)
    erased_at = models.DateTimeField(_("данные удалены"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = EmailUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.erased_at:
            return str(_("Удалённый пользователь"))
        full = " ".join(part for part in (self.first_name, self.last_name) if part)
        return full or self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser

    @property
    def has_staff_role(self) -> bool:
        """Staff roles must use two-factor login where the deployment requires it."""
        return bool(self.is_coordinator or self.is_expert or self.is_official or self.is_superuser)

    @property
    def role_labels(self) -> list[str]:
        labels = [str(_("житель"))]
        if self.is_coordinator:
            labels.append(str(_("координатор")))
        if self.is_expert:
            labels.append(str(_("эксперт")))
        if self.is_official:
            labels.append(str(_("администрация")))
        if self.is_superuser:
            labels.append(str(_("администратор платформы")))
        return labels


class ConsentDocument(models.Model):
    """A versioned consent text. Only the newest version of a kind is offered."""

    class Kind(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("Согласие на обработку персональных данных")
        TERMS = "terms", _("Правила пользования платформой")
        NEWSLETTER = "newsletter", _("Согласие на получение рассылки")
        PUBLIC_PROFILE = "public_profile", _("Согласие на публикацию профиля волонтёра")
        HEALTH_DATA = "health_data", _("Согласие на обработку сведений о здоровье")
        VOLUNTEER_HEALTH = (
            "volunteer_health",
            _("Согласие волонтёра на обработку сведений о здоровье"),
        )

    REQUIRED_AT_SIGNUP: ClassVar[tuple[str, ...]] = (Kind.PERSONAL_DATA, Kind.TERMS)
    # Special-category data (152-ФЗ art. 10) needs the written consent of art. 9 part 4:
    # a signed paper form or a simple electronic signature, never a mere checkbox.
    WRITTEN: ClassVar[tuple[str, ...]] = (Kind.HEALTH_DATA, Kind.VOLUNTEER_HEALTH)

    kind = models.CharField(_("вид"), max_length=40, choices=Kind.choices)
    version = models.PositiveIntegerField(_("версия"))
    title = models.CharField(_("заголовок"), max_length=200)
    text = models.TextField(_("текст"), max_length=DOCUMENT)
    published_at = models.DateTimeField(_("опубликовано"), default=timezone.now)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="unique_consent_version")
        ]
        verbose_name = _("текст согласия")
        verbose_name_plural = _("тексты согласий")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, v{self.version}"

    @property
    def shown_title(self) -> str:
        """The title in the reader's language: a built-in text's title is its kind's name,
        translated (the stored one is the Russian source); an operator's own title is
        shown as written."""
        built_in = consent_texts.DEFAULTS.get(self.kind, ("",))[0]
        if self.title == built_in and self.kind in self.Kind.values:
            return str(self.Kind(self.kind).label)
        return self.title

    @property
    def shown_text(self) -> str:
        """The text as people read it: naming the installation and the personal-data
        operator from the settings (accounts/consent_texts.py)."""
        return consent_texts.shown(self.text)

    @classmethod
    def current(cls, kind: str) -> "ConsentDocument | None":
        """The newest version of a kind, or None. A pure read: version 1 of each built-in
        text is published by `accounts.services.consent_documents_publish_defaults`, run
        after every `migrate` (and database flush)."""
        return cls.objects.filter(kind=kind).order_by("-version").first()


class ConsentRecordQuerySet(models.QuerySet["ConsentRecord"]):
    def active(self) -> "ConsentRecordQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def written(self) -> "ConsentRecordQuerySet":
        return self.filter(method__in=(ConsentRecord.Method.SES_CODE, ConsentRecord.Method.PAPER))


def consent_scan_path(instance: "ConsentRecord", filename: str) -> str:
    """Kept for old migrations; scans are private files now (PrivateFileField)."""
    extension = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"private/consents/{secrets.token_urlsafe(16)}.{extension}"


class ConsentRecord(models.Model):
    """One acceptance of one consent version: time, version, IP and how it was given.

    A written consent (152-ФЗ art. 9 part 4) is either a paper form whose scan a
    coordinator attached, or a simple electronic signature (63-ФЗ art. 6 part 2): a
    one-time code sent to the person's confirmed email and typed back; the HMAC of that
    code is kept as the signature, never the code."""

    class Method(models.TextChoices):
        CHECKBOX = "checkbox", _("отметка на сайте")
        SES_CODE = "ses_code", _("простая электронная подпись (код из письма)")
        PAPER = "paper", _("подписанный бумажный бланк")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("дано"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)
    method = models.CharField(
        _("как дано"), max_length=10, choices=Method.choices, default=Method.CHECKBOX
    )
    signature_hash = models.CharField(_("подпись (HMAC кода)"), max_length=64, blank=True)
    # No name column: the uploaded name may hold the person's name.
    scan = PrivateFileField(_("скан бланка"), prefix="consents", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.document}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ConsentCode(models.Model):
    """A one-time code for signing a written consent by simple electronic signature.

    Only a keyed hash of the code is stored. A code expires, serves once and allows a few
    wrong attempts (settings `DOBRY_CONSENT_CODE_*`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_codes"
    )
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("код подписи согласия")
        verbose_name_plural = _("коды подписи согласий")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.document}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        """Neither revoked nor past its expiry."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the raw value is shown once."""

    PREFIX = "dobry_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("название"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("начало токена"), max_length=16)
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("последнее использование"), null=True, blank=True)
    expires_at = models.DateTimeField(_("действует до"))
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-токен")
        verbose_name_plural = _("API-токены")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
