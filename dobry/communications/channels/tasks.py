"""Posting to the city's channels through the task worker."""

from django_tasks import task

from dobry.communications.channels import services


@task()
def post_to_channel(post_id: int) -> str:
    """Post one approved row (`services.channel_post_send`)."""
    return services.channel_post_send(post_id=post_id)


@task()
def tend_channel_posts() -> dict[str, int]:
    """Periodic: the rows whose wait is over, and the ones a dead worker left in flight."""
    return services.channel_posts_tend()
