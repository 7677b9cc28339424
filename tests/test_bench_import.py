"""The import benchmark's generator writes real exports: a WXR whose comments thread, vote and
hold as a WordPress + wpDiscuz site's do, and a Disqus export of the same posts. Runs at a tiny
size; the benchmark itself is run by hand (bench/README.md)."""

import importlib.util
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree

BENCH = Path(__file__).resolve().parent.parent / "bench" / "import.py"

WP = "{http://wordpress.org/export/1.2/}"
DSQ = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_import", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _depths(parents: dict[str, str]) -> dict[str, int]:
    depths: dict[str, int] = {}
    for comment in parents:
        depth, current = 0, comment
        while parents[current]:
            current = parents[current]
            depth += 1
        depths[comment] = depth
    return depths


def test_wxr_holds_the_posts_and_threaded_comments_asked_for(bench, tmp_path):
    path = tmp_path / "wordpress.xml"
    stats = bench.write_wxr(path, posts=5, comments=40)

    channel = etree.parse(str(path)).getroot().find("channel")
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    items = channel.findall("item")
    assert len(items) == 5 == stats["posts"]
    assert len({item.findtext("link") for item in items}) == 5
    comments = [(item, c) for item in items for c in item.findall(f"{WP}comment")]
    assert len(comments) == 40 == stats["comments"]
    ids = [c.findtext(f"{WP}comment_id") for _item, c in comments]
    assert len(set(ids)) == 40
    # Every reply names an approved comment of its own post, written before it.
    seen: dict[str, tuple] = {}
    for item, comment in comments:
        parent = comment.findtext(f"{WP}comment_parent")
        if parent != "0":
            parent_item, parent_status = seen[parent]
            assert parent_item is item and parent_status == "1"
        seen[comment.findtext(f"{WP}comment_id")] = (
            item,
            comment.findtext(f"{WP}comment_approved"),
        )
    assert sum(c.findtext(f"{WP}comment_parent") != "0" for _i, c in comments) == stats["replies"]


def test_wxr_at_a_realistic_size_has_deep_threads_votes_held_comments_and_pingbacks(
    bench, tmp_path
):
    path = tmp_path / "wordpress.xml"
    stats = bench.write_wxr(path, posts=40, comments=2000)

    comments = etree.parse(str(path)).getroot().findall(f"channel/item/{WP}comment")
    assert len(comments) == 2000
    parents = {c.findtext(f"{WP}comment_id"): c.findtext(f"{WP}comment_parent") for c in comments}
    parents = {key: "" if value == "0" else value for key, value in parents.items()}
    depths = _depths(parents)
    replies = sum(1 for value in parents.values() if value)
    assert 0.25 < replies / 2000 < 0.35
    assert max(depths.values()) == 6 == stats["max_depth"]
    statuses = Counter(c.findtext(f"{WP}comment_approved") for c in comments)
    assert statuses["0"] == stats["pending"] > 0
    assert statuses["spam"] == stats["spam"] > 0
    types = Counter(c.findtext(f"{WP}comment_type") for c in comments)
    assert types["pingback"] == stats["pingbacks"] > 0
    votes = {
        c.findtext(f"{WP}comment_id"): {
            m.findtext(f"{WP}meta_key"): m.findtext(f"{WP}meta_value")
            for m in c.findall(f"{WP}commentmeta")
        }
        for c in comments
    }
    voted = [meta for meta in votes.values() if "wpdiscuz_votes" in meta]
    assert len(voted) == stats["voted"] > 100
    likes = sum(
        int(meta["wpdiscuz_votes_seperate"].split('"like";i:')[1].split(";")[0]) for meta in voted
    )
    assert likes == stats["likes"]
    net = sum(int(meta["wpdiscuz_votes"]) for meta in voted)
    assert net == stats["likes"] - stats["dislikes"]


def test_disqus_export_names_the_same_posts_and_threads_its_comments(bench, tmp_path):
    wxr, disqus = tmp_path / "wordpress.xml", tmp_path / "disqus.xml"
    bench.write_wxr(wxr, posts=5, comments=40)
    stats = bench.write_disqus(disqus, posts=5, comments=40)

    root = etree.parse(str(disqus)).getroot()
    threads = root.findall(f"{DSQ}thread")
    assert len(threads) == 5 == stats["threads"]
    links = {item.findtext("link") for item in etree.parse(str(wxr)).getroot().iter("item")}
    assert {thread.findtext(f"{DSQ}link") for thread in threads} == links
    thread_ids = {thread.get(DSQ_ID) for thread in threads}
    posts = root.findall(f"{DSQ}post")
    assert len(posts) == 40 == stats["posts"]
    earlier: dict[str, str] = {}
    for post in posts:
        thread = post.find(f"{DSQ}thread").get(DSQ_ID)
        assert thread in thread_ids
        parent = post.find(f"{DSQ}parent")
        if parent is not None:
            # A parent comes before its replies, in the same discussion.
            assert earlier[parent.get(DSQ_ID)] == thread
        earlier[post.get(DSQ_ID)] = thread
    assert sum(post.find(f"{DSQ}parent") is not None for post in posts) == stats["replies"]


def test_disqus_export_at_a_realistic_size_interleaves_discussions_and_nests(bench, tmp_path):
    path = tmp_path / "disqus.xml"
    stats = bench.write_disqus(path, posts=40, comments=2000)

    posts = etree.parse(str(path)).getroot().findall(f"{DSQ}post")
    assert len(posts) == 2000
    parents = {}
    for post in posts:
        parent = post.find(f"{DSQ}parent")
        parents[post.get(DSQ_ID)] = parent.get(DSQ_ID) if parent is not None else ""
    assert 0.25 < stats["replies"] / 2000 < 0.35
    assert max(_depths(parents).values()) == stats["max_depth"] >= 5
    thread_of = [post.find(f"{DSQ}thread").get(DSQ_ID) for post in posts]
    switches = sum(a != b for a, b in pairwise(thread_of))
    assert switches > 1000  # not one discussion after the other
    flags = Counter(
        (post.findtext(f"{DSQ}isDeleted"), post.findtext(f"{DSQ}isSpam")) for post in posts
    )
    assert flags[("true", "false")] == stats["deleted"] > 0
    assert flags[("false", "true")] == stats["spam"] > 0


def test_the_same_seed_writes_the_same_files(bench, tmp_path):
    first, second = tmp_path / "a.xml", tmp_path / "b.xml"
    bench.write_wxr(first, posts=5, comments=40)
    bench.write_wxr(second, posts=5, comments=40)
    assert first.read_bytes() == second.read_bytes()
