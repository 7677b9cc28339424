"""A name or comment written with bidi control characters cannot turn the page around it.

U+202E (RIGHT-TO-LEFT OVERRIDE) reverses everything after it until the paragraph ends: in a
name, the comment's time, badges and "edited" would read backwards. Names and comments are
stored without such controls, and every text a reader wrote is isolated (`dir="auto"`,
`<bdi>`) so it takes its direction from its own letters and leaves its neighbours alone.
"""

import pytest
from bs4 import BeautifulSoup

from masthead.discussion import services
from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import article_thread, guest

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE: would close an isolate the page opened
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def fragment(client, comment):
    response = client.get(f"/discussion/comments/{comment.pk}/")
    assert response.status_code == 200
    return response.content.decode(), BeautifulSoup(response.content, "html.parser")


def test_an_override_in_a_name_cannot_flip_the_comment_header(client):
    _article, thread = article_thread()
    author = services.Author(name=f"{RLO}evil{PDI} twin", email="eve@example.org", reader="eve")
    comment = services.comment_post(thread=thread, text="Hello", author=author)

    html, page = fragment(client, comment)

    comment.refresh_from_db()
    assert comment.author_name == "evil twin"
    assert not any(control in html for control in CONTROLS)
    author = page.select_one(".comment-meta .comment-author")
    assert author["dir"] == "auto"
    assert author.get_text() == "evil twin"


def test_a_name_stored_before_the_cleaning_is_neutralised_when_shown(client):
    _article, thread = article_thread()
    comment = services.comment_post(thread=thread, text="Hello", author=guest("Eve"))
    Comment.objects.filter(pk=comment.pk).update(author_name=f"{RLO}evil")

    html, page = fragment(client, comment)

    assert RLO not in html
    author = page.select_one(".comment-meta .comment-author")
    assert author["dir"] == "auto" and author.get_text() == "evil"


def test_an_override_in_a_comment_stays_out_of_the_stored_text_and_html(client):
    _article, thread = article_thread()
    comment = services.comment_post(
        thread=thread, text=f"Plain {RLO}reversed &#x202E;too", author=guest("Ann")
    )

    html, page = fragment(client, comment)

    assert RLO not in comment.text and RLO not in comment.html
    assert RLO not in html
    body = page.select_one(".comment-body")
    assert body["dir"] == "auto"
    assert body.get_text(strip=True) == "Plain reversed too"


def test_a_flat_reply_names_the_comment_it_answers_in_an_isolate(client, settings):
    settings.DISCUSSION_NESTING_DEPTH = 2
    article, thread = article_thread()
    top = services.comment_post(thread=thread, text="Top", author=guest("Ann"))
    answered = services.comment_post(
        thread=thread, text="Reply", author=guest("Ben"), parent_id=top.pk
    )
    Comment.objects.filter(pk=answered.pk).update(author_name=f"{RLO}Ben")
    services.comment_post(thread=thread, text="Deeper", author=guest("Cat"), parent_id=answered.pk)

    page = BeautifulSoup(client.get(article.url).content, "html.parser")

    mention = page.select_one(".comment-flat .comment-mention")
    assert mention.get_text() == "@Ben"
    assert mention.select_one("bdi").get_text() == "Ben"


def test_the_quoted_passage_takes_its_own_direction(client):
    _article, thread = article_thread()
    comment = services.comment_post(
        thread=thread,
        text="About this",
        author=guest("Ann"),
        anchor=services.Anchor(exact="إنها جملة من المقال"),
    )

    _html, page = fragment(client, comment)

    quote = page.select_one(".comment-passage [dir=auto]")
    assert quote.get_text() == "“إنها جملة من المقال”"
