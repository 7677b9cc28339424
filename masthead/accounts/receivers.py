"""Django's authentication signals → the failure audit and the second-factor state."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed

from masthead.accounts import services, two_factor
from masthead.accounts.models import LoginFailure
from masthead.core.hashing import ip_hash


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Every authenticate() with a request lands here: the reader login, the admin login, and
    # any later sign-in form. Without a request (a script) there is no network to count.
    if request is None:
        return
    username = credentials.get(get_user_model().USERNAME_FIELD, "") or ""
    services.login_failure_record(
        username=str(username), network_hash=ip_hash(request), stage=LoginFailure.Stage.PASSWORD
    )


def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        two_factor.session_state_store(request, user)


def connect() -> None:
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.login_failed")
    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.logged_in")
