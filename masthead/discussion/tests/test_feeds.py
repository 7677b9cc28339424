"""RSS feeds of comments, checked by parsing them as a feed reader does."""

from datetime import timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree as ET
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.discussion import services
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import comments_bulk, guest
from masthead.publishing.tests import factories as publishing

pytestmark = pytest.mark.django_db

SITE = "https://news.example"
SITE_FEED = "/discussion/feed/"


def thread_feed_address(thread) -> str:
    return f"/discussion/threads/{thread.key}/feed/"


@pytest.fixture
def newsroom(settings):
    settings.SITE_URL = SITE
    publishing.outlet_configure(name="The Test Gazette")
    return publishing.section_create("City")


def article_with_thread(section, title):
    article = publishing.article_create(section, title)
    return article, services.thread_for_page(article)


def post(thread, name, text, *, minutes_ago):
    return services.comment_post(
        thread=thread,
        text=text,
        author=services.Author(name=name, email="reader@example.org", reader=f"r-{name}"),
        created=timezone.now() - timedelta(minutes=minutes_ago),
    )


def parse_feed(client, address, **headers):
    response = client.get(address, **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/rss+xml")
    ET.fromstring(response.content)  # well-formed XML, or this raises
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    return response, feed


def test_site_feed_lists_published_comments_of_every_article_newest_first(client, newsroom):
    ferry, ferry_thread = article_with_thread(newsroom, "Ferry fares frozen")
    _, park_thread = article_with_thread(newsroom, "Park reopens")
    oldest = post(ferry_thread, "Ana Ruiz", "Finally some good news.", minutes_ago=30)
    post(park_thread, "Moe Tanaka", "The swings are new.", minutes_ago=20)
    newest = post(ferry_thread, "Ada Guest", "What about **night** ferries?", minutes_ago=10)

    _, feed = parse_feed(client, SITE_FEED)

    assert feed.feed.title == "Latest comments · The Test Gazette"
    assert feed.feed.link == f"{SITE}/"
    assert [entry.title for entry in feed.entries] == [
        "Ada Guest on ‘Ferry fares frozen’",
        "Moe Tanaka on ‘Park reopens’",
        "Ana Ruiz on ‘Ferry fares frozen’",
    ]
    first = feed.entries[0]
    permalink = f"{SITE}{ferry.url}?comment={newest.pk}#comment-{newest.pk}"
    assert first.link == permalink
    assert first.id == permalink
    assert first.author == "Ada Guest"
    assert first.summary == "<p>What about <strong>night</strong> ferries?</p>"
    assert first.published_parsed[:5] == newest.created.utctimetuple()[:5]
    assert feed.entries[2].link == f"{SITE}{ferry.url}?comment={oldest.pk}#comment-{oldest.pk}"


def test_feed_never_publishes_author_emails(client, newsroom):
    _, thread = article_with_thread(newsroom, "Ferry fares frozen")
    services.comment_post(thread=thread, text="Finally.", author=guest("Ana Ruiz"))

    response, _ = parse_feed(client, SITE_FEED)

    assert b"ana@example.org" not in response.content


def test_permalink_opens_the_article_at_the_comment(client, newsroom):
    _, ferry_thread = article_with_thread(newsroom, "Ferry fares frozen")
    comments_bulk(ferry_thread, 25)  # older: the new comment is not on the first page by age
    comment = post(ferry_thread, "Ana Ruiz", "Finally some good news.", minutes_ago=1)

    _, feed = parse_feed(client, thread_feed_address(ferry_thread))
    link = urlsplit(feed.entries[0].link)
    assert f"{link.scheme}://{link.netloc}" == SITE

    page = BeautifulSoup(client.get(f"{link.path}?{link.query}").content, "html.parser")
    shown = page.select_one(f"#{link.fragment}")
    assert shown is not None
    assert shown["data-comment-id"] == str(comment.pk)
    assert "Finally some good news." in shown.get_text()


def test_only_published_comments_appear(client, newsroom, settings):
    _, thread = article_with_thread(newsroom, "Ferry fares frozen")
    post(thread, "Ana Ruiz", "Published and kept.", minutes_ago=50)
    deleted = post(thread, "Del Eter", "Regretted at once.", minutes_ago=40)
    services.comment_delete(comment_id=deleted.pk, author=guest("Del Eter"))
    for status in (Comment.Status.REJECTED, Comment.Status.SPAM):
        marked = post(thread, f"Marked {status}", f"Marked {status}.", minutes_ago=30)
        Comment.objects.filter(pk=marked.pk).update(status=status, listed=False)
    settings.DISCUSSION_SCREEN = "masthead.discussion.tests.screens.HoldEverything"
    held = post(thread, "Pat Pending", "Waiting for a moderator.", minutes_ago=20)
    assert held.status == Comment.Status.PENDING

    for address in (SITE_FEED, thread_feed_address(thread)):
        response, feed = parse_feed(client, address)

        assert [entry.author for entry in feed.entries] == ["Ana Ruiz"]
        for hidden in (b"Regretted", b"Marked", b"Waiting for a moderator"):
            assert hidden not in response.content


def test_comments_on_private_or_unpublished_articles_do_not_leak(client, newsroom):
    _, public_thread = article_with_thread(newsroom, "Ferry fares frozen")
    private, private_thread = article_with_thread(newsroom, "Staff only memo")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    members = publishing.section_create("Members")
    _, members_thread = article_with_thread(members, "Members' briefing")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    withdrawn, withdrawn_thread = article_with_thread(newsroom, "Withdrawn story")
    post(public_thread, "Ana Ruiz", "Public remark.", minutes_ago=40)
    post(private_thread, "Ivy Insider", "Secret remark.", minutes_ago=30)
    post(members_thread, "Mel Member", "Members' remark.", minutes_ago=20)
    post(withdrawn_thread, "Will Drawn", "Remark on a withdrawn story.", minutes_ago=10)
    withdrawn.unpublish()

    response, feed = parse_feed(client, SITE_FEED)

    assert [entry.author for entry in feed.entries] == ["Ana Ruiz"]
    for hidden in (b"Secret", b"Staff only", b"Members", b"Withdrawn", b"withdrawn"):
        assert hidden not in response.content
    for thread in (private_thread, members_thread, withdrawn_thread):
        response = client.get(thread_feed_address(thread))
        assert response.status_code == 404
        assert b"remark" not in response.content.lower()


def test_thread_feed_lists_only_its_own_comments(client, newsroom):
    ferry, ferry_thread = article_with_thread(newsroom, "Ferry fares frozen")
    _, park_thread = article_with_thread(newsroom, "Park reopens")
    post(ferry_thread, "Ana Ruiz", "Finally some good news.", minutes_ago=30)
    post(park_thread, "Moe Tanaka", "The swings are new.", minutes_ago=20)
    post(ferry_thread, "Ada Guest", "Night ferries?", minutes_ago=10)

    _, feed = parse_feed(client, thread_feed_address(ferry_thread))

    assert feed.feed.title == "Comments on ‘Ferry fares frozen’ · The Test Gazette"
    assert feed.feed.link == f"{SITE}{ferry.url}"
    assert feed.feed.description == "The newest comments on ‘Ferry fares frozen’."
    assert [entry.author for entry in feed.entries] == ["Ada Guest", "Ana Ruiz"]


def test_thread_feed_of_an_article_nobody_has_opened_yet_is_empty(client, newsroom):
    article = publishing.article_create(newsroom, "Fresh off the press")

    _, feed = parse_feed(client, f"/discussion/threads/{article.pk}/feed/")

    assert feed.feed.title == "Comments on ‘Fresh off the press’ · The Test Gazette"
    assert feed.entries == []


@pytest.mark.parametrize("key", ["no-such-thread", "999999", "9" * 30, "url-0123456789abcdef"])
def test_thread_feed_of_an_unknown_key_is_not_found(client, newsroom, key):
    assert client.get(f"/discussion/threads/{key}/feed/").status_code == 404


def test_thread_feed_of_a_page_outside_masthead_links_to_its_address(client, newsroom):
    thread = services.thread_for_url("https://blog.example/post/1?lang=en", title="A post")
    comment = post(thread, "Ana Ruiz", "Nice post.", minutes_ago=1)

    _, feed = parse_feed(client, thread_feed_address(thread))

    assert feed.feed.title == "Comments on ‘A post’ · The Test Gazette"
    assert feed.feed.link == "https://blog.example/post/1?lang=en"
    assert feed.entries[0].link == (
        f"https://blog.example/post/1?lang=en&comment={comment.pk}#comment-{comment.pk}"
    )
    _, site_feed = parse_feed(client, SITE_FEED)
    assert site_feed.entries == []  # the site feed is about this outlet's articles


def test_hostile_names_headlines_and_text_are_escaped(client, newsroom, settings):
    # About escaping, not moderation (which holds script markup as spam): published as is.
    settings.DISCUSSION_SCREEN = "masthead.discussion.screening.PublishEverything"
    _, thread = article_with_thread(newsroom, "Rock & <Roll> returns")
    post(
        thread,
        "<script>alert('name')</script> Mallory",
        "<script>alert('text')</script> Hello <img src=x onerror=alert(1)> & goodbye",
        minutes_ago=1,
    )

    for address in (SITE_FEED, thread_feed_address(thread)):
        response, feed = parse_feed(client, address)

        assert b"<script" not in response.content  # escaped as &lt;script, never raw markup
        assert feed.entries[0].author == "<script>alert('name')</script> Mallory"
        item = ET.fromstring(response.content).find("channel/item")
        assert item.find("title").text == (
            "<script>alert('name')</script> Mallory on ‘Rock & <Roll> returns’"
        )
        # The stored HTML, sanitized when written: the hostile markup is only text in it.
        description = BeautifulSoup(item.find("description").text, "html.parser")
        assert description.find_all(["script", "img"]) == []
        assert "<script>alert('text')</script> Hello" in description.get_text()
        assert all(
            not name.startswith("on") for tag in description.find_all(True) for name in tag.attrs
        )


def test_links_come_from_site_url_not_the_request_host(client, newsroom, settings):
    settings.ALLOWED_HOSTS = ["*"]
    ferry, thread = article_with_thread(newsroom, "Ferry fares frozen")
    post(thread, "Ana Ruiz", "Finally.", minutes_ago=1)

    for address in (SITE_FEED, thread_feed_address(thread)):
        response, feed = parse_feed(client, address, HTTP_HOST="evil.example")

        assert b"evil.example" not in response.content
        assert feed.entries[0].link.startswith(f"{SITE}{ferry.url}?comment=")


def test_feed_length_is_capped_by_setting(client, newsroom, settings):
    settings.DISCUSSION_FEED_LENGTH = 2
    _, thread = article_with_thread(newsroom, "Ferry fares frozen")
    for number in range(4):
        post(thread, f"Reader {number}", f"Comment {number}.", minutes_ago=10 - number)

    for address in (SITE_FEED, thread_feed_address(thread)):
        _, feed = parse_feed(client, address)

        assert [entry.author for entry in feed.entries] == ["Reader 3", "Reader 2"]


def queries_to_read(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        parse_feed(client, address)
    return len(queries)


def test_feeds_cost_the_same_queries_for_3_or_40_comments_across_articles(client, newsroom):
    threads = [article_with_thread(newsroom, f"Story {n}")[1] for n in range(4)]
    comments_bulk(threads[0], 3)
    addresses = (SITE_FEED, thread_feed_address(threads[0]))
    client.get(SITE_FEED)  # warm Wagtail's cached site root paths, as any earlier page does
    few = {address: queries_to_read(client, address) for address in addresses}

    for thread in threads:
        comments_bulk(thread, 10)
    many = {address: queries_to_read(client, address) for address in addresses}

    assert many == few
    # Site, outlet settings, view restrictions, then the comments with their threads and pages.
    assert few[SITE_FEED] == 4
    # The same, plus the thread (filtered to public articles in the same query).
    assert few[thread_feed_address(threads[0])] == 5


def test_article_page_advertises_its_comment_feed(client, newsroom):
    ferry, thread = article_with_thread(newsroom, "Ferry & friends")
    post(thread, "Ana Ruiz", "Finally.", minutes_ago=1)

    page = BeautifulSoup(client.get(ferry.url).content, "html.parser")

    link = page.select_one(f'head link[rel=alternate][href="{thread_feed_address(thread)}"]')
    assert link is not None
    assert link["type"] == "application/rss+xml"
    assert link["title"] == "Comments on ‘Ferry & friends’ (RSS)"
    _, feed = parse_feed(client, link["href"])
    assert [entry.author for entry in feed.entries] == ["Ana Ruiz"]
