from django.urls import path

from masthead.notifications import views

app_name = "notifications"

urlpatterns = [
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("threads/<str:key>/subscribe/", views.thread_subscribe, name="thread_subscribe"),
    path("subscriptions/", views.my_subscriptions, name="my_subscriptions"),
]
