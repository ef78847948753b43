"""Measure facts from past reports: fact-sheet recall and names, stale-number detection, index cost.

    /work/venv/bin/python evals/bench_facts.py [--docs 2000]

1. Recall of `facts extract` on the five sample reports against their hand-read numbers
   (evals/facts/labels.yaml → evals/checker/facts/*.yaml), and how many sheet items are
   markers, formulas, structure counts or placeholders (target: recall ≥ 95 %, 0 such items).
2. Names a writer would keep: the judgements of evals/facts/names.yaml over the current names.
3. Stale numbers: each sample report with figures is taken as "this year's draft"; every
   Arabic figure but each third is changed and the facts say so; the third ones are left in
   as last year's figures. Counted: left-in figures the checker names as last period's figure,
   (a) from the fact sheet's `previous` values and (b) from the corpus number index with a
   facts file of this year's values only; and correct figures wrongly named (target 0).
4. Scale: a number index of N synthetic reports (the samples with their figures redrawn and
   years spread): build time, size on disk, median lookup time.

``evaluate_facts()`` returns parts 1–3 as a dict (the test guards recall and non-data items).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TARGETS = {"recall": 0.95, "non_data_items": 0}


def _documents():
    from drafter.corpus.document import load_document

    root = REPO / "corpus"
    return {p.name: load_document(p, root) for p in sorted(root.glob("*.txt"))}


# --- 1. recall ----------------------------------------------------------------------------------


def _labelled(facts) -> list:
    """The true numbers of a facts file: values (every data number of a value such as
    三年一周期、五年全覆盖, read as the checker reads report text), previous values."""
    from drafter.numbers.extract import data_mentions, to_quantity

    out = []
    for f in facts.facts:
        if f.quantity is not None:
            strict = [to_quantity(m) for m in data_mentions(f.value) if m.value is not None]
            out.extend((f.name, q) for q in (strict if len(strict) > 1 else [f.quantity]))
        if f.previous_quantity is not None:
            out.append((f.name + "（上期）", f.previous_quantity))
    return out


def facts_recall(labels_path: Path = HERE / "facts" / "labels.yaml") -> dict:
    import yaml

    from drafter.corpus.document import load_document
    from drafter.facts.load import load_facts
    from drafter.facts.sheet import extract_sheet
    from drafter.numbers.extract import extract, parse_quantity
    from drafter.numbers.match import units_compatible

    spec = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    total = found = non_data = items = shared = 0
    misses = []
    for entry in spec["reports"]:
        report = (labels_path.parent / entry["report"]).resolve()
        doc = load_document(report, report.parent)
        sheet = extract_sheet(doc)
        items += len(sheet.items)
        # an item whose (line, text) is only a marker/formula/structure/placeholder mention
        lines = doc.text.split("\n")
        for it in sheet.items:
            line = int(re.search(r"第(\d+)行", it.source).group(1))
            kinds = {m.kind for m in extract(lines[line - 1]) if m.text == it.previous}
            if "data" not in kinds:
                non_data += 1
        quantities = [parse_quantity(it.previous) for it in sheet.items]
        pool = list(quantities)

        def same(p, q) -> bool:
            return (p is not None and abs(p.value - q.value) < 1e-9 and units_compatible(p.unit, q.unit)
                    and ("ordinal" in p.qualifier) == ("ordinal" in q.qualifier))

        unmatched = []
        for name, q in _labelled(load_facts((labels_path.parent / entry["facts"]).resolve())):
            total += 1
            hit = next((i for i, p in enumerate(pool) if same(p, q)), None)
            if hit is None:
                unmatched.append((name, q))
            else:
                found += 1
                pool[hit] = None
        for name, q in unmatched:  # 教学名师和功勋教师各1人: one figure of the text, two facts
            if any(same(p, q) for p in quantities):
                found += 1
                shared += 1
            else:
                misses.append(f"{doc.doc_id}: {name} {q.text}")
    return {"labelled": total, "found": found, "shared": shared, "recall": found / total if total else 1.0,
            "items": items, "non_data_items": non_data, "misses": misses}


# --- 2. names ------------------------------------------------------------------------------------


def name_share(names_path: Path = HERE / "facts" / "names.yaml") -> dict:
    import yaml

    from drafter.facts.sheet import extract_sheet

    judged = yaml.safe_load(names_path.read_text(encoding="utf-8"))
    docs = _documents()
    kept = total = unjudged = 0
    for doc_id, doc in docs.items():
        items = extract_sheet(doc).items
        labels = judged.get(doc_id) or []
        for i, it in enumerate(items):
            lab = labels[i] if i < len(labels) else None
            if lab is None or str(lab["previous"]) != it.previous or ("name" in lab and lab["name"] != it.name):
                unjudged += 1
                continue
            total += 1
            kept += bool(lab["keep"])
    return {"judged": total, "kept": kept, "share": kept / total if total else 0.0, "unjudged": unjudged}


# --- 3. stale numbers ----------------------------------------------------------------------------


def _changed(text: str, k: int) -> str | None:
    """A new figure for an Arabic one (7620个 → 8382个); None when it has no Arabic digits."""
    m = re.search(r"\d+(?:\.\d+)?", text)
    if not m:
        return None
    old = m.group()
    decimals = len(old.split(".")[1]) if "." in old else 0
    new = float(old) * (1.1 + 0.01 * (k % 7)) + 1
    return text[:m.start()] + f"{new:.{decimals}f}" + text[m.end():]


def stale_detection() -> dict:
    from drafter.facts.load import facts_from_mapping
    from drafter.facts.sheet import extract_sheet
    from drafter.numbers.check import LAST_PERIOD, check_text
    from drafter.numbers.extract import data_mentions
    from drafter.numbers.past import build_number_index, open_number_index

    docs = _documents()
    result = {"left_in": 0, "named_by_facts": 0, "named_by_index": 0, "changed": 0,
              "false_by_facts": 0, "false_by_index": 0, "missed": []}
    with tempfile.TemporaryDirectory() as tmp:
        build_number_index(docs.values(), Path(tmp) / "numbers.sqlite", "bench")
        past = open_number_index(Path(tmp))
        for doc in docs.values():
            sheet = extract_sheet(doc)
            mentions = data_mentions(doc.text)
            if not mentions:
                continue
            text = doc.text
            rows_prev, rows_now = [], []
            left, changed = set(), set()
            edits = []
            for k, (m, it) in enumerate(zip(mentions, sheet.items)):
                new = _changed(m.text, k)
                if new is None or "ordinal" in m.qualifier:
                    value = m.text  # Chinese numerals and ranks: unchanged this year
                elif k % 3 == 2:
                    value = new
                    left.add(m.start)  # the draft keeps last year's figure
                else:
                    value = new
                    changed.add(m.start)
                    edits.append((m.start, m.end, new))
                rows_prev.append({"name": it.name, "value": value, "previous": m.text, "unit": it.unit})
                rows_now.append({"name": it.name, "value": value, "unit": it.unit})
            for a, b, new in sorted(edits, reverse=True):
                text = text[:a] + new + text[b:]
            # offsets of the left-in figures in the edited draft
            shift = {}
            for m in mentions:
                delta = sum(len(new) - (b - a) for a, b, new in edits if a < m.start)
                shift[m.start] = m.start + delta
            left_at = {shift[s] for s in left}
            changed_at = {shift[s] for s in changed}
            period = f"{doc.year + 1}年" if doc.year else ""
            for key, rows in (("facts", rows_prev), ("index", rows_now)):
                facts = facts_from_mapping({"period": period, "facts": rows}, f"bench:{doc.doc_id}")
                report = check_text(text, facts, past=past if key == "index" else None)
                for f in report.findings:
                    named = f.status == "ungrounded" and LAST_PERIOD in f.source
                    if f.mention.start in left_at:
                        result[f"named_by_{key}"] += named
                        if not named:
                            result["missed"].append(f"{key}: {doc.doc_id} {f.mention.text} ({f.status})")
                    elif f.mention.start in changed_at and named:
                        result[f"false_by_{key}"] += 1
            result["left_in"] += len(left_at)
            result["changed"] += len(changed_at)
        past.close()
    return result


# --- 4. scale ------------------------------------------------------------------------------------


def index_scale(n_docs: int = 2000, lookups: int = 2000, seed: int = 11) -> dict:
    from drafter.numbers.past import build_number_index, open_number_index

    rng = random.Random(seed)
    samples = [d for d in _documents().values()]

    def redraw(text: str) -> str:
        return re.sub(r"(?<![\d.])\d{1,5}(?:\.\d{1,2})?(?![\d年月日])",
                      lambda m: str(rng.randint(1, 30000)) if "." not in m.group()
                      else f"{rng.uniform(1, 100):.2f}", text)

    docs = [replace(samples[i % len(samples)], doc_id=f"synthetic/{i:04d}.txt",
                    year=2000 + i % 25, text=redraw(samples[i % len(samples)].text)) for i in range(n_docs)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "numbers.sqlite"
        t0 = time.perf_counter()
        rows = build_number_index(docs, path, "scale")
        build_s = time.perf_counter() - t0
        size = path.stat().st_size
        index = open_number_index(Path(tmp))
        values = [rng.randint(1, 30000) for _ in range(lookups // 2)] + [rng.uniform(1, 100) for _ in range(lookups // 2)]
        times, hits = [], 0
        for v in values:
            t = time.perf_counter()
            hits += len(index.lookup(v))
            times.append(time.perf_counter() - t)
        index.close()
    return {"documents": n_docs, "numbers": rows, "build_s": build_s, "size_bytes": size,
            "lookup_median_ms": statistics.median(times) * 1000,
            "lookup_p95_ms": sorted(times)[int(0.95 * len(times))] * 1000, "lookups": len(values),
            "rows_returned": hits}


def evaluate_facts() -> dict:
    return {"recall": facts_recall(), "names": name_share(), "stale": stale_detection()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="synthetic reports for the scale part (0: skip)")
    args = parser.parse_args()
    r = facts_recall()
    print("facts extract — recall on the five sample reports")
    print(f"  labelled data numbers        {r['labelled']}")
    print(f"  found in the sheets          {r['found']}  (recall {r['recall']:.1%}; {r['shared']} share one "
          "figure of the text with another fact, e.g. 各1人)")
    print(f"  sheet items                  {r['items']}")
    print(f"  markers/formulas/other kinds {r['non_data_items']}")
    for miss in r["misses"]:
        print(f"    missed: {miss}")
    n = name_share()
    print(f"names a writer would keep      {n['kept']}/{n['judged']} ({n['share']:.1%}); unjudged {n['unjudged']}")
    s = stale_detection()
    print("stale numbers (last year's figures left in a draft)")
    print(f"  left in                      {s['left_in']}")
    print(f"  named via the facts' previous {s['named_by_facts']}/{s['left_in']}")
    print(f"  named via the number index   {s['named_by_index']}/{s['left_in']} (facts without previous)")
    print(f"  changed figures wrongly named {s['false_by_facts']} (facts), {s['false_by_index']} (index) of {s['changed']}")
    for miss in s["missed"]:
        print(f"    not named: {miss}")
    if args.docs:
        x = index_scale(args.docs)
        print(f"number index, {x['documents']} synthetic reports")
        print(f"  numbers indexed              {x['numbers']}")
        print(f"  build                        {x['build_s']:.1f} s")
        print(f"  size                         {x['size_bytes'] / 1e6:.2f} MB")
        print(f"  lookup median / p95          {x['lookup_median_ms']:.3f} ms / {x['lookup_p95_ms']:.3f} ms "
              f"({x['lookups']} lookups, {x['rows_returned']} rows returned)")
    failed = r["recall"] < TARGETS["recall"] or r["non_data_items"] > TARGETS["non_data_items"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
