"""Each format's own fixture through the whole import: what readers see afterwards is exact
(counters match the rows), and a second run adds nothing."""

import json
import re
from pathlib import Path

import pytest
from django.db.models import Count, Q

from masthead.discussion.models import Comment, SourceMeta, Thread
from masthead.transfer.importing import import_now
from masthead.transfer.models import ImportRun
from masthead.transfer.tests.test_isso import isso_database

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_path(format: str, tmp_path) -> Path:
    if format == "isso-db":
        return isso_database(tmp_path / "comments.db")
    return {
        "disqus": FIXTURES / "disqus" / "export.xml",
        "commento": FIXTURES / "commento" / "export.json",
        "isso": FIXTURES / "isso" / "generic.json",
        "remark42": FIXTURES / "remark42" / "backup-gazette.jsonl",
        "wordpress": FIXTURES / "wordpress" / "export-1.2.xml",
    }[format]


def assert_counters_exact() -> None:
    for thread in Thread.objects.annotate(
        published=Count("comments", filter=Q(comments__status="published"))
    ):
        assert thread.comment_count == thread.published, thread
    for comment in Comment.objects.annotate(
        listed_replies=Count("children", filter=Q(children__listed=True))
    ):
        assert comment.reply_count == comment.listed_replies, comment
        if comment.listed_replies and comment.status != "published":
            assert comment.is_placeholder and comment.text == ""
        assert comment.score == comment.upvotes - comment.downvotes


@pytest.mark.parametrize(
    "format", ["wordpress", "disqus", "commento", "isso", "isso-db", "remark42"]
)
def test_an_export_imports_exactly_and_only_once(format, tmp_path):
    path = fixture_path(format, tmp_path)
    run = import_now(format=format.removesuffix("-db"), path=path)
    assert run.status == ImportRun.Status.DONE, run.message
    imported = Comment.objects.count()
    assert imported == run.report["created"]["comments"] > 0
    assert Comment.objects.filter(parent__isnull=False).exists()  # threading survived
    # Network addresses are stored only as keyed hashes, never as the file wrote them.
    hashes = Comment.objects.exclude(ip_hash="").values_list("ip_hash", flat=True)
    assert all(re.fullmatch("[0-9a-f]{64}", value) for value in hashes)
    kept = json.dumps(list(SourceMeta.objects.values_list("meta", flat=True)))
    assert not re.search(r"\b\d{1,3}(\.\d{1,3}){3}\b", kept)
    assert_counters_exact()
    again = import_now(format=format.removesuffix("-db"), path=path)
    assert again.status == ImportRun.Status.DONE
    assert Comment.objects.count() == imported
    assert "comments" not in again.report["created"]
    # (A WordPress file's posts, pages and attachments are counted there too.)
    assert again.report["skipped"]["already_imported"]["count"] >= imported
