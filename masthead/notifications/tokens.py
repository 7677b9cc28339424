"""Signed tokens for the links in mails: they work without logging in, and cannot be forged.

Confirmation tokens expire (NOTIFICATIONS_CONFIRM_HOURS); unsubscribe tokens do not, because a
link in a years-old mail must still stop the mail.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

CONFIRM_SALT = "masthead.notifications.confirm"
UNSUBSCRIBE_SALT = "masthead.notifications.unsubscribe"


class TokenError(Exception):
    """A token that is forged, damaged or expired; the message is for the reader."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.message = message
        self.expired = expired


@dataclass(frozen=True)
class TokenClaim:
    subscription_id: int | None
    email: str


def confirm_token_make(subscription) -> str:
    return signing.dumps({"s": subscription.pk, "e": subscription.email}, salt=CONFIRM_SALT)


def confirm_token_read(token: str) -> TokenClaim:
    try:
        data = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.NOTIFICATIONS_CONFIRM_HOURS * 3600
        )
    except signing.SignatureExpired as error:
        raise TokenError(
            _(
                "This confirmation link has expired. Subscribe again from the article to get "
                "a new one."
            ),
            expired=True,
        ) from error
    except signing.BadSignature as error:
        raise TokenError(
            _(
                "This confirmation link is not valid. Copy the whole link from the mail, or "
                "subscribe again."
            )
        ) from error
    return _claim(data)


def unsubscribe_token_make(*, email: str, subscription=None) -> str:
    return signing.dumps(
        {"s": subscription.pk if subscription else None, "e": email}, salt=UNSUBSCRIBE_SALT
    )


def unsubscribe_token_read(token: str) -> TokenClaim:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise TokenError(
            _("This unsubscribe link is not valid. Copy the whole link from the mail.")
        ) from error
    return _claim(data)


def subscription_gone_message() -> str:
    """What a confirmation link for a subscription that was cancelled meanwhile says."""
    return _(
        "This subscription no longer exists: it was cancelled after the mail was sent. "
        "Subscribe again from the article if you like."
    )


def _claim(data) -> TokenClaim:
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        raise TokenError(_("This link is not valid."))
    subscription_id = data.get("s")
    if subscription_id is not None and not isinstance(subscription_id, int):
        raise TokenError(_("This link is not valid."))
    return TokenClaim(subscription_id=subscription_id, email=data["e"])
