"""Content scoring: how well it sorts labelled comments, how long one comment takes, what it costs.

    .venv/bin/python bench/moderation.py [--set PATH.jsonl] [--rounds 3]

Prints, for the project's own labelled sets (or `--set`, a JSON Lines file with "text" and
"label" legit/toxic/spam), the share of comments held (recall for toxic and spam, false positives
for legit); then the cost of the models: time to load them (what a server pays at start), the
resident memory of this process before and after, the install size of the model files, and the
time to score one comment — p50, p99 and max — for every comment of the sets and for generated
comments of 50 to 2,000 characters. Pure CPU work in this process: no database, no server.
Compare runs side by side on the same machine (give the load average), not lone figures.
"""

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _milliseconds(values: list[float], quantile: float) -> str:
    return f"{values[min(int(len(values) * quantile), len(values) - 1)] * 1000:.2f} ms"


def _size_mb(paths) -> float:
    total = 0
    for path in paths:
        path = Path(path)
        files = path.rglob("*") if path.is_dir() else [path]
        total += sum(item.stat().st_size for item in files if item.is_file())
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=None, help="a JSON-lines labelled set")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    import django

    django.setup()
    before = _rss_mb()

    from masthead.moderation.classifier import model_directory
    from masthead.moderation.config import default_config
    from masthead.moderation.pipeline import warm_up
    from masthead.moderation.scoring import text_analyze
    from masthead.moderation.tests.test_evaluation import (
        DATA,
        evaluation_load,
        evaluation_run,
        evaluation_table,
    )

    started = time.perf_counter()
    warm_up()
    load_seconds = time.perf_counter() - started
    after = _rss_mb()
    config = default_config()

    sets = [arguments.set] if arguments.set else sorted(DATA.glob("*.jsonl"))
    examples = []
    for path in sets:
        loaded = evaluation_load(path)
        examples.extend(loaded)
        print(f"set: {path.name}")
        print(evaluation_table(evaluation_run(loaded, config)))

    def timed(texts: list[str], rounds: int) -> list[float]:
        timings = []
        for _ in range(rounds):
            for text in texts:
                started = time.perf_counter()
                text_analyze(text, config=config)
                timings.append(time.perf_counter() - started)
        return sorted(timings)

    texts = [example["text"] for example in examples]
    timings = timed(texts, arguments.rounds)
    rng = random.Random(5)
    words = " ".join(texts).split()
    generated = {}
    for length in (50, 300, 1000, 2000):
        batch = []
        for _ in range(100):
            text = ""
            while len(text) < length:
                text += rng.choice(words) + " "
            batch.append(text[:length])
        generated[length] = timed(batch, arguments.rounds)
    load = os.getloadavg()
    print()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    print(f"models loaded in {load_seconds * 1000:.0f} ms (what a server pays at start)")
    print(f"resident memory: {before:.0f} MB with Django, {after:.0f} MB with the models loaded")
    print(f"model files shipped: {_size_mb([model_directory()]):.1f} MB ({model_directory()})")
    median = statistics.median(len(text) for text in texts)
    print(
        f"one comment of the sets ({len(timings)} scorings, median {median:.0f} chars): "
        f"p50 {_milliseconds(timings, 0.5)}, p99 {_milliseconds(timings, 0.99)}, "
        f"max {timings[-1] * 1000:.2f} ms"
    )
    for length, values in generated.items():
        print(
            f"{length:>5}-char comments ({len(values)} scorings): p50 {_milliseconds(values, 0.5)}"
            f", p99 {_milliseconds(values, 0.99)}, max {values[-1] * 1000:.2f} ms"
        )
    for label, text in (
        ("1 MB of text", "word " * 200_000),
        ("a 50,000-character word", "a" * 50_000),
    ):
        started = time.perf_counter()
        text_analyze(text, config=config)
        print(f"{label}: {(time.perf_counter() - started) * 1000:.1f} ms (scored up to the cap)")


if __name__ == "__main__":
    main()
