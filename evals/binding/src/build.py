"""Build ../paragraphs.yaml from cases_*.txt and validate it.

    python evals/binding/src/build.py [--no-write]

Validation (no checker statuses are consulted, only the number extractor and the facts loader):
- every listed number occurs in its paragraph (occurrence-th time) and every fact named exists;
- planted cases carry an edit and at least one wrong number; true cases none;
- grounded numbers match their fact's value (or previous value) within display rounding;
- derived numbers match their `how` expression within display rounding; wrong numbers do not
  match their `true` expression;
- the extractor's mentions (dates, data, formulas, placeholders) of each paragraph are all listed.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WRONG = {"misattributed", "ungrounded", "date-wrong"}
EXPECTS = {"grounded", "derived", "misattributed", "ungrounded", "formula", "date-ok", "date-wrong"}


def parse(paths):
    cases = []
    for path in paths:
        cur = None
        for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("=== "):
                ident, facts, category = [x.strip() for x in line[4:].split("|")]
                cur = {"id": ident, "facts": facts, "category": category, "edit": "", "text": "", "numbers": [],
                       "_where": f"{path.name}:{ln}"}
                cases.append(cur)
            elif line.startswith("edit: "):
                cur["edit"] = line[6:].strip()
            elif line.startswith("- "):
                parts = [x.strip() for x in line[2:].split("|")]
                text, expect, indicator, fact = parts[:4]
                occ = 1
                if "#" in text:
                    text, o = text.rsplit("#", 1)
                    occ = int(o)
                num = {"text": text, "occurrence": occ, "expect": expect, "indicator": indicator, "fact": fact}
                for kv in parts[4:]:
                    k, v = kv.split("=", 1)
                    num[k.strip()] = v.strip()
                cur["numbers"].append(num)
            else:
                cur["text"] += line.strip()
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default=str(ROOT.parent.parent), help="the checkout holding drafter/")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, args.src)
    from drafter.facts.load import facts_from_mapping  # noqa: E402
    from drafter.numbers.extract import extract  # noqa: E402
    from drafter.numbers.match import quantity_matches, within  # noqa: E402
    sys.path.insert(0, str(ROOT.parent))
    from binding_eval import locate  # noqa: E402  (the n-th occurrence, as the eval finds it)

    sets = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "facts").glob("*.yaml"))}
    loaded = {k: facts_from_mapping(v, k) for k, v in sets.items()}
    cases = parse(sorted(HERE.glob("cases_*.txt")))
    problems = []
    notes = []
    ids = set()

    def bad(c, msg):
        problems.append(f"{c['_where']} {c['id']}: {msg}")

    for c in cases:
        if c["id"] in ids:
            bad(c, "duplicate id")
        ids.add(c["id"])
        if c["facts"] not in sets:
            bad(c, f"unknown fact set {c['facts']}")
            continue
        facts = loaded[c["facts"]]
        byname = {f.name: f for f in facts.facts}
        planted = c["category"].startswith("planted/")
        wrong = [n for n in c["numbers"] if n["expect"] in WRONG]
        if planted and (not c["edit"] or not wrong):
            bad(c, "planted case without edit or wrong number")
        if not planted and (c["edit"] or wrong):
            bad(c, "true case with edit or wrong number")
        spans = []
        for n in c["numbers"]:
            if n["expect"] not in EXPECTS:
                bad(c, f"bad expect {n['expect']}")
            i = locate(c["text"], n["text"], n["occurrence"])
            if i < 0:
                bad(c, f"number {n['text']}#{n['occurrence']} not in text")
                continue
            spans.append((i, i + len(n["text"]), n))
            for name in filter(None, (x.strip() for x in n["fact"].split(";"))):
                if name not in byname:
                    bad(c, f"unknown fact {name}")
            if n.get("value_of") and re.sub("（(上年|本年)）$", "", n["value_of"]) not in byname:
                bad(c, f"unknown value_of {n['value_of']}")
            ms = [m for m in extract(c["text"]) if m.start < i + len(n["text"]) and i < m.end]
            m = ms[0] if ms else None
            if m is None:
                notes.append(f"{c['id']}: {n['text']} is not extracted by the current extractor")
            if n["expect"] == "grounded":
                f = byname.get(n["fact"])
                if f and m:
                    qs = [q for q in (f.quantity, f.previous_quantity, *f.extra) if q is not None]
                    if not any(quantity_matches(m, q) for q in qs):
                        bad(c, f"{n['text']} does not match fact {n['fact']}")
            for key, must in (("how", True), ("true", False)):
                if key in n and m is not None and m.value is not None and n["expect"] != "date-wrong":
                    r = eval(n[key], {})  # noqa: S307 - our own arithmetic
                    mv = m.value
                    base = 1.0  # `how` is written in the display unit (亿元, 万亩, ‰): scale to base units
                    digits = re.search(r"\d+(?:\.\d+)?", m.text)
                    if digits and float(digits.group()):
                        base = mv / float(digits.group())
                    ok = within(r * base, mv, m.step) or within(-r * base, mv, m.step)
                    if ok != must:
                        bad(c, f"{n['text']}: {key}={n[key]} gives {r:.4f} — {'mismatch' if must else 'equals the written number'}")
            if n["expect"] == "derived" and "how" not in n:
                bad(c, f"{n['text']}: derived without how")
        for m in extract(c["text"]):
            if m.kind in ("marker", "structure"):
                continue
            if not any(a < m.end and m.start < b for a, b, _ in spans):
                bad(c, f"unlisted mention {m.text!r} ({m.kind})")
    for p in notes:
        print("note   ", p)
    for p in problems:
        print("PROBLEM", p)
    planted = sum(c["category"].startswith("planted/") for c in cases)
    print(f"{len(cases)} cases: {len(cases) - planted} true, {planted} planted; {len(problems)} problems")
    if not args.no_write:
        out = []
        for c in cases:
            c = {k: v for k, v in c.items() if not k.startswith("_")}
            out.append(c)
        header = ("# Labelled paragraphs for the number checker (binding numbers to indicators).\n"
                  "# GENERATED by src/build.py from src/cases_*.txt: edit those and rerun.\n"
                  "# See README.md for the format.\n")
        (ROOT / "paragraphs.yaml").write_text(
            header + yaml.safe_dump({"cases": out}, allow_unicode=True, sort_keys=False, width=1000),
            encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
