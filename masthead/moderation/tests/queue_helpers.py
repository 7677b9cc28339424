"""Shared steps for the moderators' tests: people with and without the permission, held comments."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from masthead.discussion import services as discussion
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import guest

HOLD_EVERYTHING = "masthead.discussion.tests.screens.HoldEverything"
PUBLISH_EVERYTHING = "masthead.discussion.screening.PublishEverything"


def admin_user(username: str, *, moderator: bool):
    """Return an admin user who may use Wagtail's admin, and may moderate if `moderator`."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pw-for-tests", first_name=username.title()
    )
    codenames = ["access_admin"] + (["moderate"] if moderator else [])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return get_user_model().objects.get(pk=user.pk)  # fresh: permissions are cached per object


def held(thread, text: str, name: str = "Ada Guest", *, ip_hash: str = "ip-ada", settings=None):
    """Post a guest's comment that the screen holds for review."""
    if settings is not None:
        settings.DISCUSSION_SCREEN = HOLD_EVERYTHING
    author = guest(name)
    author = discussion.Author(
        name=author.name, email=author.email, reader=author.reader, ip_hash=ip_hash
    )
    comment = discussion.comment_post(thread=thread, text=text, author=author)
    assert comment.status == Comment.Status.PENDING
    return comment


def screened(comment, *, reasons, scores) -> Comment:
    """Give a comment the reasons and scores a screen would have written."""
    Comment.objects.filter(pk=comment.pk).update(
        moderation_reasons=reasons, moderation_scores=scores
    )
    comment.refresh_from_db()
    return comment
