"""News moves keep the project's one order of refusals: a person who may never make the
move gets 403 whatever the state — an organisation's editor «publishing» an item already
published used to get 409, learning its state —; a moderator refused only for the state
or the time (an organisation's draft not yet sent to moderation, a publication time still
ahead) gets 409 — it used to be a 403, as if they were not a moderator."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.communications.models import NewsItem
from dobry.communications.news.services import news_move
from dobry.communications.tests.factories import NewsItemFactory, editor_of, organization_item
from dobry.core.errors import InvalidTransition, PermissionDenied
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
N = NewsItem.Status


@pytest.mark.parametrize("status", [N.DRAFT, N.PUBLISHED])
def test_an_editor_publishing_their_organisations_item_gets_403_in_every_state(status):
    organization = OrganizationFactory()
    item = organization_item(organization, status=status)
    with pytest.raises(PermissionDenied, match="координатор"):
        news_move(actor=editor_of(organization), item=item, move="publish")
    item.refresh_from_db()
    assert item.status == status


def test_a_moderator_publishing_a_draft_not_sent_to_moderation_gets_409(coordinator):
    item = organization_item(OrganizationFactory(), status=N.DRAFT, published_at=None)
    with pytest.raises(InvalidTransition, match="не отправила"):
        news_move(actor=coordinator, item=item, move="publish")


def test_publishing_now_an_item_set_for_later_is_409_for_its_author(coordinator):
    item = NewsItemFactory(
        status=N.DRAFT, published_at=None, publish_at=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(InvalidTransition, match="ещё не наступило"):
        news_move(actor=coordinator, item=item, move="publish")
    item.refresh_from_db()
    assert item.status == N.DRAFT
