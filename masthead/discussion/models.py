"""Threads, comments and votes.

Counts that pages show (a thread's comments, a comment's score, votes and replies) are stored
on the rows and changed in the same transaction as what they count, so reading a page never
counts anything.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Thread(models.Model):
    """The discussion of one target: an article, or any page addressed by URL."""

    key = models.CharField(_("key"), max_length=200, unique=True, help_text=_("Stable public key."))
    page = models.OneToOneField(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion_thread",
        verbose_name=_("page"),
    )
    url = models.URLField(
        _("address"), max_length=500, blank=True, help_text=_("For threads outside Masthead.")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    closed = models.BooleanField(
        _("closed"), default=False, help_text=_("Closed threads take no new comments.")
    )
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        constraints = [
            models.CheckConstraint(
                condition=Q(page__isnull=False) | ~Q(url=""), name="thread_has_a_target"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.key


class Comment(models.Model):
    """A reader's comment, top-level or a reply (at most DISCUSSION_NESTING_DEPTH deep)."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Pending review")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        DELETED = "deleted", _("Deleted")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    # The top-level comment of this reply's conversation: loads a page's replies in one query.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="descendants"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    # The comment the reader answered, when the reply is stored beside it instead (under
    # `parent`) so that no conversation grows deeper than DISCUSSION_NESTING_DEPTH.
    replied_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_name = models.CharField(max_length=80)
    # Stored for notifications and moderation; never rendered or returned by the API.
    author_email = models.EmailField(blank=True)
    # Keyed hash of the guest's reader cookie: proves authorship for edits without an account.
    author_reader = models.CharField(max_length=64, blank=True, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    # The author's website, as WordPress, Isso and Commento kept it (imports): their name links
    # to it. Only http(s) addresses are stored.
    author_url = models.URLField(max_length=500, blank=True)

    text = models.TextField(help_text=_("As written (light Markdown)."))
    html = models.TextField(help_text=_("Rendered and sanitized once, when written."))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    # Shown in the thread: published, or deleted but kept as a placeholder for its replies.
    # Stored (not derived in the query) so page reads use one composite index.
    listed = models.BooleanField(default=False)
    moderation_reasons = models.JSONField(default=list, blank=True)
    moderation_scores = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(db_index=True)
    edited = models.DateTimeField(null=True, blank=True)

    score = models.IntegerField(default=0)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0, help_text=_("Visible direct replies."))
    # wpDiscuz's "sticky" and "close" a moderator set on a comment, kept by imports: a pinned
    # comment leads its thread; a closed one takes no further replies.
    pinned = models.BooleanField(default=False)
    replies_closed = models.BooleanField(default=False)

    # Inline feedback: an editor-marked passage (its body block id) or a quoted passage,
    # anchored W3C TextQuoteSelector-style by the exact text and a little context each side.
    anchor_block = models.CharField(max_length=64, blank=True)
    anchor_exact = models.CharField(max_length=1000, blank=True)
    anchor_prefix = models.CharField(max_length=64, blank=True)
    anchor_suffix = models.CharField(max_length=64, blank=True)
    # Stored so the "Inline Feedbacks" tab and the passage markers read a small partial index.
    inline_feedback = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Partial indexes over listed comments: a page is an ordered walk from the cursor
            # to the limit, however large the thread.
            models.Index(
                fields=["thread", "parent", "created", "id"],
                name="comment_newest",
                condition=Q(listed=True),
            ),
            models.Index(
                fields=["thread", "parent", "score", "created", "id"],
                name="comment_voted",
                condition=Q(listed=True),
            ),
            models.Index(
                fields=["thread", "created", "id"],
                name="comment_inline",
                condition=Q(inline_feedback=True),
            ),
            # Pinned comments lead the first page of every sort: a walk over only them.
            models.Index(
                fields=["thread", "parent", "created", "id"],
                name="comment_pinned",
                condition=Q(listed=True, pinned=True),
            ),
            models.Index(
                fields=["thread", "parent", "score", "created", "id"],
                name="comment_pinned_voted",
                condition=Q(listed=True, pinned=True),
            ),
            models.Index(fields=["root", "created", "id"], name="comment_replies"),
            # An author's history (moderation queue, trust, privacy export) by address.
            models.Index(fields=["author_email"], name="comment_author_email"),
            models.Index(fields=["status", "created"], name="comment_status"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:50]}"

    @property
    def is_visible(self) -> bool:
        """Return whether readers see this comment (or its "deleted" placeholder)."""
        return self.listed

    @property
    def is_placeholder(self) -> bool:
        """Return whether the thread shows this comment only as a stand-in for its replies."""
        return self.listed and self.status != self.Status.PUBLISHED


class SourceMeta(models.Model):
    """What the system a comment was imported from kept beside it and Masthead has no field
    for (WordPress commentmeta, a Disqus username, a Remark42 user id...): stored so that an
    export gives it back, in a table of its own so that reading a thread never loads it, and
    removed with the rest of its author's data by an erase."""

    comment = models.OneToOneField(
        Comment, primary_key=True, on_delete=models.CASCADE, related_name="source_meta"
    )
    meta = models.JSONField(default=dict)

    def __str__(self) -> str:
        return gettext("what the old system kept of comment %(id)s") % {"id": self.comment_id}


class Vote(models.Model):
    """One reader's up or down vote on a comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    # "user:<id>" or "guest:<keyed hash of reader cookie + IP hash>".
    voter = models.CharField(max_length=80)
    value = models.SmallIntegerField(
        choices=[
            (1, pgettext_lazy("a vote on a comment", "Up")),
            (-1, pgettext_lazy("a vote on a comment", "Down")),
        ]
    )
    ip_hash = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="one_vote_per_reader"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_is_up_or_down"),
        ]

    def __str__(self) -> str:
        return gettext("%(voter)s %(value)s on comment %(id)s") % {
            "voter": self.voter,
            "value": "+1" if self.value > 0 else "-1",
            "id": self.comment_id,
        }


@register_setting(icon="comment")
class DiscussionSettings(BaseSiteSetting):
    """Discussion rules editors change in the admin (Settings → Discussion)."""

    close_after_days = models.PositiveIntegerField(
        _("close after days"),
        null=True,
        blank=True,
        help_text=_(
            "Close an article's discussion this many days after its publication date. "
            "Empty: use the server default (DISCUSSION_CLOSE_AFTER_DAYS); 0: never close."
        ),
    )

    panels = [FieldPanel("close_after_days")]

    class Meta:
        verbose_name = _("Discussion")

    def __str__(self) -> str:
        return gettext("Discussion settings")
