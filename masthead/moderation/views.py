"""Public moderation endpoints (the moderators' screens are in admin_views.py)."""

from django.views.decorators.http import require_GET


@require_GET
def altcha_challenge(request):
    """A fresh proof-of-work challenge for a guest's browser."""
    from masthead.moderation.altcha import altcha_challenge_view

    return altcha_challenge_view(request)
