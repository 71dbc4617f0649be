"""The library of НКО: categories, items and their file versions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dobry.core.files import PrivateFileField
from dobry.core.search import SearchableModel
from dobry.core.text_limits import LONG, MESSAGE
from dobry.resources.models.consultations import Consultation


class LibraryCategory(models.Model):
    name = models.CharField(_("название"), max_length=120, unique=True)
    slug = models.SlugField(_("код"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("раздел библиотеки")
        verbose_name_plural = _("разделы библиотеки")

    def __str__(self) -> str:
        return self.name


class LibraryItemQuerySet(models.QuerySet["LibraryItem"]):
    """Who may see which items is decided in `permissions.library_items_for_user`."""


class LibraryItem(SearchableModel):
    """A document, template, guide, recording, link or FAQ of the НКО library."""

    SEARCH_FIELDS = ("title", "description", "body", "tags")

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("документ")
        TEMPLATE = "template", _("шаблон")
        GUIDE = "guide", _("методичка")
        RECORDING = "recording", _("запись семинара")
        LINK = "link", _("ссылка")
        FAQ = "faq", _("вопрос и ответ")

    title = models.CharField(_("название"), max_length=250)
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices)
    category = models.ForeignKey(
        LibraryCategory,
        verbose_name=_("раздел"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    tags = models.CharField(_("метки"), max_length=300, blank=True, help_text=_("Через запятую."))
    description = models.TextField(_("описание"), blank=True, max_length=MESSAGE)
    body = models.TextField(_("текст"), blank=True, max_length=LONG)
    url = models.URLField(_("ссылка"), blank=True)
    members_only = models.BooleanField(_("только для участников организаций"), default=False)
    published = models.BooleanField(_("опубликовано"), default=True)
    # The consultation an FAQ item was published from: one item each (a unique link), which
    # publishing again updates.
    consultation = models.OneToOneField(
        Consultation,
        verbose_name=_("из консультации"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_item",
    )
    download_count = models.PositiveIntegerField(_("скачиваний"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LibraryItemQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("материал библиотеки")
        verbose_name_plural = _("библиотека НКО")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:library_item", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


def library_path(instance: "LibraryFile", filename: str) -> str:
    """Kept for old migrations; library files are private files now (PrivateFileField)."""
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"library/{instance.item_id}/{secrets.token_hex(8)}.{extension}"


class LibraryFile(models.Model):
    """A version of a library item's file; the newest is the one people download."""

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveSmallIntegerField(_("версия"))
    file = PrivateFileField(_("файл"), prefix="library", name_field="original_name")
    original_name = models.CharField(max_length=200)
    note = models.CharField(_("что изменилось"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="unique_library_file_version")
        ]
        verbose_name = _("файл библиотеки")
        verbose_name_plural = _("файлы библиотеки")

    def __str__(self) -> str:
        return f"{self.item} v{self.version}"
