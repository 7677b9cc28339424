"""Shared steps for the notification tests: post as a reader, subscribe, follow mailed links."""

import re
from urllib.parse import urlsplit

from masthead.discussion import services as discussion
from masthead.discussion.tests.factories import guest
from masthead.notifications import services

LINK = re.compile(r"https?://[^\s<>\"]+")


def post(thread, text: str, author=None, *, parent=None, capture=None):
    """Post a comment and run what happens after its commit (signals, tasks, delivery)."""
    author = author or guest("Other Reader")
    with capture(execute=True):
        return discussion.comment_post(
            thread=thread, text=text, author=author, parent_id=parent.pk if parent else None
        )


def subscribe(thread, email: str, kind: str = "thread", *, comment=None, capture, user=None):
    with capture(execute=True):
        return services.subscription_request(
            thread=thread, kind=kind, email=email, comment=comment, user=user, ip_hash="test-ip"
        )


def plain(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links(message, containing: str) -> list[str]:
    return [link for link in LINK.findall(plain(message)) if containing in link]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def confirm_from_mail(client, message) -> None:
    """Follow the confirmation link of `message` and press its button, as a reader would."""
    (link,) = links(message, "/notifications/confirm/")
    page = client.get(path_of(link))
    assert page.status_code == 200
    done = client.post(path_of(link))
    assert done.status_code == 200, done.content


def unsubscribe_link(message) -> str:
    header = message["List-Unsubscribe"]
    return re.search(r"<(https?://[^>]+)>", header).group(1)
