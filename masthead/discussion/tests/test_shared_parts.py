"""The comment list a signed-in reader's page reuses is never behind the discussion.

Pages rendered per reader (signed in, or with the page cache off) take the first comments of
each order from the shared cache (`{% discussion %}`); every change readers or moderators make
must show on the very next view.
"""

import pytest
from bs4 import BeautifulSoup

from masthead.discussion import services
from masthead.discussion.tests.factories import article_thread, guest

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, django_user_model, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0  # every view is rendered
    user = django_user_model.objects.create_user("ada", password="pw-for-tests", first_name="Ada")
    client.force_login(user)
    return client


def comments_on(response) -> dict[str, str]:
    page = BeautifulSoup(response.content, "html.parser")
    return {
        card.select_one(".comment-body").get_text(strip=True): card.select_one(
            "[data-score]"
        ).get_text()
        for card in page.select("article.comment")
        if card.select_one(".comment-body")
    }


def test_a_new_comment_shows_on_the_next_view(reader, django_capture_on_commit_callbacks):
    article, thread = article_thread()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(thread=thread, text="First thoughts", author=guest())
    assert list(comments_on(reader.get(article.url))) == ["First thoughts"]

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(thread=thread, text="A second opinion", author=guest("Bo"))
    response = reader.get(article.url)

    assert set(comments_on(response)) == {"First thoughts", "A second opinion"}
    assert b"2 Comments<" in response.content


def test_a_vote_shows_in_the_score_at_once(reader, django_capture_on_commit_callbacks):
    article, thread = article_thread()
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_post(thread=thread, text="Vote on me", author=guest())
    assert comments_on(reader.get(article.url)) == {"Vote on me": "0"}

    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(comment_id=comment.pk, voter="reader-1", value=1)

    assert comments_on(reader.get(article.url)) == {"Vote on me": "1"}
    most_voted = reader.get(article.url, {"sort": "most_voted"})
    assert comments_on(most_voted) == {"Vote on me": "1"}


def test_a_comment_a_moderator_removes_is_gone_at_once(reader, django_capture_on_commit_callbacks):
    article, thread = article_thread()
    with django_capture_on_commit_callbacks(execute=True):
        kept = services.comment_post(thread=thread, text="A fair point", author=guest())
        removed = services.comment_post(thread=thread, text="Something vile", author=guest("X"))
    assert set(comments_on(reader.get(article.url))) == {"A fair point", "Something vile"}

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comment_id=removed.pk, status="rejected")
    response = reader.get(article.url)

    assert list(comments_on(response)) == ["A fair point"]
    assert kept.pk != removed.pk
    assert b"1 Comment<" in response.content


def test_closing_the_discussion_takes_the_reply_buttons_away(
    reader, django_capture_on_commit_callbacks
):
    article, thread = article_thread()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(thread=thread, text="Before the close", author=guest())
    assert b"data-reply" in reader.get(article.url).content

    with django_capture_on_commit_callbacks(execute=True):
        services.thread_close(thread=thread)
    response = reader.get(article.url)

    assert b"data-reply" not in response.content
    assert b"This discussion is closed" in response.content


def test_readers_share_the_comments_but_not_the_form(
    client, django_user_model, settings, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0
    article, thread = article_thread()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(thread=thread, text="Shared by all", author=guest())
    pages = {}
    for name in ("Ada", "Bo"):
        user = django_user_model.objects.create_user(name.lower(), password="pw", first_name=name)
        client.force_login(user)
        pages[name] = client.get(article.url)

    for name, response in pages.items():
        identity = BeautifulSoup(response.content, "html.parser").select_one(
            ".comment-form-identity"
        )
        assert identity.get_text() == f"Posting as {name}"
        assert list(comments_on(response)) == ["Shared by all"]


def test_the_api_first_page_is_never_behind_the_thread(client, django_capture_on_commit_callbacks):
    _article, thread = article_thread()
    url = f"/api/v1/threads/{thread.key}/comments"
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_post(thread=thread, text="Kept for everyone", author=guest())
    assert [c["score"] for c in client.get(url).json()["comments"]] == [0]

    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(comment_id=comment.pk, voter="reader-1", value=1)
        services.comment_post(thread=thread, text="Then another", author=guest("Bo"))
    answer = client.get(url).json()

    assert answer["thread"]["count"] == 2
    assert [c["score"] for c in answer["comments"]] == [0, 1]  # newest first
