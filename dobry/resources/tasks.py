from django_tasks import task

from dobry.resources.groups import tasks_remind


@task()
def remind_group_tasks() -> int:
    return tasks_remind()
