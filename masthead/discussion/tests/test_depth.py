"""Bounded nesting: replies stop deepening at the configured depth, and conversations stored
deeper before the bound still render everywhere, at a fixed query cost."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import Comment, Thread
from masthead.discussion.tests.factories import article_thread, guest

pytestmark = pytest.mark.django_db

LEGACY_DEPTH = 600


def chain_store(thread, length: int) -> list[Comment]:
    """Store a conversation `length` comments deep directly, as data from before the bound."""
    start = timezone.now() - timedelta(days=1)
    chain = []
    for level in range(length):
        parent = chain[-1] if chain else None
        chain.append(
            Comment.objects.create(
                thread=thread,
                parent=parent,
                root=chain[0] if chain else None,
                depth=level,
                author_name=f"Reader {level}",
                text=f"Level {level}",
                html=f"<p>Level {level}</p>",
                created=start + timedelta(seconds=level),
                reply_count=1 if level < length - 1 else 0,
                listed=True,
            )
        )
    Thread.objects.filter(pk=thread.pk).update(comment_count=length)
    return chain


def test_a_reply_to_a_comment_at_the_deepest_level_is_stored_beside_it(settings):
    settings.DISCUSSION_NESTING_DEPTH = 3
    _, thread = article_thread()
    chain = [services.comment_post(thread=thread, text="Level 0", author=guest("Ann"))]
    for level in range(1, 4):
        chain.append(
            services.comment_post(
                thread=thread, text=f"Level {level}", author=guest(), parent_id=chain[-1].pk
            )
        )
    deepest = chain[-1]

    reply = services.comment_post(
        thread=thread, text="And another thing", author=guest("Bo"), parent_id=deepest.pk
    )

    assert deepest.depth == 3
    assert (reply.depth, reply.parent_id, reply.root_id) == (3, chain[2].pk, chain[0].pk)
    assert Comment.objects.get(pk=chain[2].pk).reply_count == 2


def test_the_answered_comment_shows_in_the_mention_and_is_no_longer_editable(client, settings):
    settings.DISCUSSION_NESTING_DEPTH = 1
    article, thread = article_thread()
    top = services.comment_post(thread=thread, text="Top", author=guest("Ann"))
    cat = services.comment_post(thread=thread, text="Deep", author=guest("Cat"), parent_id=top.pk)
    services.comment_post(thread=thread, text="Beside", author=guest("Dan"), parent_id=cat.pk)

    page = BeautifulSoup(client.get(article.url).content, "html.parser")

    mentions = [tag.get_text() for tag in page.select(".comment-flat .comment-mention")]
    assert mentions == ["@Ann", "@Cat"]
    with pytest.raises(services.ConflictError, match="has replies now"):
        services.comment_edit(comment_id=cat.pk, text="Changed", author=guest("Cat"))


def test_a_reply_inside_a_conversation_stored_too_deep_is_kept_at_the_bound(settings):
    settings.DISCUSSION_NESTING_DEPTH = 5
    _, thread = article_thread()
    chain = chain_store(thread, 40)

    with CaptureQueriesContext(connection) as captured:
        reply = services.comment_post(
            thread=thread, text="Late to this", author=guest(), parent_id=chain[-1].pk
        )

    assert (reply.depth, reply.parent_id) == (5, chain[4].pk)
    # Finding the ancestor is one read of the conversation, not one query per level.
    assert len(captured.captured_queries) < 25


def test_a_chain_600_deep_lists_in_the_api_as_a_bounded_tree(client, settings):
    settings.DISCUSSION_NESTING_DEPTH = 5
    article, thread = article_thread()
    chain = chain_store(thread, LEGACY_DEPTH)

    response = client.get(f"/api/v1/threads/{article.pk}/comments")

    assert response.status_code == 200
    node, levels = response.json()["comments"][0], 0
    while node["replies"] and levels < 50:
        if len(node["replies"]) > 1:
            break
        node, levels = node["replies"][0], levels + 1
    # Five nested levels, then everything deeper flat and in order under the fifth.
    assert levels == 4 and node["id"] == chain[4].pk
    assert [reply["id"] for reply in node["replies"]] == [c.pk for c in chain[5:]]
    assert all(reply["replies"] == [] for reply in node["replies"])
    assert node["replies"][-1]["parent"] == chain[-2].pk


def test_a_chain_600_deep_renders_on_the_article_and_in_the_fragments(client, settings):
    settings.DISCUSSION_NESTING_DEPTH = 5
    article, thread = article_thread()
    chain = chain_store(thread, LEGACY_DEPTH)

    pages = [
        client.get(article.url),
        client.get(f"/discussion/threads/{article.pk}/comments/", {"sort": "oldest"}),
        client.get(f"/discussion/threads/{article.pk}/comments/", {"comment": chain[-1].pk}),
    ]

    for response in pages:
        assert response.status_code == 200
        page = BeautifulSoup(response.content, "html.parser")
        last = page.select_one(f"#comment-{chain[-1].pk}")
        assert "comment-flat" in last["class"]
        assert last.select_one(".comment-mention").get_text() == f"@Reader {LEGACY_DEPTH - 2}"
        assert len(page.select(".comment")) == LEGACY_DEPTH
        cards = page.select(".comment")
        assert max(len(card.find_parents("article", class_="comment")) for card in cards) == 5


def test_listing_a_600_deep_chain_costs_what_a_short_one_does(client):
    article, thread = article_thread()
    chain_store(thread, 10)
    other, other_thread = article_thread("Another story")
    chain_store(other_thread, LEGACY_DEPTH)

    counts = []
    for page in (article, other):
        url = f"/api/v1/threads/{page.pk}/comments"
        client.get(url, {"limit": 5})  # warm-up: the discussion settings are read and cached
        with CaptureQueriesContext(connection) as captured:
            # A page size not read before: built from the database, not the shared cache.
            assert client.get(url, {"limit": 20}).status_code == 200
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1] == 3  # thread, top-level comments, their replies
