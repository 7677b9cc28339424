"""The importer itself, independent of any one format: a format module made for the test
yields records straight from a list, so each rule of the pipeline is seen on its own."""

import json
import sys
import types
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from masthead.core.hashing import address_hash
from masthead.core.models import OutboxEntry
from masthead.discussion.models import Comment, SourceMeta, Thread
from masthead.discussion.tests.factories import article_thread
from masthead.moderation.privacy import personal_data_erase, personal_data_export
from masthead.transfer import formats
from masthead.transfer import records as r
from masthead.transfer.context import Links
from masthead.transfer.importing import import_apply, import_now, import_stage
from masthead.transfer.models import ImportRun

pytestmark = pytest.mark.django_db

WHEN = datetime(2021, 6, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def listed_format(monkeypatch, tmp_path):
    """A format "listed" whose file is a JSON list of [record type, fields] pairs."""
    module = types.ModuleType("listed_format")

    def looks_like(head: bytes) -> bool:
        return head.lstrip().startswith(b'[["')

    def parse(path):
        for name, fields in json.loads(path.read_text()):
            for key in ("created", "date"):
                if fields.get(key):
                    fields[key] = datetime.fromisoformat(fields[key])
            yield getattr(r, name)(**fields)

    module.looks_like, module.parse = looks_like, parse
    monkeypatch.setitem(sys.modules, "listed_format", module)
    monkeypatch.setitem(formats.FORMATS, "listed", ("listed_format", "Listed"))

    def write(entries, name="export.json"):
        path = tmp_path / name
        path.write_text(json.dumps(entries, default=str))
        return path

    return write


def comment(source_id, parent="", thread="t1", **fields):
    return [
        "CommentRecord",
        {
            "source_id": source_id,
            "thread_id": thread,
            "parent_id": parent,
            "author_name": fields.pop("author_name", f"Reader {source_id}"),
            "author_email": fields.pop("author_email", f"reader{source_id}@example.org"),
            "created": fields.pop(
                "created", (WHEN + timedelta(minutes=int(source_id))).isoformat()
            ),
            "body": fields.pop("body", f"<p>Comment number {source_id}</p>"),
            **fields,
        },
    ]


def thread(url="https://old.example.org/2021/06/a-story/", source_id="t1", **fields):
    return ["ThreadRecord", {"source_id": source_id, "url": url, "title": "A story", **fields}]


SOURCE = ["SourceRecord", {"system": "listed", "site": "old.example.org"}]


def test_replies_keep_their_conversation_even_when_the_parent_comes_later(listed_format):
    path = listed_format(
        [SOURCE, thread(), comment("3", parent="2"), comment("1"), comment("2", parent="1")]
    )
    run = import_now(format="listed", path=path)
    assert run.status == ImportRun.Status.DONE, run.message
    first = Comment.objects.get(text__contains="number 1")
    second = Comment.objects.get(text__contains="number 2")
    third = Comment.objects.get(text__contains="number 3")
    assert (second.parent_id, third.parent_id) == (first.pk, second.pk)
    assert third.root_id == first.pk and third.depth == 2
    assert first.reply_count == 1 and second.reply_count == 1
    assert first.thread.comment_count == 3
    assert first.created == WHEN + timedelta(minutes=1)
    assert run.report["created"]["comments"] == 3


def test_the_same_file_twice_adds_nothing_and_a_newer_export_only_what_is_new(listed_format):
    entries = [SOURCE, thread(), comment("1"), comment("2", parent="1")]
    import_now(format="listed", path=listed_format(entries))
    again = import_now(format="listed", path=listed_format(entries))
    assert Comment.objects.count() == 2
    assert again.report["skipped"]["already_imported"]["count"] == 2
    newer = import_now(format="listed", path=listed_format([*entries, comment("3", parent="2")]))
    assert Comment.objects.count() == 3
    assert newer.report["created"] == {"comments": 1}
    assert Thread.objects.get().comment_count == 3


def test_imported_comments_send_no_mail(listed_format, mailoutbox):
    import_now(format="listed", path=listed_format([SOURCE, thread(), comment("1")]))
    assert Comment.objects.count() == 1
    assert not OutboxEntry.objects.exists()
    assert mailoutbox == []


def test_a_deleted_comment_with_replies_stays_as_a_placeholder_without_its_text(listed_format):
    path = listed_format(
        [
            SOURCE,
            thread(),
            comment("1", status="deleted", body="<p>What I regret</p>"),
            comment("2", parent="1"),
            comment("3", status="deleted", body="<p>Nobody answered this</p>"),
        ]
    )
    import_now(format="listed", path=path)
    placeholder = Comment.objects.get(children__isnull=False)
    assert placeholder.is_placeholder and placeholder.text == "" and placeholder.html == ""
    assert placeholder.reply_count == 1
    lonely = Comment.objects.exclude(pk=placeholder.pk).get(status="deleted")
    assert not lonely.listed
    assert not Comment.objects.filter(text__contains="regret").exists()
    assert Thread.objects.get().comment_count == 1  # the published reply


def test_orphans_and_broken_dates_are_reported_not_fatal(listed_format):
    future = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    path = listed_format(
        [
            SOURCE,
            thread(),
            comment("1", created=None),
            comment("2", created=future),
            comment("3", parent="404"),
            comment("4", thread="no-such-thread"),
            ["Skip", {"reason": "no_id", "detail": "<post> without dsq:id", "line": 40}],
        ]
    )
    run = import_now(format="listed", path=path)
    assert run.status == ImportRun.Status.DONE
    assert Comment.objects.count() == 2
    report = run.report
    assert report["skipped"]["orphan_parent"]["examples"][0]["source_id"] == "3"
    assert report["skipped"]["orphan_thread"]["count"] == 1
    assert report["skipped"]["no_id"]["examples"][0]["line"] == 40
    assert set(report["corrected"]) == {"date_unreadable", "date_in_future"}
    assert all(c.created <= datetime.now(UTC) for c in Comment.objects.all())


def test_comment_html_goes_through_the_same_sanitizer_and_keeps_links(listed_format):
    body = (
        'Read <a href="https://example.org/report" onclick="steal()">the report</a>.\n'
        "Second line<script>alert(1)</script>\n\n<b>New paragraph</b>"
    )
    run = import_now(
        format="listed", path=listed_format([SOURCE, thread(), comment("1", body=body)])
    )
    html = Comment.objects.get().html
    assert '<a href="https://example.org/report" rel="nofollow ugc noopener">' in html
    assert "<script" not in html and "onclick" not in html and "alert" not in html
    assert html.startswith("<p>Read") and "<br>Second line" in html
    assert "<p><b>New paragraph</b></p>" in html
    assert run.report["corrected"]["html_cleaned"]["count"] == 1


def test_a_thread_whose_address_is_an_article_here_lands_on_that_article(listed_format):
    article, article_thread_ = article_thread("Budget vote")
    variant = "http://WWW.other-host.example" + article.url.rstrip("/") + "?utm_source=x"
    path = listed_format(
        [
            SOURCE,
            thread(url=variant),
            comment("1"),
            thread(source_id="t2"),
            comment("2", thread="t2"),
        ]
    )
    run = import_now(format="listed", path=path)
    assert Comment.objects.get(text__contains="number 1").thread_id == article_thread_.pk
    elsewhere = Comment.objects.get(text__contains="number 2").thread
    assert elsewhere.page_id is None and elsewhere.url == "https://old.example.org/2021/06/a-story"
    assert run.report["created"] == {
        "threads_on_pages": 1,
        "threads_by_address": 1,
        "comments": 2,
    }


def test_a_dry_run_reports_the_import_and_changes_nothing(listed_format):
    path = listed_format([SOURCE, thread(), comment("1"), comment("2", parent="1")])
    run = import_stage(format="listed", path=path)
    run = import_apply(run=run, dry_run=True)
    assert run.report["dry_run"] and run.report["created"]["comments"] == 2
    assert not Comment.objects.exists() and not Thread.objects.exists()
    run = import_apply(run=run)  # the staged run then imports for real
    assert run.status == ImportRun.Status.DONE and Comment.objects.count() == 2
    assert run.report["created"]["comments"] == 2


def test_a_wrong_file_is_refused_before_anything_is_written(listed_format, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear editor, here are my notes.")
    run = import_stage(format="listed", path=path)
    assert run.status == ImportRun.Status.REFUSED
    assert "not a Listed export" in run.message
    assert not run.items.exists()


def test_the_command_refuses_with_exit_status_1_and_a_message(listed_format, tmp_path, capsys):
    path = tmp_path / "empty.json"
    path.write_text("")
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "listed", str(path))
    assert exit_.value.code == 1
    assert "The file is empty" in capsys.readouterr().err


def test_the_command_prints_the_report(listed_format, capsys):
    path = listed_format([SOURCE, thread(), comment("1"), comment("2", parent="9")])
    call_command("import", "listed", str(path))
    out = capsys.readouterr().out
    assert "comments: 1" in out
    assert "The comment it answers is not in the file" in out


def test_a_finished_import_keeps_no_copy_of_commenters_data(listed_format):
    path = listed_format([SOURCE, thread(), comment("1", author_email="ada@example.org")])
    run = import_now(format="listed", path=path)
    assert run.status == ImportRun.Status.DONE
    assert not run.items.exists()  # the staged records (names, addresses) are gone
    assert "ada@example.org" not in json.dumps(run.report)
    assert Comment.objects.get().author_email == "ada@example.org"  # where erasure reaches


def test_a_second_run_adds_nothing_when_the_id_map_outgrows_its_cache(listed_format, monkeypatch):
    # The map is read per batch and its cache bounded; emptying it mid-batch must not make
    # an imported comment look new (a duplicate link would stop the run).
    monkeypatch.setattr(Links, "CACHE_SIZE", 3)
    entries = [
        SOURCE,
        thread(),
        *(comment(str(n), parent=str(n - 1) if n % 2 else "") for n in range(2, 12)),
    ]
    import_now(format="listed", path=listed_format(entries))
    again = import_now(format="listed", path=listed_format(entries))
    assert again.status == ImportRun.Status.DONE, again.message
    assert Comment.objects.count() == 10
    assert again.report["skipped"]["already_imported"]["count"] == 10


def test_only_comments_with_unsafe_markup_count_as_cleaned(listed_format):
    path = listed_format(
        [
            SOURCE,
            thread(),
            comment("1", body="Only one point on this: <em>no</em>."),
            comment("2", body='<img src="x" onerror="steal()">Look'),
        ]
    )
    run = import_now(format="listed", path=path)
    assert run.report["corrected"]["html_cleaned"]["count"] == 1
    assert run.report["corrected"]["html_cleaned"]["examples"][0]["source_id"] == "2"


def test_what_the_source_kept_is_stored_with_addresses_hashed_and_erased_with_its_author(
    listed_format,
):
    kept = {"akismet_result": "false", "note": "Reported from 203.0.113.7 as off-topic"}
    path = listed_format(
        [
            SOURCE,
            thread(),
            comment(
                "1",
                author_email="ada@example.org",
                author_url="https://ada.example.org/",
                kept=kept,
                ip_hash=address_hash("203.0.113.7"),
            ),
        ]
    )
    run = import_now(format="listed", path=path)
    assert run.status == ImportRun.Status.DONE, run.message
    stored = Comment.objects.get()
    assert stored.author_url == "https://ada.example.org/"
    # A ban on the commenter's network reaches their imported history.
    assert stored.ip_hash == address_hash("203.0.113.7")
    meta = SourceMeta.objects.get(comment=stored).meta
    assert meta["akismet_result"] == "false"
    assert meta["note"].startswith("Reported from [address ")
    assert "203.0.113.7" not in json.dumps(meta)
    exported = personal_data_export(email="ada@example.org")["comments"][0]
    assert exported["kept_from_import"] == meta
    assert exported["author_website"] == "https://ada.example.org/"

    personal_data_erase(email="ada@example.org", mode="anonymize")

    stored.refresh_from_db()
    assert (stored.author_url, stored.ip_hash) == ("", "")
    assert not SourceMeta.objects.exists()


def test_an_authors_website_must_be_a_web_address_and_their_name_links_to_it(listed_format, client):
    path = listed_format(
        [
            SOURCE,
            thread(),
            comment("1", author_url="javascript:alert(1)"),
            comment("2", author_url="https://ok.example.org/me"),
        ]
    )
    import_now(format="listed", path=path)
    urls = dict(Comment.objects.values_list("author_name", "author_url"))
    assert urls == {"Reader 1": "", "Reader 2": "https://ok.example.org/me"}
    key = Thread.objects.get().key
    html = client.get(f"/discussion/threads/{key}/comments/").content.decode()
    # By element, not by exact markup: discussion may add attributes (dir="auto") of its own.
    authors = {
        tag.get_text(strip=True): tag
        for tag in BeautifulSoup(html, "html.parser").select(".comment-author")
    }
    assert authors["Reader 2"].name == "a"
    assert authors["Reader 2"]["href"] == "https://ok.example.org/me"
    assert authors["Reader 2"]["rel"] == ["nofollow", "ugc", "noopener"]
    assert authors["Reader 1"].name == "span"
    assert "javascript:" not in html


def test_an_overlong_kept_value_is_left_out_and_reported(listed_format):
    kept = {"history": "x" * 20_000, "akismet_result": "true"}
    path = listed_format([SOURCE, thread(), comment("1", kept=kept)])
    run = import_now(format="listed", path=path)
    assert SourceMeta.objects.get().meta == {"akismet_result": "true"}
    assert run.report["corrected"]["meta_trimmed"]["count"] == 1


def test_a_comment_without_text_is_kept_as_deleted_and_reported_as_such(listed_format):
    path = listed_format(
        [SOURCE, thread(), comment("1", body="   "), comment("2", parent="1", body="Still here")]
    )
    run = import_now(format="listed", path=path)
    assert run.report["created"]["comments"] == 2
    assert run.report["corrected"]["empty"]["count"] == 1
    assert "empty" not in run.report.get("skipped", {})
    empty, reply = Comment.objects.order_by("created")
    assert (empty.status, empty.text, empty.is_placeholder) == ("deleted", "", True)
    assert reply.parent_id == empty.pk
