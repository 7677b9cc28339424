"""`masthead moderation check`: outlets score their own comments with the site's settings."""

import io
import json
import sys

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


class FakeStdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def run_check(monkeypatch, data: bytes, *args) -> list[dict]:
    monkeypatch.setattr(sys, "stdin", FakeStdin(data))
    out = io.StringIO()
    call_command("moderation", "check", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_json_lines_in_one_result_per_comment_out(monkeypatch):
    lines = [
        {"id": 1, "text": "Thank you for this careful report on the water shortage."},
        {"id": "b", "text": "You are a worthless idiot, shut up."},
        {
            "text": "Double your bitcoin in 24 hours!!! Visit http://x.example http://y.example http://z.example"
        },
    ]
    data = "\n".join(json.dumps(item) for item in lines).encode()
    results = run_check(monkeypatch, data)
    assert len(results) == 3
    for result in results:
        assert set(result) >= {"verdict", "toxicity", "spam", "categories", "language", "reasons"}
        assert result["verdict"] in {"publish", "hold", "reject"}
        assert 0 <= result["toxicity"] <= 1 and 0 <= result["spam"] <= 1
        assert set(result["categories"]) == {
            "insult",
            "identity_hate",
            "threat",
            "sexual",
            "profanity",
            "spam",
        }
        assert result["toxicity"] == max(
            result["categories"][name] for name in ("insult", "identity_hate", "threat", "sexual")
        )
    assert [r.get("id") for r in results] == [1, "b", None]
    assert results[0]["verdict"] == "publish"
    assert results[1]["verdict"] != "publish" and results[1]["reasons"]
    assert results[1]["categories"]["insult"] >= 0.5 and results[0]["language"] == "en"
    assert results[2]["verdict"] != "publish" and results[2]["spam"] >= 0.5


def test_plain_lines_blank_lines_and_invalid_utf8(monkeypatch):
    data = b"A calm remark about the election.\n\n\xff\xfe broken bytes here\n"
    results = run_check(monkeypatch, data)
    assert len(results) == 2
    assert results[0]["verdict"] == "publish"


def test_it_uses_the_site_settings(monkeypatch):
    from wagtail.models import Site

    from masthead.moderation.models import ModerationSettings

    ModerationSettings.objects.create(
        site=Site.objects.get(is_default_site=True), premoderate_all=True
    )
    # Pre-moderation is about comments, not texts: check scores the text alone, but a
    # threshold edit in the admin changes its verdicts.
    ModerationSettings.objects.update(insult_hold=0.0, toxicity_nudge=0.0)
    from masthead.moderation.config import config_changed

    config_changed()
    results = run_check(monkeypatch, b"A calm remark about the election.\n")
    assert results[0]["verdict"] == "hold"
    defaults = run_check(monkeypatch, b"A calm remark about the election.\n", "--defaults")
    assert defaults[0]["verdict"] == "publish"
