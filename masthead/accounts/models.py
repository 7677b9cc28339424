"""The sign-in failure audit."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """One refused sign-in attempt: which account, from which network (keyed hash), when.

    The rows are the audit and the throttle's counter at once: counting them per account or
    per network over the last window is what locks a login (`selectors.login_retry_after`).
    Never a raw address: `network_hash` is `core.hashing.ip_hash`.
    """

    class Stage(models.TextChoices):
        PASSWORD = "password", _("password")
        CODE = "code", _("second-factor code")

    # As typed, lower-cased, so "Editor" and "editor" count against one account.
    username = models.CharField(_("account"), max_length=150)
    network_hash = models.CharField(_("network (keyed hash)"), max_length=64, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("sign-in failure")
        verbose_name_plural = _("sign-in failures")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["username", "created_at"], name="loginfailure_account"),
            models.Index(fields=["network_hash", "created_at"], name="loginfailure_network"),
            models.Index(fields=["created_at"], name="loginfailure_created"),
        ]

    def __str__(self):
        return f"{self.username} {self.stage} {self.created_at:%Y-%m-%d %H:%M:%S}"
