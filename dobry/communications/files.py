"""Communications' uploaded files: a news item's cover is a public picture."""

from dobry.communications.models import NewsItem
from dobry.core.files import register_public

register_public(
    NewsItem,
    "cover",
    reason="picture on the public news page, the feeds and link cards; random name",
)
