"""The periodic job of news: publish the scheduled items whose time has come."""

from django_tasks import task

from dobry.communications.news.services import news_release_due


@task()
def publish_due_news() -> int:
    """Periodic (`dobry.site.schedule`): release every scheduled item that is due."""
    return len(news_release_due())
