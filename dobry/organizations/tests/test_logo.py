import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dobry.organizations import services
from dobry.organizations.models import Organization


def png_bytes(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


FIELDS = {"kind": Organization.Kind.INITIATIVE_GROUP, "name": "ИГ «Лого»"}


def test_a_png_logo_is_stored(resident):
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    organization = services.organization_propose(user=resident, fields=FIELDS, logo=logo)
    assert organization.logo.name.startswith("logos/")


def test_a_text_file_named_png_is_refused(resident):
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.organization_propose(user=resident, fields=FIELDS, logo=fake)
    assert "logo" in error.value.message_dict
    assert not Organization.objects.exists()


def test_a_too_large_logo_is_refused(resident, settings):
    settings.DOBRY_LOGO_MAX_BYTES = 100
    logo = SimpleUploadedFile("logo.png", png_bytes((200, 200)), content_type="image/png")
    with pytest.raises(ValidationError, match="больше"):
        services.organization_propose(user=resident, fields=FIELDS, logo=logo)
