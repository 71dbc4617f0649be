"""Open Graph and Twitter cards: what a shared link shows in messengers and social
networks (the title, the lead, the picture). News, events and competitions build one with
`card(...)` and their pages include `includes/open_graph.html` in the head, so every card
has the same tags; URLs are absolute (`dobry.core.site.absolute_url`) because the reader
of a card is another site."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models.fields.files import FieldFile

from dobry.core.site import absolute_url

# A card's description is its first sentences: networks cut around 200 characters.
DESCRIPTION_LENGTH = 300


@dataclass(frozen=True)
class Card:
    title: str
    description: str
    url: str
    image: str = ""
    image_alt: str = ""
    type: str = "article"
    site_name: str = ""

    @property
    def twitter_card(self) -> str:
        """A large picture when there is one, else the small summary card."""
        return "summary_large_image" if self.image else "summary"


def _shortened(text: str) -> str:
    words = " ".join(text.split())
    if len(words) <= DESCRIPTION_LENGTH:
        return words
    return words[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def card(
    *,
    title: str,
    description: str,
    path: str,
    image: FieldFile | None = None,
    image_alt: str = "",
    kind: str = "article",
) -> Card:
    """The card of the page at `path` (a path of this site), with `image` (a public file
    field: a cover) when it has one."""
    return Card(
        title=title,
        description=_shortened(description),
        url=absolute_url(path),
        image=absolute_url(image.url) if image else "",
        image_alt=image_alt if image else "",
        type=kind,
        site_name=str(settings.DOBRY_SITE_NAME),
    )
