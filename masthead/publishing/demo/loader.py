"""Load the demo outlet: settings, authors, sections, articles with generated pictures.

Idempotent by design: every object is found by a stable key (slug, image title) before it is
created, and nothing that already exists is overwritten, so running it twice adds nothing and
an editor's changes to demo content survive a re-run.
"""

import functools
import io
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Site

from masthead.publishing.demo import content
from masthead.publishing.demo.images import render_demo_image
from masthead.publishing.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomeFeaturedArticle,
    HomePage,
    OutletSettings,
    SectionPage,
    StandardPage,
)

# Rendering is deterministic; caching the bytes makes repeated loads in one process (tests) cheap.
_render_image = functools.lru_cache(maxsize=64)(render_demo_image)

DEMO_COLLECTION = "Demo pictures"
DEMO_EDITOR_USERNAME = "editor"

# Paragraphs the demo marks as passages asking readers for feedback (inline feedback).
FEEDBACK_PASSAGES = {
    "council-backs-ferry-fare-rise-gullhaven": "the ferry service is running a deficit",
    "ropewalk-court-tenants-vote-to-buy-their-building": "work currently done by a managing agent",
    "harbour-dredging-plan-threatens-seagrass-meadow": "even a few weeks of cloudy water",
}
FEEDBACK_QUESTION = "What do you think about this?"

# Plain pages every outlet has (the Support page comes from the funding app's demo).
STANDARD_PAGES = [
    {
        "slug": "about",
        "title": "About {outlet}",
        "intro": "Who we are, how we work, and who pays for it.",
        "body": [
            "<p>We are a small, independent newsroom. We report on the decisions that shape "
            "daily life here: how the city spends its money, who gets housed, what happens to "
            "the water and the shoreline, and the culture that holds the place together.</p>",
            "<p>We take no money from the people and institutions we cover, run no trackers and "
            "sell no data. Corrections are published at the foot of the article they concern.</p>",
        ],
    },
]


@dataclass
class DemoReport:
    """What a demo run created; empty lists mean everything was already there."""

    created: list[str] = field(default_factory=list)
    editor_password: str | None = None


def demo_load(*, image_size: tuple[int, int] = (2400, 1600)) -> DemoReport:
    """Create whatever part of the demo outlet is missing and return what was created."""
    report = DemoReport()
    with transaction.atomic():
        site = _site_configure(report)
        home = site.root_page.specific
        if not isinstance(home, HomePage):
            raise RuntimeError(
                "The default site's root page is not a Masthead front page; "
                "the demo only loads into a fresh Masthead database."
            )
        outlet = _outlet_configure(site, report)
        authors = _authors_ensure(report)
        sections = _sections_ensure(home, report)
        articles = _articles_ensure(sections, authors, image_size, report)
        _front_page_ensure(home, articles, report)
        _standard_pages_ensure(home, outlet, report)
    report.editor_password = _editor_ensure(report)
    return report


def _site_configure(report: DemoReport) -> Site:
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    address = urlsplit(settings.SITE_URL)
    hostname = address.hostname or "localhost"
    port = address.port or (443 if address.scheme == "https" else 80)
    if (site.hostname, site.port, site.site_name) != (hostname, port, content.OUTLET["name"]):
        site.hostname, site.port, site.site_name = hostname, port, content.OUTLET["name"]
        site.save()
        report.created.append(f"site address {hostname}:{port}")
    return site


def _outlet_configure(site: Site, report: DemoReport) -> OutletSettings:
    outlet = OutletSettings.for_site(site)
    if outlet.name == OutletSettings._meta.get_field("name").default:
        outlet.name = content.OUTLET["name"]
        outlet.tagline = content.OUTLET["tagline"]
        outlet.about = content.OUTLET["about"]
        outlet.save()
        report.created.append("outlet settings")
    return outlet


def _authors_ensure(report: DemoReport) -> dict[str, Author]:
    authors = {}
    for data in content.AUTHORS:
        author, created = Author.objects.get_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "role": data["role"], "bio": data["bio"]},
        )
        if created:
            report.created.append(f"author {author.name}")
        authors[author.slug] = author
    return authors


def _publish(page) -> None:
    page.save_revision().publish()


def _sections_ensure(home: HomePage, report: DemoReport) -> dict[str, SectionPage]:
    sections = {}
    for data in content.SECTIONS:
        section = SectionPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if section is None:
            section = SectionPage(
                title=data["title"], slug=data["slug"], intro=data["intro"], show_in_menus=True
            )
            home.add_child(instance=section)
            _publish(section)
            report.created.append(f"section {section.title}")
        sections[data["slug"]] = section
    return sections


def _image_ensure(spec: dict, image_size: tuple[int, int], report: DemoReport):
    image_model = get_image_model()
    collection = _demo_collection()
    image = image_model.objects.filter(collection=collection, title=spec["title"]).first()
    if image is None:
        data = _render_image(spec["motif"], spec["seed"], size=image_size)
        filename = f"demo-{spec['motif']}-{spec['seed']}.jpg"
        image = image_model(title=spec["title"], collection=collection)
        image.file = ImageFile(io.BytesIO(data), name=filename)
        image.save()
        report.created.append(f"image {spec['title']}")
    return image


def _demo_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=DEMO_COLLECTION).first()
    return existing or root.add_child(name=DEMO_COLLECTION)


def _body_stream(
    blocks: list, image_size: tuple[int, int], report: DemoReport, feedback_marker: str = ""
) -> list[dict]:
    stream = []
    for block_type, value in blocks:
        if block_type == "paragraph" and feedback_marker and feedback_marker in value:
            block_type, value = "feedback", {"text": value, "question": FEEDBACK_QUESTION}
        elif block_type == "list":
            value = {"ordered": value.get("ordered", False), "items": list(value["items"])}
        elif block_type == "image":
            image = _image_ensure(value, image_size, report)
            value = {"image": image.pk, "caption": value["caption"], "credit": value["credit"]}
        elif block_type == "quote":
            value = {"text": value["text"], "attribution": value.get("attribution", "")}
        stream.append({"type": block_type, "value": value})
    return stream


def _articles_ensure(sections, authors, image_size, report) -> dict[str, ArticlePage]:
    articles = {}
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for data in content.ARTICLES:
        article = ArticlePage.objects.filter(slug=data["slug"]).first()
        if article is None:
            date = today.replace(hour=data["hour"]) - timedelta(days=data["days_ago"])
            date = min(date, timezone.now() - timedelta(minutes=5))
            lead = data["lead_image"]
            article = ArticlePage(
                title=data["title"],
                slug=data["slug"],
                standfirst=data["standfirst"],
                date=date,
                first_published_at=date,
                lead_image=_image_ensure(lead, image_size, report),
                lead_image_caption=lead["caption"],
                lead_image_credit=lead["credit"],
                body=_body_stream(
                    data["body"], image_size, report, FEEDBACK_PASSAGES.get(data["slug"], "")
                ),
            )
            article.article_authors = [
                ArticleAuthor(author=authors[slug], sort_order=index)
                for index, slug in enumerate(data["authors"])
            ]
            article.tags.add(*data["tags"])
            sections[data["section"]].add_child(instance=article)
            _publish(article)
            report.created.append(f"article {article.title}")
        articles[data["slug"]] = article
    return articles


def _front_page_ensure(home: HomePage, articles: dict[str, ArticlePage], report) -> None:
    if HomeFeaturedArticle.objects.filter(home=home).exists():
        return
    featured = [data["slug"] for data in content.ARTICLES if data.get("featured")]
    home = HomePage.objects.get(pk=home.pk)
    home.featured_articles = [
        HomeFeaturedArticle(article=articles[slug], sort_order=index)
        for index, slug in enumerate(featured)
    ]
    _publish(home)
    report.created.append("front page selection")


def _standard_pages_ensure(home: HomePage, outlet: OutletSettings, report) -> None:
    for data in STANDARD_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if page is None:
            page = StandardPage(
                title=data["title"].format(outlet=outlet.name),
                slug=data["slug"],
                intro=data["intro"],
                body=[{"type": "paragraph", "value": paragraph} for paragraph in data["body"]],
            )
            home.add_child(instance=page)
            _publish(page)
            report.created.append(f"page {page.title}")


def _editor_ensure(report: DemoReport) -> str | None:
    """Create the demo editor account once; return its new password (None if it existed)."""
    user_model = get_user_model()
    if user_model.objects.filter(username=DEMO_EDITOR_USERNAME).exists():
        return None
    password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(
        username=DEMO_EDITOR_USERNAME, email="", password=password, first_name="Demo editor"
    )
    credentials = Path(settings.VAR_DIR) / "demo-editor.txt"
    credentials.write_text(f"username: {DEMO_EDITOR_USERNAME}\npassword: {password}\n")
    credentials.chmod(0o600)
    report.created.append(f"editor account '{DEMO_EDITOR_USERNAME}'")
    return password
