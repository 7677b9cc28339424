"""Staff's second factor: TOTP devices from django-otp, and what a session still owes.

A user with a confirmed device is signed in by the password only half-way: until the code is
given (`django_otp.login` marks the session verified), the admin asks for it and the rest of
the site treats the session as anonymous. With MASTHEAD_STAFF_2FA=required, staff without a
device are sent to enrol one before the admin opens.
"""

from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

SESSION_KEY = "accounts.2fa"
VERIFY = "verify"
ENROL = "enrol"


def is_staff(user) -> bool:
    """Return whether `user` may use Wagtail's admin."""
    return user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def state_for(user) -> str:
    """Return what `user` owes after the password: VERIFY, ENROL or "" (nothing)."""
    if user_has_device(user, confirmed=True):
        return VERIFY
    if settings.MASTHEAD_STAFF_2FA == "required" and is_staff(user):
        return ENROL
    return ""


def session_state_store(request, user) -> str:
    """Compute `user`'s state once per sign-in and keep it in the session (no query per page)."""
    state = state_for(user)
    request.session[SESSION_KEY] = state
    return state


def device_pending(user) -> TOTPDevice:
    """Return `user`'s unconfirmed device (its key shown as a QR code), made if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm `device` if `token` is its current code; drop the user's other pending ones."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def devices_remove(user) -> int:
    """Remove every TOTP device of `user`; return how many."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
