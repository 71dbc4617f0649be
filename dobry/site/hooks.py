"""Where a lower app's hook meets the higher app that acts on it (see `dobry.core.hooks`)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dobry.accounts.services import CONSENT_CODE_ISSUED, CONSENT_CODE_USED, CONSENT_WITHDRAWN
from dobry.civic import vote_selectors
from dobry.communications import selectors as news_selectors
from dobry.communications.channels.rendering import ChannelItem
from dobry.communications.channels.services import (
    channel_posts_for_published,
    channel_posts_propose_item,
)
from dobry.communications.news.newsrooms import Newsrooms, provide_newsrooms
from dobry.communications.news.services import NEWS_PUBLISHED
from dobry.communications.services import consent_code_email, consent_code_redact
from dobry.communications.unsubscribe import suppression_for_withdrawn_consent
from dobry.core.dates import span_text
from dobry.core.permissions import Actor
from dobry.core.references import reference_to
from dobry.core.site import absolute_url
from dobry.events import selectors as event_selectors
from dobry.events.calendar import provide_feed_items
from dobry.events.models import Event
from dobry.events.services.attendance import TRAINING_ATTENDED
from dobry.events.services.events import EVENT_PUBLISHED
from dobry.festivals.calendar import selected_sessions
from dobry.grants.result_sections import register_results_section
from dobry.helprequests import selectors as help_selectors
from dobry.helprequests.figures import provide_helped_residents
from dobry.helprequests.services.programmes import PROGRAMME_RECORDS_CHANGED
from dobry.opportunities.calendar import deadline_events
from dobry.organizations.models import Organization
from dobry.organizations.permissions import organizations_edited_by
from dobry.organizations.sections import Section, register_section
from dobry.reports import cache as report_cache
from dobry.reports import indicators, periods
from dobry.resources.services import support_record_for_news, support_record_for_training


def _programme_records_changed() -> None:
    report_cache.forget(records=True)


def connect_hooks() -> None:
    """Connect every hook of the site to its receivers (idempotent; run at start-up)."""
    TRAINING_ATTENDED.connect(support_record_for_training)
    CONSENT_CODE_ISSUED.connect(consent_code_email)
    CONSENT_CODE_USED.connect(consent_code_redact)
    CONSENT_WITHDRAWN.connect(suppression_for_withdrawn_consent)
    NEWS_PUBLISHED.connect(support_record_for_news)
    # a published item is proposed to the city's channels for a coordinator to approve
    NEWS_PUBLISHED.connect(channel_posts_for_published)
    # and so is a published event, with its date and place
    EVENT_PUBLISHED.connect(_event_to_channels)
    # the reports recount figures they keep when a programme's monthly figures change
    PROGRAMME_RECORDS_CHANGED.connect(_programme_records_changed)
    provide_helped_residents(_helped_residents)
    # the deadlines of grant calls one's organisations follow, in one's calendar feed
    provide_feed_items(deadline_events)
    # the sessions of one's «моё расписание» in forum and festival programmes
    provide_feed_items(selected_sessions)
    # who may write news for which organisation: the organisations app's own lists
    provide_newsrooms(
        Newsrooms(
            verified=lambda: Organization.objects.verified(),
            edited_by=lambda user: organizations_edited_by(user).verified(),
        )
    )
    # an organisation's page: its news, its events, then its programmes of help
    register_section(_news_section)
    register_section(event_selectors.organization_section)
    register_section(help_selectors.organization_section)
    # a competition's results page: the tally of the residents' vote about its applications
    register_results_section(vote_selectors.competition_section)


def _event_to_channels(*, event: Event) -> None:
    """A published event is proposed to each configured channel of the city."""
    channel_posts_propose_item(subject=reference_to(event), item=event_channel_item(event))


def event_channel_item(event: Event) -> ChannelItem:
    """What a channel's post of the event shows: its title, when in the city's local time,
    where (the place and address, or «онлайн»), its summary, the link to its page and its
    cover, written in the site's language as the channels are."""
    with translation.override(settings.LANGUAGE_CODE):
        where = ", ".join(part for part in (event.place, event.address) if part)
        item = ChannelItem(
            title=event.title,
            url=absolute_url(event.get_absolute_url()),
            lead=event.summary or event.description[:1000],
            when=span_text(event.starts_at, event.ends_at),
            place=where or (str(_("онлайн")) if event.online_url else ""),
            photo_url=absolute_url(event.cover.url) if event.cover else "",
        )
    return item


def _news_section(organization: Organization, user: Actor) -> Section | None:
    """The organisation page's «Новости», drawn by the news feed's own selector."""
    block = news_selectors.organization_news(organization.pk, user)
    return Section("communications/news/_organization_news.html", block) if block else None


def _helped_residents(year: int) -> int:
    """The help desk's «residents helped» is the reports' indicator (one definition)."""
    return int(indicators.helped_residents(periods.year(year)).value)
