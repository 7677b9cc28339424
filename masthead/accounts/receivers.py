"""Django's authentication signals → the failure audit and the second-factor state."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save

from masthead.accounts import selectors, services, two_factor
from masthead.accounts.models import LoginFailure
from masthead.core.hashing import ip_hash
from masthead.core.pagecache import cache_tags_invalidate


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


def on_permissions_changed(sender, **kwargs):
    # A group or permission changed, or who belongs to what: what selectors.admin_access kept
    # may be wrong for anyone.
    if kwargs.get("action", "post_").startswith("post_"):
        cache_tags_invalidate(selectors.PERMISSIONS_TAG)


def connect() -> None:
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.login_failed")
    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.logged_in")
    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            on_permissions_changed, sender=through, dispatch_uid=f"accounts.perms.{through}"
        )
    for model in (Group, Permission):
        for signal in (post_save, post_delete):
            signal.connect(
                on_permissions_changed, sender=model, dispatch_uid=f"accounts.perms.{model}"
            )
    # A deleted account's answer must not outlive it (nor be found by a later one).
    post_delete.connect(
        on_permissions_changed, sender=user_model, dispatch_uid="accounts.perms.user"
    )
