"""Hostile and odd input scores without error and in time; a broken model stops the server."""

import asyncio
import json
import shutil
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masthead.moderation import classifier
from masthead.moderation.checks import moderation_models_check
from masthead.moderation.scoring import CATEGORIES, text_analyze

ODD_INPUTS = {
    "empty": "",
    "only spaces": "   \n\t  ",
    "a megabyte": "the war goes on and on " * 45_000,
    "binary junk": bytes(range(256)).decode("latin-1") * 40,
    "replacement characters": b"\xff\xfe\xfa bad utf-8 \xc3\x28".decode("utf-8", "replace"),
    "lone surrogates": "idiot \ud800 \udfff end",
    "zero-width and bidi": "i\u200bd\u200bi\u200bo\u200bt \u202eyou\u202c \u2066x\u2069",
    "one 50,000-character word": "a" * 50_000,
    "emoji only": "😡🤬💩🔥" * 50,
    "all caps": "THIS GOVERNMENT HAS LIED TO US FOR TEN YEARS AND NOBODY IS ACCOUNTABLE",
    "control characters": "text\x00with\x07controls\x1b[31m",
}


@pytest.mark.parametrize("name", list(ODD_INPUTS))
def test_odd_input_scores_without_error_within_the_budget(name):
    text_analyze("warm up")
    started = time.perf_counter()
    analysis = text_analyze(ODD_INPUTS[name])
    assert time.perf_counter() - started < 1.0
    assert set(analysis.scores) == set(CATEGORIES)
    assert all(0.0 <= value <= 1.0 for value in analysis.scores.values())
    assert analysis.language


def test_a_megabyte_is_scored_on_its_beginning_and_says_so():
    analysis = text_analyze(ODD_INPUTS["a megabyte"])
    assert analysis.truncated


@pytest.fixture
def broken_model(tmp_path, monkeypatch):
    """A copy of the model folder that a test may damage; the package's own stays intact."""
    copy = tmp_path / "model"
    shutil.copytree(classifier.model_directory(), copy)
    monkeypatch.setattr(classifier, "model_directory", lambda: copy)
    monkeypatch.setattr(classifier, "_shipped", None)
    return copy


def test_a_missing_model_file_is_named_by_the_check(broken_model):
    (broken_model / "classifier.npz").unlink()
    [problem] = moderation_models_check()
    assert problem.id == "moderation.E001"
    assert "classifier.npz is missing" in problem.msg


def test_a_corrupt_model_file_is_named_by_the_check_and_by_check_command(broken_model, capsys):
    weights = broken_model / "classifier.npz"
    weights.write_bytes(weights.read_bytes()[:-100] + b"\0" * 100)
    [problem] = moderation_models_check()
    assert "classifier.npz is corrupt" in problem.msg
    from masthead.moderation import pipeline

    pipeline._warmed.clear()
    with pytest.raises(CommandError, match=r"classifier\.npz is corrupt"):
        call_command("moderation", "check", "--defaults")


def test_an_unreadable_manifest_is_named(broken_model):
    (broken_model / "classifier.json").write_text("{not json", "utf-8")
    [problem] = moderation_models_check()
    assert "classifier.json is unreadable" in problem.msg


def test_the_server_refuses_to_start_with_a_broken_model(broken_model, monkeypatch):
    """The ASGI lifespan reports the failure (granian then exits) instead of serving."""
    from masthead import asgi
    from masthead.moderation import pipeline

    monkeypatch.setattr(asgi, "_end_streams_on_signals", lambda loop: None)

    (broken_model / "classifier.npz").unlink()
    pipeline._warmed.clear()
    sent = []

    async def receive():
        return {"type": "lifespan.startup"}

    async def send(message):
        sent.append(message)

    asyncio.run(asgi.lifespan(receive, send))
    assert sent[-1]["type"] == "lifespan.startup.failed"
    assert "classifier.npz is missing" in sent[-1]["message"]
    json.dumps(sent)  # a message granian can print
