"""Score the number extractor on its labelled sets and print recall, wrong values and false
alarms per category.

    python evals/numbers_eval.py [--external DIR] [--misses N] [--json]

Sets: evals/numbers/forms.yaml (report-style sentences, every form a report writes),
evals/numbers/negatives.yaml (report language with no data number; ``with_data``: such words
mixed with a real number). ``--external DIR``: a folder of other projects' number test suites in
the same format (e.g. converted Chinese text-normalisation tests), scored the same way, with the
categories a report checker ignores (clock times, telephone and id numbers, arithmetic …) shown
apart. The scoring lives in ``drafter.evaluation.number_suite``. Exit status 1 when a target is
missed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from drafter.evaluation.number_suite import IGNORED, SetScore, Tally, evaluate_numbers, meets_targets  # noqa: E402


def _pct(t: Tally) -> str:
    return f"{100 * t.recall:5.1f}%" if t.expected else "    - "


def table(title: str, s: SetScore, misses: int) -> None:
    print(f"\n## {title}")
    print(f"{'category':<20}{'cases':>6}{'expect':>8}{'found':>7}{'recall':>8}{'wrong':>7}{'false+':>8}")
    for cat in sorted(s.categories, key=lambda c: (c in IGNORED, c)):
        t = s.categories[cat]
        note = "  (ignored by a report checker)" if cat in IGNORED else ""
        print(f"{cat:<20}{t.cases:>6}{t.expected:>8}{t.found:>7}{_pct(t):>8}{t.wrong:>7}{t.false_alarms:>8}{note}")
    h = s.headline
    print(f"{'HEADLINE':<20}{h.cases:>6}{h.expected:>8}{h.found:>7}{_pct(h):>8}{h.wrong:>7}{h.false_alarms:>8}")
    if s.no_number is not None:
        n = s.no_number
        print(f"no-number texts: {n.cases}, false alarms {n.false_alarms} ({n.found} texts hit)")
    _misses(s, misses)


def negatives_table(s: SetScore, misses: int) -> None:
    print("\n## negatives.yaml — report language with no data number")
    print(f"{'category':<20}{'texts':>6}{'false+':>8}")
    for cat in sorted(s.categories):
        t = s.categories[cat]
        print(f"{cat:<20}{t.cases:>6}{t.false_alarms:>8}")
    n = s.no_number
    assert n is not None
    print(f"{'ALL':<20}{n.cases:>6}{n.false_alarms:>8}   ({n.found} texts hit)")
    _misses(s, misses)


def _misses(s: SetScore, limit: int) -> None:
    if limit <= 0:
        return
    groups = dict(s.categories)
    if s.no_number is not None and s.no_number.misses and not any(t.misses for t in groups.values()):
        groups["no_number"] = s.no_number
    for cat in sorted(groups):
        ms = groups[cat].misses
        if not ms:
            continue
        print(f"  {cat}: {len(ms)}")
        for text, want, got in ms[:limit]:
            short = text.replace("\n", "⏎")
            print(f"    {short[:60]}{'…' if len(short) > 60 else ''}\n        want {want}  got {got}")
        if len(ms) > limit:
            print(f"    … {len(ms) - limit} more")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--external", type=Path, help="a folder of other projects' number test suites (*.yaml)")
    ap.add_argument("--misses", type=int, default=0, help="show up to N misses per category")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    result = evaluate_numbers(HERE / "numbers", args.external)
    missed = meets_targets(result)
    if args.json:
        print(json.dumps({k: v.to_json() for k, v in result.items()} | {"below_target": missed},
                         ensure_ascii=False, indent=2))
        return 1 if missed else 0
    print("number extractor — labelled sets")
    table("forms.yaml — report-style sentences", result["forms"], args.misses)
    negatives_table(result["negatives"], args.misses)
    table("negatives.yaml with_data — names and 提法 mixed with real data", result["with_data"], args.misses)
    if "external" in result:
        table(f"external suites ({args.external})", result["external"], args.misses)
    print("\n# Summary")
    for name, s in result.items():
        h = s.headline
        parts = []
        if h.expected:
            parts.append(f"recall {_pct(h).strip()} ({h.found}/{h.expected}), wrong value {h.wrong}, "
                         f"false alarms {h.false_alarms}")
        if s.no_number is not None:
            parts.append(f"{s.no_number.false_alarms} false alarms on {s.no_number.cases} texts with no number "
                         f"({s.no_number.found} hit)")
        print(f"{name:<10} " + "; ".join(parts))
    for m in missed:
        print(f"BELOW TARGET: {m}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
