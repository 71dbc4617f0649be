"""The `campaign` kind of reference (`dobry.site.references`): a news item may be about a
campaign, as about an event or a competition; who sees the link is the campaign's own rule
(`visible_campaigns` agrees with `can_view_campaign` for every role and state); a draft
campaign cannot be named by someone who may not see it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity import permissions
from dobry.charity.models import Campaign
from dobry.charity.tests.factories import CampaignFactory, charity_ready, editor_of
from dobry.communications.models import NewsItem
from dobry.communications.news import services as news_services
from dobry.core import references
from dobry.core.errors import DomainError
from dobry.core.references import Reference
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_campaign_kind_is_registered_with_its_title_and_page():
    campaign, _editor = charity_ready(title="Тренажёры")
    link = references.resolve(Reference("campaign", campaign.pk), AnonymousUser())
    assert link is not None
    assert (link.title, link.url) == ("Тренажёры", campaign.get_absolute_url())
    assert str(references.kind_label("campaign")) == "сбор"


def test_the_list_form_agrees_with_the_campaigns_own_rule(coordinator, official):
    organization = OrganizationFactory()
    users = {
        "anonymous": AnonymousUser(),
        "outsider": UserFactory(),
        "coordinator": coordinator,
        "official": official,
        "owner": editor_of(organization, Membership.Role.OWNER),
        "editor": editor_of(organization),
        "member": editor_of(organization, Membership.Role.MEMBER),
    }
    campaigns = [
        CampaignFactory(organization=organization, status=status)
        for status in Campaign.Status.values
    ]
    for status in Organization.Status.values:
        other = OrganizationFactory(status=status)
        campaigns += [CampaignFactory(organization=other, status=s) for s in Campaign.Status.values]
    visible = references.check_kind("campaign").visible
    pks = [campaign.pk for campaign in campaigns]
    for name, user in users.items():
        listed = set(visible(user).filter(pk__in=pks).values_list("pk", flat=True))
        allowed = {c.pk for c in campaigns if permissions.can_view_campaign(user, c)}
        assert listed == allowed, name


def _fields(campaign_pk: int) -> dict[str, object]:
    return {
        "kind": NewsItem.Kind.NEWS,
        "title": "Купили тренажёр",
        "lead": "Спасибо всем, кто помог.",
        "subject": Reference("campaign", campaign_pk),
    }


def test_a_city_author_writes_news_about_a_campaign(official):
    campaign, _editor = charity_ready()
    item = news_services.news_create(author=official, fields=_fields(campaign.pk))
    assert item.subject == Reference("campaign", campaign.pk)


def test_a_draft_campaign_is_no_subject_for_whoever_may_not_see_it(official):
    draft = CampaignFactory(status=Campaign.Status.DRAFT)
    with pytest.raises(DomainError) as refused:
        news_services.news_create(author=official, fields=_fields(draft.pk))
    assert "subject" in refused.value.field_errors
    assert not NewsItem.objects.exists()


def test_news_about_a_campaign_by_api_names_it(official):
    campaign, _editor = charity_ready(title="Тренажёры")
    client = login(official)
    created = client.post(
        "/api/v1/news",
        {"title": "Купили", "lead": "Спасибо.", "subject": {"kind": "campaign", "id": campaign.pk}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["subject"]["title"] == "Тренажёры"
    assert created.json()["subject"]["url"] == campaign.get_absolute_url()


def test_the_news_form_offers_a_campaign(official):
    page = login(official).get("/news/new/").content.decode()
    assert '<option value="campaign">сбор</option>' in page


def test_the_campaign_page_shows_news_written_about_it(official, client):
    campaign, _editor = charity_ready()
    item = news_services.news_create(author=official, fields=_fields(campaign.pk))
    news_services.news_move(actor=official, item=item, move="publish")
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert item.get_absolute_url() in html
    assert "Купили тренажёр" in html
    other, _ = charity_ready(goal=Decimal(5))
    assert "Купили тренажёр" not in client.get(other.get_absolute_url()).content.decode()
