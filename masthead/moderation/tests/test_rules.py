"""The rules that stay rules: every listed word catches its example and lets its twin through;
links, domains and the editors' lists behave as an editor states them."""

import pytest

from masthead.moderation import rules
from masthead.moderation.text import text_prepare

LISTED = rules.listed_words()


@pytest.mark.parametrize("word", LISTED, ids=[word.entry for word in LISTED])
def test_listed_word_catches_its_example_and_passes_its_twin(word):
    caught = rules.word_signals(text_prepare(word.must_catch), block_words=())
    assert any(signal.category == word.category for signal in caught), word.must_catch
    passed = rules.word_signals(text_prepare(word.must_pass), block_words=())
    assert not passed, (word.must_pass, passed)


def test_every_listed_word_names_a_category_and_language():
    assert len(LISTED) >= 40
    for word in LISTED:
        assert word.category in {"insult", "identity_hate", "threat", "sexual"}
        assert word.language and word.must_catch and word.must_pass


def test_a_quoted_listed_word_is_a_mention_not_a_use():
    said = rules.word_signals(
        text_prepare("Stop calling Ukrainians «хохлы», it is a slur."), block_words=()
    )
    assert said == []
    used = rules.word_signals(text_prepare("Хохлы опять всё украли"), block_words=())
    assert used and used[0].reason == "listed word 'Хохлы'"


def test_block_list_words_wildcards_and_phrases():
    prepared = text_prepare("What a scumbagging move, you sell-out traitor")
    found = rules.word_signals(prepared, block_words=("scumbag*", "sell out traitor"))
    reasons = sorted(signal.reason for signal in found)
    assert reasons == [
        "on the block list: 'scumbagging'",
        "on the block list: 'sell-out traitor'",
    ]
    assert rules.word_signals(text_prepare("A fair point"), block_words=("scumbag*",)) == []


def test_allow_list_names_the_tokens_the_model_skips():
    prepared = text_prepare("Scunthorpe United won again")
    skipped = rules.allowed_tokens(prepared, ("scunthorpe",))
    assert [prepared.tokens[i].text for i in skipped] == ["scunthorpe"]


def test_links_over_the_limit_blocked_domains_and_shorteners():
    text = "see http://a.example/x and www.b.example and c.example.com/y and bit.ly/zz"
    signals = rules.link_signals(text, max_links=2, blocked_domains=("b.example",))
    reasons = [signal.reason for signal in signals]
    assert "4 links (the limit is 2)" in reasons
    assert "blocked domain: b.example" in reasons
    assert "shortened link: bit.ly" in reasons
    assert (
        rules.link_signals(
            "One source: https://example.org/report", max_links=2, blocked_domains=()
        )
        == []
    )


def test_disguised_link():
    signals = rules.link_signals(
        "join us at cheapmeds[dot]com now", max_links=2, blocked_domains=()
    )
    assert [signal.reason for signal in signals] == ["disguised link: 'cheapmeds[dot]com'"]
