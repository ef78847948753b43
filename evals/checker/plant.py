"""Plant known errors into the five sample reports (deterministic: fixed seed).

    /work/venv/bin/python evals/checker/plant.py      # rewrites planted/*.md and labels.json

Each report of corpus/ is a "draft" whose true numbers are in facts/<stem>.yaml. This script
copies it to planted/<stem>.md with errors of five kinds, and records each error's span:

- changed_digit:   one digit of a true number changed (62.55% → 62.85%)
- wrong_magnitude: 亿 ↔ 万, or a digit added (7620个 → 76200个)
- swapped_unit:    an incompatible unit (21所 → 21人, 290.59亩 → 290.59平方米)
- invented_count:  a new clause with a random count, Arabic or Chinese (新增结对帮扶学校37所，)
- invented_year:   a true year changed, or a new 20xx年以来 clause

A planted value that happens to equal a supplied number is drawn again (by plain value
comparison, not with the checker): such a number would be supplied, not an error.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

import cn2an  # noqa: E402

from drafter.facts.load import load_facts  # noqa: E402
from drafter.numbers.extract import extract  # noqa: E402

SEED = 20241123
PER_REPORT = {  # how many errors of each kind, per report (reports without figures get insertions)
    "2023_述职_市教育局主要领导": dict(changed_digit=3, wrong_magnitude=2, swapped_unit=2, invented_count=2, invented_year=1),
    "党建汇报_教育局党委_教育党建五个突出": dict(changed_digit=4, wrong_magnitude=2, swapped_unit=3, invented_count=3, invented_year=2),
    "2024_季度党建工作总结_市教育局": dict(invented_count=4, invented_year=2),
    "2025_党建工作要点_县教育局机关党委": dict(invented_count=5, invented_year=2),
    "汇报发言_区教育局党组_主题教育总结大会": dict(invented_count=5, invented_year=2),
}
SWAP = {"所": "人", "人": "所", "个": "人", "亩": "平方米", "名": "所", "场": "人次", "人次": "场",
        "小时": "天", "项": "人", "位": "所", "%": "个百分点"}
TEMPLATES = [
    "全年共开展专题培训{n}场，", "新增结对帮扶学校{n}所，", "累计培训党员干部{n}人次，",
    "覆盖师生{n}名，", "完成投资{d}亿元，", "群众满意度达到{p}%，", "组织开展{cn}次专题调研，",
    "建成示范点{n}个，", "惠及家庭{n}户，",
]


@dataclass
class Edit:
    start: int  # in the original text
    end: int
    new: str  # replacement text
    num_offset: int  # where the planted number starts inside ``new``
    num_text: str  # the planted number as written
    kind: str
    original: str


def supplied_values(facts) -> set[float]:
    vals = set()
    for f in facts.facts:
        for q in (f.quantity, f.previous_quantity, *f.extra):
            if q is not None:
                vals.add(round(q.value, 6))
    return vals


def plant(stem: str, text: str, facts, rng: random.Random) -> list[Edit]:
    supplied = supplied_values(facts)
    mentions = extract(text)
    data = [m for m in mentions if m.kind == "data" and any(c.isdigit() for c in m.text)]
    years = [m for m in mentions if m.kind == "date" and len(m.key) == 4]
    used: set[int] = set()
    edits: list[Edit] = []

    def free(m) -> bool:
        return not any(m.start <= u < m.end for u in used)

    def take(m, new_text: str, kind: str) -> None:
        used.update(range(m.start, m.end))
        edits.append(Edit(m.start, m.end, new_text, 0, new_text, kind, m.text))

    plan = PER_REPORT[stem]
    for _ in range(plan.get("changed_digit", 0)):
        for _try in range(50):
            m = rng.choice(data)
            digits = [i for i, c in enumerate(m.text) if c.isdigit()]
            if not free(m) or not digits:
                continue
            i = rng.choice(digits)
            choices = [d for d in "0123456789" if d != m.text[i] and not (d == "0" and i == digits[0])]
            new = m.text[:i] + rng.choice(choices) + m.text[i + 1:]
            new_value = extract(new)[0].value if extract(new) else None
            if new_value is None or round(new_value, 6) in supplied:
                continue
            take(m, new, "changed_digit")
            break
    scaled = [m for m in data if "万" in m.text or "亿" in m.text]
    for _ in range(plan.get("wrong_magnitude", 0)):
        for _try in range(50):
            pool = [m for m in scaled if free(m)] or data  # 亿 ↔ 万 first, where there is one
            m = rng.choice(pool)
            if not free(m):
                continue
            if "亿" in m.text:
                new = m.text.replace("亿", "万")
            elif "万" in m.text:
                new = m.text.replace("万", "亿")
            else:
                j = max(i for i, c in enumerate(m.text) if c.isdigit()) + 1
                if "." in m.text[:j]:
                    continue
                new = m.text[:j] + "0" + m.text[j:]
            nv = extract(new)[0].value if extract(new) else None
            if nv is None or round(nv, 6) in supplied:
                continue
            take(m, new, "wrong_magnitude")
            break
    for _ in range(plan.get("swapped_unit", 0)):
        for _try in range(50):
            m = rng.choice(data)
            if not free(m) or m.unit not in SWAP or "ordinal" in m.qualifier or not m.text.endswith(m.unit):
                continue
            new = m.text[: len(m.text) - len(m.unit)] + SWAP[m.unit]
            take(m, new, "swapped_unit")
            break
    # Insertions go at sentence starts (after 。 or a line break) not inside another edit.
    starts = [i + 1 for i, c in enumerate(text) if c in "。\n" and i + 1 < len(text) and text[i + 1] not in "\n"]
    first = rng.randrange(len(TEMPLATES))
    for t in range(plan.get("invented_count", 0)):
        for _try in range(50):
            pos = rng.choice(starts)
            if pos in used or any(e.start == pos for e in edits):
                continue
            tpl = TEMPLATES[(first + t + _try) % len(TEMPLATES)]  # every template gets its turn
            n = rng.randint(3, 999)
            d = f"{rng.randint(1, 99)}.{rng.randint(1, 99):02d}"
            p = f"{rng.randint(50, 99)}.{rng.randint(1, 9)}"
            cn = cn2an.an2cn(str(rng.randint(11, 99)))
            clause = tpl.format(n=n, d=d, p=p, cn=cn)
            num = extract(clause)
            num = [x for x in num if x.kind == "data"]
            if not num or round(num[0].value, 6) in supplied:
                continue
            x = num[0]
            used.add(pos)
            edits.append(Edit(pos, pos, clause, x.start, x.text, "invented_count", ""))
            break
    for _ in range(plan.get("invented_year", 0)):
        for _try in range(50):
            y = rng.choice([2008, 2012, 2015, 2016, 2017, 2018, 2020, 2021])
            if years and rng.random() < 0.5:
                m = rng.choice(years)
                if not free(m) or str(y) in m.text:
                    continue
                new = m.text.replace(m.key, str(y))
                take(m, new, "invented_year")
                break
            pos = rng.choice(starts)
            if pos in used or any(e.start == pos for e in edits):
                continue
            clause = f"{y}年以来，"
            used.add(pos)
            edits.append(Edit(pos, pos, clause, 0, f"{y}年", "invented_year", ""))
            break
    return edits


def apply(text: str, edits: list[Edit]) -> tuple[str, list[dict]]:
    out, labels, last, shift = [], [], 0, 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[last:e.start])
        new_start = e.start + shift + e.num_offset
        out.append(e.new)
        shift += len(e.new) - (e.end - e.start)
        last = e.end
        labels.append({"start": new_start, "end": new_start + len(e.num_text), "text": e.num_text,
                       "type": e.kind, "original": e.original})
    out.append(text[last:])
    new = "".join(out)
    for lab in labels:
        assert new[lab["start"]:lab["end"]] == lab["text"], lab
        lab["line"] = new.count("\n", 0, lab["start"]) + 1
        lab["column"] = lab["start"] - (new.rfind("\n", 0, lab["start"]) + 1) + 1
    return new, labels


def main(out: Path = HERE) -> None:
    """Write planted/*.md and labels.json under ``out`` (default: next to this script)."""
    (out / "planted").mkdir(parents=True, exist_ok=True)
    files = []
    for k, stem in enumerate(sorted(PER_REPORT)):
        rng = random.Random(SEED + k)
        text = (REPO / "corpus" / f"{stem}.txt").read_text(encoding="utf-8")
        facts = load_facts(HERE / "facts" / f"{stem}.yaml")
        new, labels = apply(text, plant(stem, text, facts, rng))
        (out / "planted" / f"{stem}.md").write_text(new, encoding="utf-8")
        files.append({"draft": f"planted/{stem}.md", "facts": f"facts/{stem}.yaml",
                      "original": f"corpus/{stem}.txt", "errors": labels})
    (out / "labels.json").write_text(json.dumps({"seed": SEED, "files": files}, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    print(f"planted {sum(len(f['errors']) for f in files)} errors in {len(files)} drafts")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
