"""How long `check_text` takes on a 10,000-character draft (median of several runs).

    /work/venv/bin/python evals/bench_check.py [--runs 9]

The draft is the five sample reports (planted versions, so there are ungrounded numbers to
report) repeated to 10,000 characters; the facts are all their facts files merged. The first
call warms the caches (formula regex, cn2an, facts index) and is reported on its own.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from drafter.facts.load import load_facts  # noqa: E402
from drafter.numbers.check import check_text  # noqa: E402
from drafter.records import Facts  # noqa: E402

SIZE = 10_000


def build() -> tuple[str, Facts]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((HERE / "checker" / "planted").glob("*.md"))]
    facts = [load_facts(p) for p in sorted((HERE / "checker" / "facts").glob("*.yaml"))]
    text = "\n".join(texts)
    while len(text) < SIZE:
        text += "\n" + text
    merged, seen = [], set()
    for fs in facts:
        for f in fs.facts:
            if f.name not in seen:
                seen.add(f.name)
                merged.append(f)
    return text[:SIZE], Facts(tuple(merged), "合并", "2024年")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    text, facts = build()
    t0 = time.perf_counter()
    report = check_text(text, facts)
    first = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(max(7, args.runs)):
        t0 = time.perf_counter()
        check_text(text, facts)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"check_text on {len(text):,} characters, {len(facts.facts)} facts, "
          f"{len(report.findings)} findings")
    print(f"  first call (cold caches): {first:.1f} ms")
    print(f"  median of {len(times)} runs:     {statistics.median(times):.1f} ms  "
          f"(min {min(times):.1f}, max {max(times):.1f})")


if __name__ == "__main__":
    main()
