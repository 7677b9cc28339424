"""Reasons and ban labels are stored in English and recognised again when a moderator reads them.

A commenter's request may run in any language; what it stores for moderators must not: the
moderator reads it later, in theirs. So the reasons are stored in English, and the queue
recognises each one to show it in the reader's language (English here, with no catalog needed).
"""

import pytest
from django.utils import translation

from masthead.moderation import stored_text as stored
from masthead.moderation.models import Ban, Flag

REASONS = [
    stored.THREAD_CLOSED(),
    stored.BANNED_AUTHOR(kind="network (ip address hash)"),
    stored.RATE_LIMIT(kind="burst", limit=3, window="40 seconds"),
    stored.FLOOD(count=3),
    stored.TOO_FAST(seconds="1.5", minimum=4),
    stored.PROOF_FAILED(why=stored.ALTCHA_EXPIRED),
    stored.NOT_CHECKED(why=stored.AKISMET_HTTP_ERROR(status=503)),
    stored.CATEGORY_QUOTED(category="identity hate", score="0.91", quote="belong in a zoo"),
    stored.CATEGORY_SCORE(category="spam", score="0.90"),
    stored.TOO_MANY_LINKS(count=4, limit=2),
    stored.HIDDEN_AFTER_REPORTS(count=3, summary="abusive or hateful ×2, spam ×1"),
]


@pytest.mark.parametrize("reason", REASONS)
def test_every_stored_reason_is_recognised_and_reads_as_written_in_english(reason):
    assert stored._first(stored.REASONS, reason) is not None
    with translation.override("en"):
        assert stored.reason_display(reason) == reason


def test_a_reason_no_template_fits_is_shown_as_stored():
    assert stored.reason_display("toxicity 0.93 (insult)") == "toxicity 0.93 (insult)"
    assert stored.reason_display("hidden after 2 reader reports (rude ×2)") == (
        "hidden after 2 reader reports (rude ×2)"
    )


def test_words_inside_a_reason_are_stored_in_english_whatever_the_request_language():
    with translation.override("ru"):
        kind = stored.in_english(Ban.KIND_WORDS[Ban.Kind.EMAIL])
        report = stored.in_english(Flag.REASON_WORDS[Flag.Reason.OFF_TOPIC])
    assert stored.BANNED_AUTHOR(kind=kind) == "banned author (email address)"
    assert report == "off-topic"


def test_ban_labels_are_recognised_with_any_name():
    label = stored.NETWORK_LABEL(name="Ada (the other one)", id=12)
    assert label == "network of Ada (the other one) (comment #12)"
    assert stored._first(stored.BAN_LABELS, label) is not None
    assert stored.ban_label_display("Ada <ada@example.org>") == "Ada <ada@example.org>"
