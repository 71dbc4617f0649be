"""The public catalogue of external grant calls, its archive and the staff pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import login
from dobry.core.audit import AuditEntry
from dobry.core.clock import local_today
from dobry.opportunities.models import Opportunity
from dobry.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

LIST = reverse("opportunities:list")
ARCHIVE = reverse("opportunities:archive")


def _form(**changes):
    data = {
        "title": "Президентские гранты — 2027, первый конкурс",
        "programme": "presidential",
        "organiser": "Фонд президентских грантов",
        "summary": "Для НКО.",
        "areas": ["social", "children"],
        "eligible_kinds": ["sonko"],
        "min_registered_months": "12",
        "region": "",
        "min_amount": "500000",
        "max_amount": "3000000",
        "opens_on": (local_today() - timedelta(days=1)).isoformat(),
        "closes_on": (local_today() + timedelta(days=40)).isoformat(),
        "url": "https://example.org/contest",
        "documents": "Устав",
        "tips": "Начните с бюджета.",
    }
    data.update(changes)
    return data


def test_anyone_sees_current_calls_and_the_archive_the_past_ones(client):
    current = OpportunityFactory(title="Открытый конкурс")
    past = OpportunityFactory(
        title="Прошлый конкурс",
        opens_on=local_today() - timedelta(days=60),
        closes_on=local_today() - timedelta(days=1),
    )
    withdrawn = OpportunityFactory(title="Отменённый конкурс", withdrawn=True)
    page = client.get(LIST).content.decode()
    assert current.title in page
    assert past.title not in page
    assert withdrawn.title not in page
    archive = client.get(ARCHIVE).content.decode()
    assert past.title in archive
    assert withdrawn.title in archive
    assert current.title not in archive
    assert client.get(past.get_absolute_url()).status_code == 200


def test_filters_and_search_narrow_the_list(client):
    OpportunityFactory(title="Росатом ТОП-20", programme="corporate", areas=["urban"])
    OpportunityFactory(title="Ёлка желаний", programme="foundation", areas=["children"])
    OpportunityFactory(title="Любые направления", programme="regional", areas=[], eligible_kinds=[])
    found = client.get(LIST, {"programme": "corporate"}).content.decode()
    assert "Росатом" in found
    assert "Ёлка" not in found
    found = client.get(LIST, {"area": "children"}).content.decode()
    assert "Ёлка" in found
    assert "Любые направления" in found
    assert "Росатом" not in found
    found = client.get(LIST, {"q": "елка"}).content.decode()
    assert "Ёлка" in found
    assert "Росатом" not in found
    found = client.get(LIST, {"kind": "initiative_group"}).content.decode()
    assert "Любые направления" in found
    assert "Росатом" not in found


def test_an_amount_filter_keeps_calls_whose_limits_hold_it(client):
    OpportunityFactory(title="Малый", min_amount=Decimal(10000), max_amount=Decimal(100000))
    OpportunityFactory(title="Большой", min_amount=Decimal(500000), max_amount=None)
    page = client.get(LIST, {"amount": "50000"}).content.decode()
    assert "Малый" in page
    assert "Большой" not in page


@pytest.mark.parametrize(
    "query",
    [
        {"programme": "nope"},
        {"area": "\x00"},
        {"amount": "-1"},
        {"amount": "１２"},
        {"amount": "9" * 40},
        {"organization": "999999"},
        {"organization": "x"},
        {"page": "99999999999999999999"},
    ],
)
def test_hostile_filters_are_a_clear_400_never_a_500(client, query):
    assert client.get(LIST, query).status_code in (200, 400)
    assert client.get(ARCHIVE, query).status_code in (200, 400)


def test_the_list_has_a_fixed_query_count(client, django_assert_max_num_queries):
    OpportunityFactory()
    with django_assert_max_num_queries(6):
        client.get(LIST)
    OpportunityFactory.create_batch(15)
    with django_assert_max_num_queries(6):
        client.get(LIST)
    with django_assert_max_num_queries(6):
        client.get(ARCHIVE)


def test_a_coordinator_adds_edits_and_archives_a_call(coordinator):
    client = login(coordinator)
    response = client.post(reverse("opportunities:create"), _form())
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert opportunity.areas == ["social", "children"]
    assert opportunity.min_registered_months == 12
    edit = reverse("opportunities:edit", args=[opportunity.pk])
    client.post(edit, _form(title="Новое название", max_amount="4000000"))
    opportunity.refresh_from_db()
    assert opportunity.title == "Новое название"
    assert opportunity.max_amount == 4000000
    client.post(reverse("opportunities:archive_toggle", args=[opportunity.pk]))
    opportunity.refresh_from_db()
    assert opportunity.withdrawn
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"opportunity.create", "opportunity.update", "opportunity.archive"} <= actions


def test_wrong_terms_are_shown_at_their_fields(coordinator):
    client = login(coordinator)
    response = client.post(
        reverse("opportunities:create"),
        _form(min_amount="5000000", max_amount="10", closes_on="9999-01-01", areas=["nope"]),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "areas" in form.errors
    assert "closes_on" in form.errors or "max_amount" in form.errors
    assert not Opportunity.objects.exists()


def test_a_nul_or_a_long_text_is_refused_at_its_field(coordinator):
    client = login(coordinator)
    response = client.post(
        reverse("opportunities:create"), _form(title="A\x00B", tips="x" * 20_000)
    )
    assert response.status_code == 200
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_only_coordinators_keep_the_catalogue(client, outsider, who):
    from dobry.organizations.tests.factories import MembershipFactory

    opportunity = OpportunityFactory()
    if who == "outsider":
        client = login(outsider)
    elif who == "member":
        client = login(MembershipFactory(role="owner").user)
    create = client.post(reverse("opportunities:create"), _form())
    edit = client.post(reverse("opportunities:edit", args=[opportunity.pk]), _form())
    archive = client.post(reverse("opportunities:archive_toggle", args=[opportunity.pk]))
    expected = 302 if who == "anonymous" else 403
    assert create.status_code == edit.status_code == archive.status_code == expected
    assert Opportunity.objects.count() == 1
    opportunity.refresh_from_db()
    assert not opportunity.withdrawn
    assert opportunity.title.startswith("Конкурс")


def test_an_unknown_call_is_a_404(client):
    assert client.get(reverse("opportunities:detail", args=[999999])).status_code == 404
