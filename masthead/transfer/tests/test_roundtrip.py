"""Leaving and coming back: a Masthead JSON export imported into an install without those
discussions, then exported again, gives the same file but for ids and the export time."""

import io
import json

import pytest
from django.core.management import call_command

from masthead.discussion.models import Comment, Thread, Vote
from masthead.publishing.models import ArticlePage, Author, StandardPage
from masthead.transfer.tests.test_export import discussions_build, export_bytes, site_build

pytestmark = pytest.mark.django_db


def comparable(data: bytes) -> tuple[dict, list[dict], list[dict]]:
    """Split an export into its header (less the export time), threads and comments."""
    header, *records = (json.loads(line) for line in data.decode().splitlines())
    del header["exported"]
    threads = [rec for rec in records if rec["type"] == "thread"]
    comments = [rec for rec in records if rec["type"] == "comment"]
    return header, threads, comments


def test_json_export_imported_and_exported_again_is_the_same(settings, tmp_path):
    discussions_build(settings)
    first = export_bytes("json")
    path = tmp_path / "export.jsonl"
    path.write_bytes(first)
    Thread.objects.all().delete()
    assert Comment.objects.count() == Vote.objects.count() == 0

    call_command("import", "masthead", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    second = export_bytes("json")

    before, after = comparable(first), comparable(second)
    assert after[0] == before[0]
    assert after[1] == before[1]
    old_comments, new_comments = before[2], after[2]
    assert len(new_comments) == len(old_comments) == 13
    # Ids are new, given consistently: every reference follows its comment.
    new_id = {old["id"]: new["id"] for old, new in zip(old_comments, new_comments, strict=True)}
    assert len(set(new_id.values())) == len(new_id)
    for old, new in zip(old_comments, new_comments, strict=True):
        expected = {
            **old,
            "id": new_id[old["id"]],
            "parent": new_id.get(old["parent"]),
            "replied_to": new_id.get(old["replied_to"]),
        }
        assert new == expected


def test_importing_the_same_export_twice_adds_nothing(settings, tmp_path):
    discussions_build(settings)
    path = tmp_path / "export.jsonl"
    path.write_bytes(export_bytes("json"))
    Thread.objects.all().delete()

    call_command("import", "masthead", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    once = export_bytes("json")
    call_command("import", "masthead", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert comparable(export_bytes("json")) == comparable(once)


def test_a_site_export_brings_its_articles_and_discussions_into_an_install_without_them(
    tmp_path, settings
):
    section, writer, picture, article, about = site_build(settings)
    path = tmp_path / "site.jsonl"
    path.write_bytes(export_bytes("json", "site"))
    Thread.objects.all().delete()
    article.delete()
    about.delete()
    Author.objects.all().delete()

    call_command(
        "import",
        "masthead",
        str(path),
        "--media-dir",
        str(settings.MEDIA_ROOT),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    story = ArticlePage.objects.get()
    assert (story.title, story.slug) == ("A bridge too far", article.slug)
    assert story.get_parent().slug == section.slug
    assert story.standfirst == "The council's <vote>, in brief."
    assert story.byline_authors[0].slug == writer.slug
    assert sorted(story.tags.names()) == ["bridges", "council"]
    assert story.lead_image is not None and story.lead_image.title == picture.title
    assert "badly" in str(story.body)
    assert StandardPage.objects.get().title == "About us"
    comment = Comment.objects.get()
    assert comment.thread.page_id == story.pk
    assert comment.text == "Great piece."
