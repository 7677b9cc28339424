"""Stripe's doors into funding: the webhook, and the card checkout behind the Support page."""

from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from masthead.funding import checkout, stripe_events
from masthead.funding.services import FundingError
from masthead.notifications.services import page_language


@csrf_exempt  # Stripe cannot send a CSRF token; the signature stands in for it.
@require_POST
def stripe_webhook(request):
    """Verify a Stripe event and apply it once; 4xx tells Stripe to retry later.

    Database errors are left to propagate: the 500 makes Stripe deliver the event again.
    """
    try:
        event = stripe_events.stripe_event_verify(
            request.body, request.headers.get("Stripe-Signature", "")
        )
        outcome = stripe_events.stripe_event_apply(event)
    except FundingError as error:
        return JsonResponse({"error": error.message}, status=error.status)
    if outcome == stripe_events.DUPLICATE:
        return JsonResponse({"status": "duplicate"})
    return JsonResponse({"status": "applied", "outcome": outcome})


@require_POST
def checkout_start(request):
    """Send the reader to Stripe Checkout for the gift chosen on the Support page."""
    # The form carries its page's language (this address has none of its own): the session,
    # the refusals and the receipt are in it.
    language = page_language(request.POST.get("language", ""))
    try:
        with translation.override(language):
            choice = checkout.checkout_choice_read(request.POST)
            address = checkout.checkout_session_open(
                choice, outlet_name=checkout.outlet_name_for(request)
            )
    except FundingError as error:
        return TemplateResponse(
            request,
            "funding/checkout_problem.html",
            {"message": error.message},
            status=error.status,
        )
    # 303: the browser follows with a GET, never re-posting the form to Stripe's page.
    return HttpResponseRedirect(address, status=303)


@require_GET
def checkout_thanks(request):
    """Thank the reader; the session id in the address is not trusted for anything."""
    return TemplateResponse(request, "funding/thanks.html")


@require_GET
def checkout_cancelled(request):
    """Tell the reader nothing was charged."""
    return TemplateResponse(request, "funding/cancelled.html")
