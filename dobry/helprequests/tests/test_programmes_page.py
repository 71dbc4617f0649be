"""The catalogue of programmes is a page list like the other public lists: 30 a page, the
filters kept in the page links, a fixed number of queries however many programmes; those
who keep programmes page through theirs separately (`own_page`)."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dobry.helprequests.tests.factories import ProgrammeFactory
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
URL = "/help/programmes/"
PAGE_SIZE = 30


def verified_organisation() -> Organization:
    return OrganizationFactory(status=Organization.Status.VERIFIED)


def names(page) -> list[str]:
    return [programme.name for programme in page]


def test_the_catalogue_shows_thirty_a_page_in_name_order(client):
    ProgrammeFactory.create_batch(PAGE_SIZE + 1)
    ProgrammeFactory(name="Закрытая", starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))
    first = client.get(URL)
    assert first.status_code == 200
    assert len(first.context["programmes"]) == PAGE_SIZE
    body = first.content.decode()
    assert 'href="?page=2" rel="next"' in body
    assert "Страница 1 из 2" in body
    second = client.get(URL, {"page": "2"})
    assert len(second.context["programmes"]) == 1
    assert 'href="?page=1" rel="prev"' in second.content.decode()
    shown = names(first.context["programmes"]) + names(second.context["programmes"])
    assert shown == sorted(shown)
    assert "Закрытая" not in shown


def test_the_page_links_keep_the_filters(client):
    ProgrammeFactory.create_batch(PAGE_SIZE + 1, category="legal")
    ProgrammeFactory(category="delivery")
    page = client.get(URL, {"category": "legal", "page": "1"})
    assert len(page.context["programmes"]) == PAGE_SIZE
    assert 'href="?category=legal&amp;page=2"' in page.content.decode()
    last = client.get(URL, {"category": "legal", "page": "2"})
    assert {p.category for p in last.context["programmes"]} == {"legal"}


@pytest.mark.parametrize("value", ["0", "-1", "два", "٣", "2.5", "9" * 30, ""])
def test_a_page_number_that_is_not_one_shows_a_page_not_an_error(client, value):
    ProgrammeFactory.create_batch(PAGE_SIZE + 1)
    response = client.get(URL, {"page": value})
    assert response.status_code == 200
    assert response.context["programmes"].number in (1, 2)  # the first, or the last past the end


def test_a_small_catalogue_has_no_page_links(client):
    ProgrammeFactory()
    body = client.get(URL).content.decode()
    assert 'rel="next"' not in body
    assert "Страница 1 из 1" not in body


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "editor", "coordinator"])
def test_the_catalogue_costs_the_same_for_one_and_for_many_programmes(
    client, login_as, outsider, coordinator, who
):
    organisation = verified_organisation()
    editor = MembershipFactory(organization=organisation, role=Membership.Role.EDITOR).user
    reader = {
        "anonymous": client,
        "outsider": login_as(outsider),
        "editor": login_as(editor),
        "coordinator": login_as(coordinator),
    }[who]
    ProgrammeFactory(organization=organisation)
    one = _count_queries(reader)
    ProgrammeFactory.create_batch(2 * PAGE_SIZE + 5, organization=organisation)
    ProgrammeFactory.create_batch(5)
    assert _count_queries(reader) == one
    # session, user, notifications; the catalogue's count, page and districts; the kept
    # programmes' count and page; may they add one
    budget = {"anonymous": 3, "outsider": 8, "editor": 9, "coordinator": 9}[who]
    assert one <= budget


def test_outsiders_see_no_programmes_of_their_own(login_as, outsider):
    ProgrammeFactory(organization=verified_organisation())
    page = login_as(outsider).get(URL)
    assert len(page.context["own"]) == 0
    assert "Программы, которые вы ведёте" not in page.content.decode()


def test_an_editor_pages_through_their_own_programmes_apart_from_the_catalogue(login_as):
    organisation = verified_organisation()
    editor = MembershipFactory(organization=organisation, role=Membership.Role.EDITOR).user
    ProgrammeFactory.create_batch(PAGE_SIZE + 2, organization=organisation)
    ProgrammeFactory(
        organization=organisation, name="Я ещё не началась", starts_on=date(2099, 1, 1)
    )
    ProgrammeFactory.create_batch(PAGE_SIZE)  # other organisations' programmes
    staff = login_as(editor)
    first = staff.get(URL)
    assert len(first.context["own"]) == PAGE_SIZE
    body = first.content.decode()
    assert 'aria-label="Страницы программ, которые вы ведёте"' in body
    assert 'href="?own_page=2" rel="next"' in body
    # the catalogue's second page keeps the own list where it is, and the other way round
    both = staff.get(URL, {"page": "2", "own_page": "2"})
    own = names(both.context["own"])
    assert "Я ещё не началась" in own  # a future programme is the editor's to keep
    assert len(own) == 3
    both_body = both.content.decode()
    assert re.search(r'href="\?own_page=2&amp;page=1" rel="prev"', both_body)
    assert re.search(r'href="\?page=2&amp;own_page=1" rel="prev"', both_body)


def test_a_coordinator_keeps_every_verified_organisations_programmes(login_as, coordinator):
    ProgrammeFactory(organization=verified_organisation(), name="Проверенная")
    pending = OrganizationFactory(status=Organization.Status.PENDING)
    ProgrammeFactory(organization=pending, name="Непроверенная")
    page = login_as(coordinator).get(URL)
    assert names(page.context["own"]) == ["Проверенная"]
