"""Background tasks: thin wrappers that load by id and call the services.

They run on whichever queue MASTHEAD_TASK_QUEUE names (`masthead worker` runs them).
"""

from django_tasks import task

from masthead.moderation import services


@task()
def learn_adaptation(attempt_id: int) -> str | None:
    """Complete a learning run queued from the Model page; return how it ended."""
    attempt = services.adaptation_learn_queued(attempt_id=attempt_id)
    return attempt.outcome if attempt is not None else None
