"""Outage drill: Redis (cache, task queue, live broker) or the mail server goes away while
readers read and post, then comes back.

    .venv/bin/python bench/drills/outage.py [--what redis|smtp] [--down 20] [--posters 4]
        [--queue redis|database] [--subscribers 3]

Starts its own redis-server, mail server, database and `masthead serve`; readers fetch the
article page and the comments API, posters post comments (each retried with its
Idempotency-Key until acknowledged). Prints, per phase (before / down / after), the statuses
the readers and posters saw; then whether every acknowledged comment is stored exactly once
and whether each produced exactly one mail per subscriber once the scheduler's sweep ran.
"""

import argparse
import sys
import time

from harness import (
    OwnRedis,
    Poster,
    Reader,
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

PHASES = ["before", "down", "after"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--what", choices=["redis", "smtp"], default="redis")
    parser.add_argument("--before", type=float, default=10)
    parser.add_argument("--down", type=float, default=20)
    parser.add_argument("--after", type=float, default=10)
    parser.add_argument("--posters", type=int, default=4)
    parser.add_argument("--queue", choices=["redis", "database"], default="redis")
    parser.add_argument("--subscribers", type=int, default=3)
    parser.add_argument("--mail-wait", type=float, default=240, help="seconds to wait for mail")
    arguments = parser.parse_args()

    redis = OwnRedis()
    redis.start()
    with (
        own_smtp() as mailbox,
        site(
            redis=redis,
            mailbox=mailbox,
            MASTHEAD_TASK_QUEUE=arguments.queue,
            MASTHEAD_RATE_LIMITS="off",  # many posters share one address here; see flood.py
        ) as (environment, folder),
    ):
        key, article = seed(environment, subscribers=arguments.subscribers)
        server = Server(environment, folder)
        server.start()
        say(
            f"serving on port {server.port}; thread {key}; article {article}; "
            f"load average {load_average()}"
        )

        phase = ["before"]
        current = lambda: phase[0]  # noqa: E731
        posters = [Poster(server.port, key, str(n), current) for n in range(arguments.posters)]
        readers = [
            Reader(server.port, [article, f"/api/v1/threads/{key}/comments"], current)
            for _ in range(2)
        ]
        for worker in posters + readers:
            worker.start()

        time.sleep(arguments.before)
        phase[0] = "down"
        if arguments.what == "redis":
            say("killing Redis")
            redis.kill()
        else:
            say("stopping the mail server")
            mailbox.controller.stop()
        time.sleep(arguments.down)
        phase[0] = "after"
        if arguments.what == "redis":
            say("starting Redis again (empty: whatever it held is gone)")
            redis.start()
        else:
            say("starting the mail server again")
            mailbox.controller.start()
        time.sleep(arguments.after)
        for worker in posters + readers:
            worker.stopping.set()
        for worker in posters + readers:
            worker.join(timeout=60)

        print_statuses(
            "readers (article page and comments API):", merge([r.statuses for r in readers]), PHASES
        )
        print_statuses(
            "posters (POST comment; retried with the same key):",
            merge([p.statuses for p in posters]),
            PHASES,
        )
        acknowledged = [text for poster in posters for _, text in poster.acknowledged]
        abandoned = [reason for poster in posters for reason in poster.abandoned]
        database = stored(environment)
        say(
            f"acknowledged {len(acknowledged)}, abandoned {len(abandoned)} {abandoned[:3]}; "
            f"stored {database['comments']} ({database['distinct']} distinct), "
            f"duplicated {database['duplicated']}"
        )

        expected = len(acknowledged) * arguments.subscribers
        say(
            f"waiting up to {arguments.mail_wait:.0f} s for {expected} mails "
            "(the scheduler's minute tick re-dispatches what a lost queue dropped)"
        )
        started = time.monotonic()
        received = wait_for_mail(mailbox, expected, seconds=arguments.mail_wait)
        per_comment = mails_per_comment(mailbox, acknowledged)
        say(
            f"mails received {received} of {expected} in {time.monotonic() - started:.0f} s; "
            f"comments by number of mails: {dict(sorted(per_comment.items()))}; "
            f"mail log states {database['mail_states']}"
        )
        server.stop()
        errors = [line for line in server.log().splitlines() if "Traceback" in line]
        say(f"server log: {len(errors)} tracebacks; load average {load_average()}")

        lost = len(acknowledged) - sum(
            n for mails, n in per_comment.items() if mails >= arguments.subscribers
        )
        ok = (
            database["comments"] == database["distinct"] == len(acknowledged)
            and lost == 0
            and not any(mails > arguments.subscribers for mails in per_comment)
        )
        say(
            "RESULT:",
            "nothing lost, nothing twice"
            if ok
            else f"FAILED ({lost} comments without all their mails, or duplicates above)",
        )
    redis.kill()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
