"""Flood and hostile-input drill against a running Masthead, as an attacker would try it.

    .venv/bin/python bench/drills/flood.py

Starts its own redis-server, mail server, database and `masthead serve` (rate limits on), then:
guesses an editor's password 30 times and tries the right one; floods a thread with comments
from one address; sends hostile inputs (NUL bytes, overlong fields, broken JSON and UTF-8, a
600-deep reply chain, oddly shaped but validly signed Stripe webhooks, a webhook from the
future); and writes through the JSON API with a session but without the CSRF token. Prints
every answer's status; any 5xx fails the drill.
"""

import argparse
import hashlib
import hmac
import json
import re
import secrets
import sys
import time
from collections import Counter

from harness import Client, OwnRedis, Server, load_average, own_smtp, say, seed, shell, site

EDITORS = ("drill-editor", "drill-writer")
# Made anew for each run: the drill's site is thrown away afterwards.
PASSWORD = secrets.token_urlsafe(16)
WEBHOOK_SECRET = "whsec_" + secrets.token_urlsafe(24)

DEEP_CHAIN = """
from django.utils import timezone
from masthead.discussion.models import Comment, Thread
thread = Thread.objects.get(key="{key}")
parent = root = None
# Written row by row, as an older install or an import would have left it.
for depth in range(600):
    parent = Comment.objects.create(
        thread=thread, parent=parent, root=root, depth=min(depth, 32767), text=f"level {{depth}}",
        html=f"<p>level {{depth}}</p>", author_name="Deep", created=timezone.now(),
        listed=True, reply_count=1 if depth < 599 else 0)
    root = root or parent
Thread.objects.filter(pk=thread.pk).update(comment_count=600)
print("deepest", parent.pk)
"""


# What a sound server answers; a case not listed may answer anything but a 5xx.
EXPECTED = {
    "/admin/login/: the right password after 30 wrong ones": {429},
    "/accounts/login/: the right password after 30 wrong ones": {429},
    "the 30th comment of a flood": {429},
    "a reply under a 600-deep chain": {201},
    "the 600-deep thread (API)": {200},
    "the 600-deep thread (HTML fragment)": {200},
    "the 600-deep thread (feed)": {200},
    "webhook: a JSON array": {400},
    "webhook: an object without id": {400},
    "webhook: data.object a string": {400},
    "webhook: signed an hour in the future": {400},
    "session write without the CSRF token, foreign Origin": {403},
    "guest write without cookies": {201},
}


def login_form(client: Client, path: str) -> str:
    _status, page = client.request("GET", path)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page or "")
    return match.group(1) if match else ""


def guess_passwords(port: int) -> list[tuple[str, int]]:
    results = []
    for number, path in enumerate(("/admin/login/", "/accounts/login/")):
        # An account and an address of its own per form, so each form's throttle shows.
        username = f"{EDITORS[0]}-{number}"
        client = Client(port, address=f"192.0.2.{66 + number}")
        statuses = []
        for attempt in range(31):
            token = login_form(client, path)
            password = PASSWORD if attempt == 30 else f"guess-{attempt}"
            body = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
            status, _answer = client.request(
                "POST",
                path,
                body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{port}{path}",
                },
            )
            statuses.append(status)
        print(f"    {path}: 30 wrong passwords answered {dict(Counter(statuses[:30]))}")
        results.append((f"{path}: the right password after 30 wrong ones", statuses[30]))
    return results


def flood_comments(port: int, key: str) -> list[tuple[str, int]]:
    client = Client(port, address="192.0.2.99")
    statuses = []
    for number in range(30):
        status, _ = client.request(
            "POST",
            f"/api/v1/threads/{key}/comments",
            {
                "author_name": "Flood",
                "author_email": "flood@example.org",
                "text": f"Flood number {number} about the harbour budget vote.",
            },
        )
        statuses.append(status)
    print(f"    30 comments from one address in a row: {dict(Counter(statuses))}")
    return [("the 30th comment of a flood", statuses[-1])]


def signed(body: bytes, *, at: float) -> dict:
    timestamp = str(int(at))
    signature = hmac.new(
        WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return {"Stripe-Signature": f"t={timestamp},v1={signature}", "Content-Type": "application/json"}


def hostile(port: int, key: str, deepest: int) -> list[tuple[str, int]]:
    comments = f"/api/v1/threads/{key}/comments"
    good = {"author_name": "Tester", "author_email": "tester@example.org", "text": "Fine."}
    cases: list[tuple[str, str, str, object, dict]] = [
        ("NUL in the thread key (API)", "GET", "/api/v1/threads/%00/comments", None, {}),
        ("NUL in the thread key (count)", "GET", "/api/v1/threads/a%00b/count", None, {}),
        ("NUL in the thread key (fragment)", "GET", "/discussion/threads/%00/comments/", None, {}),
        ("NUL in the thread key (feed)", "GET", "/discussion/threads/%00/feed/", None, {}),
        ("NUL in an anchor field", "POST", comments, {**good, "anchor_exact": "a\x00b"}, {}),
        ("NUL in the author name", "POST", comments, {**good, "author_name": "A\x00da"}, {}),
        (
            "312-character email",
            "POST",
            comments,
            {**good, "author_email": "a" * 300 + "@example.org"},
            {},
        ),
        ("broken JSON", "POST", comments, b'{"text": ', {"Content-Type": "application/json"}),
        (
            "invalid UTF-8",
            "POST",
            comments,
            b'{"text": "\xff\xfe"}',
            {"Content-Type": "application/json"},
        ),
        ("1 MB of text", "POST", comments, {**good, "text": "x" * 1_000_000}, {}),
        ("a reply under a 600-deep chain", "POST", comments, {**good, "parent": deepest}, {}),
        ("the 600-deep thread (API)", "GET", comments + "?limit=50", None, {}),
        (
            "the 600-deep thread (HTML fragment)",
            "GET",
            f"/discussion/threads/{key}/comments/",
            None,
            {},
        ),
        ("the 600-deep thread (feed)", "GET", f"/discussion/threads/{key}/feed/", None, {}),
    ]
    now = time.time()
    for name, body in [
        ("webhook: a JSON array", b"[]"),
        ("webhook: an object without id", b'{"type": "charge.refunded"}'),
        (
            "webhook: data.object a string",
            b'{"id": "evt_1", "type": "charge.refunded", "created": 1, "data": {"object": "x"}}',
        ),
    ]:
        cases.append((name, "POST", "/webhooks/stripe", body, signed(body, at=now)))
    future = json.dumps({"id": "evt_future", "type": "invoice.paid", "data": {"object": {}}})
    cases.append(
        (
            "webhook: signed an hour in the future",
            "POST",
            "/webhooks/stripe",
            future.encode(),
            signed(future.encode(), at=now + 3600),
        )
    )
    results = []
    for number, (name, method, path, body, headers) in enumerate(cases):
        # Each from its own address, so the rate limits do not answer for the code under test.
        client = Client(port, address=f"198.51.100.{number + 1}")
        status, _ = client.request(method, path, body, headers=headers, timeout=60)
        results.append((name, status))
    return results


def csrf_less_writes(port: int, key: str) -> list[tuple[str, int]]:
    client = Client(port, address="203.0.113.7")
    token = login_form(client, "/admin/login/")
    client.request(
        "POST",
        "/admin/login/",
        f"csrfmiddlewaretoken={token}&username={EDITORS[1]}&password={PASSWORD}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/admin/login/",
        },
    )
    foreign = {"Origin": "https://evil.example"}
    status, _ = client.request(
        "POST",
        f"/api/v1/threads/{key}/comments",
        {"text": "Posted by a foreign page with the editor's session."},
        headers=foreign,
    )
    guest_status, _ = Client(port, address="203.0.113.8").request(
        "POST",
        f"/api/v1/threads/{key}/comments",
        {
            "author_name": "Guest",
            "author_email": "guest@example.org",
            "text": "A guest, no cookie.",
        },
    )
    return [
        ("session write without the CSRF token, foreign Origin", status),
        ("guest write without cookies", guest_status),
    ]


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    redis = OwnRedis()
    redis.start()
    with (
        own_smtp() as mailbox,
        site(
            redis=redis,
            mailbox=mailbox,
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            MASTHEAD_TRUSTED_PROXIES="127.0.0.1",
        ) as (
            environment,
            folder,
        ),
    ):
        key, _article = seed(environment, subscribers=0)
        for username in (f"{EDITORS[0]}-0", f"{EDITORS[0]}-1", EDITORS[1]):
            shell(
                environment,
                "from django.contrib.auth import get_user_model; "
                f"get_user_model().objects.create_superuser({username!r}, "
                f"'{username}@example.org', {PASSWORD!r})",
            )
        deepest = int(
            shell(environment, DEEP_CHAIN.format(key=key)).split("deepest ")[1].split()[0]
        )
        server = Server(environment, folder)
        server.start()
        say(f"serving on port {server.port}; load average {load_average()}")

        say("password guessing:")
        results = guess_passwords(server.port)
        say("comment flood:")
        results += flood_comments(server.port, key)
        results += hostile(server.port, key, deepest) + csrf_less_writes(server.port, key)
        say("answers (status, what was tried, what a sound server answers):")
        failures = []
        for name, status in results:
            allowed = EXPECTED.get(name)
            sound = status in allowed if allowed else 0 < status < 500
            failures += [] if sound else [name]
            wanted = "/".join(map(str, sorted(allowed))) if allowed else "no 5xx"
            print(f"    {status or 'no answer':>9}  {name}  [{wanted}]{'' if sound else '  <-'}")
        server.stop()
        tracebacks = server.log().count("Traceback")
        say(f"server log: {tracebacks} tracebacks; load average {load_average()}")
        say("RESULT:", "all sound" if not failures else f"FAILED: {failures}")
    redis.kill()
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
