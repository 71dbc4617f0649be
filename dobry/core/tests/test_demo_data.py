import pytest
from django.core.management import call_command
from django.test import Client

from dobry.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from dobry.accounts.models import User
from dobry.organizations.models import Membership, Organization

PASSPORT_PARTICIPANTS = [
    "Администрация ЗАТО г. Железногорск",
    "ФГУП «ГХК»",
    "АО «ИСС»",
    "КРОО «АРГО»",
    "Парк им. С. М. Кирова",
    "Управление культуры",
    "ЦГБ им. М. Горького",
    "Молодёжный центр",
    "Совет ветеранов",
    "«Этот мир для тебя»",
    "ФСЦ",
    "«Федерация ЗОЖ»",
    "«Школа осознанного родительства»",
]


@pytest.mark.django_db
def test_seed_creates_the_passport_participants_once(capsys):
    call_command("seed_passport")
    counts = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    call_command("seed_passport")
    assert (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
    ) == counts
    names = set(Organization.objects.values_list("short_name", flat=True))
    assert set(PASSPORT_PARTICIPANTS) <= names
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert {"initiative_group", "business", "enterprise", "municipal", "sonko"} <= kinds
    for organization in Organization.objects.all():
        organization.full_clean()  # demo ИНН/ОГРН pass their check digits


@pytest.mark.django_db
def test_if_empty_leaves_a_used_database_alone(resident, capsys):
    call_command("seed_passport", "--if-empty")
    assert not Organization.objects.exists()
    assert "nothing loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_every_demo_login_works_and_has_its_role(capsys):
    call_command("seed_passport")
    for account in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(
            "/accounts/login/", {"login": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        assert response["Location"] == "/", account.email
    assert User.objects.get(email="coordinator@example.org").is_coordinator
    assert User.objects.get(email="admin@example.org").is_superuser
    call_command("demo_logins")
    assert "coordinator@example.org" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_help_requests_show_the_whole_journey(capsys):
    from dobry.helprequests.models import HelpRequest

    call_command("seed_passport")
    statuses = set(HelpRequest.objects.values_list("status", flat=True))
    assert set(HelpRequest.Status.values) <= statuses
    rated = HelpRequest.objects.get(rating__isnull=False)
    assert rated.requester.email == "resident@example.org"
    next_visit = HelpRequest.objects.get(parent=rated)
    assert next_visit.status == "offered"
    assert rated.reports.exists()
