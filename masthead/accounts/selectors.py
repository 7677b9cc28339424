"""Reads about signing in."""

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from masthead.accounts.models import LoginFailure
from masthead.core.pagecache import tagged_value

# Invalidated whenever a permission, a group or a membership changes (accounts/receivers.py).
PERMISSIONS_TAG = "permissions"


def account_key(username: str) -> str:
    """Return the form failures are counted under for an account name as typed."""
    return (username or "").strip().lower()[:150]


def login_retry_after(*, username: str, network_hash: str) -> int:
    """Return the seconds until this account and network may try to sign in again (0: now).

    A sliding window: locked while ACCOUNTS_LOGIN_FAILURE_LIMIT failures of the account, or of
    the network, fall within the last ACCOUNTS_LOGIN_FAILURE_WINDOW seconds; it opens when the
    oldest of those leaves the window. Counted in the database, so every process and machine
    agrees and the lock holds while the shared cache is down.
    """
    limit = settings.ACCOUNTS_LOGIN_FAILURE_LIMIT
    if not settings.MASTHEAD_RATE_LIMITS or limit <= 0:
        return 0
    window = timedelta(seconds=settings.ACCOUNTS_LOGIN_FAILURE_WINDOW)
    now = timezone.now()
    wait = 0.0
    for field, value in (("username", account_key(username)), ("network_hash", network_hash)):
        if not value:
            continue
        # The limit-th newest failure inside the window: the lock lasts until it ages out.
        oldest_counted = (
            LoginFailure.objects.filter(**{field: value}, created_at__gt=now - window)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[limit - 1 : limit]
        )
        for created_at in oldest_counted:
            wait = max(wait, (created_at + window - now).total_seconds())
    return math.ceil(wait)


def admin_access(user) -> bool:
    """Whether `user` may use the admin (Wagtail's "access_admin"), from the cache.

    For what pages show (the editor bar), not for guarding anything: the admin's own views
    check the database. Kept per user until a permission, group or membership changes.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return tagged_value(
        f"admin-access:{user.pk}",
        tags=[PERMISSIONS_TAG],
        compute=lambda: user.has_perm("wagtailadmin.access_admin"),
    )
