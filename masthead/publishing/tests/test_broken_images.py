"""A picture whose file is gone or damaged never takes a page down."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from masthead.publishing.tests import factories

pytestmark = pytest.mark.django_db


def break_file(image, how: str) -> None:
    path = Path(image.file.path)
    if how == "missing":
        path.unlink()
    else:
        path.write_bytes(b"this is not a picture at all" * 10)


@pytest.mark.parametrize("how", ["missing", "corrupt"])
def test_article_and_lists_render_when_the_lead_image_file_is_broken(client, how):
    factories.outlet_configure()
    section = factories.section_create("City")
    image = factories.image_create(size=(1200, 800))
    body_image = factories.image_create(size=(1200, 800))
    article = factories.article_create(
        section,
        "Story with a broken picture",
        lead_image=image,
        caption="A caption that stays",
        body=[
            {"type": "paragraph", "value": "<p>Text that must still be read.</p>"},
            {
                "type": "image",
                "value": {"image": body_image.pk, "caption": "Body picture", "credit": ""},
            },
        ],
    )
    break_file(image, how)
    break_file(body_image, how)

    response = client.get(article.url)

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("h1").get_text() == "Story with a broken picture"
    assert "Text that must still be read." in page.select_one(".article-body").get_text()
    assert page.select_one(".lead-figure figcaption").get_text(strip=True) == "A caption that stays"
    for address in ["/", section.url, "/feed/", "/feed/atom/", "/search/?q=broken"]:
        assert client.get(address).status_code == 200, address


def test_image_record_deleted_leaves_article_without_picture(client):
    section = factories.section_create("City")
    image = factories.image_create()
    article = factories.article_create(section, "Picture removed by an editor", lead_image=image)
    image.delete()

    response = client.get(article.url)

    assert response.status_code == 200
    assert b"Click to see full-size image" not in response.content
