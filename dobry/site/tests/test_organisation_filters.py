"""The public lists' organisation filter (events, campaigns, news) is chosen by a link from
the organisation's page and found by name through the search field — never a <select> of
every organisation, which at a region's scale (3,000 organisations) was most of each
page's time and weight. A chosen organisation shows as «Организатор: name» with a link
back to the whole list; one the list does not offer is a 400, never a silently empty list."""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dobry.charity.tests.factories import CampaignFactory
from dobry.communications.models import NewsItem
from dobry.communications.tests.factories import organization_item
from dobry.events.tests.factories import ShiftFactory
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class PublicList:
    url: str
    make: Callable[[Organization, str], object]


def _event(organization: Organization, title: str) -> object:
    return ShiftFactory(event__organization=organization, event__title=title)


def _campaign(organization: Organization, title: str) -> object:
    return CampaignFactory(organization=organization, title=title)


def _news(organization: Organization, title: str) -> object:
    return organization_item(organization, title=title)


LISTS = {
    "events": PublicList("/events/", _event),
    "campaigns": PublicList("/donate/", _campaign),
    "news": PublicList("/news/", _news),
}


@pytest.fixture(params=LISTS, ids=list(LISTS))
def public_list(request) -> PublicList:
    return LISTS[request.param]


def _page(client, url: str, params: dict | None = None) -> str:
    response = client.get(url, params or {}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def _organisations(count: int, public_list: PublicList) -> list[Organization]:
    made = []
    for n in range(count):
        organization = OrganizationFactory(name=f"АНО «Издалека {n}»", short_name=f"Издалека {n}")
        public_list.make(organization, f"Дело издалека {n}")
        made.append(organization)
    return made


def test_the_list_offers_no_select_of_organisations(client, public_list):
    organizations = _organisations(3, public_list)
    html = _page(client, public_list.url)
    assert not re.search(r'<select[^>]*name="organization"', html)
    assert f'<option value="{organizations[0].pk}"' not in html
    assert 'name="organization"' not in html  # nothing chosen: not even the hidden field


def test_more_organisations_cost_no_more_queries(
    client, public_list, django_assert_max_num_queries
):
    _organisations(2, public_list)
    with CaptureQueriesContext(connection) as few:
        _page(client, public_list.url)
    _organisations(25, public_list)
    with django_assert_max_num_queries(len(few)):
        _page(client, public_list.url)


def test_a_chosen_organisation_shows_with_a_way_back(client, public_list):
    chosen, _other = _organisations(2, public_list)
    html = _page(client, public_list.url, {"organization": chosen.pk, "q": "дело"})
    assert "Дело издалека 0" in html
    assert "Дело издалека 1" not in html
    assert f'<input type="hidden" name="organization" value="{chosen.pk}"' in html
    assert re.search(r"(Организатор|Организация): <strong>(АНО «Издалека 0»|Издалека 0)", html)
    # the way back keeps the other filters and drops only the organisation
    assert 'href="?q=%D0%B4%D0%B5%D0%BB%D0%BE"' in html


def test_an_organisation_the_list_does_not_offer_is_a_400(client, public_list):
    (shown,) = _organisations(1, public_list)
    # one no list offers: awaiting review, with only a draft news item (the events list
    # offers every verified organisation, campaigns those with a campaign, news those with
    # a published item)
    silent = OrganizationFactory(name="АНО «Молчаливая»", status=Organization.Status.PENDING)
    organization_item(silent, title="Черновик", status=NewsItem.Status.DRAFT)
    for pk in (silent.pk, 99_999_999, "abc"):
        response = client.get(public_list.url, {"organization": pk})
        assert response.status_code == 400, pk
    assert client.get(public_list.url, {"organization": shown.pk}).status_code == 200


@pytest.mark.parametrize("name", ["events", "campaigns"])
def test_the_search_finds_an_organisers_items_by_its_name(client, name):
    public_list = LISTS[name]
    rosatom = OrganizationFactory(name="Фонд «Атомград»", short_name="Атомград")
    public_list.make(rosatom, "Субботник у озера")
    public_list.make(OrganizationFactory(name="АНО «Лесная»"), "Субботник в лесу")
    html = _page(client, public_list.url, {"q": "атомград субботник"})
    assert "Субботник у озера" in html
    assert "Субботник в лесу" not in html  # negative control: another organiser's
    assert "Субботник у озера" not in _page(client, public_list.url, {"q": "лесная"})
