from django.urls import path

from masthead.moderation import views

app_name = "moderation"

urlpatterns = [
    path("altcha/challenge", views.altcha_challenge, name="altcha_challenge"),
]
