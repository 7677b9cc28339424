"""What moderation stores: site settings, bans, word and domain lists, reader reports, audit log.

A comment's scores and reasons live on the comment itself (discussion's `moderation_scores`
and `moderation_reasons`), written when it is screened, so the queue reads one table.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


def _server_default_text(setting: str) -> str:
    return gettext("Empty: the server's default (%(setting)s).") % {"setting": setting}


# Lazy, so a help text built at import reads in the language of the request that shows it.
_server_default_lazy = lazy(_server_default_text, str)


def _server_default(name: str):
    return _server_default_lazy(f"MODERATION_{name.upper()}")


def _hold_field(description, name: str):
    """A category's hold threshold: empty means the server's default."""
    return models.FloatField(
        null=True, blank=True, help_text=format_lazy("{} {}", description, _server_default(name))
    )


SWITCH_CHOICES = [
    (None, _("Server default")),
    (True, pgettext_lazy("a setting switched", "On")),
    (False, pgettext_lazy("a setting switched", "Off")),
]


def _switch(help_text):
    return models.BooleanField(null=True, blank=True, choices=SWITCH_CHOICES, help_text=help_text)


@register_setting(icon="warning")
class ModerationSettings(BaseSiteSetting):
    """Thresholds, limits and stages an editor changes in Settings → Moderation.

    Every field may be left empty, which means "the server's default" from the environment;
    that keeps one place (.env.example) documenting defaults.
    """

    toxicity_nudge = models.FloatField(
        null=True,
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _("Toxicity (0–1) from which the form asks the reader to reconsider."),
            _server_default("toxicity_nudge"),
        ),
    )
    insult_hold = _hold_field(
        _("Insult score (0–1) from which a comment waits for review."), "insult_hold"
    )
    identity_hate_hold = _hold_field(
        _("Identity hate score from which a comment waits for review."), "identity_hate_hold"
    )
    threat_hold = _hold_field(
        _("Threat score from which a comment waits for review."), "threat_hold"
    )
    sexual_hold = _hold_field(
        _("Sexual harassment score from which a comment waits for review."), "sexual_hold"
    )
    profanity_hold = _hold_field(
        _(
            "Profanity score from which a comment waits for review; 1 = never (swearing "
            "that attacks nobody is published)."
        ),
        "profanity_hold",
    )
    toxicity_reject = models.FloatField(
        null=True,
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _("Toxicity from which a comment is refused outright."),
            _server_default("toxicity_reject"),
        ),
    )
    spam_hold = models.FloatField(
        null=True, blank=True, help_text=_("Spam score from which a comment waits for review.")
    )
    spam_reject = models.FloatField(
        null=True, blank=True, help_text=_("Spam score from which a comment is refused outright.")
    )
    max_links = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Links a comment may hold before it counts as spam.")
    )
    min_fill_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Seconds a person needs at least to write a comment; faster is a robot."),
    )
    toxicity_enabled = _switch(_("Score toxicity (the local model and word lists)."))
    spam_enabled = _switch(_("Score spam signals (links, phrasing, honeypot, fill time)."))
    rate_limits_enabled = _switch(_("Limit how often one network or reader may comment."))
    premoderate_all = _switch(_("Hold every comment for review (pre-moderation)."))
    premoderate_first_guest_comment = _switch(_("Hold the first comment of every new guest."))
    trusted_after_approved = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "Authors with this many published comments skip soft holds "
            "(first-comment and borderline scores; never threats, hate or bans)."
        ),
    )
    flags_to_hide = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Reports from this many different readers hide a comment until reviewed."),
    )
    burst_limit = models.PositiveIntegerField(null=True, blank=True)
    burst_seconds = models.PositiveIntegerField(null=True, blank=True)
    sustained_limit = models.PositiveIntegerField(null=True, blank=True)
    sustained_seconds = models.PositiveIntegerField(null=True, blank=True)
    flood_repeats = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("The same text this many times in the window is a flood."),
    )
    flood_seconds = models.PositiveIntegerField(null=True, blank=True)
    altcha_enabled = _switch(_("Ask guests' browsers for a proof of work (ALTCHA, self-hosted)."))
    akismet_enabled = _switch(_("Ask Akismet about guests' comments (needs AKISMET_API_KEY)."))

    # Headings here, not verbose names on the fields: they translate without a migration.
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("toxicity_nudge", heading=_("Toxicity nudge")),
                FieldPanel("insult_hold", heading=_("Insult hold")),
                FieldPanel("identity_hate_hold", heading=_("Identity hate hold")),
                FieldPanel("threat_hold", heading=_("Threat hold")),
                FieldPanel("sexual_hold", heading=_("Sexual hold")),
                FieldPanel("profanity_hold", heading=_("Profanity hold")),
                FieldPanel("toxicity_reject", heading=_("Toxicity reject")),
                FieldPanel("spam_hold", heading=_("Spam hold")),
                FieldPanel("spam_reject", heading=_("Spam reject")),
            ],
            heading=_("Thresholds"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("toxicity_enabled", heading=_("Toxicity enabled")),
                FieldPanel("spam_enabled", heading=_("Spam enabled")),
                FieldPanel("rate_limits_enabled", heading=_("Rate limits enabled")),
                FieldPanel("altcha_enabled", heading=_("Altcha enabled")),
                FieldPanel("akismet_enabled", heading=_("Akismet enabled")),
            ],
            heading=_("Stages"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("premoderate_all", heading=_("Premoderate all")),
                FieldPanel(
                    "premoderate_first_guest_comment", heading=_("Premoderate first guest comment")
                ),
                FieldPanel("trusted_after_approved", heading=_("Trusted after approved")),
                FieldPanel("flags_to_hide", heading=_("Flags to hide")),
            ],
            heading=_("Trust and reports"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("max_links", heading=_("Max links")),
                FieldPanel("min_fill_seconds", heading=_("Min fill seconds")),
                FieldPanel("burst_limit", heading=_("Burst limit")),
                FieldPanel("burst_seconds", heading=_("Burst seconds")),
                FieldPanel("sustained_limit", heading=_("Sustained limit")),
                FieldPanel("sustained_seconds", heading=_("Sustained seconds")),
                FieldPanel("flood_repeats", heading=_("Flood repeats")),
                FieldPanel("flood_seconds", heading=_("Flood seconds")),
            ],
            heading=_("Limits"),
        ),
    ]

    class Meta:
        verbose_name = _("Moderation")

    def __str__(self) -> str:
        return gettext("Moderation settings")


class Ban(models.Model):
    """A sanction: this account, email address or network may not comment (until `expires`)."""

    class Kind(models.TextChoices):
        USER = "user", _("Account")
        EMAIL = "email", _("Email address")
        IP = "ip", _("Network (IP address hash)")

    # The kinds as words inside a sentence ("Banned email address ada@example.org"): English
    # writes them in lower case, and other languages may need another form than the label.
    KIND_WORDS = {
        Kind.USER: pgettext_lazy("kind of ban, inside a sentence", "account"),
        Kind.EMAIL: pgettext_lazy("kind of ban, inside a sentence", "email address"),
        Kind.IP: pgettext_lazy("kind of ban, inside a sentence", "network (ip address hash)"),
    }

    kind = models.CharField(max_length=8, choices=Kind.choices)
    # A user id, a lower-cased email address, or the keyed hash of an IP address.
    value = models.CharField(max_length=254)
    # What the moderator saw: a name and address, or "network of <author> (comment #12)".
    label = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires = models.DateTimeField(null=True, blank=True, help_text=_("Empty: the ban never ends."))
    lifted = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"], name="ban_lookup")]

    def __str__(self) -> str:
        # Translators: a ban in the list of bans: its kind, then whom it names.
        return gettext("%(kind)s: %(label)s") % {
            "kind": self.get_kind_display(),
            "label": self.label_shown or self.value,
        }

    @property
    def label_shown(self) -> str:
        """The label in the reader's language: it is stored in English (stored_text.py)."""
        from masthead.moderation.stored_text import ban_label_display

        return ban_label_display(self.label)

    @property
    def kind_words(self) -> str:
        return str(self.KIND_WORDS.get(self.kind, self.kind))

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.lifted is None and (self.expires is None or self.expires > now)

    @classmethod
    def active_q(cls, now=None) -> Q:
        now = now or timezone.now()
        return Q(lifted__isnull=True) & (Q(expires__isnull=True) | Q(expires__gt=now))


class ListEntry(models.Model):
    """One editable entry of the block list, the allow list or the blocked domains."""

    class Kind(models.TextChoices):
        BLOCK_WORD = "block_word", _("Blocked word")
        ALLOW_WORD = "allow_word", _("Allowed word")
        BLOCKED_DOMAIN = "blocked_domain", _("Blocked domain")

    # Each list by name, inside a sentence ("Added “darn” to blocked words").
    LIST_WORDS = {
        Kind.BLOCK_WORD: pgettext_lazy("word list, inside a sentence", "blocked words"),
        Kind.ALLOW_WORD: pgettext_lazy("word list, inside a sentence", "allowed words"),
        Kind.BLOCKED_DOMAIN: pgettext_lazy("word list, inside a sentence", "blocked domains"),
    }
    # One entry's kind, inside a sentence ("Changed blocked word “darn” to …").
    KIND_WORDS = {
        Kind.BLOCK_WORD: pgettext_lazy("list entry, inside a sentence", "blocked word"),
        Kind.ALLOW_WORD: pgettext_lazy("list entry, inside a sentence", "allowed word"),
        Kind.BLOCKED_DOMAIN: pgettext_lazy("list entry, inside a sentence", "blocked domain"),
    }

    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(
        max_length=200, help_text=_("A word or phrase (* matches any letters), or a domain.")
    )
    note = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="list_entry_once"),
        ]
        verbose_name_plural = _("list entries")

    def __str__(self) -> str:
        # Translators: an entry of the word lists: which list, then the word.
        return gettext("%(kind)s: %(value)s") % {
            "kind": self.get_kind_display(),
            "value": self.value,
        }


class Flag(models.Model):
    """A reader's report of a comment. One per reader and comment."""

    class Reason(models.TextChoices):
        ABUSIVE = "abusive", _("Abusive or hateful")
        SPAM = "spam", _("Spam")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    # The reasons as words inside a sentence ("hidden after 3 reader reports (spam ×3)").
    REASON_WORDS = {
        Reason.ABUSIVE: pgettext_lazy("report reason, inside a sentence", "abusive or hateful"),
        Reason.SPAM: pgettext_lazy("report reason, inside a sentence", "spam"),
        Reason.OFF_TOPIC: pgettext_lazy("report reason, inside a sentence", "off-topic"),
        Reason.OTHER: pgettext_lazy("report reason, inside a sentence", "something else"),
    }

    comment = models.ForeignKey(
        "discussion.Comment", on_delete=models.CASCADE, related_name="moderation_flags"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    # "user:<id>" or "guest:<reader hash>", as for votes.
    reporter = models.CharField(max_length=80)
    ip_hash = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(default=timezone.now)
    # Set when a moderator decided about the comment; open flags put it in the Flagged queue.
    resolved = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_flag_per_reader"),
        ]
        indexes = [
            models.Index(fields=["created"], name="flag_open", condition=Q(resolved__isnull=True)),
        ]

    def __str__(self) -> str:
        return gettext("%(reason)s on comment #%(id)s") % {
            "reason": self.get_reason_display(),
            "id": self.comment_id,
        }


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The moderation audit log cannot be changed.")

    def delete(self):
        raise PermissionError("The moderation audit log cannot be changed.")


class AuditEntry(models.Model):
    """One moderation action: who did what, when, to what, and the state before and after.

    Append-only: rows can be added, never changed or deleted through the application. It holds
    no commenter's name or address: the summary names what it acted on by placeholder
    ("Rejected {comment}"), `subjects` holds their ids, and `audit.py` reads the names from the
    live rows when the log is shown. Erasing a commenter (privacy.py) anonymizes those rows, so
    the log forgets them without any entry changing. Migration 0005 rewrote older entries.
    """

    created = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as written, so the log still says who acted after their account is gone.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    # What was acted on: "comment", "ban", "list_entry", "settings", "author".
    target_type = models.CharField(max_length=20)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500)
    # {"comment": 12}, {"author": 12} (the author of comment 12) or {"ban": 3}: what the
    # summary's placeholders stand for.
    subjects = models.JSONField(default=dict, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]
        verbose_name_plural = _("audit entries")
        # The one permission every moderation screen and action asks for (superusers have it;
        # give it to a "Moderators" group in Settings → Groups).
        permissions = [("moderate", "Can moderate comments, ban authors and edit word lists")]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_name}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The moderation audit log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The moderation audit log cannot be changed.")


class ModeratorDecision(models.Model):
    """A moderator's latest decision on a comment: a labelled example the model learns from.

    One per comment: a later decision replaces the earlier one. It keeps a copy of the text as
    decided, which is personal data: erasing the commenter (privacy.py) deletes it.
    """

    class Decision(models.TextChoices):
        APPROVE = "approve", _("approved")
        REJECT = "reject", _("rejected")
        SPAM = "spam", _("spam")

    comment = models.OneToOneField(
        "discussion.Comment", on_delete=models.CASCADE, related_name="+", verbose_name=_("comment")
    )
    text = models.TextField(_("text as decided"))
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    # What the screen scored when the comment came in (its moderation_scores), for reference:
    # learning scores the text again with the model it adapts.
    scores = models.JSONField(_("scores at screening"), default=dict, blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("decided"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("moderator decision")
        verbose_name_plural = _("moderator decisions")

    def __str__(self) -> str:
        return gettext("%(decision)s: comment #%(id)s") % {
            "decision": self.get_decision_display(),
            "id": self.comment_id,
        }


class LearningAttempt(models.Model):
    """One run of `masthead moderation learn`: a local adaptation installed, or refused and why.

    An installed attempt carries the adaptation's parameters, so every app server loads the same
    one from here (learning.adaptation_current); the newest installed attempt made for the
    running shipped model is the one in force. The admin's button records a "learning" attempt
    that a background task completes.
    """

    class Outcome(models.TextChoices):
        LEARNING = "learning", _("learning…")
        INSTALLED = "installed", _("installed")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    created = models.DateTimeField(_("learned"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.TextField(_("why"), blank=True)
    decisions = models.PositiveIntegerField(_("decisions used"), default=0)
    held_out = models.PositiveIntegerField(_("decisions held out to evaluate"), default=0)
    shipped_version = models.CharField(_("shipped model version"), max_length=100, blank=True)
    # {"decisions": {...}, "shipped": {...}}: per evaluation set, the model in force ("current")
    # and the candidate, each with abuse_held, legit_held and log_loss (learning.figures).
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    # learning.Adaptation.to_bytes(); empty when refused.
    parameters = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("learning attempt")
        verbose_name_plural = _("learning attempts")

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.get_outcome_display()}"


class ApiKey(models.Model):
    """A key that lets another program call the analyze API and its Perspective-compatible route.

    Only a SHA-256 of the key is stored; the key itself is shown once, when it is created. The
    key is 256 random bits, so an unsalted fast hash is safe and lets a request find its key by
    prefix and check it in constant time.
    """

    # A key reads "mh_1a2b3c4d5e6f_<43 random characters>": the start tells a leaked key apart
    # in logs and code; the prefix (the first 15 characters) is shown in lists and is how a
    # request finds its row.
    KEY_START = "mh_"
    PREFIX_LENGTH = 15

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who or what uses this key, e.g. “Newsletter tool”.")
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked is None

    @staticmethod
    def digest(key: str) -> str:
        """Return what is stored of `key`: its SHA-256, in hex."""
        return hashlib.sha256(key.encode()).hexdigest()
