"""The queue of posts as coordinators see it (page and API)."""

from django.db.models import QuerySet

from dobry.communications.models import ChannelPost

# Rows on a page of the queue.
CHANNEL_POSTS_PAGE = 30


def channel_posts(*, status: str = "", channel: str = "") -> QuerySet[ChannelPost]:
    """The posts, newest first, by status and channel when given."""
    posts = ChannelPost.objects.for_list()
    if status:
        posts = posts.filter(status=status)
    if channel:
        posts = posts.filter(channel=channel)
    return posts
