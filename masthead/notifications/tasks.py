"""Background tasks: thin wrappers that load by id and call the services.

They run on whichever queue MASTHEAD_TASK_QUEUE names (`masthead worker` runs them).
"""

from django_tasks import task

from masthead.notifications import delivery, services


@task()
def deliver_mail(mail_id: int) -> None:
    delivery.mail_deliver(mail_id)


@task()
def notify_comment_published(comment_id: int) -> int:
    return services.comment_notifications_queue(comment_id)


@task()
def notify_comment_held(comment_id: int, reasons: list[str]) -> int:
    return services.moderators_notify(comment_id, reasons)
