"""Import benchmark: a WordPress site with wpDiscuz discussions, and the same site's Disqus
export, imported into a scratch database, each step timed in a process of its own.

    .venv/bin/python bench/import.py [--posts 5000] [--comments 100000] [--quick]
        [--database-url postgres://USER@127.0.0.1:5432/postgres] [--no-half] [--keep]

Writes, streaming to disk, a WordPress export (WXR 1.2: posts with threaded comments, about 30%
replies up to 6 deep, wpDiscuz votes, pending, spam and trashed comments, pingbacks, a sticky
or closed comment here and there) and a Disqus export of the same posts (one thread per post,
whose <link> is the post's permalink; posts with parents, deleted and spam ones, interleaved
across threads as Disqus writes them). Then, on a fresh SQLite database in a temporary folder
(and also on a PostgreSQL database of its own, created and dropped, when --database-url names a
server): `masthead migrate`, the WXR import, the Disqus import, then both again, which must add
nothing. Each step is a process of its own, so its wall time and peak resident memory are its
alone. Everything runs at half the size first: the two peaks side by side show whether memory
grows with the file. Prints the load average around each step; compare runs made side by side
on the same machine. Never touches your database (DATABASE_URL is ignored) or Redis.
"""

import argparse
import contextlib
import email.utils
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REPOSITORY = Path(__file__).resolve().parent.parent

SITE = "https://gazette.example.org"
SITE_TITLE = "The Harbour Gazette"
FORUM = "harbourgazette"  # the Disqus forum's short name
EPOCH = datetime(2016, 1, 4, 8, 0, tzinfo=UTC)  # the first post
EXPORTED = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)  # when both files were "exported"
GUTENBERG = datetime(2019, 1, 1, tzinfo=UTC)  # posts from then on are written in blocks
try:
    LOCAL_TIME = ZoneInfo("Europe/London")  # the WordPress site's time zone
except ZoneInfoNotFoundError:  # pragma: no cover - a machine without tzdata
    LOCAL_TIME = UTC

REPLY_SHARE = 0.32  # of comments that have an earlier one to answer: ~30% of all are replies
MAX_DEPTH = 6  # replies to replies, below a top-level comment (depth 0)

# --- what both files say about the site's posts ------------------------------------------------

FIRST_NAMES = (
    "Anna", "Ben", "Chloé", "David", "Eilidh", "Fatima", "George", "Hannah", "Ibrahim", "Jack",
    "Kasia", "Liam", "Margaret", "Niamh", "Oliver", "Priya", "Rhys", "Siobhán", "Tomás", "Zoë",
    "Łukasz", "José", "Mei", "Olu", "Agnieszka", "Callum", "Dafydd", "Emeka", "Freya", "Yusuf",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Jones", "Ó Briain", "MacLeod", "Nowak", "Patel", "Evans", "Okafor", "Brown",
    "Wilson", "García", "Müller", "Campbell", "Hughes", "Khan", "Murray", "Li", "Dubois",
    "Thomas", "Ferreira",
)  # fmt: skip
SUBJECTS = (
    "the ferry timetable", "the new harbour wall", "parking on the front", "the council's budget",
    "the lifeboat appeal", "the fish market", "the school run", "the coastal path",
    "the bus to the station", "the summer festival", "rents in the old town", "the library",
    "the marina plan", "the flood defences", "the night buses", "the pier repairs",
    "the recycling rota", "the new GP surgery", "the bypass", "the harbour master",
)  # fmt: skip
PREDICATES = (
    "has been a mess since spring", "needs a proper budget", "was never going to work",
    "is the best thing to happen here in years", "deserves more coverage than this",
    "will cost more than anyone admits", "was discussed at last night's meeting",
    "could be fixed in a week with some goodwill", "is why people are moving away",
    "has not changed since I was a child", "works well enough if you plan ahead",
    "should have gone to a public vote", "is finally getting the attention it needs",
)  # fmt: skip
OPENERS = (
    "I think", "Honestly,", "As someone who lives here,", "Good piece, but", "Frankly",
    "My neighbour says", "Not sure I agree:", "This is exactly why", "To be fair,",
    "Having worked there for years,", "With respect to the author,", "Anyone who uses it knows",
)  # fmt: skip
CATEGORIES = (
    ("news", "News"), ("politics", "Politics"), ("business", "Business"),
    ("transport", "Transport"), ("environment", "Environment"), ("culture", "Culture"),
    ("sport", "Sport"), ("opinion", "Opinion"),
)  # fmt: skip
TAGS = tuple(
    (word, word.capitalize())
    for word in (
        "ferries", "harbour", "council", "budget", "schools", "housing", "tourism", "fishing",
        "weather", "elections", "health", "roads", "festival", "lifeboat", "libraries",
        "planning", "rail", "energy", "jobs", "heritage",
    )
)  # fmt: skip
AUTHORS = tuple(
    (f"{first}{last}", f"{first.capitalize()} {last.capitalize()}")
    for first, last in (
        ("mary", "quinn"), ("tom", "reilly"), ("sara", "lindqvist"), ("ahmed", "nasser"),
        ("joan", "pryce"), ("kevin", "doyle"), ("ines", "moreau"), ("paul", "ng"),
    )
)  # fmt: skip
HEADLINE_WORDS = (
    "Council", "Ferry", "Harbour", "Budget", "Storm", "Festival", "School", "Lifeboat", "Market",
    "Plan", "Vote", "Row", "Delay", "Repairs", "Fares", "Homes", "Jobs", "Fishermen", "Pier",
    "Bypass", "Library", "Marina", "Flood", "Surgery", "Rail", "Tourists", "Wind farm",
)  # fmt: skip
HEADLINE_VERBS = (
    "approves", "rejects", "delays", "faces", "backs", "questions", "cuts", "doubles",
    "reopens", "blocks", "wins", "loses", "reviews", "warns over",
)  # fmt: skip


@dataclass(frozen=True)
class Post:
    """One WordPress post, as both exports name it."""

    number: int  # 0-based, in the file's order
    post_id: int
    title: str
    slug: str
    date: datetime  # UTC
    author: str  # login
    comments: int  # how many comments (WXR) or Disqus posts it has

    @property
    def link(self) -> str:
        return f"{SITE}/{self.date:%Y/%m}/{self.slug}/"

    @property
    def short_link(self) -> str:
        return f"{SITE}/?p={self.post_id}"


def comment_counts(posts: int, comments: int, seed: str) -> list[int]:
    """Split `comments` over `posts` the way a news site's are: most posts get a few, some
    none (closed, or nobody cared), a handful thousands. Exact total."""
    rng = random.Random(f"{seed}:counts")
    weights = [0.0 if rng.random() < 0.08 else rng.lognormvariate(0, 1.1) for _ in range(posts)]
    if not any(weights):
        weights = [1.0] * posts
    total = sum(weights)
    shares = [comments * weight / total for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(posts), key=lambda n: shares[n] - counts[n], reverse=True)
    for number in by_remainder[: comments - sum(counts)]:
        counts[number] += 1
    return counts


def site_posts(posts: int, comments: int, *, seed: str, counts_seed: str) -> Iterator[Post]:
    """The site's posts, oldest first, the same for both files (per-post randomness comes from
    the post's number, so the WXR and the Disqus export agree on every title and link)."""
    counts = comment_counts(posts, comments, counts_seed)
    span = (EXPORTED - timedelta(days=14) - EPOCH) / max(posts, 1)
    slugs: set[str] = set()
    for number in range(posts):
        rng = random.Random(f"{seed}:post:{number}")
        title = (
            f"{rng.choice(HEADLINE_WORDS)} {rng.choice(HEADLINE_VERBS)} "
            f"{rng.choice(SUBJECTS).removeprefix('the ')}"
        )
        if rng.random() < 0.3:
            title += f" after {rng.choice(('storm', 'protest', 'review', 'vote', 'delay'))}"
        slug = _slugify(title)
        # WordPress keeps slugs unique by numbering the later ones.
        candidate, suffix = slug, 2
        while candidate in slugs:
            candidate, suffix = f"{slug}-{suffix}", suffix + 1
        slugs.add(candidate)
        yield Post(
            number=number,
            post_id=100 + number * 3 + rng.randint(0, 2),
            title=title,
            slug=candidate,
            date=EPOCH + span * number + timedelta(minutes=rng.randint(0, 600)),
            author=rng.choice(AUTHORS)[0],
            comments=counts[number],
        )


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("'", "")).encode("ascii", "ignore")
    ascii_text = ascii_text.decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words)


@dataclass(frozen=True)
class Commenter:
    name: str
    email: str
    url: str
    handle: str
    address: str  # a documentation-range address (RFC 5737), as exports carry one


def commenter(number: int) -> Commenter:
    """The site's `number`th regular commenter: the same person comments many times."""
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[(number * 7 + number // len(FIRST_NAMES)) % len(LAST_NAMES)]
    handle = _slugify(f"{first} {last}").replace("-", "") + str(number)
    domain = ("example.com", "example.net", "example.org")[number % 3]
    network = ("192.0.2", "198.51.100", "203.0.113")[number % 3]
    return Commenter(
        name=f"{first} {last}" if number % 11 else first,
        email=f"{handle}@{domain}",
        url=f"https://{handle}.example.net/" if number % 5 == 0 else "",
        handle=handle,
        address=f"{network}.{number % 254 + 1}",
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}."


def comment_paragraphs(rng: random.Random) -> list[str]:
    """A reader's comment, as paragraphs of inline HTML: mostly plain, some emphasis and
    links, a quote now and then, rarely an emoji or markup that must not survive."""
    paragraphs = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        roll = rng.random()
        if roll < 0.08:
            text += ' See <a href="https://example.net/report.pdf">the report</a>.'
        elif roll < 0.16:
            text = text.replace(" was ", " <em>was</em> ", 1).replace(" is ", " <em>is</em> ", 1)
        elif roll < 0.19:
            text = f"<strong>{text}</strong>"
        elif roll < 0.21:
            text += " 👍"
        paragraphs.append(text)
    roll = rng.random()
    if roll < 0.05:
        paragraphs.insert(0, f"<blockquote>{_sentence(rng)}</blockquote>")
    elif roll < 0.052:
        paragraphs.append('<script>alert("hi")</script><img src=x onerror="alert(1)">')
    return paragraphs


def article_html(post: Post, rng: random.Random) -> str:
    """A post's body as WordPress stores it: blocks (with their comment delimiters) since
    the block editor, bare paragraphs separated by blank lines (autop) before it."""
    blocks: list[tuple[str, str]] = []
    for number in range(rng.randint(4, 8)):
        if number == 2:
            blocks.append(("heading", f"<h2>{escape(_capital(rng.choice(SUBJECTS)))}</h2>"))
        text = " ".join(
            f"{_capital(rng.choice(SUBJECTS))} {rng.choice(PREDICATES)}."
            for _ in range(rng.randint(2, 5))
        )
        blocks.append(("paragraph", f"<p>{text}</p>"))
    if rng.random() < 0.3:
        items = "".join(f"<li>{rng.choice(SUBJECTS)}</li>" for _ in range(3))
        blocks.append(("list", f"<ul>{items}</ul>"))
    if rng.random() < 0.2:
        quote = f"<p>{_capital(rng.choice(SUBJECTS))} {rng.choice(PREDICATES)}.</p>"
        blocks.append(("quote", f'<blockquote class="wp-block-quote">{quote}</blockquote>'))
    if post.date >= GUTENBERG:
        attributes = {"heading": ' {"level":2}'}
        return "\n\n".join(
            f"<!-- wp:{name}{attributes.get(name, '')} -->\n{html}\n<!-- /wp:{name} -->"
            for name, html in blocks
        )
    return "\n\n".join(
        html.removeprefix("<p>").removesuffix("</p>") if name == "paragraph" else html
        for name, html in blocks
    )


def _parent(rng: random.Random, candidates: list[tuple[str, int]]) -> tuple[str, int] | None:
    """An earlier comment of the thread to answer, or None for a top-level comment. Half the
    replies answer the latest reply (a conversation going on, which is how threads get deep),
    half any earlier comment."""
    if not candidates or rng.random() >= REPLY_SHARE:
        return None
    if rng.random() < 0.5:
        return candidates[-1]
    return rng.choice(candidates)


# --- WordPress (WXR 1.2) ------------------------------------------------------------------------


def _cdata(text: str) -> str:
    # As WordPress's exporter does: a "]]>" inside the text splits the section in two.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _wp_date(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}"


def _php_votes(like: int, dislike: int) -> str:
    # wpDiscuz keeps the two counts as a PHP-serialized array.
    return f'a:2:{{s:4:"like";i:{like};s:7:"dislike";i:{dislike};}}'


def write_wxr(path: Path, *, posts: int, comments: int, seed: str = "masthead") -> dict:
    """Write a WordPress export of `posts` posts and `comments` comments to `path`, one post
    at a time (memory holds one post's comments, never the document). Return what it holds."""
    rng = random.Random(f"{seed}:wxr")
    stats = {
        "posts": 0,
        "comments": 0,
        "replies": 0,
        "max_depth": 0,
        "approved": 0,
        "pending": 0,
        "spam": 0,
        "trash": 0,
        "pingbacks": 0,
        "voted": 0,
        "likes": 0,
        "dislikes": 0,
        "sticky": 0,
        "closed": 0,
    }
    comment_id = 0
    people = max(comments // 30, 50)
    with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        out.write(_wxr_head())
        for post in site_posts(posts, comments, seed=seed, counts_seed=seed):
            post_rng = random.Random(f"{seed}:body:{post.number}")
            out.write(_wxr_item_head(post, post_rng))
            candidates: list[tuple[str, int]] = []
            when = post.date
            for _ in range(post.comments):
                comment_id += rng.randint(1, 3)
                when += timedelta(minutes=rng.randint(1, 240))
                out.write(_wxr_comment(rng, str(comment_id), when, candidates, people, stats))
            out.write("\t</item>\n")
            stats["posts"] += 1
        out.write("</channel>\n</rss>\n")
    stats["bytes"] = path.stat().st_size
    return stats


def _wxr_head() -> str:
    authors = "".join(
        f"\t<wp:author><wp:author_id>{number}</wp:author_id>"
        f"<wp:author_login>{_cdata(login)}</wp:author_login>"
        f"<wp:author_email>{_cdata(login + '@gazette.example.org')}</wp:author_email>"
        f"<wp:author_display_name>{_cdata(name)}</wp:author_display_name>"
        f"<wp:author_first_name>{_cdata(name.split()[0])}</wp:author_first_name>"
        f"<wp:author_last_name>{_cdata(name.split()[-1])}</wp:author_last_name></wp:author>\n"
        for number, (login, name) in enumerate(AUTHORS, start=2)
    )
    categories = "".join(
        f"\t<wp:category>\n\t\t<wp:term_id>{number}</wp:term_id>\n"
        f"\t\t<wp:category_nicename>{_cdata(slug)}</wp:category_nicename>\n"
        f"\t\t<wp:category_parent>{_cdata('')}</wp:category_parent>\n"
        f"\t\t<wp:cat_name>{_cdata(name)}</wp:cat_name>\n\t</wp:category>\n"
        for number, (slug, name) in enumerate(CATEGORIES, start=2)
    )
    tags = "".join(
        f"\t<wp:tag>\n\t\t<wp:term_id>{number}</wp:term_id>\n"
        f"\t\t<wp:tag_slug>{_cdata(slug)}</wp:tag_slug>\n"
        f"\t\t<wp:tag_name>{_cdata(name)}</wp:tag_name>\n\t</wp:tag>\n"
        for number, (slug, name) in enumerate(TAGS, start=20)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        "<!-- A WordPress eXtended RSS file, written by Masthead's bench/import.py as WordPress's\n"
        "     exporter would for a site with wpDiscuz. -->\n"
        '<rss version="2.0"\n'
        '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.2/"\n'
        ">\n\n<channel>\n"
        f"\t<title>{escape(SITE_TITLE)}</title>\n"
        f"\t<link>{SITE}</link>\n"
        "\t<description>News from the harbour towns</description>\n"
        f"\t<pubDate>{email.utils.format_datetime(EXPORTED)}</pubDate>\n"
        "\t<language>en-GB</language>\n"
        "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n\n"
        f"{authors}\n{categories}{tags}\n"
        "\t<generator>https://wordpress.org/?v=6.5.3</generator>\n\n"
    )


def _wxr_item_head(post: Post, rng: random.Random) -> str:
    category = rng.choice(CATEGORIES)
    terms = [f'\t\t<category domain="category" nicename="{category[0]}">{_cdata(category[1])}']
    for slug, name in rng.sample(TAGS, rng.randint(0, 3)):
        terms.append(f'\t\t<category domain="post_tag" nicename="{slug}">{_cdata(name)}')
    modified = post.date + timedelta(hours=rng.randint(0, 72))
    meta = [("_edit_last", "1")]
    if rng.random() < 0.03:
        meta.append(("_wp_old_slug", post.slug.rsplit("-", 1)[0] + "-draft"))
    meta_xml = "".join(
        f"\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>{_cdata(key)}</wp:meta_key>\n"
        f"\t\t\t<wp:meta_value>{_cdata(value)}</wp:meta_value>\n\t\t</wp:postmeta>\n"
        for key, value in meta
    )
    excerpt = f"{_capital(rng.choice(SUBJECTS))} {rng.choice(PREDICATES)}."
    closed = rng.random() < 0.05
    return (
        "\t<item>\n"
        f"\t\t<title>{_cdata(post.title)}</title>\n"
        f"\t\t<link>{escape(post.link)}</link>\n"
        f"\t\t<pubDate>{email.utils.format_datetime(post.date)}</pubDate>\n"
        f"\t\t<dc:creator>{_cdata(post.author)}</dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{escape(post.short_link)}</guid>\n'
        "\t\t<description></description>\n"
        f"\t\t<content:encoded>{_cdata(article_html(post, rng))}</content:encoded>\n"
        f"\t\t<excerpt:encoded>{_cdata(excerpt if rng.random() < 0.6 else '')}</excerpt:encoded>\n"
        f"\t\t<wp:post_id>{post.post_id}</wp:post_id>\n"
        f"\t\t<wp:post_date>{_cdata(_wp_date(post.date.astimezone(LOCAL_TIME)))}</wp:post_date>\n"
        f"\t\t<wp:post_date_gmt>{_cdata(_wp_date(post.date))}</wp:post_date_gmt>\n"
        f"\t\t<wp:post_modified>{_cdata(_wp_date(modified.astimezone(LOCAL_TIME)))}"
        "</wp:post_modified>\n"
        f"\t\t<wp:post_modified_gmt>{_cdata(_wp_date(modified))}</wp:post_modified_gmt>\n"
        f"\t\t<wp:comment_status>{_cdata('closed' if closed else 'open')}</wp:comment_status>\n"
        f"\t\t<wp:ping_status>{_cdata('open')}</wp:ping_status>\n"
        f"\t\t<wp:post_name>{_cdata(post.slug)}</wp:post_name>\n"
        f"\t\t<wp:status>{_cdata('publish')}</wp:status>\n"
        "\t\t<wp:post_parent>0</wp:post_parent>\n"
        "\t\t<wp:menu_order>0</wp:menu_order>\n"
        f"\t\t<wp:post_type>{_cdata('post')}</wp:post_type>\n"
        f"\t\t<wp:post_password>{_cdata('')}</wp:post_password>\n"
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
        + "".join(term + "</category>\n" for term in terms)
        + meta_xml
    )


def _wxr_comment(
    rng: random.Random,
    comment_id: str,
    when: datetime,
    candidates: list[tuple[str, int]],
    people: int,
    stats: dict,
) -> str:
    """One `<wp:comment>`; `candidates` (the post's approved comments that can take a reply)
    grows as the post's comments are written."""
    stats["comments"] += 1
    kind = "comment"
    roll = rng.random()
    if roll < 0.005:
        kind = "pingback"
        approved = "1"
    elif roll < 0.035:
        approved = "0"
    elif roll < 0.05:
        approved = "spam"
    elif roll < 0.055:
        approved = "trash"
    else:
        approved = "1"
    person = commenter(rng.randrange(people))
    meta: list[tuple[str, str]] = []
    if kind == "pingback":
        stats["pingbacks"] += 1
        parent, depth = None, 0
        author, author_email, author_url = "Another Harbour Blog", "", "https://blog.example.net/"
        content = f"[&#8230;] {_sentence(rng)} [&#8230;]"
        address = "198.51.100.200"
    else:
        parent = _parent(rng, candidates)
        depth = parent[1] + 1 if parent else 0
        author, author_email, author_url = person.name, person.email, person.url
        content = "\n\n".join(comment_paragraphs(rng))
        address = person.address
        if rng.random() < 0.3:
            meta.append(("akismet_result", "false"))
    status_name = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}[approved]
    stats[status_name] += 1
    if parent:
        stats["replies"] += 1
        stats["max_depth"] = max(stats["max_depth"], depth)
    if approved == "1" and kind == "comment":
        if rng.random() < 0.25:
            like, dislike = rng.randint(0, 12), rng.randint(0, 4)
            meta += [
                ("wpdiscuz_votes", str(like - dislike)),
                ("wpdiscuz_votes_seperate", _php_votes(like, dislike)),
            ]
            stats["voted"] += 1
            stats["likes"] += like
            stats["dislikes"] += dislike
        if not parent and rng.random() < 0.002:
            kind = "wpdiscuz_sticky"  # wpDiscuz pins a top-level comment by its type
            stats["sticky"] += 1
        if rng.random() < 0.002:
            meta.append(("wpdiscuz_closed", "1"))
            stats["closed"] += 1
        if depth < MAX_DEPTH:
            candidates.append((comment_id, depth))
    meta_xml = "".join(
        f"\t\t\t<wp:commentmeta>\n\t\t\t\t<wp:meta_key>{_cdata(key)}</wp:meta_key>\n"
        f"\t\t\t\t<wp:meta_value>{_cdata(value)}</wp:meta_value>\n\t\t\t</wp:commentmeta>\n"
        for key, value in meta
    )
    return (
        "\t\t<wp:comment>\n"
        f"\t\t\t<wp:comment_id>{comment_id}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author>{_cdata(author)}</wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email>{_cdata(author_email)}</wp:comment_author_email>\n"
        f"\t\t\t<wp:comment_author_url>{escape(author_url)}</wp:comment_author_url>\n"
        f"\t\t\t<wp:comment_author_IP>{_cdata(address)}</wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date>{_cdata(_wp_date(when.astimezone(LOCAL_TIME)))}"
        "</wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt>{_cdata(_wp_date(when))}</wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content>{_cdata(content)}</wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved>{_cdata(approved)}</wp:comment_approved>\n"
        f"\t\t\t<wp:comment_type>{_cdata(kind)}</wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{parent[0] if parent else 0}</wp:comment_parent>\n"
        f"\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
        f"{meta_xml}\t\t</wp:comment>\n"
    )


# --- Disqus -------------------------------------------------------------------------------------

DISQUS_WINDOW = 40  # discussions open at once: posts interleave across them, as in real exports


@dataclass
class _OpenThread:
    thread_id: str
    post: Post
    left: int
    when: datetime
    candidates: list[tuple[str, int]]


def write_disqus(path: Path, *, posts: int, comments: int, seed: str = "masthead") -> dict:
    """Write a Disqus export of the same site: a thread per post (every one, with or without
    comments), then `comments` posts. Disqus writes posts in the order they were made, so
    discussions interleave; a parent always comes before its replies. Memory holds only the
    discussions open at once, never the document. Return what the file holds."""
    rng = random.Random(f"{seed}:disqus")
    stats = {
        "threads": 0,
        "posts": 0,
        "replies": 0,
        "max_depth": 0,
        "deleted": 0,
        "spam": 0,
        "anonymous": 0,
        "closed_threads": 0,
        "identified_threads": 0,
    }
    category_id = "4021337"
    people = max(comments // 30, 50)

    def thread_id(post: Post) -> str:
        return str(700_000_000 + post.number * 13)

    def plan() -> Iterator[Post]:
        return site_posts(posts, comments, seed=seed, counts_seed=f"{seed}:disqus")

    with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd '
            'http://disqus.com/api/schemas/1.0/disqus-internals.xsd">\n'
            f'<category dsq:id="{category_id}">\n<forum>{FORUM}</forum>\n'
            "<title>General</title>\n<isDefault>true</isDefault>\n</category>\n"
        )
        for post in plan():
            thread_rng = random.Random(f"{seed}:disqus-thread:{post.number}")
            # Disqus's WordPress plugin names a thread "<post id> <short link>"; a universal
            # embed names it by whatever the page said, often nothing: then only <link> tells.
            identifier = f"{post.post_id} {post.short_link}" if thread_rng.random() < 0.5 else ""
            closed = thread_rng.random() < 0.03
            stats["identified_threads"] += bool(identifier)
            stats["closed_threads"] += closed
            stats["threads"] += 1
            out.write(
                f'<thread dsq:id="{thread_id(post)}">\n'
                f"<id>{escape(identifier)}</id>\n<forum>{FORUM}</forum>\n"
                f'<category dsq:id="{category_id}" />\n'
                f"<link>{escape(post.link)}</link>\n"
                f"<title>{escape(post.title)}</title>\n<message />\n"
                f"<createdAt>{post.date:%Y-%m-%dT%H:%M:%SZ}</createdAt>\n"
                f"<author>\n<name>{escape(SITE_TITLE)}</name>\n"
                f"<isAnonymous>false</isAnonymous>\n<username>{FORUM}</username>\n</author>\n"
                "<ipAddress>192.0.2.10</ipAddress>\n"
                f"<isClosed>{'true' if closed else 'false'}</isClosed>\n"
                "<isDeleted>false</isDeleted>\n</thread>\n"
            )
        upcoming = (post for post in plan() if post.comments)
        open_threads: list[_OpenThread] = []
        post_id = 3_100_000_000
        while True:
            while len(open_threads) < DISQUS_WINDOW:
                post = next(upcoming, None)
                if post is None:
                    break
                open_threads.append(
                    _OpenThread(thread_id(post), post, post.comments, post.date, [])
                )
            if not open_threads:
                break
            thread = rng.choice(open_threads)
            post_id += rng.randint(1, 40)
            thread.when += timedelta(minutes=rng.randint(1, 240))
            out.write(_disqus_post(rng, str(post_id), thread, people, stats))
            thread.left -= 1
            if not thread.left:
                open_threads.remove(thread)
        out.write("</disqus>\n")
    stats["bytes"] = path.stat().st_size
    return stats


def _disqus_post(
    rng: random.Random, post_id: str, thread: _OpenThread, people: int, stats: dict
) -> str:
    stats["posts"] += 1
    parent = _parent(rng, thread.candidates)
    depth = parent[1] + 1 if parent else 0
    if parent:
        stats["replies"] += 1
        stats["max_depth"] = max(stats["max_depth"], depth)
    roll = rng.random()
    spam, deleted = roll < 0.02, 0.02 <= roll < 0.045
    stats["spam"] += spam
    stats["deleted"] += deleted
    # A deleted comment keeps its place in the thread (and its replies): it can be answered.
    if not spam and depth < MAX_DEPTH:
        thread.candidates.append((post_id, depth))
    person = commenter(rng.randrange(people))
    anonymous = rng.random() < 0.15
    stats["anonymous"] += anonymous
    if anonymous:
        author = f"<name>{escape(person.name)}</name>\n<isAnonymous>true</isAnonymous>\n"
    else:
        author = (
            f"<name>{escape(person.name)}</name>\n"
            + (f"<email>{escape(person.email)}</email>\n" if rng.random() < 0.4 else "")
            + f"<isAnonymous>false</isAnonymous>\n<username>{person.handle}</username>\n"
        )
    message = "".join(f"<p>{paragraph}</p>" for paragraph in comment_paragraphs(rng))
    message = message.replace('<a href="', '<a rel="nofollow noopener" target="_blank" href="')
    return (
        f'<post dsq:id="{post_id}">\n<id />\n'
        f"<message>{_cdata(message)}</message>\n"
        f"<createdAt>{thread.when:%Y-%m-%dT%H:%M:%SZ}</createdAt>\n"
        f"<isDeleted>{'true' if deleted else 'false'}</isDeleted>\n"
        f"<isSpam>{'true' if spam else 'false'}</isSpam>\n"
        f"<author>\n{author}</author>\n"
        f"<ipAddress>{person.address}</ipAddress>\n"
        f'<thread dsq:id="{thread.thread_id}" />\n'
        + (f'<parent dsq:id="{parent[0]}" />\n' if parent else "")
        + "</post>\n"
    )


# --- running the imports ------------------------------------------------------------------------

# Settings of this shell that must not reach the scratch processes: they name your own site.
_PARENT_ONLY = {
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "MASTHEAD_VAR_DIR",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "REDIS_URL",
}

# `masthead import FORMAT FILE`, run as the command line runs it (system checks first), with
# the high-water mark of resident memory reset between the two: a management command's peak is
# set by its start-up (the checks load every URL and admin module), which would hide what the
# import itself holds. Linux resets it on "5" written to /proc/self/clear_refs.
IMPORT = """
import json, sys, django
django.setup()
from django.core import management

def memory():
    with open("/proc/self/status") as status:
        return {line.split(":")[0]: int(line.split()[1]) / 1024
                for line in status if line.startswith(("VmRSS", "VmHWM"))}

management.call_command("check")
startup = memory()
try:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    reset = True
except OSError:
    reset = False
start = memory()
code = 0
try:
    management.call_command("import", sys.argv[1], sys.argv[2])
except SystemExit as stop:
    code = stop.code if isinstance(stop.code, int) else 1
end = memory()
print("BENCH-MEMORY " + json.dumps({
    "startup_peak_mb": startup["VmHWM"], "start_mb": start["VmRSS"],
    "import_peak_mb": end["VmHWM"] if reset else None, "end_mb": end["VmRSS"],
}), flush=True)
sys.exit(code)
"""

INSPECT = """
import json, django
django.setup()
from wagtail.contrib.redirects.models import Redirect
from masthead.discussion.models import Comment, Thread
from masthead.publishing.models import ArticlePage
from masthead.transfer.models import ImportRun, SourceLink
run = ImportRun.objects.order_by("-pk").first()
print(json.dumps({
    "comments": Comment.objects.count(),
    "articles": ArticlePage.objects.count(),
    "threads": Thread.objects.count(),
    "redirects": Redirect.objects.count(),
    "links": SourceLink.objects.count(),
    "run": run and {"pk": run.pk, "status": run.status, "message": run.message,
                    "items": run.items_total, "report": run.report},
}))
"""


def _masthead(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "masthead.cli", *arguments]


def measured(environment: dict, command: list[str], log: Path) -> dict:
    """Run `command` to its end; return its wall time, its own peak resident memory (from
    wait4, so only this process's) and the load average before and after."""
    load_before = os.getloadavg()
    started = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command
            command, env=environment, cwd=REPOSITORY, stdout=output, stderr=subprocess.STDOUT
        )
        _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    result = {
        "seconds": time.perf_counter() - started,
        "peak_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "exit": process.returncode,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "log": str(log),
    }
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("BENCH-MEMORY "):
            result.update(json.loads(line.removeprefix("BENCH-MEMORY ")))
    # After the reset, the kernel's peak (wait4) is the import's alone: the process's is the
    # larger of that and its start-up's.
    result["peak_mb"] = max(result["peak_mb"], result.get("startup_peak_mb") or 0)
    return result


def inspect(environment: dict) -> dict:
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", INSPECT],
        env=environment,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"could not read the scratch database:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def scratch_database(kind: str, folder: Path, server_url: str) -> Iterator[str]:
    """Yield the URL of a new, empty database: a SQLite file in `folder`, or a PostgreSQL
    database with a name of its own on `server_url`'s server, dropped afterwards."""
    if kind == "sqlite":
        for leftover in folder.glob("bench.sqlite3*"):  # a --folder used before
            leftover.unlink()
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    import psycopg

    name = f"masthead_bench_import_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_imports(kind: str, folder: Path, files: dict, server_url: str) -> list[dict]:
    """migrate, WXR, Disqus, WXR again, Disqus again: one process each, on a new database."""
    steps = []
    with scratch_database(kind, folder, server_url) as database_url:
        environment = {k: v for k, v in os.environ.items() if k not in _PARENT_ONLY}
        environment.update(
            DATABASE_URL=database_url,
            DJANGO_SETTINGS_MODULE="masthead.settings",
            MASTHEAD_VAR_DIR=str(folder / "var"),
            MASTHEAD_TASK_QUEUE="database",
            PYTHONUNBUFFERED="1",
        )
        print(f"  {kind}: migrate", flush=True)
        step = measured(environment, _masthead("migrate", "--no-input"), folder / "migrate.log")
        steps.append({"step": "migrate", **step})
        if step["exit"] != 0:
            return steps
        counts = inspect(environment)
        plan = [
            ("import wordpress", "wordpress", files["wxr"]),
            ("import disqus", "disqus", files["disqus"]),
            ("re-import wordpress", "wordpress", files["wxr"]),
            ("re-import disqus", "disqus", files["disqus"]),
        ]
        for number, (name, format_name, path) in enumerate(plan, start=1):
            print(f"  {kind}: {name}", flush=True)
            step = measured(
                environment,
                [sys.executable, "-c", IMPORT, format_name, str(path)],
                folder / f"{number}-{format_name}.log",
            )
            after = inspect(environment)
            run = after.pop("run")
            if run is not None and (counts.get("run") or {}).get("pk") == run["pk"]:
                run = None  # the step made no run: it failed before reading the file
            steps.append({"step": name, **step, "before": counts, "after": after, "run": run})
            counts = {**after, "run": run}
    return steps


# --- the report ---------------------------------------------------------------------------------


def _load(values) -> str:
    return "/".join(f"{value:.2f}" for value in values)


def _summary(bucket: dict | None) -> str:
    if not bucket:
        return "-"
    if all(isinstance(value, int) for value in bucket.values()):
        pairs = sorted(bucket.items(), key=lambda kv: -kv[1])
    else:
        pairs = sorted(
            ((code, entry.get("count", 0)) for code, entry in bucket.items()), key=lambda kv: -kv[1]
        )
    return ", ".join(f"{code} {count:,}" for code, count in pairs)


def check(step: dict) -> list[str]:
    """What went wrong in a step, for a person; [] when nothing did."""
    problems = []
    if step["exit"] != 0:
        # The log's own lines (the exception, the command's report), not the traceback frames.
        lines = Path(step["log"]).read_text(errors="replace").splitlines()
        lines = [line for line in lines if line[:1] not in (" ", "") and " INFO " not in line]
        tail = "\n".join(lines[-12:])
        problems.append(f"{step['step']} exited with {step['exit']} (see {step['log']}):\n{tail}")
    run = step.get("run")
    if step["step"] != "migrate" and run and run["status"] != "done":
        problems.append(f"{step['step']}: run {run['pk']} ended {run['status']}: {run['message']}")
    if step["step"].startswith("re-import"):
        for what in ("comments", "articles", "threads", "redirects"):
            before, after = step["before"][what], step["after"][what]
            if before != after:
                problems.append(f"{step['step']} added {after - before:,} {what}")
    return problems


def print_steps(label: str, steps: list[dict], sizes: dict) -> None:
    print(f"\n{label}")
    for step in steps:
        line = (
            f"  {step['step']:20} {step['seconds']:8.1f} s   peak {step['peak_mb']:6.1f} MB   "
            f"load {_load(step['load_before'])} -> {_load(step['load_after'])}"
        )
        if step["step"] == "migrate":
            print(line)
            continue
        print(f"{line}   {sizes['comments'] / step['seconds']:6.0f} file comments/s")
        if step.get("import_peak_mb") is not None:
            print(
                f"      memory: start-up peak {step['startup_peak_mb']:.1f} MB; the import "
                f"began at {step['start_mb']:.1f} MB, peaked at {step['import_peak_mb']:.1f} MB, "
                f"ended at {step['end_mb']:.1f} MB"
            )
        before, after = step["before"], step["after"]
        print(
            "      "
            + "   ".join(
                f"{what} {before[what]:,} -> {after[what]:,}"
                for what in ("comments", "articles", "threads", "redirects")
            )
        )
        run = step.get("run")
        if run:
            report = run["report"] or {}
            created = report.get("created", {})
            comments = created.get("comments", 0)
            print(
                f"      run {run['pk']} {run['status']}, {run['items']:,} staged items; "
                f"{comments / step['seconds']:,.0f} comments created/s"
            )
            print(f"      created:   {_summary(created)}")
            print(f"      skipped:   {_summary(report.get('skipped'))}")
            print(f"      corrected: {_summary(report.get('corrected'))}")


def generate(folder: Path, posts: int, comments: int, seed: str) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    wxr = write_wxr(folder / "wordpress.xml", posts=posts, comments=comments, seed=seed)
    disqus = write_disqus(folder / "disqus.xml", posts=posts, comments=comments, seed=seed)
    seconds = time.perf_counter() - started
    print(
        f"  wrote {folder / 'wordpress.xml'} ({wxr['bytes'] / 1e6:.1f} MB: {wxr['posts']:,} posts, "
        f"{wxr['comments']:,} comments, {wxr['replies']:,} replies up to depth "
        f"{wxr['max_depth']}, {wxr['pending']:,} pending, {wxr['spam']:,} spam, "
        f"{wxr['trash']:,} trash, {wxr['pingbacks']:,} pingbacks, {wxr['voted']:,} with votes)"
    )
    print(
        f"  wrote {folder / 'disqus.xml'} ({disqus['bytes'] / 1e6:.1f} MB: "
        f"{disqus['threads']:,} threads, {disqus['posts']:,} posts, {disqus['replies']:,} "
        f"replies up to depth {disqus['max_depth']}, {disqus['deleted']:,} deleted, "
        f"{disqus['spam']:,} spam) in {seconds:.1f} s",
        flush=True,
    )
    return {
        "wxr": folder / "wordpress.xml",
        "disqus": folder / "disqus.xml",
        "wxr_stats": wxr,
        "disqus_stats": disqus,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="200 posts, 4,000 comments")
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server (postgres://USER@HOST:PORT/DB, DB existing): the imports also "
        "run on a new database of their own there, dropped at the end",
    )
    parser.add_argument("--no-half", action="store_true", help="skip the run at half the size")
    parser.add_argument("--seed", default="masthead")
    parser.add_argument(
        "--folder", type=Path, help="where to write, and keep, the files and databases"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder of files and databases"
    )
    parser.add_argument("--generate-only", action="store_true", help="write the files, import none")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.posts, arguments.comments = 200, 4000
    if arguments.database_url and not arguments.database_url.startswith(
        ("postgres://", "postgresql://")
    ):
        parser.error("--database-url takes a postgres:// address")

    folder = arguments.folder or Path(tempfile.mkdtemp(prefix="masthead-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [(arguments.posts, arguments.comments)]
    if not arguments.no_half:
        sizes.insert(0, (arguments.posts // 2, arguments.comments // 2))
    kinds = ["sqlite"] + (["postgresql"] if arguments.database_url else [])
    print(
        f"{os.cpu_count()} CPUs, load {_load(os.getloadavg())}; files and databases in {folder}",
        flush=True,
    )
    results, problems = [], []
    try:
        for posts, comments in sizes:
            size_folder = folder / f"{posts}-{comments}"
            print(f"\n{posts:,} posts, {comments:,} comments", flush=True)
            files = generate(size_folder, posts, comments, arguments.seed)
            stats = {"wordpress": files["wxr_stats"], "disqus": files["disqus_stats"]}
            generator_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  generator's peak memory so far (this process): {generator_mb:.1f} MB")
            if arguments.generate_only:
                continue
            for kind in kinds:
                database_folder = size_folder / kind
                database_folder.mkdir(exist_ok=True)
                steps = run_imports(kind, database_folder, files, arguments.database_url)
                size = {"posts": posts, "comments": comments}
                print_steps(f"{kind}, {posts:,} posts / {comments:,} comments", steps, size)
                for step in steps:
                    problems += check(step)
                results.append({"database": kind, **size, "files": stats, "steps": steps})
        print_memory(results)
        if arguments.json:
            arguments.json.write_text(json.dumps(results, indent=2, default=str))
    finally:
        if not (arguments.keep or arguments.folder or arguments.generate_only):
            shutil.rmtree(folder, ignore_errors=True)
    if problems:
        print("\nPROBLEMS:\n" + "\n".join(problems))
        sys.exit(1)


def print_memory(results: list[dict]) -> None:
    """Peak memory of each step at each size, side by side: flat when it does not grow. The
    import's own peak (after start-up) is the figure to watch; a process's peak is at least
    its start-up's."""
    if len({(r["posts"], r["comments"]) for r in results}) < 2:
        return
    print("\nPeak resident memory by file size, MB (the import's own / the whole process's):")
    for kind in dict.fromkeys(r["database"] for r in results):
        runs = [r for r in results if r["database"] == kind]
        header = "".join(f"{r['comments']:>14,} comments" for r in runs)
        print(f"  {kind:10} {'':20}{header}")
        for number, step in enumerate(runs[0]["steps"]):
            cells = []
            for run in runs:
                if number >= len(run["steps"]):
                    continue
                figures = run["steps"][number]
                own = figures.get("import_peak_mb")
                own_text = f"{own:.1f}" if own is not None else "-"
                cells.append(f"{own_text + ' / ' + format(figures['peak_mb'], '.1f'):>23}")
            print(f"  {'':10} {step['step']:20}{''.join(cells)}")


if __name__ == "__main__":
    main()
