"""With REDIS_URL set, the cache that every app process shares lives in the Redis server."""

import pytest
import redis
from django.core.cache import caches
from django.test.utils import override_settings

from masthead.publishing.tests import factories

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


def test_pages_keep_their_shared_cache_in_redis(client, redis_url):
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "masthead",
        }
    }
    with override_settings(CACHES=redis_cache):
        factories.section_create("City")
        assert client.get("/").status_code == 200

        keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("masthead:*")]
        # Wagtail caches the site's root paths; a second app process would read them from here.
        assert any("wagtail_site_root_paths" in key for key in keys), keys
        caches["default"].set("shared-check", "seen by every process", 30)
        assert redis.Redis.from_url(redis_url).exists(caches["default"].make_key("shared-check"))
