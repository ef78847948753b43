"""Match every number of a draft against the supplied facts. Pure and fast: a drafting loop
calls ``check_text`` after every section.

Statuses
--------
- ``grounded``: the number is a supplied value, previous value or a number in a fact's name or
  note, in a compatible unit, allowing for display rounding (see *Tolerance*).
- ``derived``: a difference, ratio, percent change, share or sum of supplied values, bounded as
  described below; ``formula`` shows the sum, e.g. ``62.55% − 12.4% = 50.15个百分点``.
- ``formula``: a numeral in a fixed formula, slogan or title (四个意识, “1+2”模式).
- ``placeholder``: XX名, **中学, 【待补】 — severity warning; ``--strict`` fails on them.
- ``ungrounded``: none of the above.

Tolerance
---------
A mention shows a step (62.6% → 0.1, 12.73亿 → 1e6, 两千 → 1000). A supplied value f explains a
mention m when m is f rounded or truncated at that step: −step/2 ≤ f − m < step. A more
precise mention than the fact (62.55% from 62.6%) is not explained, nor is a wrong magnitude
(12.73万 ≠ 12.73亿: values are compared in base units). Qualified mentions widen this:
余/多/以上/超过 accept f in [m, m + place), 近/不足/以下 accept [0.9m, m], 约/左右 accept
|f − m| ≤ min(place/2, 10% of m), where place is the last written non-zero digit (90多 → 10).

Units
-----
Values are compared in base units (万元/亿元 → 元, ‰ and 成 → %). 人/名/位 are one family;
个 is the generic classifier for *things* and matches 所, 项, 家, 场 … but not people (人 vs 个
is a real difference: 7620个学位 are not 7620人), not 人次, money, areas, time or %. A mention
without a unit (投资12.73亿) matches any unit except %, 个百分点 and 倍; a fact without a unit
stored as 0.6255 matches 62.55%. 个百分点 is never grounded by a plain percentage: it can only
be a supplied 个百分点 figure or the difference of two percentages.

Derivations are bounded
-----------------------
A random wrong number must not be "explained" by chance, so derivations are tried only

1. for the facts *anchored* in the sentence — a fact whose name (or 3 running characters of it) occurs
   in the sentence, or one of whose values is grounded in the same sentence; a fact nobody
   mentions is never an operand;
2. with a cue word for the operation in the same clause (提升/增长/下降/较上年/同比 … for
   differences and percent changes, 倍 for ratios, 占/比重/…率 for shares, 合计/共计/累计/总计 for sums);
3. with the operation the unit allows: 个百分点 only from two percentages, % only from a
   percent change or share, 倍 only from a ratio, counts and money only from a difference or a
   sum of at most three facts of the same unit family;
4. value against its own previous first, then pairs of anchored facts of one unit family.

5. only for mentions written with at least two significant digits (2人, 3倍 are too cheap) —
   except N倍 of a fact's own previous value (是上年的5倍), a single candidate;
   ranks (第一) and durations in years are never operands.

A sentence typically anchors one to three facts, so a mention meets at most a dozen candidate
results, each accepting a window of one display step: a wrong 3-significant-digit number is
explained with probability ~ 12 × 10⁻³. The labelled set measures this as the false-explanation
rate (evals/checker_eval.py); it must stay 0 there. The eval also reports a stress figure:
random numbers appended *with* a cue to real sentences that anchor facts; sentences dense with
small counts (1人、3人、8人) are where chance explanations remain.

Anniversaries (抗日战争胜利80周年) are derived from the period year and the event's year when
the event is named in the clause (2025 − 1945 = 80).

Dates
-----
A date is grounded when the facts mention it (title, period, values, names, notes), when it
is the period year, or the year before the period when the facts carry previous values (较
2023年). Other dates are ``ungrounded`` with severity warning: dates in a report are often
context (2019年起) rather than results, but a wrong one still deserves a look.

Last period's figures
---------------------
A facts file's ``previous`` values ground a number only in a comparison: a sentence with a
cue such as 较上年, 同比, 从…提升到…, 原为. Without one, a number that equals only a previous
value is ``ungrounded`` and says so (``equals 新增学位（上期）: 7620个 — last period's figure?``):
a fact sheet made by ``drafter facts extract`` carries every old figure as ``previous``, and an
old figure left in this year's draft must not pass. Given the corpus number index (``past``),
an ungrounded data number that equals a number of an earlier report in the same context (a
compatible unit and two shared character bigrams near the number) names it:
``equals 2023年述职 第14行 “新增学位7620个” (last period's figure?)``.

Severity
--------
Ungrounded data numbers are errors, except small discourse counts — a Chinese numeral ≤ 10
with a generic classifier (两个, 三项, 五方面, 两批), which usually counts the talk, not the
work — which are warnings. Markers and structure counts are not findings at all.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Protocol, Sequence

from drafter.fileio import read_user_text
from drafter.numbers.extract import GENERIC_UNITS, extract
from drafter.numbers.match import NO_BARE, PEOPLE, quantity_matches, units_compatible, within
from drafter.numbers.past import PastNumber, open_number_index
from drafter.numbers.spans import CLAUSE_END, span
from drafter.records import CheckReport, Facts, Finding, Mention, Quantity

_CUE_DIFF = re.compile(r"提升|提高|增长|增加|上升|下降|减少|降低|回落|增幅|降幅|净增|高出|低于|多出|少了|"
                       r"较上年|较去年|同比|环比|较|比.{0,12}(?:多|少|高|低)")
_CUE_PCT = re.compile(r"增长|增加|提高|提升|上升|下降|减少|降低|增幅|降幅|同比|环比|较上年|较去年")
_CUE_SHARE = re.compile(r"占|比重|比例|占比|率")  # 办结率94.8% = 128件 ÷ 135件
_CUE_RATIO = re.compile(r"倍|番")  # 翻一番 is a ratio of 2
# A previous value is grounded only in a comparison (较上年, 同比, 从…提升到…, 原为).
_CUE_PREVIOUS = re.compile(r"较|同比|环比|上年|去年|上期|上一年|同期|此前|以前|原为|原来|原有|原先|从|由|"
                           r"提升|提高|增长|增加|上升|下降|减少|降低|回落|增幅|降幅|翻番|比")
LAST_PERIOD = "(last period's figure?)"
_CUE_SUM = re.compile(r"合计|共计|累计|总计|总共|一共|共有|总数|总量|合共|共")

# Anniversaries: the event named in the clause and the year it happened.
ANNIVERSARIES = {
    "建党": 1921, "中国共产党成立": 1921, "新中国成立": 1949, "中华人民共和国成立": 1949,
    "改革开放": 1978, "抗日战争胜利": 1945, "抗战胜利": 1945, "世界反法西斯战争胜利": 1945,
    "长征胜利": 1936, "五四运动": 1919, "建军": 1927, "香港回归": 1997, "澳门回归": 1999,
    "辛亥革命": 1911, "抗美援朝": 1950, "建团": 1922, "恢复高考": 1977,
}


@dataclass(frozen=True)
class _Supplied:
    q: Quantity
    fact: int  # index in facts.facts
    label: str  # "name: value" as the report cites it
    previous: bool = False  # a fact's previous value: grounds only in a comparison


class PastLookup(Protocol):
    """The corpus number index (drafter.numbers.past.NumberIndex) as the checker sees it."""

    def lookup(self, value: float) -> Sequence[PastNumber]: ...


@dataclass(frozen=True)
class _Index:
    supplied: tuple[_Supplied, ...]
    date_keys: frozenset[str]
    period_year: int | None
    has_previous: bool
    names: tuple[str, ...]
    name_grams: tuple[frozenset[str], ...]


# --- index of the facts ---------------------------------------------------------------------


def period_year(facts: Facts) -> int | None:
    """The year the facts are for, from their period or title (2024年, 二〇二四年度, 2024-2025学年)."""
    for text in (facts.period, facts.title):
        years = [m for m in extract(text or "") if m.kind == "date" and len(m.key) >= 4 and m.key[:4].isdigit()]
        if years:
            return int(years[0].key[:4])
    return None


@lru_cache(maxsize=16)
def _index(facts: Facts) -> _Index:
    supplied: list[_Supplied] = []
    keys: set[str] = set()
    for text in (facts.title, facts.period):
        keys.update(m.key for m in extract(text) if m.kind == "date")
    for i, f in enumerate(facts.facts):
        if f.quantity is not None:
            supplied.append(_Supplied(f.quantity, i, f"{f.name}: {f.value}"))
        if f.previous_quantity is not None:
            supplied.append(_Supplied(f.previous_quantity, i, f"{f.name}（上期）: {f.previous}", True))
        for q in f.extra:
            supplied.append(_Supplied(q, i, f"{f.name}（{q.text}）"))
        for text in (f.name, f.value, f.previous or "", f.note):
            if text:
                keys.update(m.key for m in extract(text, lenient=True) if m.kind == "date")
    names = tuple(f.name for f in facts.facts)
    grams = tuple(frozenset(n[i:i + 3] for i in range(max(1, len(n) - 2))) for n in names)
    return _Index(tuple(supplied), frozenset(keys), period_year(facts),
                  any(f.previous_quantity is not None for f in facts.facts), names, grams)


# --- grounding ------------------------------------------------------------------------------


def _ground(m: Mention, idx: _Index, sentence: str = "") -> _Supplied | None:
    if m.high is not None:
        for s in idx.supplied:  # a supplied range: both ends
            if s.q.high is not None and quantity_matches(m, s.q) and within(s.q.high, m.high, m.step * 1.0):
                return s
        lo = next((s for s in idx.supplied if quantity_matches(m, s.q)), None)
        hi = next((s for s in idx.supplied if quantity_matches(m, s.q, m.high)), None)
        if lo and hi:
            return _Supplied(lo.q, lo.fact, f"{lo.label}; {hi.label}")
        return None
    hits = [s for s in idx.supplied if quantity_matches(m, s.q)]
    if len(hits) > 1 and sentence:  # cite the fact the sentence talks about (名列第一 twice)
        named = [s for s in hits if s.fact in _named_in(sentence, idx)]
        hits = named or hits
    hits.sort(key=lambda s: s.previous)  # this period's value first; stable otherwise
    return hits[0] if hits else None


# --- derivations ----------------------------------------------------------------------------


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _derive(m: Mention, clause: str, anchored: list[int], facts: Facts, idx: _Index) -> tuple[str, str] | None:
    """(formula, source) when the mention is a bounded derivation of anchored facts."""
    if m.value is None or m.high is not None or not anchored:
        return None
    qs = [(i, facts.facts[i]) for i in anchored]
    pairs: list[tuple[Quantity, Quantity, str]] = []  # (a, b, source) — own previous first
    for i, f in qs:
        if _operand(f.quantity) and _operand(f.previous_quantity):
            pairs.append((f.quantity, f.previous_quantity, f.name))
    if _digits(m.text) < 2:
        # A one-digit result (2人, 3倍) is too cheap to explain by arithmetic, except a multiple
        # of a fact's own previous value (是上年的5倍): one candidate, and writers do say it.
        if m.unit != "倍" or not pairs:
            return None
        return _ratio(m, clause, pairs)
    values = [(f.quantity, f.name) for _, f in qs if _operand(f.quantity)]
    for (qa, na), (qb, nb) in combinations(values, 2):
        if _same_family(qa.unit, qb.unit):
            pairs.append((qa, qb, f"{na} / {nb}"))
            pairs.append((qb, qa, f"{nb} / {na}"))

    def ok(result: float) -> bool:
        return within(result, m.value, m.step) or within(-result, m.value, m.step)

    if m.unit == "个百分点":
        if not _CUE_DIFF.search(clause):
            return None
        for a, b, src in pairs:
            if a.unit == "%" and b.unit == "%" and ok(a.value - b.value):
                return f"{a.text} − {b.text} = {m.text}", src
        return None
    if m.unit == "%":
        if _CUE_PCT.search(clause):
            for a, b, src in pairs:
                if a.unit != "%" and b.value and ok((a.value - b.value) / b.value * 100):
                    return f"({a.text} − {b.text}) ÷ {b.text} = {m.text}", src
        if _CUE_SHARE.search(clause):
            for a, b, src in pairs:
                if a.unit != "%" and b.value and 0 < a.value <= b.value and ok(a.value / b.value * 100):
                    return f"{a.text} ÷ {b.text} = {m.text}", src
        return None
    if m.unit == "倍":
        return _ratio(m, clause, pairs)
    if m.unit == "周年":
        return None
    same = [(a, b, s) for a, b, s in pairs if units_compatible(m.unit, a.unit) and a.unit not in NO_BARE]
    if _CUE_DIFF.search(clause):
        for a, b, src in same:
            if a.value >= b.value and ok(a.value - b.value):
                return f"{a.text} − {b.text} = {m.text}", src
    if _CUE_SUM.search(clause):
        pool = [(q, n) for q, n in values if units_compatible(m.unit, q.unit) and q.unit not in NO_BARE]
        for k in (2, 3):
            for combo in combinations(pool, k):
                if not all(_same_family(combo[0][0].unit, q.unit) for q, _ in combo):
                    continue
                total = sum(q.value for q, _ in combo)
                if ok(total):
                    return (" + ".join(q.text for q, _ in combo) + f" = {m.text}",
                            " + ".join(n for _, n in combo))
    return None


def _ratio(m: Mention, clause: str, pairs: list[tuple[Quantity, Quantity, str]]) -> tuple[str, str] | None:
    """N倍: a ÷ b, or a ÷ b − 1 after 增长/提高 (增长了2倍 is read both ways in practice)."""
    if not _CUE_RATIO.search(clause):
        return None
    grow = bool(re.search(r"增长|增加|提高|提升", clause))
    for a, b, src in pairs:
        if not b.value:
            continue
        r = a.value / b.value
        if within(r, m.value, m.step):
            return f"{a.text} ÷ {b.text} = {_fmt(r)}倍", src
        if grow and within(r - 1, m.value, m.step):
            return f"{a.text} ÷ {b.text} − 1 = {_fmt(r - 1)}倍", src
    return None


def _digits(text: str) -> int:
    """Written significant digits: 2人 → 1, 20所 → 2, 0.25倍 → 2, 两万 → 1 (Chinese: its digits)."""
    digits = "".join(c for c in text if c.isdigit() or c in "一二两三四五六七八九")
    return len(digits.lstrip("0"))


def _operand(q: Quantity | None) -> bool:
    """Ranks (第一) and years of duration (三年) are not arithmetic operands."""
    return q is not None and "ordinal" not in q.qualifier and q.unit not in ("年", "周年")


def _same_family(u1: str, u2: str) -> bool:
    return u1 == u2 or (u1 in PEOPLE and u2 in PEOPLE) or ("个" in (u1, u2) and units_compatible(u1, u2))


def _anniversary(m: Mention, clause: str, idx: _Index) -> tuple[str, str] | None:
    if m.unit != "周年" or idx.period_year is None or m.value is None:
        return None
    for event, year in ANNIVERSARIES.items():
        if event in clause and idx.period_year - year == m.value:
            return f"{idx.period_year} − {year}（{event}） = {m.text}", f"period {idx.period_year}"
    return None


def _anchored(sentence: str, grounded_facts: set[int], idx: _Index) -> list[int]:
    named = _named_in(sentence, idx)
    return [i for i in range(len(idx.names)) if i in grounded_facts or i in named]


_NAMED_MEMO: dict[tuple[int, str], tuple[_Index, frozenset[int]]] = {}


def _named_in(sentence: str, idx: _Index) -> frozenset[int]:
    """Facts whose name, or three running characters of it, the sentence contains. Memoised by
    the index's identity (hashing the whole index per call would cost more than the scan)."""
    key = (id(idx), sentence)
    hit = _NAMED_MEMO.get(key)
    if hit is not None:
        return hit[1]  # the entry holds idx itself, so its id cannot be reused meanwhile
    if len(_NAMED_MEMO) > 4096:
        _NAMED_MEMO.clear()
    grams = {sentence[i:i + 3] for i in range(len(sentence) - 2)}
    hit = frozenset(
        i for i, (name, name_grams) in enumerate(zip(idx.names, idx.name_grams))
        if (len(name) >= 2 and name in sentence) or (len(name) >= 3 and not grams.isdisjoint(name_grams))
    )
    _NAMED_MEMO[key] = (idx, hit)
    return hit


# --- dates ----------------------------------------------------------------------------------


def _date_source(m: Mention, idx: _Index) -> str | None:
    key, keys = m.key, idx.date_keys
    if len(key) == 4 and key.isdigit():
        year = int(key)
        if idx.period_year == year:
            return f"period {year}"
        if any(k.startswith(key) for k in keys):
            return f"facts mention {year}"
        if idx.has_previous and idx.period_year is not None and year == idx.period_year - 1:
            return f"previous period {year}"
        return None
    if key.startswith("--"):
        return "facts mention this date" if any(k.endswith(key[1:]) or k[4:] == key[1:] for k in keys) else None
    if key in keys or any(k.startswith(key) for k in keys):
        return "facts mention this date"
    return None


# --- the check ------------------------------------------------------------------------------


def _severity_of_ungrounded(m: Mention) -> str:
    if m.kind == "date":
        return "warning"
    if m.numeral == "chinese" and m.value is not None and m.value <= 10 and m.unit in GENERIC_UNITS:
        return "warning"
    return "error"


def _context_grams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fff]", " ", s)
    return {s[i:i + 2] for i in range(len(s) - 1) if " " not in s[i:i + 2]}


def _last_period(m: Mention, text: str, past: PastLookup, period_year: int | None) -> PastNumber | None:
    """A number of an earlier report equal to ``m`` in the same context, the latest first."""
    if m.value is None or m.high is not None:
        return None
    ca = max(span(text, m.start, m.end)[0], m.start - 16)
    cb = min(span(text, m.start, m.end)[1], m.end + 8)
    near = _context_grams(text[ca:m.start] + " " + text[m.end:cb])
    if not near:
        return None
    found = []
    for p in past.lookup(m.value):
        if period_year is not None and p.year is not None and p.year >= period_year:
            continue  # not an earlier report
        if ("ordinal" in m.qualifier) != ("ordinal" in p.qualifier) or not units_compatible(m.unit, p.unit):
            continue
        i = p.context.find(p.text)
        their = _context_grams(p.context[max(0, i - 16):i] + " " + p.context[i + len(p.text):]
                               if i >= 0 else p.context)
        if len(near & their) >= 2:
            found.append(p)
    return max(found, key=lambda p: (p.year or 0, -p.line)) if found else None


def last_period_source(p: PastNumber) -> str:
    return f"equals {p.label} 第{p.line}行 “{p.snippet}” {LAST_PERIOD}"


def check_text(text: str, facts: Facts, past: PastLookup | None = None) -> CheckReport:
    """Every number of ``text`` with a status; pure (no I/O), a few ms for a section.

    ``past``: the corpus number index; when given, an ungrounded number that equals a number of
    an earlier report in the same context names that report and line."""
    idx = _index(facts)
    mentions = [m for m in extract(text) if m.kind not in ("marker", "structure")]
    # A 〔待核…〕 right after a number annotates that number (drafting marks what it could not
    # ground): the number's own finding says it all, so the mark is not a second finding.
    ends = {m.end for m in mentions if m.kind == "data"}
    mentions = [m for m in mentions if not (m.kind == "placeholder" and m.text.startswith("〔待核") and m.start in ends)]
    newlines = [i for i, c in enumerate(text) if c == "\n"]
    sentences = [span(text, m.start, m.end) for m in mentions]

    # Pass 1: direct grounding; remember which facts each sentence touches (anchoring).
    grounded: list[_Supplied | None] = []
    touched: dict[tuple[int, int], set[int]] = {}
    for m, sent in zip(mentions, sentences):
        s = _ground(m, idx, text[sent[0]:sent[1]]) if m.kind == "data" else None
        grounded.append(s)
        if s is not None:
            touched.setdefault(sent, set()).add(s.fact)

    findings = []
    for m, sent, s in zip(mentions, sentences, grounded):
        sentence = text[sent[0]:sent[1]].strip()
        formula = None
        if m.kind == "formula":
            status, severity, source = "formula", "info", f"formula: {m.text}"
        elif m.kind == "placeholder":
            status, severity, source = "placeholder", "warning", "placeholder: to be filled"
        elif m.kind == "date":
            src = _date_source(m, idx)
            status, severity, source = ("grounded", "info", src) if src else ("ungrounded", "warning", "")
        elif s is not None and s.previous and not _CUE_PREVIOUS.search(text[sent[0]:sent[1]]):
            status, severity = "ungrounded", _severity_of_ungrounded(m)
            source = f"equals {s.label} {LAST_PERIOD}: use it only in a comparison (较上年, 从…提升到…)"
        elif s is not None:
            status, severity, source = "grounded", "info", s.label
        else:
            ca, cb = span(text, m.start, m.end, CLAUSE_END)
            clause = text[ca:cb]
            sent_text = text[sent[0]:sent[1]]
            derived = _anniversary(m, clause, idx) or _derive(
                m, clause, _anchored(sent_text, touched.get(sent, set()), idx), facts, idx)
            if derived:
                formula, source = derived
                status, severity = "derived", "info"
            else:
                status, severity, source = "ungrounded", _severity_of_ungrounded(m), ""
                hit = _last_period(m, text, past, idx.period_year) if past is not None and m.kind == "data" else None
                if hit is not None:
                    source = last_period_source(hit)
        line = bisect.bisect_left(newlines, m.start) + 1
        col_base = newlines[line - 2] + 1 if line > 1 else 0
        findings.append(Finding(m, status, severity, source, formula, line, m.start - col_base + 1, sentence))
    return CheckReport(tuple(findings), tuple(f.name for f in facts.to_fill))


def check_file(path: Path, facts: Facts, data_dir: Path | None = None) -> CheckReport:
    """`drafter check`: the draft file's text checked against ``facts``; with ``data_dir``, an
    ungrounded number an earlier report of the index states is named (see ``check_against_corpus``)."""
    text = read_user_text(path, "draft", allow_empty=False)
    return check_against_corpus(text, facts, data_dir) if data_dir is not None else check_text(text, facts)


def check_against_corpus(text: str, facts: Facts, data_dir: Path) -> CheckReport:
    """``check_text`` with the data dir's number index, when there is one, so an ungrounded
    number that an earlier report states is named with that report and line."""
    past = open_number_index(data_dir)
    try:
        return check_text(text, facts, past=past)
    finally:
        if past is not None:
            past.close()
