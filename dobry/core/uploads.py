"""Checks of uploaded files: type by content (not by name) and size; public pictures
re-encoded without their metadata (`public_image`)."""

import io
import warnings
import zipfile
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# An uploaded file as a service receives it from a form or the API (bytes); generic only
# for the type checker, since Django's class takes no type arguments at run time.
if TYPE_CHECKING:
    Upload = UploadedFile[bytes]
else:
    Upload = UploadedFile

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}
# The extension a re-encoded public picture is stored under, by its format (never the
# uploader's name: «logo.html» holding a PNG is stored as «….png»).
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# The longest side of a public picture, in pixels: larger photos are scaled down so that the
# public pages stay light on old phones (issue 11).
PUBLIC_IMAGE_MAX_SIDE = 2560
# Pillow's own refusals of a file that is no readable picture. A decompression bomb (a few
# kilobytes declaring a gigapixel) is refused by Pillow on opening, or warned about: both
# are turned into the field's sentence, never a 500 (issue 11).
_UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _too_large_error(field: str) -> ValidationError:
    limit = settings.DOBRY_IMAGE_MAX_PIXELS
    return ValidationError(
        {
            field: [
                _(
                    "Изображение слишком большое (предел в мегапикселях — %(megapixels)s). "
                    "Уменьшите его и загрузите снова."
                )
                % {"megapixels": f"{limit / 1_000_000:g}"}
            ]
        }
    )


def _not_image_error(field: str) -> ValidationError:
    return ValidationError({field: [_("Это не изображение. Загрузите PNG, JPEG или WebP.")]})


def validate_image(upload: Upload, *, field: str) -> None:
    """An uploaded picture (logo, cover, a scan): PNG, JPEG or WebP, checked by content, at
    most DOBRY_LOGO_MAX_BYTES and DOBRY_IMAGE_MAX_PIXELS (width × height, read from the
    header before anything is decoded). Raises ValidationError at `field`."""
    limit = settings.DOBRY_LOGO_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {field: [_("Файл больше %(limit)s.") % {"limit": filesizeformat(limit)}]}
        )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > settings.DOBRY_IMAGE_MAX_PIXELS:
                    raise _too_large_error(field)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large_error(field) from None
    except _UNREADABLE:
        raise _not_image_error(field) from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError({field: [_("Загрузите PNG, JPEG или WebP.")]})


def public_image(upload: Upload, *, field: str) -> ContentFile[bytes]:
    """A picture shown on public pages (logo, cover, a campaign's photo), checked
    (`validate_image`) and re-encoded by Pillow in its own format (JPEG, PNG or WebP) with
    no metadata: no EXIF (GPS, camera, author), XMP, ICC profile, comments or PNG text
    chunks — a photo's EXIF orientation is applied to the pixels first, and the picture is
    scaled down to at most PUBLIC_IMAGE_MAX_SIDE pixels on its longest side. Only the
    first frame of an animation is kept. Raises ValidationError at `field`.

    Returns a file named `image.<extension of the format>`, ready for an ImageField."""
    validate_image(upload, field=field)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format or "PNG"
            clean = _without_metadata(image)
    except _UNREADABLE:
        raise _not_image_error(field) from None
    finally:
        upload.seek(0)
    clean.thumbnail((PUBLIC_IMAGE_MAX_SIDE, PUBLIC_IMAGE_MAX_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    clean.save(buffer, format=image_format, **_save_options(image_format))
    return ContentFile(buffer.getvalue(), name=f"image.{IMAGE_EXTENSIONS[image_format]}")


def _without_metadata(image: Image.Image) -> Image.Image:
    """The pixels (turned upright by their EXIF orientation) in a new image that carries
    nothing else: `info` holds only a palette picture's transparency."""
    upright = ImageOps.exif_transpose(image)
    upright.load()
    clean = Image.new(upright.mode, upright.size)
    if upright.mode in ("P", "PA"):
        palette = upright.getpalette()
        if palette is not None:
            clean.putpalette(palette)
    clean.paste(upright, (0, 0))
    if "transparency" in upright.info:
        clean.info["transparency"] = upright.info["transparency"]
    return clean


def _save_options(image_format: str) -> dict[str, object]:
    if image_format == "JPEG":
        return {"quality": 85, "optimize": True}
    if image_format == "WEBP":
        return {"quality": 85}
    return {"optimize": True}


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
# What a document of each kind starts with. A file is judged by its content, not by its
# name: a web page or a program renamed to «smeta.pdf» or «ustav.docx» is refused.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word and Excel 97–2003
_ZIP = b"PK\x03\x04"  # Office Open XML and OpenDocument are zip packages
DOCUMENT_SIGNATURES = {
    "doc": _OLE2,
    "xls": _OLE2,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "rtf": b"{\\rtf",
}
# What the package of each office kind must say it is (`_package_type`).
PACKAGE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
OOXML_MAIN_TYPES = [PACKAGE_TYPES["docx"], PACKAGE_TYPES["xlsx"]]
PACKAGE_INDEX_MAX_BYTES = 1 << 20
# A PDF's header may follow a few bytes of junk; readers look for it in the first kilobyte.
PDF_HEADER, PDF_HEADER_WITHIN = b"%PDF-", 1024
TEXT_CHECKED_BYTES = 8192

# What a private file holds (`core.files.register_private(holds=...)`), so that each upload
# is checked by the validator that fits it.
DOCUMENT = "document"
SCAN = "scan"


def name_extension(filename: str) -> str:
    """`pdf` for «Смета.PDF» and for «.pdf»; empty when the name has no short ASCII
    alphanumeric extension. The one reading of a file name's extension: the validators
    judge a file by it, and private files are stored under it (`files.safe_extension`), so
    a file checked as a PDF is stored as one («.pdf» was checked as a PDF and stored with
    no extension when each read the name its own way)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base:
        return ""
    extension = base.rsplit(".", 1)[1].lower()
    if 0 < len(extension) <= 9 and extension.isascii() and extension.isalnum():
        return extension
    return ""


def _extension(upload: Upload) -> str:
    return name_extension(upload.name or "")


def _head(upload: Upload, size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _is_pdf(upload: Upload) -> bool:
    return PDF_HEADER in _head(upload, PDF_HEADER_WITHIN)


def _content_fits(upload: Upload, extension: str) -> bool:
    """The file's first bytes are those of a document of this extension (pictures are
    opened by `validate_image`)."""
    if extension == "pdf":
        return _is_pdf(upload)
    if extension == "txt":
        # Plain text in any of the encodings people use has no NUL bytes; programs do.
        return b"\x00" not in _head(upload, TEXT_CHECKED_BYTES)
    signature = DOCUMENT_SIGNATURES.get(extension)
    if signature is not None and _head(upload, len(signature)) != signature:
        return False
    if extension in PACKAGE_TYPES:
        return _package_type(upload) == PACKAGE_TYPES[extension]
    return True


def _package_type(upload: Upload) -> str | None:
    """What an office zip package says it is: the main part's content type from
    `[Content_Types].xml` (Office Open XML, ECMA-376 part 2), or the `mimetype` entry
    (OpenDocument). None when the file is no readable zip or says neither — «PK\\x03\\x04»
    followed by a web page is no document. Only the small entry is read (a zip bomb's
    other entries are never expanded)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" in names:
                info = package.getinfo("[Content_Types].xml")
                if info.file_size > PACKAGE_INDEX_MAX_BYTES:
                    return None
                index = package.read(info).decode("utf-8", "replace")
                found = [kind for kind in OOXML_MAIN_TYPES if f'"{kind}"' in index]
                return found[0] if found else None
            if "mimetype" in names and package.getinfo("mimetype").file_size < 100:
                return package.read("mimetype").decode("ascii", "replace").strip()
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, EOFError):
        return None
    finally:
        upload.seek(0)


def validate_document(upload: Upload, *, field: str) -> None:
    """An attached document: a known office, text or image type — checked by content, not
    only by name — at most DOBRY_DOCUMENT_MAX_BYTES."""
    extension = _extension(upload)
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
    elif not _content_fits(upload, extension):
        raise ValidationError(
            {
                field: [
                    _(
                        "Содержимое файла не соответствует его расширению .%(extension)s: "
                        "приложите сам документ."
                    )
                    % {"extension": extension}
                ]
            }
        )


SCAN_EXTENSIONS = {"pdf", "jpg", "jpeg", "png"}
SCAN_ACCEPT = "application/pdf,image/jpeg,image/png"  # the file input's `accept`


def validate_scan(upload: Upload, *, field: str) -> None:
    """The scan or photo of a signed paper form: PDF, JPEG or PNG, checked by content (a PDF
    has its `%PDF-` header, a picture is opened), then as any attached document
    (`validate_document`: the size limit DOBRY_DOCUMENT_MAX_BYTES, a picture's integrity)."""
    extension = _extension(upload)
    if extension not in SCAN_EXTENSIONS:
        raise ValidationError({field: [_("Приложите скан или фото бланка: PDF, JPEG или PNG.")]})
    if extension == "pdf":
        if not _is_pdf(upload):
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
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                return image.format
    except _UNREADABLE:
        return None
    finally:
        upload.seek(0)
