"""Content scoring: how well it sorts the labelled evaluation set, and how long one comment takes.

    .venv/bin/python bench/moderation.py [--set tests/moderation/evaluation.jsonl] [--rounds 5]

Prints the per-category table (share of comments held or rejected: recall for toxic and spam,
false positives for legit), then the time to score one comment: p50, p99 and max over every
comment of the set, `--rounds` times, after a warm-up that loads the word lists and the model.
Pure CPU work in this process: no database, no server.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=None, help="a JSON-lines labelled set")
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    import django

    django.setup()

    from masthead.moderation.config import default_config
    from masthead.moderation.content import content_score
    from masthead.moderation.tests.test_evaluation import (
        EVALUATION_SET,
        evaluation_load,
        evaluation_run,
        evaluation_table,
    )

    config = default_config()
    path = arguments.set or EVALUATION_SET
    examples = evaluation_load(path)

    started = time.perf_counter()
    content_score("warm-up: loads the word lists and the profanity model", config)
    warm_up = time.perf_counter() - started

    print(f"set: {path.relative_to(REPOSITORY) if path.is_relative_to(REPOSITORY) else path}")
    print(evaluation_table(evaluation_run(examples, config)))

    timings = []
    for _ in range(arguments.rounds):
        for example in examples:
            started = time.perf_counter()
            content_score(example["text"], config)
            timings.append(time.perf_counter() - started)
    timings.sort()
    lengths = [len(example["text"]) for example in examples]
    typical_text = (  # ~300 characters, the size of a typical comment
        "The ministry keeps lying about the casualties, and you are an idiot if you believe "
        "them. Read https://example.org/report and compare with what both sides say. This war "
        "is a fucking disaster for everyone near the border, and nobody in Moscow or Ankara "
        "cares about the villages."
    )
    typical_timings = []
    for _ in range(200 * arguments.rounds):
        started = time.perf_counter()
        content_score(typical_text, config)
        typical_timings.append(time.perf_counter() - started)
    typical_timings.sort()

    def milliseconds(values: list[float], quantile: float) -> str:
        return f"{values[min(int(len(values) * quantile), len(values) - 1)] * 1000:.2f} ms"

    print(f"first call (loads word lists and model): {warm_up * 1000:.0f} ms")
    print(
        f"one comment of the set ({len(timings)} scorings, median {statistics.median(lengths):.0f}"
        f" chars): p50 {milliseconds(timings, 0.5)}, p99 {milliseconds(timings, 0.99)},"
        f" max {timings[-1] * 1000:.2f} ms"
    )
    print(
        f"a {len(typical_text)}-char comment ({len(typical_timings)} scorings):"
        f" p50 {milliseconds(typical_timings, 0.5)}, p99 {milliseconds(typical_timings, 0.99)},"
        f" max {typical_timings[-1] * 1000:.2f} ms"
    )
    huge = "Long comment with a fucking idiot in it. " * 2500
    started = time.perf_counter()
    content_score(huge, config)
    print(
        f"a {len(huge)}-char comment (scored up to the cap): {(time.perf_counter() - started) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
