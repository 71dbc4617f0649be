"""Public pictures (issue 11): every logo, cover and campaign photo is re-encoded by Pillow
without metadata (EXIF with GPS and the author, XMP, ICC, comments, PNG text), turned upright
by its EXIF orientation, scaled to at most 2560 px; a picture too large in pixels or a
decompression bomb is a sentence at the field (422 through the API), never a 500."""

import io
import struct
import zlib
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from dobry.charity.models import Campaign
from dobry.charity.services.campaigns import campaign_post_update
from dobry.charity.tests.factories import charity_ready, editor_of
from dobry.communications.models import NewsItem
from dobry.communications.tests.factories import NewsItemFactory
from dobry.core.uploads import PUBLIC_IMAGE_MAX_SIDE, public_image
from dobry.events.models import Event
from dobry.events.services.events import event_update
from dobry.events.tests.factories import EventFactory
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
AUTHOR = "Ostap Chuzhoy +79130009999"
TOO_LARGE = (
    "Изображение слишком большое (предел в мегапикселях — 50). Уменьшите его и загрузите снова."
)
RED, BLUE = (220, 20, 20), (20, 20, 220)


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = AUTHOR
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (56.0, 15.0, 7.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (93.0, 32.0, 11.0),
    }
    return exif


def _halves(size=(40, 20)) -> Image.Image:
    """Red on the left half, blue on the right."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def photo(image_format="JPEG", *, orientation=1, size=(40, 20), name=None) -> SimpleUploadedFile:
    """A picture carrying the author's name and phone and GPS in EXIF, XMP, an ICC profile
    and a comment (JPEG) or text chunks (PNG)."""
    buffer = io.BytesIO()
    extra: dict = {
        "exif": _exif(orientation).tobytes(),
        "xmp": f"<x:xmpmeta><dc:creator>{AUTHOR}</dc:creator></x:xmpmeta>".encode(),
        "icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    }
    if image_format == "JPEG":
        extra["comment"] = AUTHOR
    if image_format == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", AUTHOR)
        text.add_itxt("Description", AUTHOR)
        extra["pnginfo"] = text
    _halves(size).save(buffer, format=image_format, **extra)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    content = buffer.getvalue()
    assert AUTHOR.encode() in content  # the test's own control: the metadata is there
    return SimpleUploadedFile(name or f"photo.{extension}", content, f"image/{extension}")


def assert_clean(file, image_format="JPEG") -> Image.Image:
    """The stored picture: its format kept, no metadata of any kind left."""
    file.open("rb")
    content = file.read()
    file.close()
    assert AUTHOR.encode() not in content
    assert b"79130009999" not in content
    assert b"PhoneMaker" not in content
    image = Image.open(io.BytesIO(content))
    assert image.format == image_format
    assert dict(image.getexif()) == {}
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Author"):
        assert key not in image.info, key
    if image_format == "PNG":
        assert image.text == {}
    return image


def bomb_png(width: int, height: int) -> SimpleUploadedFile:
    """A PNG that declares `width` × `height` one-bit pixels in a few bytes (nothing is
    decoded to refuse it: the size is in its header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + (width + 7) // 8) * 8)
    content = (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", content, "image/png")


# --- the helper ------------------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_the_helper_keeps_the_format_and_drops_every_metadata(image_format):
    clean = public_image(photo(image_format, name="x.html"), field="cover")
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    assert clean.name == f"image.{extension}"  # named by its content, never by the upload
    image = assert_clean(clean, image_format)
    assert image.size == (40, 20)


@pytest.mark.parametrize(("orientation", "top", "bottom"), [(6, RED, BLUE), (8, BLUE, RED)])
def test_a_photo_is_turned_upright_by_its_exif_orientation(orientation, top, bottom):
    image = assert_clean(public_image(photo(orientation=orientation), field="cover"))
    assert image.size == (20, 40)
    rgb = image.convert("RGB")
    assert all(abs(a - b) < 40 for a, b in zip(rgb.getpixel((10, 5)), top, strict=True))
    assert all(abs(a - b) < 40 for a, b in zip(rgb.getpixel((10, 34)), bottom, strict=True))


def test_a_large_photo_is_scaled_to_2560_px_on_its_longest_side():
    image = assert_clean(public_image(photo(size=(4000, 1000)), field="cover"))
    assert PUBLIC_IMAGE_MAX_SIDE == 2560
    assert image.size == (2560, 640)


def test_a_small_picture_keeps_its_size():
    assert public_image(photo("PNG", size=(2560, 10)), field="logo").size > 0
    image = Image.open(public_image(photo("PNG", size=(2560, 10)), field="logo"))
    assert image.size == (2560, 10)


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (30000, 30000),  # past Pillow's own bomb limit: it refuses on opening
        (12000, 12000),  # Pillow only warns
        (8000, 6300),  # 50.4 megapixels: only our limit
    ],
)
def test_a_picture_past_the_pixel_limit_is_refused_at_the_field(width, height):
    with pytest.raises(ValidationError) as refused:
        public_image(bomb_png(width, height), field="cover")
    assert refused.value.message_dict == {"cover": [TOO_LARGE]}


def test_the_pixel_limit_is_a_setting(settings):
    settings.DOBRY_IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as refused:
        public_image(photo(size=(1001, 1000)), field="logo")
    assert "(предел в мегапикселях — 1)" in refused.value.message_dict["logo"][0]
    assert public_image(photo(size=(1000, 1000)), field="logo").size > 0


# --- every public picture, through its way in ------------------------------------------------


def _owner_client(organization) -> Client:
    owner = MembershipFactory(organization=organization, role=Membership.Role.OWNER).user
    client = Client()
    client.force_login(owner)
    return client


def _edit_data(client, organization) -> dict:
    form = client.get(f"/organizations/{organization.pk}/edit/").context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name in ("logo", "confirm_review") or value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def test_an_organisations_logo_loses_its_metadata_on_the_edit_page():
    organization = OrganizationFactory()
    client = _owner_client(organization)
    data = _edit_data(client, organization) | {"logo": photo(), "confirm_review": "on"}
    response = client.post(f"/organizations/{organization.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    organization.refresh_from_db()
    assert organization.logo.name.endswith(".jpg")
    assert_clean(organization.logo)


def test_a_bomb_as_a_logo_is_a_sentence_on_the_edit_page():
    organization = OrganizationFactory()
    client = _owner_client(organization)
    data = _edit_data(client, organization) | {
        "logo": bomb_png(30000, 30000),
        "confirm_review": "on",
    }
    response = client.post(f"/organizations/{organization.pk}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [TOO_LARGE]
    organization.refresh_from_db()
    assert not organization.logo


def test_a_news_cover_loses_its_metadata_through_the_api(login_as, coordinator):
    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    response = login_as(coordinator).post(
        f"/api/v1/news/{item.pk}/cover", {"cover": photo("WEBP"), "cover_alt": "Субботник"}
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.cover.name.endswith(".webp")
    assert_clean(item.cover, "WEBP")


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (12000, 12000)])
def test_a_bomb_as_a_news_cover_is_a_422_at_the_field(login_as, coordinator, width, height):
    item = NewsItemFactory(status=NewsItem.Status.DRAFT)
    response = login_as(coordinator).post(
        f"/api/v1/news/{item.pk}/cover", {"cover": bomb_png(width, height), "cover_alt": "x"}
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == {"cover": [TOO_LARGE]}
    item.refresh_from_db()
    assert not item.cover


def test_an_events_cover_loses_its_metadata_and_is_upright():
    event = EventFactory()
    event_update(actor=event.created_by, event=event, fields={}, cover=photo(orientation=6))
    event.refresh_from_db()
    assert event.cover.name.endswith(".jpg")
    assert assert_clean(event.cover).size == (20, 40)


def test_a_campaigns_cover_loses_its_metadata_on_the_page():
    organization = OrganizationFactory()
    client = Client()
    client.force_login(editor_of(organization))
    deadline = (timezone.now() + timedelta(days=60)).date().isoformat()
    data = {"title": "Коляски", "purpose": "Две коляски", "goal": "80 000", "deadline": deadline,
            "cover": photo("PNG"), "cover_alt": "Коляска"}  # fmt: skip
    response = client.post(reverse("charity:campaign_create", args=[organization.pk]), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    campaign = Campaign.objects.get()
    assert campaign.cover.name.endswith(".png")
    assert_clean(campaign.cover, "PNG")


def test_a_campaign_updates_photo_loses_its_metadata():
    campaign, editor = charity_ready()
    update = campaign_post_update(
        actor=editor, campaign=campaign, text="Купили", photo=photo(), photo_alt="Коляски"
    )
    update.refresh_from_db()
    assert_clean(update.photo)


# The admin's model forms build a URLField without `assume_scheme` (Django 5 warns).
@pytest.mark.filterwarnings("ignore::django.utils.deprecation.RemovedInDjango60Warning")
@pytest.mark.parametrize(("model", "field"), [(Organization, "logo"), (Event, "cover")])
def test_the_admin_shows_a_public_picture_but_takes_no_upload(rf, admin_user, model, field):
    """The admin would store a file as sent, metadata and all: pictures come through the
    pages and the API only."""
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = admin_user
    assert field in model_admin.get_readonly_fields(request)
    assert field not in model_admin.get_form(request).base_fields
