"""The moderation seam: how a new or edited comment gets its status.

Discussion never imports the moderation app. It calls whatever class DISCUSSION_SCREEN names
(a dotted path), which must implement CommentScreen. Until moderation is installed, every
comment is published.
"""

import logging
from dataclasses import dataclass, field
from typing import Literal, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    """What the screen decided, and why, in words a moderator can read."""

    action: Literal["publish", "hold", "reject"]
    reasons: list[str] = field(default_factory=list)
    message: str = ""  # shown to the commenter when held or rejected
    # Why a rejection happened, for the HTTP answer: "banned" (403), "rate_limited" (429, with
    # retry_after seconds), "nudge" (the reader may edit or confirm and post anyway), or ""
    # for content that cannot be published (422).
    code: str = ""
    retry_after: int = 0
    scores: dict = field(default_factory=dict)  # e.g. {"toxicity": 0.93, "spam": 0.1}


@dataclass(frozen=True)
class Submission:
    """What the screen sees of a comment being written or edited."""

    text: str
    author_name: str
    author_email: str
    user_id: int | None
    ip_hash: str
    thread_key: str
    is_edit: bool = False
    # Whether the thread takes no new text; discussion already knows, so screens need not ask.
    thread_closed: bool = False
    context: dict = field(default_factory=dict)  # request details a screen may use


class CommentScreen(Protocol):
    def screen(self, submission: Submission) -> Verdict: ...


class PublishEverything:
    """The default screen: no moderation installed, so every comment is published."""

    def screen(self, submission: Submission) -> Verdict:
        return Verdict("publish")


def screen_submission(submission: Submission) -> Verdict:
    """Return the configured screen's verdict; a failing screen holds the comment for review."""
    try:
        screen = import_string(settings.DISCUSSION_SCREEN)()
        verdict = screen.screen(submission)
    except Exception:
        # A screen that breaks must never let a comment through unchecked.
        logger.exception("Comment screen %s failed", settings.DISCUSSION_SCREEN)
        # The reason is stored with the comment for moderators, so it is kept as written; the
        # message goes to the commenter now, in their language.
        return Verdict("hold", ["could not be checked"], _("Your comment is awaiting moderation."))
    return verdict
