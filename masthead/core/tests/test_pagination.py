"""Strict page numbers: a list page is either a real page or a 404."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from masthead.core.pagination import paginate

ITEMS = list(range(25))


def page_for(query: str, per_page: int = 10):
    return paginate(RequestFactory().get("/list/" + query), ITEMS, per_page=per_page)


@pytest.mark.parametrize(
    ("query", "number", "items"),
    [
        ("", 1, list(range(10))),
        ("?page=", 1, list(range(10))),
        ("?page=2", 2, list(range(10, 20))),
        ("?page=3", 3, list(range(20, 25))),
        ("?page=%203%20", 3, list(range(20, 25))),
    ],
)
def test_valid_page_numbers_give_that_slice(query, number, items):
    page = page_for(query)

    assert page.number == number
    assert list(page.object_list) == items


@pytest.mark.parametrize(
    "value", ["0", "-1", "4", "abc", "1.0", "1e2", "٣", "10001", "9" * 50, "0x2", "%2B2"]
)
def test_anything_else_is_a_404(value):
    with pytest.raises(Http404):
        page_for(f"?page={value}")


def test_an_empty_list_still_has_a_first_page():
    page = paginate(RequestFactory().get("/list/"), [], per_page=10)

    assert page.number == 1
    assert list(page.object_list) == []
