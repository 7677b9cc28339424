"""Hold half-signed-in sessions (password given, second factor not yet) at the code page."""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from masthead.accounts import two_factor


class StaffTwoFactorMiddleware:
    """Must follow django_otp's OTPMiddleware, which tells whether a session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            state = request.session.get(two_factor.SESSION_KEY)
            if state is None:  # a session from before this check existed
                state = two_factor.session_state_store(request, user)
            if state:
                return self._hold(request, state)
        return self.get_response(request)

    def _hold(self, request, state):
        admin_prefix = reverse("wagtailadmin_home")
        if not request.path_info.startswith(admin_prefix):
            # Outside the admin the password alone signs nobody in.
            request.user = AnonymousUser()
            return self.get_response(request)
        verify, enrol = reverse("accounts_2fa_verify"), reverse("accounts_2fa_enrol")
        open_paths = {verify, enrol, reverse("wagtailadmin_logout")}
        if request.path_info in open_paths:
            return self.get_response(request)
        target = verify if state == two_factor.VERIFY else enrol
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
