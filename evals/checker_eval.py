"""Score the number checker on the labelled set under evals/checker/ and print the figures.

    python evals/checker_eval.py [evals/checker]

The scoring lives in the package (``drafter.evaluation.checker_suite``, which `drafter eval` runs
too); this script prints it in full: misses, false alarms and failed sentences. Exit status 1
when a target is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from drafter.evaluation.checker_suite import evaluate_checker, meets_targets

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    result = evaluate_checker(Path(argv[0]) if argv else HERE / "checker")
    rows = [
        ("planted errors", f"{result['planted']}"),
        ("recall (planted → ungrounded)", f"{result['recall']:.1%}"),
        ("precision (ungrounded on planted drafts)",
         f"{result['precision']:.1%}  ({result['true_positives']} TP / {result['false_positives']} FP)"),
        ("real text: numbers checked", f"{result['real_numbers']}"),
        ("real text: false alarms", f"{result['real_false_alarms']}  (precision {result['real_precision']:.1%})"),
        ("false-explanation rate", f"{result['false_explanation_rate']:.1%}"),
        ("stress: random cued numbers explained",
         f"{result['stress']['rate']:.1%}  ({result['stress']['explained']}/{result['stress']['trials']} derived; "
         f"{result['stress']['coincident']} equal a supplied number; not a target)"),
        ("tricky sentences passed", f"{result['sentences_passed']:.1%} of {result['sentences']}"),
    ]
    width = max(len(r[0]) for r in rows)
    print("number checker — labelled set")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print("  recall by error type:")
    for kind, v in result["by_type"].items():
        print(f"    {kind:<18} {v['caught']}/{v['planted']}")
    for m in result["misses"]:
        print(f"  MISS {m['file']}:{m['line']}:{m['column']} {m['text']} ({m['type']}) got {m['got']}")
    for fa in result["false_alarms"]:
        print(f"  FALSE ALARM {fa['file']}:{fa['line']} {fa['text']} in {fa['sentence'][:60]}")
    for r in result["sentence_failures"]:
        print(f"  SENTENCE {r['n']}: {r['sentence']}\n     want {r['expect']}\n     got  {r['got']}")
    missed = meets_targets(result)
    for m in missed:
        print(f"  BELOW TARGET: {m}")
    return 1 if missed else 0




if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
