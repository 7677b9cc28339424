"""Kill drill: `kill -9` the server, its worker and its scheduler while readers post, then
start them again.

    .venv/bin/python bench/drills/kill.py [--kills 2] [--posters 4] [--queue database|redis]

Starts its own redis-server, mail server, database and `masthead serve`. Posters retry each
comment with its Idempotency-Key until it is acknowledged, as the site's own script does, so a
comment whose answer was lost in the kill must not be stored twice. Prints what the posters
saw, whether every acknowledged comment is stored exactly once, and whether every one of them
mailed each subscriber exactly once after the restart.
"""

import argparse
import sys
import time

from harness import (
    OwnRedis,
    Poster,
    Server,
    load_average,
    mails_per_comment,
    merge,
    own_smtp,
    print_statuses,
    say,
    seed,
    site,
    stored,
    wait_for_mail,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--interval", type=float, default=8, help="seconds between kills")
    parser.add_argument("--posters", type=int, default=4)
    parser.add_argument("--queue", choices=["redis", "database"], default="database")
    parser.add_argument("--subscribers", type=int, default=3)
    parser.add_argument("--mail-wait", type=float, default=240)
    arguments = parser.parse_args()

    redis = OwnRedis()
    redis.start()
    with (
        own_smtp() as mailbox,
        site(
            redis=redis,
            mailbox=mailbox,
            MASTHEAD_TASK_QUEUE=arguments.queue,
            MASTHEAD_RATE_LIMITS="off",
        ) as (environment, folder),
    ):
        key, _article = seed(environment, subscribers=arguments.subscribers)
        server = Server(environment, folder)
        server.start()
        say(f"serving on port {server.port}; load average {load_average()}")
        phases = ["running"]
        phase = ["running"]
        posters = [
            Poster(server.port, key, str(n), lambda: phase[0]) for n in range(arguments.posters)
        ]
        for poster in posters:
            poster.start()
        for kill in range(1, arguments.kills + 1):
            time.sleep(arguments.interval)
            phase[0] = f"killed {kill}"
            phases.append(phase[0])
            say("kill -9 the server, worker and scheduler")
            server.kill()
            time.sleep(2)
            server.start()
            phase[0] = f"restarted {kill}"
            phases.append(phase[0])
            say("started again")
        time.sleep(arguments.interval)
        for poster in posters:
            poster.stopping.set()
        for poster in posters:
            poster.join(timeout=60)

        print_statuses(
            "posters (POST comment; retried with the same key):",
            merge([p.statuses for p in posters]),
            phases,
        )
        acknowledged = [text for poster in posters for _, text in poster.acknowledged]
        database = stored(environment)
        say(
            f"acknowledged {len(acknowledged)}; stored {database['comments']} "
            f"({database['distinct']} distinct), duplicated {database['duplicated']}"
        )
        expected = len(acknowledged) * arguments.subscribers
        received = wait_for_mail(mailbox, expected, seconds=arguments.mail_wait)
        per_comment = mails_per_comment(mailbox, acknowledged)
        say(
            f"mails received {received} of {expected}; comments by number of mails: "
            f"{dict(sorted(per_comment.items()))}; load average {load_average()}"
        )
        server.stop()
        stored_ok = database["comments"] == database["distinct"] >= len(acknowledged)
        mails_ok = set(per_comment) == {arguments.subscribers}
        ok = stored_ok and mails_ok
        say("RESULT:", "every acknowledged comment kept once and mailed once" if ok else "FAILED")
    redis.kill()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
