"""Names in quotes: the quotes a name carries become inner quotes (issue 11 §6, «за участие в
««Испытание Сибирью»…»»), by the rule of the active language; and no code wraps a name
in «» by hand."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from dobry.core.typography import quoted

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Белая трость", "«Белая трость»"),
        ("«Испытание Сибирью»: маршал трассы", "«„Испытание Сибирью“: маршал трассы»"),
        ("«Испытание Сибирью. Гонка преодоления»", "«Испытание Сибирью. Гонка преодоления»"),
        ("КРОО «АРГО»", "«КРОО „АРГО“»"),
        ('КРОО "АРГО"', "«КРОО „АРГО“»"),
        ("АНО „Тёплый дом“", "«АНО „Тёплый дом“»"),
        ("«А» и «Б»", "«„А“ и „Б“»"),
        ("Фестиваль «Сибирь „Зимняя“»", "«Фестиваль „Сибирь „Зимняя““»"),
        ("O'Brien team", "«O'Brien team»"),
        ("«незакрытая", "««незакрытая»"),
        ("  лишние   пробелы ", "«лишние пробелы»"),
        (None, "«»"),
    ],
)
def test_a_name_is_quoted_by_the_russian_rule(name, expected):
    with translation.override("ru"):
        assert quoted(name) == expected


def test_english_puts_single_quotes_inside_double_ones():
    with translation.override("en"):
        assert quoted("КРОО «АРГО»") == "“КРОО ‘АРГО’”"
        assert quoted("«Испытание Сибирью»") == "“Испытание Сибирью”"
    assert quoted("КРОО «АРГО»", language="en") == "“КРОО ‘АРГО’”"


def test_the_template_filter_quotes_and_escapes():
    template = Template("{% load dobry %}{{ name|quoted }}")
    with translation.override("ru"):
        rendered = template.render(Context({"name": "«<b>Сибирь</b>»: трасса"}))
    assert rendered == "«„&lt;b&gt;Сибирь&lt;/b&gt;“: трасса»"


HAND_QUOTED = re.compile(r"«(\{\{|%\(|%s|\{)")


def test_no_code_wraps_a_name_in_quotes_by_hand():
    """`«{{ name }}»`, `«%(name)s»`, `«%s»` and f"«{name}»" double the quotes of a name
    that has its own: use the `quoted` filter or `dobry.core.typography.quoted`."""
    offenders = []
    for folder, suffixes in (("dobry", {".py"}), ("templates", {".html", ".txt"})):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in suffixes or "tests" in path.parts or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if HAND_QUOTED.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


@pytest.mark.django_db
def test_the_thank_you_letter_quotes_a_quoted_event_once(login_as):
    from dobry.events.tests.factories import volunteer
    from dobry.organizations.tests.factories import OrganizationFactory
    from dobry.volunteering.models import HoursEntry

    person = volunteer(born=date(1996, 4, 12))
    entry = HoursEntry.objects.create(
        user=person,
        organization=OrganizationFactory(name="КРОО «АРГО»"),
        date=date(2026, 5, 9),
        hours=Decimal("4"),
        claimed_hours=Decimal("4"),
        description="«Испытание Сибирью»: маршал трассы",
        source="bulk",
        status=HoursEntry.Status.CONFIRMED,
    )
    page = login_as(person).get(f"/volunteer/certificates/{entry.pk}/").content.decode()
    assert "за участие в «„Испытание Сибирью“: маршал трассы» 9 мая 2026" in page
    assert "««" not in page
    assert "»»" not in page


@pytest.mark.django_db
def test_a_notification_quotes_an_organisation_with_quotes_once(resident):
    from dobry.communications.services import render_kind
    from dobry.organizations.tests.factories import OrganizationFactory

    organization = OrganizationFactory(name="КРОО «АРГО»", short_name="КРОО «АРГО»")
    with translation.override("ru"):
        subject, _body = render_kind("organization_verified", {"organization": organization})
    assert subject == "Организация «КРОО „АРГО“» проверена"
    with translation.override("en"):
        subject, _ = render_kind("organization_verified", {"organization": organization})
    assert subject == "Organisation “КРОО ‘АРГО’” has been verified"
