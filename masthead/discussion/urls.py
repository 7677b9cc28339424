from django.urls import path

from masthead.discussion import views
from masthead.discussion.feeds import CommentRssFeed

app_name = "discussion"

urlpatterns = [
    path("feed/", CommentRssFeed(), name="feed"),
    path("threads/<str:key>/feed/", CommentRssFeed(), name="thread_feed"),
    path("threads/<str:key>/comments/", views.thread_fragment, name="thread_fragment"),
    path("threads/<str:key>/inline/", views.inline_fragment, name="inline_fragment"),
    path("threads/<str:key>/post/", views.comment_form_post, name="comment_form_post"),
    path("comments/<int:comment_id>/", views.comment_fragment, name="comment_fragment"),
]
