"""The disk for uploads full: an organisation proposed with its logo, through the page,
while the storage fails as a full disk does (ENOSPC, `dobry.core.testing`). The form must
come back with a clear message and what was typed, no organisation half-made and no part
of the file left; once the disk has room the same form goes through. The private storage
(attachments, scans) is checked the same way."""

import io
from pathlib import Path

from bench.drills.cluster import Cluster

MESSAGE = "Файл не сохранён: на сервере закончилось место для файлов."


def logo() -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def stored_files(settings: object) -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.DOBRY_PRIVATE_MEDIA_ROOT)]  # type: ignore[attr-defined]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def run(cluster: Cluster, var_dir: Path) -> bool:
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.test import Client, override_settings

    from dobry.accounts.models import User
    from dobry.core.errors import StorageFull
    from dobry.core.testing import FULL_PRIVATE, FULL_PUBLIC
    from dobry.organizations.demo import demo_inn, demo_ogrn
    from dobry.organizations.models import Organization

    form = {
        "kind": "sonko",
        "name": "АНО «Место на диске»",
        "short_name": "Место на диске",
        "inn": demo_inn(977),
        "ogrn": demo_ogrn(977),
        "phone": "8 (391) 975-12-34",
        "areas": ["elderly", "social"],
    }
    user = User.objects.create_user(email="disk-drill@example.org", password="drill-password-1")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    organizations = Organization.objects.count()
    files = len(stored_files(settings))
    full = {**settings.STORAGES, "default": FULL_PUBLIC, "private": FULL_PRIVATE}
    with override_settings(STORAGES=full):
        refused = client.post("/organizations/new/", {**form, "logo": logo()})
        body = refused.content.decode()
        try:
            storages["private"].save("grants/applications/a.pdf", ContentFile(b"%PDF-1.4 x"))
            private_refused = False
        except StorageFull:
            private_refused = True
    kept = 'value="АНО «Место на диске»"' in body
    half_made = Organization.objects.count() - organizations
    left = len(stored_files(settings)) - files
    accepted = client.post("/organizations/new/", {**form, "logo": logo()})
    made = Organization.objects.filter(name=form["name"]).first()
    print(
        f"   full disk: page {refused.status_code}, message shown {MESSAGE in body}, typed "
        f"values kept {kept}, organisations made {half_made}, files left {left}; private "
        f"storage refused {private_refused}"
    )
    print(
        f"   disk with room: page {accepted.status_code}, organisation made {made is not None}, "
        f"logo stored {bool(made and made.logo)}"
    )
    ok = (
        refused.status_code == 200
        and MESSAGE in body
        and kept
        and half_made == 0
        and left == 0
        and private_refused
        and accepted.status_code == 302
        and made is not None
        and bool(made.logo)
    )
    print(("PASS" if ok else "FAIL") + " full_disk: a clear message, nothing lost, no 500")
    return ok
