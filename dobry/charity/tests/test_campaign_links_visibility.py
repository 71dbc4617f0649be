"""A campaign's public page names only what the public may see (issue 11, «private data
that stays private»): its event is a published one. A draft event is seen by its
organisation's editors only, so the form does not offer it, the API refuses it at the
field and the service refuses it — else the public campaign page printed the draft's title
to anyone, with a link that answered 404."""

from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import login
from dobry.charity.models import Campaign
from dobry.charity.selectors import linkable_events
from dobry.charity.services import campaigns
from dobry.charity.tests.factories import charity_ready
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"
SECRET = "Черновик: встреча спонсоров"


def _setup():
    campaign, editor = charity_ready()
    organization = campaign.organization
    draft = EventFactory(organization=organization, status=Event.Status.DRAFT, title=SECRET)
    published = EventFactory(organization=organization)
    return campaign, editor, draft, published


def test_only_published_events_of_the_organisation_are_linkable():
    campaign, editor, draft, published = _setup()
    foreign = EventFactory()
    cancelled = EventFactory(organization=campaign.organization, status=Event.Status.CANCELLED)
    assert set(linkable_events(campaign.organization)) == {published, cancelled}
    for wrong in (draft, foreign):
        with pytest.raises(DomainError) as refused:
            campaigns.campaign_create(
                actor=editor,
                organization=campaign.organization,
                title="Сбор",
                purpose="Цель",
                story="",
                goal=1000,
                deadline=local_today() + timedelta(days=30),
                event=wrong,
            )
        assert list(refused.value.field_errors) == ["event"]


def test_the_form_does_not_offer_a_draft_and_the_page_does_not_name_it(client):
    campaign, editor, draft, published = _setup()
    browser = login(editor)
    url = reverse("charity:campaign_edit", args=[campaign.pk])
    form = browser.get(url).content.decode()
    assert SECRET not in form
    assert published.title in form
    response = browser.post(
        url,
        {
            "title": campaign.title,
            "purpose": campaign.purpose,
            "goal": "100000",
            "deadline": campaign.deadline.isoformat(),
            "event": draft.pk,
        },
    )
    assert response.status_code == 200  # the form again, with the error at the field
    assert "event" in response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.event is None
    assert SECRET not in client.get(campaign.get_absolute_url()).content.decode()


def test_the_api_refuses_a_draft_event_at_the_field(client):
    campaign, editor, draft, published = _setup()
    browser = login(editor)
    refused = browser.patch(
        f"{API}/campaigns/{campaign.pk}", {"event": draft.pk}, content_type=JSON
    )
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["event"]
    assert Campaign.objects.get(pk=campaign.pk).event is None
    linked = browser.patch(
        f"{API}/campaigns/{campaign.pk}", {"event": published.pk}, content_type=JSON
    )
    assert linked.status_code == 200, linked.content
    assert linked.json()["event_id"] == published.pk
    assert published.title in client.get(campaign.get_absolute_url()).content.decode()


def test_a_draft_linked_before_is_not_named_and_does_not_block_an_edit(client):
    """A link made before drafts were refused: the page does not name the draft, and
    editing the rest of the campaign is not refused for a link nobody changed."""
    campaign, editor, draft, _published = _setup()
    Campaign.objects.filter(pk=campaign.pk).update(event=draft)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert SECRET not in page
    assert "Связано:" not in page
    browser = login(editor)
    edited = browser.patch(f"{API}/campaigns/{campaign.pk}", {"goal": "120000"}, content_type=JSON)
    assert edited.status_code == 200, edited.content
    assert Campaign.objects.get(pk=campaign.pk).goal == 120000
    # once published, the event is named
    Event.objects.filter(pk=draft.pk).update(status=Event.Status.PUBLISHED)
    assert SECRET in client.get(campaign.get_absolute_url()).content.decode()
