"""A guest takes part in an article's discussion, in a real browser.

Posting, replying, voting, sorting, paging, permalinks deep in a long thread, inline feedback
on a marked passage and on a selected sentence, the "please comment" bubble, and comments
written to attack the page.
"""

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from masthead.discussion import services
from masthead.discussion.models import Comment
from masthead.discussion.screening import Verdict
from masthead.publishing.tests import factories

pytestmark = [
    pytest.mark.browser,
    # Transactional, so the live server sees the data; the migration-made front page and site
    # are restored before each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Screenshots of the section, for people reviewing its look (not compared by the test).
SHOTS = Path(os.environ.get("MASTHEAD_SCREENSHOTS", tempfile.gettempdir()))
QUESTION = "What do you think about this?"
PASSAGE = (
    "Should the city phase in the fare rise over three years, as the opposition proposed, "
    "instead of all at once next spring?"
)
SENTENCE = "The vote passed by a single vote after a long debate."
BODY = [
    {
        "type": "paragraph",
        "value": "<p>The harbour authority voted on Tuesday to raise ferry fares by twelve "
        "percent, the first rise in six years. Commuters from the outer islands pay the most.</p>",
    },
    {
        "type": "paragraph",
        "value": f"<p>Officials said the money would pay for two new electric vessels. "
        f"{SENTENCE}</p>",
    },
    {"type": "feedback", "value": {"text": f"<p>{PASSAGE}</p>", "question": QUESTION}},
    {
        "type": "paragraph",
        "value": "<p>The new fares take effect in April. Season tickets bought before then keep "
        "the old price until they expire.</p>",
    },
    {
        "type": "paragraph",
        "value": "<p>Critics said the decision hits shift workers hardest, because the early "
        "ferries are the only way to the hospital before the bridge opens.</p>",
    },
]
XSS_PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "[x](javascript:window.__xss=1)",
    '"><svg onload=window.__xss=1>',
]


class HoldForReview:
    """A moderation screen that holds every comment for review."""

    def screen(self, submission):
        return Verdict("hold", ["held by the test"], "Your comment is awaiting moderation.")


def _article(title="Council backs ferry fare rise after a long debate"):
    section = factories.section_create("City")
    article = factories.article_create(section, title, body=BODY)
    return article, services.thread_for_page(article)


# These tests are about the discussion, not its moderation: comments that stand for an
# existing discussion, and markup written to attack the page, are published whatever the
# moderation model would make of them.
PUBLISH_EVERYTHING = "masthead.discussion.screening.PublishEverything"


def _seed(thread, count):
    """Post `count` top-level comments a minute apart, oldest first (already moderated)."""
    start = timezone.now() - timedelta(days=3)
    with override_settings(DISCUSSION_SCREEN=PUBLISH_EVERYTHING):
        return _seed_comments(thread, count, start)


def _seed_comments(thread, count, start):
    return [
        services.comment_post(
            thread=thread,
            text=f"Seeded comment number {number}.",
            author=services.Author(
                name=f"Reader {number}", email=f"reader{number}@example.org", reader="seed"
            ),
            created=start + timedelta(minutes=number),
        )
        for number in range(count)
    ]


def _watch_errors(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _top_level(page):
    return page.locator("[data-comment-list] > .comment")


def _fill_guest(scope, name="Nora Guest", email="nora@example.org"):
    scope.locator("input[name=author_name]").fill(name)
    scope.locator("input[name=author_email]").fill(email)


def test_guest_posts_replies_votes_sorts_pages_and_follows_a_permalink(live_server, page):
    article, thread = _article()
    seeded = _seed(thread, 300)
    popular = seeded[42]
    for voter in range(3):
        services.vote_cast(comment_id=popular.pk, voter=f"guest:fan{voter}", value=1)
    errors = _watch_errors(page)
    url = live_server.url + article.url

    page.goto(url)
    count = page.locator("[data-comment-count]")
    expect(count).to_have_text("300 Comments")
    expect(_top_level(page)).to_have_count(10)
    expect(_top_level(page).first).to_contain_text("Seeded comment number 299.")
    # Relative times are rendered by the browser, with the exact time kept in the title.
    first_time = _top_level(page).first.locator(".comment-time time")
    expect(first_time).to_have_text(re.compile(r"ago|yesterday|last"))
    expect(first_time).to_have_attribute("title", re.compile(r"\d{4}"))

    # A new comment appears at the top, without leaving the page, and the count follows.
    form = page.locator("[data-comment-form]")
    form.locator("textarea").fill("Phasing the rise in would have cost the city **nothing**.")
    _fill_guest(form)
    form.get_by_role("button", name="Post comment").click()
    expect(count).to_have_text("301 Comments")
    mine = _top_level(page).first
    expect(mine).to_contain_text("Phasing the rise in would have cost the city nothing.")
    expect(mine.locator(".comment-author")).to_have_text("Nora Guest")
    expect(mine.locator("strong")).to_have_text("nothing")
    expect(mine).to_have_class(re.compile(r"comment-highlight"))
    expect(form.locator("textarea")).to_have_value("")
    assert page.url == url
    posted = Comment.objects.get(text__startswith="Phasing the rise")
    assert posted.author_email == "nora@example.org"
    # Guests may edit their own comment: the buttons show on it, not on others.
    expect(mine.locator("[data-edit]")).to_be_visible()
    expect(_top_level(page).nth(1).locator("[data-edit]")).to_be_hidden()

    # A reply opens a form in place, with the guest's name remembered, and lands nested.
    mine.locator("[data-reply]").click()
    reply_form = mine.locator("form.comment-form-reply")
    expect(reply_form.locator("textarea")).to_be_focused()
    expect(reply_form.locator("input[name=author_name]")).to_have_value("Nora Guest")
    reply_form.locator("textarea").fill("Replying to myself: and the boats are overdue.")
    reply_form.get_by_role("button", name="Post reply").click()
    reply = mine.locator(".comment-replies > .comment")
    expect(reply).to_contain_text("Replying to myself: and the boats are overdue.")
    expect(reply_form).to_have_count(0)
    expect(count).to_have_text("302 Comments")
    assert Comment.objects.get(text__startswith="Replying to myself").parent_id == posted.pk
    # With a reply it can no longer be edited.
    expect(mine.locator(":scope > .comment-main [data-edit]")).to_be_hidden()

    # Voting changes the score at once; clicking the active arrow again withdraws the vote.
    target = _top_level(page).nth(1)
    up = target.locator(":scope > .comment-main .vote-up")
    score = target.locator(":scope > .comment-main [data-score]")
    up.click()
    expect(score).to_have_text("1")
    expect(up).to_have_class(re.compile(r"is-active"))
    up.click()
    expect(score).to_have_text("0")
    expect(up).not_to_have_class(re.compile(r"is-active"))
    up.click()
    expect(score).to_have_text("1")
    voted_id = target.get_attribute("data-comment-id")

    page.screenshot(path=SHOTS / "discussion-journey-desktop.png", full_page=False)
    page.locator("#comments").screenshot(path=SHOTS / "discussion-desktop.png")

    # After a reload the reader's own vote is still marked.
    page.reload()
    voted = page.locator(f"#comment-{voted_id}")
    expect(voted.locator(":scope > .comment-main .vote-up")).to_have_class(re.compile(r"is-active"))
    expect(voted.locator(":scope > .comment-main [data-score]")).to_have_text("1")

    # Sorting swaps the list in place and keeps the choice in the address.
    page.locator("[data-sort-tab=oldest]").click()
    expect(_top_level(page).first).to_contain_text("Seeded comment number 0.")
    expect(page.locator("[data-sort-tab=oldest]")).to_have_attribute("aria-current", "true")
    expect(page).to_have_url(re.compile(r"\?sort=oldest"))
    page.locator("[data-sort-tab=most_voted]").click()
    expect(_top_level(page).first).to_contain_text("Seeded comment number 42.")
    expect(_top_level(page).first.locator("[data-score]").first).to_have_text("3")
    expect(page).to_have_url(re.compile(r"\?sort=most_voted"))

    # "View all comments", then "Load more comments", append the following pages.
    page.locator("[data-sort-tab=oldest]").click()
    expect(_top_level(page).first).to_contain_text("Seeded comment number 0.")
    page.get_by_role("link", name="View all comments").click()
    expect(_top_level(page)).to_have_count(20)
    expect(_top_level(page).nth(10)).to_contain_text("Seeded comment number 10.")
    page.get_by_role("link", name="Load more comments").click()
    expect(_top_level(page)).to_have_count(30)
    expect(_top_level(page).nth(29)).to_contain_text("Seeded comment number 29.")
    expect(page.locator("[data-load-more]")).to_have_count(1)

    # A permalink to a comment deep in the thread loads its page and highlights it.
    deep = seeded[249]
    page.goto(f"{url}?#comment-{deep.pk}")
    located = page.locator(f"#comment-{deep.pk}")
    expect(located).to_be_visible()
    expect(located).to_contain_text("Seeded comment number 249.")
    expect(located).to_have_class(re.compile(r"comment-highlight"))
    expect(located).to_be_in_viewport()

    # The comment's "Link" puts its permalink in the address bar.
    neighbour = _top_level(page).nth(1)
    neighbour_id = neighbour.get_attribute("data-comment-id")
    neighbour.locator(".comment-permalink").first.click()
    expect(page).to_have_url(re.compile(rf"\?comment={neighbour_id}#comment-{neighbour_id}$"))
    expect(neighbour).to_have_class(re.compile(r"comment-highlight"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    expect(_top_level(page)).to_have_count(10)
    page.locator("#comments").screenshot(path=SHOTS / "discussion-mobile.png")
    assert errors == []


def test_guest_gives_inline_feedback_and_closes_the_bubble_for_good(live_server, page):
    article, thread = _article()
    _seed(thread, 3)
    errors = _watch_errors(page)
    url = live_server.url + article.url
    page.goto(url)

    # The marked passage has a marker with its count and question; it opens a mini form.
    marker = page.locator(".feedback-passage .feedback-marker")
    expect(marker).to_contain_text(QUESTION)
    expect(marker.locator(".feedback-marker-count")).to_have_text("0")
    marker.click()
    mini = page.locator(".feedback-form")
    expect(mini).to_be_visible()
    expect(mini.locator("textarea")).to_be_focused()
    mini.locator("textarea").fill("Phase it in: three years is fair.")
    _fill_guest(mini, "Ines Reader", "ines@example.org")
    page.screenshot(path=SHOTS / "discussion-inline-form.png")
    mini.get_by_role("button", name="Post comment").click()
    expect(marker.locator(".feedback-marker-count")).to_have_text("1")
    expect(mini).to_have_count(0)
    expect(page.locator(".feedback-thanks")).to_contain_text("Your comment was posted.")
    expect(page.locator("[data-comment-count]")).to_have_text("4 Comments")
    on_passage = Comment.objects.get(text="Phase it in: three years is fair.")
    assert on_passage.anchor_block == article.body[2].id
    assert on_passage.anchor_exact == PASSAGE

    # Selecting a sentence offers "Comment on this"; the comment keeps quote and context.
    page.evaluate(
        """sentence => {
            const body = document.querySelector(".article-body");
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(sentence);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + sentence.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                node.parentElement.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                return;
            }
            throw new Error("sentence not found");
        }""",
        SENTENCE,
    )
    floating = page.locator(".selection-comment")
    expect(floating).to_be_visible()
    expect(floating).to_have_text("Comment on this")
    page.screenshot(path=SHOTS / "discussion-selection.png")
    floating.click()
    mini = page.locator(".feedback-form")
    expect(mini.locator(".feedback-form-quote")).to_have_text(f"“{SENTENCE}”")
    expect(mini.locator("input[name=author_name]")).to_have_value("Ines Reader")
    mini.locator("textarea").fill("Which debate? Link the minutes, please.")
    mini.get_by_role("button", name="Post comment").click()
    expect(mini).to_have_count(0)
    expect(page.locator("[data-comment-count]")).to_have_text("5 Comments")
    on_sentence = Comment.objects.get(text="Which debate? Link the minutes, please.")
    assert on_sentence.anchor_exact == SENTENCE
    assert on_sentence.anchor_block == ""
    assert on_sentence.anchor_prefix.endswith("two new electric vessels. ")
    assert on_sentence.anchor_suffix.startswith(" Should the city")

    # Both are under "Inline Feedbacks", each with its quote, and lead back to the article.
    page.locator("[data-sort-tab=inline]").click()
    expect(page.locator("[data-sort-tab=inline]")).to_have_attribute("aria-current", "true")
    cards = _top_level(page)
    expect(cards).to_have_count(2)
    expect(cards.nth(0).locator(".comment-passage")).to_contain_text(SENTENCE)
    expect(cards.nth(1).locator(".comment-passage")).to_contain_text(PASSAGE[:60])
    page.locator("#comments").screenshot(path=SHOTS / "discussion-inline-tab.png")
    cards.nth(0).locator("[data-passage-link]").click()
    mark = page.locator(".article-body mark.passage-mark")
    expect(mark).to_have_text(SENTENCE)
    expect(mark).to_be_in_viewport()
    cards.nth(1).locator("[data-passage-link]").click()
    expect(page.locator(".feedback-passage")).to_have_class(re.compile(r"is-flashing"))
    expect(page.locator(".feedback-passage")).to_be_in_viewport()

    # A quote no longer in the article says so instead of linking nowhere.
    services.comment_post(
        thread=thread,
        text="About a sentence the editors removed.",
        author=services.Author(name="Old Reader", email="old@example.org", reader="old"),
        anchor=services.Anchor(exact="A sentence that is no longer in the article."),
    )
    page.locator("[data-sort-tab=newest]").click()
    page.locator("[data-sort-tab=inline]").click()
    changed = page.locator("#comments .comment", has_text="About a sentence the editors removed.")
    expect(changed.locator("[data-passage-link]")).to_have_text("passage changed")
    expect(changed.locator("[data-passage-link]")).to_have_class(re.compile(r"passage-changed"))

    # A reader who jumps past the end of the article at once (End key) is asked too.
    page.goto(url)
    page.keyboard.press("End")
    expect(page.locator("[data-bubble]")).to_be_visible()

    # The bubble appears past the end of the article; its × closes it for good.
    page.goto(url)
    bubble = page.locator("[data-bubble]")
    expect(bubble).to_be_hidden()
    page.locator(".article-body > :last-child").scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    expect(bubble).to_be_visible()
    expect(bubble).to_contain_text("Would love your thoughts, please comment.")
    page.screenshot(path=SHOTS / "discussion-bubble.png")
    bubble.locator("[data-bubble-open]").click()
    expect(page.locator("[data-comment-form] textarea")).to_be_focused()
    expect(bubble).to_be_hidden()
    page.reload()
    page.locator(".article-body > :last-child").scroll_into_view_if_needed()
    page.mouse.wheel(0, 400)
    expect(bubble).to_be_visible()
    bubble.locator("[data-bubble-close]").click()
    expect(bubble).to_be_hidden()
    page.reload()
    page.locator(".article-body > :last-child").scroll_into_view_if_needed()
    page.mouse.wheel(0, 1200)
    page.wait_for_timeout(500)
    expect(page.locator("[data-bubble]")).to_be_hidden()
    assert page.evaluate("localStorage.getItem('masthead:bubble-dismissed')") == "1"
    assert errors == []


def test_comments_written_to_attack_the_page_show_as_text(live_server, page, settings):
    settings.DISCUSSION_SCREEN = PUBLISH_EVERYTHING
    article, _ = _article()
    errors = _watch_errors(page)
    url = live_server.url + article.url
    page.goto(url)

    form = page.locator("[data-comment-form]")
    _fill_guest(form, '<img src=x onerror="window.__xss=1">', "mallory@example.org")
    for number, payload in enumerate(XSS_PAYLOADS, start=1):
        form.locator("textarea").fill(payload)
        form.get_by_role("button", name="Post comment").click()
        expected = f"{number} Comment" if number == 1 else f"{number} Comments"
        expect(page.locator("[data-comment-count]")).to_have_text(expected)

    def assert_harmless():
        assert page.evaluate("typeof window.__xss") == "undefined"
        bodies = page.locator("[data-comment-list] .comment-body")
        expect(bodies).to_have_count(len(XSS_PAYLOADS))
        texts = bodies.all_inner_texts()
        for payload in XSS_PAYLOADS:
            assert payload in texts, (payload, texts)
        scope = page.locator("[data-comment-list]")
        assert scope.locator("script, img, svg, [onerror], [onload]").count() == 0
        assert scope.locator("a[href^='javascript']").count() == 0
        names = page.locator("[data-comment-list] .comment-author").all_inner_texts()
        assert names == ['<img src=x onerror="window.__xss=1">'] * len(XSS_PAYLOADS)

    page.wait_for_timeout(300)
    assert_harmless()
    page.reload()
    expect(page.locator("[data-comment-count]")).to_have_text("4 Comments")
    page.wait_for_timeout(300)
    assert_harmless()

    # The author may edit and delete: the raw text goes into the editor as text, not markup.
    card = _top_level(page).first
    card.locator("[data-edit]").click()
    editor = card.locator(".comment-edit-form textarea")
    expect(editor).to_have_value(XSS_PAYLOADS[-1])
    editor.fill("Second thoughts: *nothing* to see here.")
    card.get_by_role("button", name="Save").click()
    edited = _top_level(page).first
    expect(edited.locator(".comment-body")).to_have_text("Second thoughts: nothing to see here.")
    expect(edited.locator(".comment-edited")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    edited.locator("[data-delete]").click()
    expect(page.locator("[data-comment-count]")).to_have_text("3 Comments")
    expect(_top_level(page)).to_have_count(3)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert errors == []


def test_refused_and_held_comments_are_explained_without_losing_the_text(
    live_server, page, settings
):
    article, _ = _article()
    errors = _watch_errors(page)
    page.goto(live_server.url + article.url)
    form = page.locator("[data-comment-form]")

    # The server refuses a blank name: its message shows, and the text stays in the form.
    form.locator("textarea").fill("A thought worth keeping.")
    _fill_guest(form, "   ")
    form.get_by_role("button", name="Post comment").click()
    error = form.locator("[data-form-error]")
    expect(error).to_have_text("Tell us your name.")
    expect(form.locator("input[name=author_name]")).to_be_focused()
    expect(form.locator("textarea")).to_have_value("A thought worth keeping.")
    expect(form.get_by_role("button", name="Post comment")).to_be_enabled()

    # A comment held for moderation is shown to its author, marked, and not counted.
    settings.DISCUSSION_SCREEN = f"{__name__}.HoldForReview"
    _fill_guest(form, "Nora Guest")
    form.get_by_role("button", name="Post comment").click()
    expect(error).to_be_hidden()
    expect(page.locator("[data-discussion-notice]")).to_contain_text("awaiting moderation")
    held = _top_level(page).first
    expect(held).to_contain_text("A thought worth keeping.")
    expect(held.locator(".comment-pending")).to_have_text("awaiting moderation")
    expect(page.locator("[data-comment-count]")).to_have_text("0 Comments")
    assert Comment.objects.get(text="A thought worth keeping.").status == "pending"
    assert errors == []
