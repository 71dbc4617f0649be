"""The installation's brand (DOBRY_SITE_NAME: the practice, «Добрый Железногорск» on the
first installation) names the site everywhere the practice is meant; «Добрый город» names
only the software (issue 11 §6: the brand alternated between the two). Changing the
setting changes every place."""

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.test import RequestFactory
from docx import Document

from dobry.accounts.models import ConsentDocument
from dobry.accounts.tests.test_signup import FORM as SIGNUP

ROOT = Path(__file__).resolve().parents[3]
BRAND = "Добрый Тестоград"
OTHER_NAMES = ("Добрый Железногорск", "Добрый город")

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(settings):
    settings.DOBRY_SITE_NAME = BRAND
    return BRAND


def _no_other_name(text: str) -> None:
    for name in OTHER_NAMES:
        assert name not in text


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("url", ["/", "/events/", "/organizations/", "/reports/public/"])
def test_pages_carry_the_brand_in_title_header_and_footer(client, brand, url):
    body = client.get(url).content.decode()
    assert re.search(rf"<title>[^<]*— {BRAND}</title>", body)
    assert f'class="site-brand" href="/">{BRAND}</a>' in body
    assert f"{BRAND} — платформа добровольчества" in body
    _no_other_name(body)


def test_the_public_report_names_the_practice(client, brand):
    body = client.get("/reports/public/").content.decode()
    assert f"Показатели практики «{BRAND}»" in body


def test_the_admin_and_the_error_page_carry_the_brand(client, brand):
    from dobry.site.views import server_error

    body = client.get("/admin/login/").content.decode()
    assert f"{BRAND} — администрирование" in body
    _no_other_name(body)
    error = server_error(RequestFactory().get("/")).content.decode()
    assert f"<title>Ошибка на сервере — {BRAND}</title>" in error
    _no_other_name(error)


def test_account_emails_are_sent_and_prefixed_with_the_brand(client, brand, settings):
    settings.DEFAULT_FROM_EMAIL = "noreply@example.org"
    client.post("/accounts/signup/", SIGNUP)
    [message] = mail.outbox
    assert message.subject.startswith(f"[{BRAND}] ")
    assert message.from_email == f"{BRAND} <noreply@example.org>"
    _no_other_name(message.subject + message.body)


def test_a_sender_named_in_the_setting_keeps_its_name(settings):
    from dobry.communications.tasks import sender

    settings.DOBRY_SITE_NAME = BRAND
    settings.DEFAULT_FROM_EMAIL = "Ресурсный центр <rc@example.org>"
    assert sender() == "Ресурсный центр <rc@example.org>"
    settings.DEFAULT_FROM_EMAIL = "rc@example.org"
    assert sender() == f"{BRAND} <rc@example.org>"


def test_authenticator_apps_list_the_brand(brand):
    from allauth.mfa.adapter import get_adapter

    assert get_adapter().get_totp_issuer() == BRAND


def test_thank_you_letters_and_the_year_summary_are_signed_with_the_brand(login_as, brand):
    from dobry.events.tests.factories import volunteer
    from dobry.organizations.tests.factories import OrganizationFactory
    from dobry.volunteering.models import HoursEntry

    person = volunteer(born=date(1996, 4, 12))
    entry = HoursEntry.objects.create(
        user=person,
        organization=OrganizationFactory(name="АНО «Тёплый дом»"),
        date=date(2026, 5, 9),
        hours=Decimal("4"),
        claimed_hours=Decimal("4"),
        description="Акция «Белая трость»",
        source="bulk",
        status=HoursEntry.Status.CONFIRMED,
    )
    client = login_as(person)
    for url in (f"/volunteer/certificates/{entry.pk}/", "/volunteer/book/2026/"):
        page = client.get(url).content.decode()
        assert BRAND in page
        _no_other_name(page)
        docx = _docx_text(client.get(f"{url}?format=docx").content)
        assert BRAND in docx
        _no_other_name(docx)
        assert "Железногорск" not in docx


def test_the_passport_docx_names_the_brand(login_as, official, brand):
    text = _docx_text(login_as(official).get("/reports/passport.docx?year=2025").content)
    assert f"платформы «{BRAND}»" in text
    _no_other_name(text)


@pytest.mark.parametrize("kind", ConsentDocument.Kind.values)
def test_every_consent_text_names_the_brand_where_it_names_the_platform(client, brand, kind):
    text = ConsentDocument.current(kind).shown_text
    _no_other_name(text)
    assert "{site}" not in text


# «Добрый город» is the software: the API's title. «Добрый Железногорск» is the default of
# the setting and the name of the passport the demo data comes from.
SOFTWARE_NAME_ALLOWED = {
    "dobry/api/api.py": "Добрый город",
    "dobry/settings.py": "Добрый Железногорск",
    "dobry/site/management/commands/seed_passport.py": "Добрый Железногорск",
}


def test_no_code_names_the_practice_or_the_platform_by_hand():
    found = []
    for folder, suffixes in (("dobry", {".py"}), ("templates", {".html", ".txt"})):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in suffixes or {"tests", "migrations"} & set(path.parts):
                continue
            relative = str(path.relative_to(ROOT))
            if path.name == "demo.py":
                continue  # the demo data is the first installation's
            text = path.read_text(encoding="utf-8")
            for name in OTHER_NAMES:
                if name in text and SOFTWARE_NAME_ALLOWED.get(relative) != name:
                    found.append(f"{relative}: {name}")
    assert found == []
