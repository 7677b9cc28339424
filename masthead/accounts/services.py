"""Writes about signing in: the failure audit."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from masthead.accounts.models import LoginFailure
from masthead.accounts.selectors import account_key


def login_failure_record(*, username: str, network_hash: str, stage: str) -> LoginFailure:
    """Audit one refused sign-in attempt (it also counts towards the throttle)."""
    return LoginFailure.objects.create(
        username=account_key(username), network_hash=network_hash, stage=stage
    )


def login_failures_prune() -> int:
    """Forget failures older than ACCOUNTS_LOGIN_AUDIT_DAYS; return how many went."""
    cutoff = timezone.now() - timedelta(days=settings.ACCOUNTS_LOGIN_AUDIT_DAYS)
    deleted, _ = LoginFailure.objects.filter(created_at__lt=cutoff).delete()
    return deleted
