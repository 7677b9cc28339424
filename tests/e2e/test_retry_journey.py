"""A reader whose post reached the server but whose answer was lost presses Post again, in a
real browser: the page retries with the same key, and the thread holds the comment once."""

import pytest
from playwright.sync_api import expect

from masthead.discussion.models import Comment
from tests.e2e.test_discussion_journey import _article, _fill_guest, _top_level

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_post_whose_answer_was_lost_is_retried_once_with_the_same_key(live_server, page):
    article, thread = _article()
    keys = []

    def lose_the_first_answer(route, request):
        if request.method != "POST":
            return route.continue_()
        keys.append(request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the server stores the comment ...
            return route.abort("connectionreset")  # ... and the answer never arrives
        return route.continue_()

    page.route("**/api/v1/threads/*/comments", lose_the_first_answer)
    page.goto(live_server.url + article.url)
    form = page.locator("[data-comment-form]")
    form.locator("textarea").fill("Posted once, whatever the network does.")
    _fill_guest(form)
    form.get_by_role("button", name="Post comment").click()
    expect(form.locator("[data-form-error]")).to_be_visible()
    assert Comment.objects.filter(thread=thread).count() == 1  # stored, though the page failed

    form.get_by_role("button", name="Post comment").click()
    expect(_top_level(page).first).to_contain_text("Posted once, whatever the network does.")
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]
    assert Comment.objects.filter(thread=thread).count() == 1
    expect(_top_level(page)).to_have_count(1)

    # A new comment gets a new key.
    form.locator("textarea").fill("A second, different comment.")
    form.get_by_role("button", name="Post comment").click()
    expect(_top_level(page)).to_have_count(2)
    assert keys[2] != keys[0]
    assert Comment.objects.filter(thread=thread).count() == 2
