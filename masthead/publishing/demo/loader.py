"""Load the demo outlet: settings, authors, sections, articles with generated pictures, and
their Russian and Arabic translations.

Idempotent by design: every object is found by a stable key (slug, image title, translation of
a page into a locale) before it is created, and nothing that already exists is overwritten, so
running it twice adds nothing and an editor's changes to demo content survive a re-run.
"""

import functools
import io
import json
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
from wagtail.models import Collection, Locale, Site

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

DATA_DIR = Path(__file__).resolve().parent / "data"

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
        _translations_ensure(home, sections, articles, report)
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


@functools.cache
def _data_file(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def demo_articles() -> list[dict]:
    """Every demo article: the ones written in content.py, then those kept in data files."""
    return [*content.ARTICLES, *_data_file("articles.json")["articles"]]


def _feedback_marker(data: dict) -> str:
    return data.get("feedback_passage") or FEEDBACK_PASSAGES.get(data["slug"], "")


def _articles_ensure(sections, authors, image_size, report) -> dict[str, ArticlePage]:
    articles = {}
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for data in demo_articles():
        # Translations share the slug: the demo's own article is the one in the sections' locale.
        article = ArticlePage.objects.filter(
            slug=data["slug"], locale_id=sections[data["section"]].locale_id
        ).first()
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
                body=_body_stream(data["body"], image_size, report, _feedback_marker(data)),
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
    featured = [data["slug"] for data in demo_articles() if data.get("featured")]
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


def _translations_ensure(home: HomePage, sections, articles, report) -> None:
    """Copy the front page, the sections and a few articles into each demo language, once.

    Each level is copied with Wagtail's `copy_for_translation` under its translated parent
    (never `copy_parents`, which would make the parents untranslated aliases), then given its
    translated text from data/translations.json and published. A translation that exists, made
    by an earlier run or by an editor, is left exactly as it is.
    """
    for code, text in _data_file("translations.json")["languages"].items():
        locale, created = Locale.objects.get_or_create(language_code=code)
        if created:
            report.created.append(f"locale {code}")
        translated_home = home.get_translation_or_none(locale)
        new_home = translated_home is None
        if new_home:
            # A draft until it is filled in below. Not its front-page selection, which names
            # the default language's articles: it features their translations instead.
            translated_home = home.copy_for_translation(
                locale, exclude_fields=["featured_articles"]
            )
        for slug, section in sections.items():
            if section.get_translation_or_none(locale) is None:
                copy = section.copy_for_translation(locale)
                copy.title = text["sections"][slug]["title"]
                copy.intro = text["sections"][slug]["intro"]
                _publish(copy)
                report.created.append(f"section {copy.title} ({code})")
        translated = {}
        for slug, article_text in text["articles"].items():
            article = articles[slug]
            copy = article.get_translation_or_none(locale)
            if copy is None:
                copy = _article_translate(article, locale, article_text)
                report.created.append(f"article {copy.title} ({code})")
            translated[slug] = copy
        if new_home:
            featured = [
                translated[data["slug"]]
                for data in demo_articles()
                if data.get("featured") and data["slug"] in translated
            ]
            # Fresh from the database: the copy in hand predates its sections, and publishing
            # it would write back its stale count of children, hiding them from routing.
            translated_home = HomePage.objects.get(pk=translated_home.pk)
            translated_home.title = text["home"]["title"]
            translated_home.intro = text["home"]["intro"]
            translated_home.featured_articles = [
                HomeFeaturedArticle(article=article, sort_order=index)
                for index, article in enumerate(featured)
            ]
            _publish(translated_home)
            report.created.append(f"front page ({code})")


def _article_translate(article: ArticlePage, locale: Locale, text: dict) -> ArticlePage:
    copy = article.copy_for_translation(locale)
    copy.title = text["title"]
    copy.standfirst = text["standfirst"]
    copy.lead_image_caption = text["lead_image_caption"]
    copy.lead_image_credit = text["lead_image_credit"]
    copy.body = _translated_body(text["body"])
    copy.first_published_at = article.first_published_at
    _publish(copy)
    return copy


def _translated_body(blocks: list) -> list[dict]:
    stream = []
    for block_type, value in blocks:
        if block_type == "image":
            # The original's picture: pictures are shared by every language. One an editor has
            # renamed or deleted since is left out rather than failing the whole demo.
            image = (
                get_image_model()
                .objects.filter(collection=_demo_collection(), title=value["title"])
                .first()
            )
            if image is None:
                continue
            value = {"image": image.pk, "caption": value["caption"], "credit": value["credit"]}
        stream.append({"type": block_type, "value": value})
    return stream


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
