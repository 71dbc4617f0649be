"""Checks of uploaded images: type by content (not by name) and size."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# An uploaded file as a service receives it from a form or the API (bytes); generic only
# for the type checker, since Django's class takes no type arguments at run time.
if TYPE_CHECKING:
    Upload = UploadedFile[bytes]
else:
    Upload = UploadedFile

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}


def validate_image(upload: Upload, *, field: str) -> None:
    """An uploaded picture (logo, cover): PNG, JPEG or WebP, checked by content, size-capped."""
    limit = settings.DOBRY_LOGO_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {field: [_("Файл больше %(limit)s.") % {"limit": filesizeformat(limit)}]}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            {field: [_("Это не изображение. Загрузите PNG, JPEG или WebP.")]}
        ) from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError({field: [_("Загрузите PNG, JPEG или WebP.")]})


DOCUMENT_EXTENSIONS = {
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "odt",
    "ods",
    "rtf",
    "txt",
    "jpg",
    "jpeg",
    "png",
}


def validate_document(upload: Upload, *, field: str) -> None:
    """An attached document: a known office or image type, at most DOBRY_DOCUMENT_MAX_BYTES."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {field: [_("Можно приложить PDF, документ Word или Excel, текст или картинку.")]}
        )
    limit = settings.DOBRY_DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {field: [_("Файл больше %(limit)s.") % {"limit": filesizeformat(limit)}]}
        )
    if extension in ("jpg", "jpeg", "png"):
        validate_image(upload, field=field)


SCAN_EXTENSIONS = {"pdf", "jpg", "jpeg", "png"}
SCAN_ACCEPT = "application/pdf,image/jpeg,image/png"  # the file input's `accept`


def validate_scan(upload: Upload, *, field: str) -> None:
    """The scan or photo of a signed paper form: PDF, JPEG or PNG, checked by content (a PDF
    starts with `%PDF-`, a picture is opened), then as any attached document
    (`validate_document`: the size limit DOBRY_DOCUMENT_MAX_BYTES, a picture's integrity)."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SCAN_EXTENSIONS:
        raise ValidationError({field: [_("Приложите скан или фото бланка: PDF, JPEG или PNG.")]})
    if extension == "pdf":
        upload.seek(0)
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError({field: [_("Это не PDF. Приложите PDF, JPEG или PNG.")]})
    elif _image_format(upload) != ("PNG" if extension == "png" else "JPEG"):
        raise ValidationError(
            {
                field: [
                    _("Это не изображение %(kind)s. Приложите PDF, JPEG или PNG.")
                    % {"kind": "PNG" if extension == "png" else "JPEG"}
                ]
            }
        )
    validate_document(upload, field=field)


def _image_format(upload: Upload) -> str | None:
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            return image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
