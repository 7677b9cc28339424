"""The test run empties only a Redis it started itself, or the one the operator named."""

from pathlib import Path

import pytest

from conftest import REDIS_URL


@pytest.mark.redis
@pytest.mark.skipif(bool(REDIS_URL), reason="MASTHEAD_TEST_REDIS_URL names the operator's choice")
def test_the_redis_that_tests_empty_is_a_server_this_run_started(redis_url):
    import os

    import redis

    client = redis.Redis.from_url(redis_url)
    pid = client.info("server")["process_id"]
    status = Path(f"/proc/{pid}/status").read_text()
    parent = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
    # Started by this pytest process (not a machine's or CI's Redis on 6379), persisting nothing.
    assert parent == os.getpid()
    assert client.config_get("save")["save"] == ""
    assert client.config_get("appendonly")["appendonly"] == "no"
