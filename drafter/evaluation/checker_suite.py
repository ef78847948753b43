"""The number checker's labelled set, scored: the suite `drafter eval` runs and
``evals/checker_eval.py`` prints.

A set is a folder (``evals/checker/``) with ``labels.json``, ``facts/``, ``planted/`` and
``sentences.yaml``; the real reports it names (``corpus/…``) are relative to the project folder
that holds ``evals/``. Three parts:

1. Real text: the sample reports checked against their hand-written facts. Every ``ungrounded``
   there is a false alarm (the facts hold all their true numbers).
2. Planted errors (planted/*.md + labels.json, made by evals/checker/plant.py): recall = share of
   planted errors reported ``ungrounded``; precision = share of ``ungrounded`` findings that are
   planted errors. False-explanation rate = share of planted errors a derivation "explains"
   (status ``derived``) — a bound on chance explanations; must be 0.
3. sentences.yaml: tricky sentences with the expected status of every number.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml

from drafter.errors import InputFileError
from drafter.facts.load import facts_from_mapping, load_facts
from drafter.numbers.check import check_text
from drafter.records import FAILING_STATUSES

TARGETS = {"recall": 1.0, "precision": 0.98, "real_precision": 0.98, "false_explanation_rate": 0.0,
           "sentences_passed": 1.0}


def _overlaps(f, lab) -> bool:
    return f.mention.start < lab["end"] and lab["start"] < f.mention.end

def run_sentences(path: Path) -> list[dict]:
    """Each case of sentences.yaml with what the checker said; ``ok`` when all statuses match."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    sets = {name: facts_from_mapping(data, f"sentences.yaml:{name}") for name, data in doc["fact_sets"].items()}
    results = []
    for i, case in enumerate(doc["cases"], start=1):
        facts = case.get("facts", "none")
        facts = sets[facts] if isinstance(facts, str) else facts_from_mapping(facts, f"case {i}")
        report = check_text(case["sentence"], facts)
        got = [[f.mention.text, f.status] for f in report.findings]
        want = [list(x) if isinstance(x, list) else list(next(iter(x.items()))) for x in case.get("expect", [])]
        results.append({"n": i, "sentence": case["sentence"], "expect": want, "got": got, "ok": got == want,
                        "tags": case.get("tags", [])})
    return results

def stress_false_explanations(path: Path, trials: int = 400, seed: int = 7) -> dict:
    """A harder estimate of chance explanations: random numbers appended, *with* a cue word, to
    real sentences that anchor facts ("…，较上年增加417人"). Reported, not a target: a few hits
    are the expected price of accepting real derivations (see check.py)."""

    rng = random.Random(seed)
    labels = json.loads((path / "labels.json").read_text(encoding="utf-8"))
    pool = []
    for entry in labels["files"]:
        facts = load_facts(path / entry["facts"])
        text = (path.parent.parent / entry["original"]).read_text(encoding="utf-8")
        for f in check_text(text, facts).findings:
            if f.status == "grounded" and f.mention.kind == "data" and f.mention.value:
                pool.append((f.sentence, f.mention, facts))
    if not pool:
        return {"trials": 0, "explained": 0, "coincident": 0, "rate": 0.0}
    cues = ["，较上年增加{n}{u}", "，合计{n}{u}", "，提高{p}个百分点", "，同比增长{p}%", "，是上年的{r}倍",
            "，比上年多{n}{u}", "，累计{n}{u}"]
    explained = coincident = 0
    for _ in range(trials):
        sentence, m, facts = rng.choice(pool)
        v = m.value or 1
        n = rng.randint(1, max(2, int(v * 2))) if v >= 1 else rng.randint(1, 99)
        clause = rng.choice(cues).format(n=n, u=m.unit or "个", p=f"{rng.uniform(0.1, 60):.1f}",
                                         r=f"{rng.uniform(1.1, 5):.1f}")
        draft = sentence + clause + "。"
        start = len(sentence)
        for f in check_text(draft, facts).findings:
            if f.mention.start >= start and f.mention.kind == "data":
                explained += f.status == "derived"
                coincident += f.status == "grounded"  # the random number is itself supplied
                break
    return {"trials": trials, "explained": explained, "coincident": coincident, "rate": explained / trials}

def evaluate_checker(path: str | Path) -> dict:
    path = Path(path)
    project = path.parent.parent  # originals are named relative to the project: corpus/…
    if not (path / "labels.json").is_file():
        raise InputFileError(f"{path}: no labels.json (the checker's labelled set is evals/checker/ of the project)")
    labels = json.loads((path / "labels.json").read_text(encoding="utf-8"))
    real_flags = real_data = 0
    tp = fp = derived = 0
    total = 0
    by_type: dict[str, list[int]] = {}
    misses: list[dict] = []
    false_alarms: list[dict] = []
    for entry in labels["files"]:
        facts = load_facts(path / entry["facts"])
        original = (project / entry["original"]).read_text(encoding="utf-8")
        real = check_text(original, facts)
        real_data += sum(f.mention.kind in ("data", "date") for f in real.findings)
        for f in real.findings:
            if f.status in FAILING_STATUSES:
                real_flags += 1
                false_alarms.append({"file": entry["original"], "text": f.mention.text, "line": f.line,
                                     "sentence": f.sentence})
        planted = (path / entry["draft"]).read_text(encoding="utf-8")
        report = check_text(planted, facts)
        flagged = [f for f in report.findings if f.status in FAILING_STATUSES]
        for lab in entry["errors"]:
            total += 1
            hits = [f for f in report.findings if _overlaps(f, lab)]
            caught = any(f.status in FAILING_STATUSES for f in hits)
            if any(f.status == "derived" for f in hits):
                derived += 1
            by_type.setdefault(lab["type"], [0, 0])
            by_type[lab["type"]][0] += caught
            by_type[lab["type"]][1] += 1
            if not caught:
                misses.append({"file": entry["draft"], **lab, "got": [f.status for f in hits]})
        for f in flagged:
            if any(_overlaps(f, lab) for lab in entry["errors"]):
                tp += 1
            else:
                fp += 1
                false_alarms.append({"file": entry["draft"], "text": f.mention.text, "line": f.line,
                                     "sentence": f.sentence})
    sentences = run_sentences(path / "sentences.yaml")
    return {
        "planted": total,
        "recall": (total - len(misses)) / total if total else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "true_positives": tp,
        "false_positives": fp,
        "real_numbers": real_data,
        "real_false_alarms": real_flags,
        "real_precision": 1.0 - real_flags / real_data if real_data else 1.0,
        "false_explanation_rate": derived / total if total else 0.0,
        "by_type": {k: {"caught": v[0], "planted": v[1]} for k, v in sorted(by_type.items())},
        "stress": stress_false_explanations(path),
        "sentences": len(sentences),
        "sentences_passed": sum(r["ok"] for r in sentences) / len(sentences) if sentences else 1.0,
        "sentence_failures": [r for r in sentences if not r["ok"]],
        "misses": misses,
        "false_alarms": false_alarms,
    }

def meets_targets(result: dict) -> list[str]:
    """The names of missed targets (empty when all are met)."""
    missed = []
    for key, target in TARGETS.items():
        value = result[key]
        if (key == "false_explanation_rate" and value > target) or (key != "false_explanation_rate" and value < target):
            missed.append(f"{key} = {value:.3f} (target {'≤' if key == 'false_explanation_rate' else '≥'} {target})")
    return missed
