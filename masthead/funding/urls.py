"""Funding's addresses; mounted at the site root, so the webhook is /webhooks/stripe."""

from django.urls import path

from masthead.funding import views

app_name = "funding"

urlpatterns = [
    path("webhooks/stripe", views.stripe_webhook, name="stripe_webhook"),
    path("support/checkout", views.checkout_start, name="checkout"),
    path("support/thanks", views.checkout_thanks, name="thanks"),
    path("support/cancelled", views.checkout_cancelled, name="cancelled"),
]
