"""Match every number of a draft against the supplied facts — its value AND what the sentence
says it counts. Pure and fast: a drafting loop calls ``check_text`` after every section.

Statuses
--------
- ``grounded``: the number is a supplied value, in a compatible unit, allowing for display
  rounding (see *Tolerance*), AND the sentence binds it to that fact's indicator (*Binding*);
  or a number inside a fact's name or note (12345热线, 超50万元的村).
- ``derived``: a difference, percent change, ratio, share, average, remainder or total of named
  operands (*Derivations*); ``formula`` shows it, e.g. ``62.55% − 12.4% = 50.15个百分点``.
- ``misattributed`` (error): a supplied value written under another indicator. The source names
  both: ``46名 is not 入党积极分子 (115名); 46名 is the figure of 发展对象``, or, when the
  indicator is not in the facts at all, ``no supplied fact for “廉政谈话”; 530人次 is the figure
  of 谈心谈话``; a this-period value in last period's place says so too.
- ``unbound`` (warning): a supplied value, but the sentence names no indicator that can be
  judged (全年达到530人次): the checker says so rather than guess.
- ``formula``: a numeral in a fixed formula, slogan or title (四个意识, “1+2”模式).
- ``placeholder``: XX名, **中学, 【待补】 — severity warning; ``--strict`` fails on them.
- ``ungrounded``: none of the above; when the sentence names a fact, the source says what it
  should be (``31场 is not 读书活动 (19场); no supplied figure for 读书活动 is 31场``).

Binding
-------
Each data number is bound to the phrase it counts (numbers/bind.py: before it in its clause
「党员1200名」, after it 「1200名党员」, 「其中制造业8家」, list items, 分别 lists, 其中 breakdowns),
and that phrase is matched against the fact names and ``aliases`` (numbers/naming.py: ordered
character overlap, so 一般公共预算收入 names 地方一般公共预算收入 and 社零总额 names
社会消费品零售总额). A value is grounded by a fact the phrase names as well as any other
(within ``DELTA``; when the phrase spells a whole name out, only whole names count). When the
phrase names another fact of the same kind, the number is misattributed (or, when no fact has
that value, ungrounded with the reason). A phrase that names no fact at all but holds content
words (廉政谈话) is an indicator the facts do not have: misattributed. A phrase of two characters
that merely stands in several names (连续, 人均) may ground, never accuse. When the number's own
phrase is empty, the sentence is asked: a fact spelled out, in order, before it (a topic clause
「乡村旅游持续火热，共接待游客…」, a long name 「在…述职评议考核中，评为“好”等次的比例…」), the rate
fact of the subject (增长5.8% after 地区生产总值 → 地区生产总值增速) ground it; otherwise it is
unbound.

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

Derivations: named operands only
--------------------------------
A random wrong number must not be "explained" by chance. A derivation is tried only when the
number carries the words of its operation (numbers/bind.py) and only from operands the sentence
names — a fact its phrase (or the phrase of the number it follows) names, a number written before
it in the sentence, a fact named after 占/超出/高于/比/完成…的:

1. against last period (较上年增加5名, 同比增长12.9%, 提高4.4个百分点, 是上年的1.4倍, 翻一番):
   the subject's own previous value — one candidate; the direction must agree (增加 needs a rise);
2. against a named fact (超出年度招聘计划36名, 比发展对象多, 高于…增幅3.1个百分点, 完成年度目标的
   107.6%): the subject and that fact, or that fact's own percent change — at most two;
3. shares (占…的77.9%, 占比79.6%, 整改完成率95.4%): the subject (or the number just before) over
   the total of a 其中/…中 breakdown, the fact named after 占, or one of the four numbers before;
4. averages (平均每所学校, 人均, 单个项目): a named total over a named count (人均: people);
5. remainders (剩余8个, 其余, 尚有) of two numbers before it, and the last part of a 其中 list
   (市级33家 = 48 − 2 − 13);
6. totals (合计444场, 共197个, 国家级、省级…合计15家): the sum of ALL the parts — the last two
   to six numbers of its kind before it, or the facts its own coordinated phrase names. A total
   whose own phrase names a fact of its kind is that fact's figure, never a sum
   (累计建成高标准农田66.9万亩 is not 62.3 + 4.6); a subset of a listed total is never tried.

Probability bound: a candidate result r explains a mention shown at step s when it falls in
[m − s/2, m + s), a window of 1.5 steps. For a wrong number with d significant digits, uniform
over its leading digit, one candidate coincides with probability at most 1.5/(9·10^(d−1)) —
≈ 17 % for one digit, 1.7 % for two, 0.17 % for three. Each rule above offers at most K
candidates (≤ 2 against last period, ≤ 2 against a named fact, ≤ 10 for a share, ≤ 12 for an
average, ≤ 11 for a remainder, ≤ 6 for a total, each needing its cue word), so a wrong number
with a cue is explained with probability ≤ K · 1.5/(9·10^(d−1)): ≤ 2 % for a three-digit
number under the richest rule. One-digit results (较上年增加5名, 剩余8个) are tried only
against last period, a named fact, the last part of a breakdown or the two numbers just before
(K ≤ 2 each): both operands named, as writers do write them. The stress figure of evals/binding_eval.py
measures it: random wrong numbers appended with a cue to true sentences are explained at 0.07 %
(1 of 1,489; the old anchored rule: 0.34 %).

Anniversaries (抗日战争胜利80周年) are derived from the period year and the event's year when
the event is named in the clause (2025 − 1945 = 80).

Dates: years and periods are facts
----------------------------------
A date whose clause names an event the facts date (获评…: 2023年) must agree with that date, else
it is an error (misattributed when it is another event's date). A year that opens its sentence
as the period it speaks of (2024年，… / 2025年第一季度，…) heading this period's figures, or a
paragraph-opening 「2026年是…之年」 whose paragraph reports this period's figures, must be the
report's own period: else an error. Other dates are grounded when the facts mention them, when
they are the period year, or the year before it when the facts carry previous values (较2023年);
the rest (2019年起, context) are ``ungrounded`` warnings.

Last period's figures
---------------------
A facts file's ``previous`` values ground a number only in last period's place: 由上年的1243名,
上年为7620个, 原为12.4%, 从12.4%提升到…. Elsewhere a number that equals a previous value is
``ungrounded`` and says so (``equals 新增学位（上期）: 7620个 — last period's figure?``): a fact
sheet made by ``drafter facts extract`` carries every old figure as ``previous``, and an old figure
left in this year's draft must not pass. Given the corpus number index (``past``), an ungrounded
data number that equals a number of an earlier report in the same context (a compatible unit and
two shared character bigrams near the number) names it:
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
from drafter.numbers.bind import Binding, bind_sentence, clauses_of
from drafter.numbers.extract import GENERIC_UNITS, extract
from drafter.numbers.match import NO_BARE, PEOPLE, THINGS, quantity_matches, units_compatible, within
from drafter.numbers.naming import AGREE, NameIndex, Score, content, lcs, name_index, normalise
from drafter.numbers.naming import masks as _masks
from drafter.numbers.past import PastNumber, open_number_index
from drafter.numbers.spans import SENTENCE_END, span
from drafter.records import CheckReport, Facts, Finding, Mention, Quantity

LAST_PERIOD = "(last period's figure?)"
DELTA = 0.1  # a fact named this much less well than the best-named one is not the one meant
WIDE_COVER = 0.8  # share of a fact's name the sentence must spell out, in order, to name it from afar

# Anniversaries: the event named in the clause and the year it happened.
ANNIVERSARIES = {
    "建党": 1921, "中国共产党成立": 1921, "新中国成立": 1949, "中华人民共和国成立": 1949,
    "改革开放": 1978, "抗日战争胜利": 1945, "抗战胜利": 1945, "世界反法西斯战争胜利": 1945,
    "长征胜利": 1936, "五四运动": 1919, "建军": 1927, "香港回归": 1997, "澳门回归": 1999,
    "辛亥革命": 1911, "抗美援朝": 1950, "建团": 1922, "恢复高考": 1977,
}
_TARGET_WORDS = re.compile(r"目标|任务|计划|预算")
_SENTENCE_STOP = re.compile("[" + re.escape(SENTENCE_END) + "]")
_GROWTH_WORDS = re.compile(r"(?:的)?(?:增幅|增速|增长率|涨幅|降幅|增长幅度)$")
_TOPIC_YEAR_AFTER = re.compile(r"^\s*(?:年度|全年)?\s*(?:，|,|是|以来，|来，)")
_THIS_YEAR_WORDS = re.compile(r"一年来|今年|本年|全年|年内")
_YEAR_IS = re.compile(r"\s*(?:年度|全年)?\s*是")
_NEWLINE = re.compile("\n")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")


@dataclass(frozen=True)
class _Supplied:
    q: Quantity
    fact: int  # index in facts.facts
    label: str  # "name: value" as the report cites it
    previous: bool = False  # a fact's previous value: grounds only in last period's place
    extra: bool = False  # a number inside the fact's name or note (12345热线, 超50万元)


class PastLookup(Protocol):
    """The corpus number index (drafter.numbers.past.NumberIndex) as the checker sees it."""

    def lookup(self, value: float) -> Sequence[PastNumber]: ...


@dataclass(frozen=True)
class _Index:
    supplied: tuple[_Supplied, ...]
    date_keys: frozenset[str]
    period_year: int | None
    has_previous: bool
    names: NameIndex
    dated: tuple[tuple[int, tuple[str, ...]], ...]  # facts whose value is a date: (fact, date keys)
    exact_names: tuple[tuple[int, str], ...]  # normalised names and aliases, for 人均 divisors


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
    dated = []
    for i, f in enumerate(facts.facts):
        if f.quantity is not None:
            supplied.append(_Supplied(f.quantity, i, f"{f.name}: {f.value}"))
        if f.previous_quantity is not None:
            supplied.append(_Supplied(f.previous_quantity, i, f"{f.name}（上期）: {f.previous}", True))
        for q in f.extra:
            supplied.append(_Supplied(q, i, f"{f.name}（{q.text}）", extra=True))
        for text in (f.name, f.value, f.previous or "", f.note):
            if text:
                keys.update(m.key for m in extract(text, lenient=True) if m.kind == "date")
        if f.quantity is None and f.value:
            own = tuple(m.key for m in extract(f.value, lenient=True) if m.kind == "date")
            if own:
                dated.append((i, own))
    names = tuple((i, n) for i, f in enumerate(facts.facts) for n in (f.name,) + f.aliases)
    exact = tuple((i, normalise(n)) for i, n in names if len(normalise(n)) >= 2)
    return _Index(tuple(supplied), frozenset(keys), period_year(facts),
                  any(f.previous_quantity is not None for f in facts.facts), name_index(names),
                  tuple(dated), exact)


# --- what a number is judged to be ---------------------------------------------------------------


@dataclass
class _Judged:
    status: str
    severity: str
    source: str
    formula: str | None = None
    indicator: str = ""
    fact: str = ""
    value: float | None = None  # the number's value in base units, as later derivations use it
    fact_i: int | None = None  # the fact it is this period's figure of
    pending: str = ""  # why an ungrounded number is wrong, when no derivation explains it


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def _digits(text: str) -> int:
    """Written significant digits: 2人 → 1, 20所 → 2, 0.25倍 → 2, 两万 → 1 (Chinese: its digits)."""
    digits = "".join(c for c in text if c.isdigit() or c in "一二两三四五六七八九")
    return len(digits.lstrip("0"))


def _operand(q: Quantity | None) -> bool:
    """Ranks (第一) and years of duration (三年) are not arithmetic operands."""
    return q is not None and "ordinal" not in q.qualifier and q.unit not in ("年", "周年", "岁")


def _same_family(u1: str, u2: str) -> bool:
    return u1 == u2 or (u1 in PEOPLE and u2 in PEOPLE) or ("个" in (u1, u2) and units_compatible(u1, u2))


def _compatible(m: Mention, q: Quantity) -> bool:
    """Could ``m`` be a value of the indicator whose value is ``q`` (same kind of quantity)?"""
    if ("ordinal" in m.qualifier) != ("ordinal" in q.qualifier):
        return False
    if m.unit == "%" and not q.unit and abs(q.value) <= 1.5:
        return True
    if not m.unit or not q.unit:
        return (m.unit or q.unit) not in NO_BARE
    return units_compatible(m.unit, q.unit)


class _Sentence:
    """One sentence's numbers, bindings and what the checker has judged so far."""

    def __init__(self, text: str, start: int, end: int, mentions: list[Mention], facts: Facts, idx: _Index):
        self.text, self.start, self.end = text, start, end
        self.mentions = mentions
        self.facts, self.idx = facts, idx
        self.bindings: list[Binding] = bind_sentence(text, start, end, mentions)
        self.judged: list[_Judged | None] = [None] * len(mentions)
        self._scores: dict[int, dict[int, Score]] = {}
        self._matches: dict[int, list[_Supplied]] = {}

    def matches(self, i: int) -> list[_Supplied]:
        """The supplied values (this period's, last period's, numbers in names) mention ``i`` equals."""
        hit = self._matches.get(i)
        if hit is None:
            hit = self._matches[i] = _matches(self.mentions[i], self.idx)
        return hit

    # -- names ------------------------------------------------------------------------------------

    def scores(self, i: int) -> dict[int, Score]:
        """fact → how well the phrase of mention ``i`` names it (best over the phrase's variants)."""
        hit = self._scores.get(i)
        if hit is None:
            hit = {}
            for p in self.bindings[i].phrases:
                for f, s in self.idx.names.scores(p).items():
                    old = hit.get(f)
                    if old is None or (s.whole, s.value) > (old.whole, old.value):
                        hit[f] = s
            self._scores[i] = hit
        return hit

    def named(self, i: int) -> list[tuple[int, Score]]:
        """The facts the phrase of mention ``i`` names, best first."""
        sc = self.scores(i)
        return sorted(((f, s) for f, s in sc.items() if s.names), key=lambda x: (-x[1].value, not x[1].whole))

    def phrase_named(self, phrase: str, among: Sequence[int] | None = None) -> list[tuple[int, Score]]:
        if not phrase:
            return []
        sc = self.idx.names.scores(phrase)
        out = [(f, s) for f, s in sc.items() if s.names and (among is None or f in among)]
        return sorted(out, key=lambda x: -x[1].value)

    def wide_names(self, i: int, fact: int) -> bool:
        """Does the sentence up to this number's clause spell out the fact's name (or an alias)?"""
        b = self.bindings[i]
        s = self.idx.names.score_fact(b.wide, fact)
        return s.cover_name >= WIDE_COVER

    def topic(self, i: int) -> str:
        """The clauses of the sentence before this number that hold no figure, and its own words
        before it: where a sentence names what its figures are about."""
        m = self.mentions[i]
        parts = []
        for a, b in clauses_of(self.text, self.start, self.end):
            if a > m.start:
                break
            if a <= m.start <= b:
                parts.append(self.bindings[i].raw)
            elif not any(a <= x.start < b for x in self.mentions if x.kind == "data"):
                parts.append(self.text[a:b])
        return "，".join(parts)

    def subject_fact(self, i: int, need_previous: bool = False) -> int | None:
        """The fact a change, share or ratio is of: the one its own phrase names, else the one of
        the number whose phrase it shares (增长5.8% after 486.3亿元)."""
        facts = self.facts.facts
        for f, _ in self.named(i) + self.phrase_named(self.bindings[i].weak):
            if not need_previous or facts[f].previous_quantity is not None:
                return f
        j = self.bindings[i].subject
        seen = 0
        while j is not None and seen < 4:
            jd = self.judged[j]
            # the fact the number before was grounded to; else the facts its phrase names best
            cands = [jd.fact_i] if jd and jd.fact_i is not None else sorted(_agreeing(self.named(j)))
            for f in cands:
                if not need_previous or facts[f].previous_quantity is not None:
                    return f
            j = self.bindings[j].subject
            seen += 1
        return None

    def earlier(self, i: int, pred=lambda m: True) -> list[int]:
        """Indices of the data numbers before ``i`` in the sentence that have a value, nearest first."""
        return [j for j in range(i - 1, -1, -1)
                if self.mentions[j].kind == "data" and self.value_of(j) is not None and pred(self.mentions[j])]

    def value_of(self, j: int) -> float | None:
        jd = self.judged[j]
        if jd is None or jd.status in ("ungrounded", "misattributed", "formula", "placeholder"):
            return None
        m = self.mentions[j]
        if m.high is not None or not _operand_mention(m):
            return None
        return jd.value if jd.value is not None else m.value

    def fact_label(self, j: int) -> str:
        jd = self.judged[j]
        return (jd.fact or self.mentions[j].text) if jd else self.mentions[j].text


def _operand_mention(m: Mention) -> bool:
    return m.kind == "data" and "ordinal" not in m.qualifier and m.unit not in ("年", "周年", "岁")


# --- grounding --------------------------------------------------------------------------------


def _matches(m: Mention, idx: _Index) -> list[_Supplied]:
    if m.high is not None:
        for s in idx.supplied:  # a supplied range: both ends
            if s.q.high is not None and quantity_matches(m, s.q) and within(s.q.high, m.high, m.step * 1.0):
                return [s]
        lo = next((s for s in idx.supplied if quantity_matches(m, s.q)), None)
        hi = next((s for s in idx.supplied if quantity_matches(m, s.q, m.high)), None)
        if lo and hi:
            return [_Supplied(lo.q, lo.fact, f"{lo.label}; {hi.label}")]
        return []
    return [s for s in idx.supplied if quantity_matches(m, s.q)]


def _value_text(facts: Facts, f: int) -> str:
    fact = facts.facts[f]
    return fact.value or "no value yet"


def _judge_direct(st: _Sentence, i: int) -> _Judged | None:
    """Grounded, misattributed or unbound from the supplied values alone; None when the number is
    no supplied value of its indicator (a derivation may still explain it)."""
    m, b, idx, facts = st.mentions[i], st.bindings[i], st.idx, st.facts
    hits = st.matches(i)
    named = st.named(i)
    shown = b.indicator
    compat_named = [(f, s) for f, s in named
                    if facts.facts[f].quantity is not None and _compatible(m, facts.facts[f].quantity)]
    ok_facts = _agreeing(compat_named)

    def grounded(s: _Supplied, how: str = "") -> _Judged:
        name = facts.facts[s.fact].name
        return _Judged("grounded", "info", s.label, indicator=shown or how, fact=name,
                       value=m.value, fact_i=None if s.previous or s.extra else s.fact)

    current = [s for s in hits if not s.previous and not s.extra]
    previous = [s for s in hits if s.previous]
    extras = [s for s in hits if s.extra]
    named_any = {f for f, _ in named}
    for s in extras:  # a number of a fact's own name (12345热线, 超50万元的村) stands for that name
        if s.fact in named_any or st.wide_names(i, s.fact):
            return grounded(s)
    if b.past:  # 由上年的1243名: last period's figure of the fact named
        for s in previous:
            if s.fact in ok_facts or (not compat_named and (st.wide_names(i, s.fact) or _related(st, i, s.fact))):
                return grounded(s)
        for s in current:
            own = normalise(facts.facts[s.fact].name)
            if s.fact not in ok_facts and any(normalise(facts.facts[f].name) in own for f in ok_facts):
                return grounded(s)  # 从12.4%提升到: a fact of its own for the starting point (…（起点）)
        for s in current:
            if s.fact in ok_facts:
                return _Judged("misattributed", "error",
                               f"{m.text} is {facts.facts[s.fact].name}'s figure for this period "
                               f"({facts.facts[s.fact].value}), written as last period's "
                               f"(last period: {facts.facts[s.fact].previous or 'not supplied'})",
                               indicator=shown, fact=facts.facts[s.fact].name)
    else:
        for s in current + extras:
            if s.fact in ok_facts:
                return grounded(s)
    strong = _strong(compat_named)
    if not strong and not b.past:
        # a short phrase that names several facts weakly (连续 → 连续荣获…, 连续中高考…) may
        # ground a number, never accuse it
        for s in current:
            if s.fact in named_any:
                return grounded(s)
    compat_named = strong
    if compat_named and not b.past:
        # 乡村旅游持续火热，共接待游客512.8万人次: a clause without figures names the topic
        # (乡村旅游接待) and the number's phrase shares its head (接待): the topic's figure
        topic = st.topic(i)
        phrase = normalise(b.phrases[0]) if b.phrases else ""
        for s in current:
            if s.fact in ok_facts or not phrase:
                continue
            sc = idx.names.score_fact(topic, s.fact)
            name = normalise(facts.facts[s.fact].name)
            if sc.cover_name >= 0.999 and lcs(phrase, _masks(name), len(name)) >= 2:
                return grounded(s)
    if compat_named:
        return None  # the phrase names a fact that does not have this value: see _judge_rest
    if b.cue and b.cue not in ("sum", "rate") or m.unit in ("个百分点", "倍"):
        return None  # a change, share or average: derivations first
    if b.past:
        cands = previous + current
    else:
        cands = current + extras
    weak = {f for f, _ in st.phrase_named(b.weak)}
    for s in cands:
        if (s.extra or s.fact in weak or st.wide_names(i, s.fact) or _related(st, i, s.fact)
                or idx.names.opens_name(b.after, s.fact)):
            return grounded(s)
    return None


def _strong(named: list[tuple[int, Score]]) -> list[tuple[int, Score]]:
    """The namings that can accuse: a score of AGREE, a whole name, or three characters all in the
    name (结案率) — not a two-character phrase that merely stands in several names (连续, 人均)."""
    return [(f, s) for f, s in named if s.value >= AGREE or s.whole or (s.cover_phrase >= 0.999 and s.common >= 3)]


def _agreeing(named: list[tuple[int, Score]]) -> set[int]:
    """The facts a phrase names well enough to be the one meant: those within DELTA of the best;
    when the best is a name the phrase spells out whole, only whole names close to it
    (具有高级职称的专业技术人才 is not 具有中级职称的…, 新增规上工业企业 is not 规上工业企业)."""
    if not named:
        return set()
    top = max(named, key=lambda x: (x[1].value, x[1].whole))[1]
    if top.whole:
        return {f for f, s in named if s.whole and s.value >= top.value - DELTA / 2}
    return {f for f, s in named if s.value >= top.value - DELTA}


def _related(st: _Sentence, i: int, fact: int) -> bool:
    """Is ``fact`` the rate of, or the same indicator as, the subject this number shares
    (5.8% after 地区生产总值486.3亿元 → 地区生产总值增速)?"""
    subj = st.subject_fact(i)
    if subj is None or st.bindings[i].subject is None:
        return False
    a, b = normalise(st.facts.facts[subj].name), normalise(st.facts.facts[fact].name)
    return subj == fact or (len(a) >= 2 and a in b)


def _judge_rest(st: _Sentence, i: int) -> _Judged:
    """A number no supplied value of its indicator grounds: derived, misattributed, unbound or
    ungrounded, with the reason."""
    m, b, facts = st.mentions[i], st.bindings[i], st.facts
    shown = b.indicator
    derived = _derive(st, i) if m.value is not None and m.high is None else None
    if derived:
        formula, operands, value = derived
        operands = "; ".join(dict.fromkeys(operands.split("; ")))
        return _Judged("derived", "info", operands, formula, indicator=shown or _cue_label(b),
                       fact=operands, value=value)
    hits = st.matches(i)
    current = [s for s in hits if not s.previous and not s.extra]
    previous = [s for s in hits if s.previous]
    named = st.named(i)
    compat_named = _strong([(f, s) for f, s in named
                            if facts.facts[f].quantity is not None and _compatible(m, facts.facts[f].quantity)])
    severity = _severity_of_ungrounded(m)
    if not compat_named and not b.past:
        # 增长5.8% after 地区生产总值486.3亿元: the rate fact of the subject (地区生产总值增速)
        raw = st.idx.names.scores(b.raw) if b.raw else {}
        for s in current:
            if _related(st, i, s.fact) or (s.fact in raw and raw[s.fact].names) or (
                    b.cue in ("up", "down", "change", "rate", "share")
                    and st.wide_names(i, s.fact) and m.unit in ("%", "个百分点")):
                name = facts.facts[s.fact].name
                return _Judged("grounded", "info", s.label, indicator=shown or name, fact=name,
                               value=m.value, fact_i=s.fact)
    if compat_named:
        f = compat_named[0][0]
        fact = facts.facts[f]
        is_not = f"{m.text} is not {fact.name} ({_value_text(facts, f)})"
        stale = next((s for s in previous if s.fact == f), None)
        if stale is not None and not b.past:  # this indicator's own figure of last period, left in
            return _Judged("ungrounded", severity,
                           f"equals {stale.label} {LAST_PERIOD}: use it only in a comparison (较上年, 从…提升到…)",
                           indicator=shown, fact=fact.name)
        owner = next((s for s in current if s.fact != f), None)
        if owner is not None:
            return _Judged("misattributed", "error",
                           f"{is_not}; {m.text} is the figure of {facts.facts[owner.fact].name}",
                           indicator=shown, fact=fact.name)
        stale = previous[0] if previous else None
        if stale is not None and not b.past:
            return _Judged("ungrounded", severity,
                           f"equals {stale.label} {LAST_PERIOD}: use it only in a comparison (较上年, 从…提升到…)",
                           indicator=shown, fact=fact.name)
        return _Judged("ungrounded", severity, "", indicator=shown, fact=fact.name,
                       pending=f"{is_not}; no supplied figure for {fact.name} is {m.text}")
    if current and not (b.cue and b.cue not in ("sum", "rate")):
        owner = current[0]
        if not named and len(content(b.indicator)) >= 2 and b.side != "inherited":
            return _Judged("misattributed", "error",
                           f"no supplied fact for “{content(b.indicator)}”; {m.text} is the figure of "
                           f"{facts.facts[owner.fact].name}", indicator=shown, fact="")
        return _Judged("unbound", "warning",
                       f"equals {owner.label}, but the sentence names no indicator to check it against",
                       indicator=shown, fact=facts.facts[owner.fact].name)
    if previous and not b.past:
        s = previous[0]
        return _Judged("ungrounded", severity,
                       f"equals {s.label} {LAST_PERIOD}: use it only in a comparison (较上年, 从…提升到…)",
                       indicator=shown, fact=facts.facts[s.fact].name)
    return _Judged("ungrounded", severity, "", indicator=shown)


def _cue_label(b: Binding) -> str:
    return {"up": "increase", "down": "decrease", "change": "change", "share": "share", "rate": "rate",
            "sum": "total", "avg": "average", "ratio": "ratio", "remainder": "remainder"}.get(b.cue, "")


# --- derivations ----------------------------------------------------------------------------


def _fits(result: float, m: Mention, direction: str = "") -> bool:
    """Does a computed change or value explain the mention? Signs follow the cue: 增长 needs a
    rise, 下降 a fall; a negative mention (增长-3.2%) is compared as written."""
    v = m.value
    if v is None:
        return False
    if v < 0:
        return within(result, v, m.step)
    if direction == "up":
        return result >= 0 and within(result, v, m.step)
    if direction == "down":
        return result <= 0 and within(-result, v, m.step)
    return within(abs(result), v, m.step)


def _direction(b: Binding) -> str:
    return b.cue if b.cue in ("up", "down") else ""


def _derive(st: _Sentence, i: int) -> tuple[str, str, float] | None:
    """(formula, operands, value) when the mention is a bounded derivation of named operands."""
    if _digits(st.mentions[i].text) < 2:  # one digit is cheap: only the one- or two-candidate rules
        for attempt in (_anniversary, _vs_previous, _vs_object, _remainder):
            found = attempt(st, i)
            if found:
                return found
        return None
    for attempt in (_anniversary, _vs_previous, _vs_object, _share, _average, _remainder, _total):
        found = attempt(st, i)
        if found:
            return found
    return None


def _anniversary(st: _Sentence, i: int):
    m = st.mentions[i]
    py = st.idx.period_year
    if m.unit != "周年" or py is None or m.value is None:
        return None
    clause = st.text[span(st.text, m.start, m.end, "，,：:。；\n")[0]:m.end]
    for event, year in ANNIVERSARIES.items():
        if event in clause and py - year == m.value:
            return f"{py} − {year}（{event}） = {m.text}", f"period {py}", m.value
    return None


def _vs_previous(st: _Sentence, i: int):
    """A change, percent change, ratio or 个百分点 of a fact against its own previous value."""
    m, b = st.mentions[i], st.bindings[i]
    if not (b.vs_previous or (b.cue in ("up", "down", "change", "ratio") and not b.obj)):
        return None  # 是上年的1.4倍, 增长8.3%, 翻了一番: against last period; 比发展对象多: see _vs_object
    f = st.subject_fact(i, need_previous=True)
    if f is None:
        return None
    fact = st.facts.facts[f]
    a, p = fact.quantity, fact.previous_quantity
    if not (_operand(a) and _operand(p)):
        return None
    d = _direction(b)
    if m.unit == "个百分点":
        if a.unit == "%" and p.unit == "%" and _fits(a.value - p.value, m, d):
            return f"{a.text} − {p.text} = {m.text}", fact.name, m.value
        return None
    if m.unit == "%":
        if a.unit != "%" and p.value and _fits((a.value - p.value) / p.value * 100, m, d):
            return f"({a.text} − {p.text}) ÷ {p.text} = {m.text}", fact.name, (a.value - p.value) / p.value * 100
        return None
    if m.unit == "倍":
        if not p.value:
            return None
        r = a.value / p.value
        if within(r, m.value, m.step) and b.cue == "ratio":
            return f"{a.text} ÷ {p.text} = {_fmt(r)}倍", fact.name, r
        if b.cue in ("up", "ratio") and within(r - 1, m.value, m.step):
            return f"{a.text} ÷ {p.text} − 1 = {_fmt(r - 1)}倍", fact.name, r - 1
        if within(r, m.value, m.step) and b.cue == "up":
            return f"{a.text} ÷ {p.text} = {_fmt(r)}倍", fact.name, r
        return None
    if units_compatible(m.unit, a.unit) and a.unit not in NO_BARE and _fits(a.value - p.value, m, d):
        return f"{a.text} − {p.text} = {m.text}", fact.name, abs(a.value - p.value)
    return None


def _object_facts(st: _Sentence, i: int, phrase: str) -> list[int]:
    """The facts the compared-with phrase names (超出年度目标 → …年度目标), those sharing the
    subject's name first."""
    phrase = _GROWTH_WORDS.sub("", phrase)
    named = [f for f, _ in st.phrase_named(phrase)]
    subj = st.subject_fact(i)
    if subj is not None:
        sname = normalise(st.facts.facts[subj].name)
        if _TARGET_WORDS.search(phrase):  # 完成省下达目标任务的115.5%: the subject's own target
            named += [f for f, fact in enumerate(st.facts.facts) if f not in named
                      and sname in normalise(fact.name) and _TARGET_WORDS.search(fact.name)]
        named.sort(key=lambda f: sname not in normalise(st.facts.facts[f].name))
        named = [f for f in named if f != subj]
    return named[:2]


def _subject_value(st: _Sentence, i: int, percent: bool) -> tuple[float, str, str] | None:
    """(value, text, name) of what a comparison is about: the fact its phrase names, else the
    nearest number before it of the right kind (a % for 个百分点)."""
    m = st.mentions[i]
    for f, _ in st.named(i):
        q = st.facts.facts[f].quantity
        if _operand(q) and ((q.unit == "%") == percent):
            return q.value, q.text, st.facts.facts[f].name
    want = (lambda x: x.unit == "%") if percent else (lambda x: units_compatible(m.unit, x.unit) and x.unit not in NO_BARE)
    for j in st.earlier(i, want):
        return st.value_of(j), st.mentions[j].text, st.fact_label(j)
    return None


def _vs_object(st: _Sentence, i: int):
    """超出年度目标438人, 比发展对象多20名, 高于全县农民收入增幅3.1个百分点: the subject against a
    fact the sentence names."""
    m, b = st.mentions[i], st.bindings[i]
    if b.cue not in ("up", "down", "change") or not b.obj or b.vs_previous:
        return None
    growth = bool(_GROWTH_WORDS.search(b.obj))
    percent = m.unit == "个百分点"
    subj = _subject_value(st, i, percent)
    if subj is None:
        return None
    sv, stext, sname = subj
    d = _direction(b)
    for f in _object_facts(st, i, b.obj):
        fact = st.facts.facts[f]
        q, p = fact.quantity, fact.previous_quantity
        if not _operand(q):
            continue
        if percent:
            if growth and _operand(p) and q.unit != "%" and p.value:
                ov = (q.value - p.value) / p.value * 100
                otext = f"{fact.name}增幅 {_fmt(ov)}%"
            elif q.unit == "%" and not growth:
                ov, otext = q.value, q.text
            else:
                continue
        elif units_compatible(m.unit, q.unit) and q.unit not in NO_BARE:
            ov, otext = q.value, q.text
        else:
            continue
        if _fits(sv - ov, m, d):
            return f"{stext} − {otext} = {m.text}", f"{sname}; {fact.name}", abs(sv - ov)
    return None


def _share(st: _Sentence, i: int):
    """占…的77.9%, 占比79.6%, 完成年度目标的107.6%, 办结率94.8%: a part over a whole, both named."""
    m, b = st.mentions[i], st.bindings[i]
    if m.unit != "%" or b.cue not in ("share", "rate"):
        return None
    nums: list[tuple[float, str, str]] = []  # numerators
    for f, _ in st.named(i):
        q = st.facts.facts[f].quantity
        if _operand(q) and q.unit != "%":
            nums.append((q.value, q.text, st.facts.facts[f].name))
            break
    near = st.earlier(i, lambda x: x.unit not in ("%", "个百分点", "倍"))
    if near:
        j = near[0]
        nums.append((st.value_of(j), st.mentions[j].text, st.fact_label(j)))
    dens: list[tuple[float, str, str]] = []
    if b.obj:
        for f in _object_facts(st, i, b.obj):
            q = st.facts.facts[f].quantity
            if _operand(q) and q.unit != "%":
                dens.append((q.value, q.text, st.facts.facts[f].name))
    if b.whole is not None and st.value_of(b.whole) is not None:
        dens.append((st.value_of(b.whole), st.mentions[b.whole].text, st.fact_label(b.whole)))
    if not b.obj:
        for j in near[1:5]:
            dens.append((st.value_of(j), st.mentions[j].text, st.fact_label(j)))
    target = bool(b.obj) and "完成" in st.text[max(st.start, m.start - 16):m.start]
    for nv, nt, nn in nums:
        for dv, dt, dn in dens:
            if not dv or nt == dt:
                continue
            if not target and not 0 < nv <= dv:
                continue
            r = nv / dv * 100
            if within(r, m.value, m.step):
                return f"{nt} ÷ {dt} = {_fmt(r)}%", f"{nn}; {dn}", r
    return None


def _average(st: _Sentence, i: int):
    """平均每所学校投入1.41亿元, 人均14.5小时: a total over a count, both named in the sentence."""
    m, b = st.mentions[i], st.bindings[i]
    if b.cue != "avg" or m.unit in ("%", "个百分点", "倍"):
        return None
    people = b.per == "人"
    tops: list[tuple[float, str, str]] = []
    for f, _ in st.named(i):
        q = st.facts.facts[f].quantity
        if _operand(q) and units_compatible(m.unit, q.unit) and q.unit not in NO_BARE:
            tops.append((q.value, q.text, st.facts.facts[f].name))
    for j in st.earlier(i, lambda x: units_compatible(m.unit, x.unit) and x.unit not in NO_BARE):
        tops.append((st.value_of(j), st.mentions[j].text, st.fact_label(j)))
    counts: list[tuple[float, str, str]] = []

    def is_count(unit: str) -> bool:
        return unit in PEOPLE if people else (unit in THINGS or unit in ("个", "户", "村", "校"))

    if b.per:
        for f, _ in st.phrase_named(b.per.lstrip("个所家户人名位项村校场次亩间")) or []:
            q = st.facts.facts[f].quantity
            if _operand(q) and is_count(q.unit):
                counts.append((q.value, q.text, st.facts.facts[f].name))
    for j in range(len(st.mentions)):
        if j != i and st.mentions[j].kind == "data" and is_count(st.mentions[j].unit) and st.value_of(j):
            counts.append((st.value_of(j), st.mentions[j].text, st.fact_label(j)))
    if people:
        sent = normalise(st.text[st.start:st.end])
        for f, n in st.idx.exact_names:
            q = st.facts.facts[f].quantity
            if n in sent and _operand(q) and q.unit in PEOPLE:
                counts.append((q.value, q.text, st.facts.facts[f].name))
    for tv, tt, tn in tops[:3]:
        for cv, ct, cn in counts[:4]:
            if cv and tt != ct and within(tv / cv, m.value, m.step):
                return f"{tt} ÷ {ct} = {_fmt(tv / cv)}", f"{tn}; {cn}", tv / cv
    return None


def _remainder(st: _Sentence, i: int):
    """剩余8个, 其余21件, 尚有214项, and the last part of a 其中 list (市级33家 = 48 − 2 − 13)."""
    m, b = st.mentions[i], st.bindings[i]
    if m.unit in ("%", "个百分点", "倍"):
        return None
    fam = [j for j in st.earlier(i, lambda x: _same_family(x.unit, m.unit) and x.unit not in NO_BARE)]
    if b.whole is not None and b.cue != "share":
        parts = [j for j in range(len(st.mentions)) if j != i and st.bindings[j].whole == b.whole
                 and st.value_of(j) is not None]
        wv = st.value_of(b.whole)
        if wv is not None and parts and not any(s.names and f != st.judged[b.whole].fact_i
                                                for f, s in st.scores(i).items() if s.value >= 0.8):
            r = wv - sum(st.value_of(j) for j in parts)
            if within(r, m.value, m.step):
                return (f"{st.mentions[b.whole].text} − " + " − ".join(st.mentions[j].text for j in parts)
                        + f" = {m.text}", "; ".join([st.fact_label(b.whole)] + [st.fact_label(j) for j in parts]), r)
    if b.cue != "remainder":
        return None
    pairs = combinations(fam[:5], 2) if _digits(m.text) >= 2 else [tuple(fam[:2])] if len(fam) >= 2 else []
    for x, y in pairs:
        a, c = st.value_of(x), st.value_of(y)
        hi, lo = (x, y) if a >= c else (y, x)
        r = abs(a - c)
        if within(r, m.value, m.step):
            return (f"{st.mentions[hi].text} − {st.mentions[lo].text} = {m.text}",
                    f"{st.fact_label(hi)}; {st.fact_label(lo)}", r)
    return None


def _total(st: _Sentence, i: int):
    """合计444场 after four listed counts, 国家级、省级…合计15家: the sum of ALL the named parts
    (up to six), never of a chance subset."""
    m, b = st.mentions[i], st.bindings[i]
    if m.unit in ("%", "个百分点", "倍"):
        return None
    facts = st.facts.facts
    if b.items:
        parts = []
        for readings in b.items:
            nm = [x for r in readings for x in st.phrase_named(r)
                  if _operand(facts[x[0]].quantity) and _compatible(m, facts[x[0]].quantity)]
            if not nm:
                parts = []
                break
            parts.append(max(nm, key=lambda x: x[1].value)[0])
        if len(parts) >= 2 and len(set(parts)) == len(parts):
            total = sum(facts[f].quantity.value for f in parts)
            if within(total, m.value, m.step):
                return (" + ".join(facts[f].quantity.text for f in parts) + f" = {m.text}",
                        "; ".join(facts[f].name for f in parts), total)
    if b.cue != "sum":
        return None
    # the phrase of a total names no single fact of its kind (累计建成高标准农田66.9万亩 is that fact's figure)
    if any(facts[f].quantity is not None and _compatible(m, facts[f].quantity) and s.value >= 0.8
           for f, s in st.named(i)):
        return None
    run = st.earlier(i, lambda x: _same_family(x.unit, m.unit) and x.unit not in NO_BARE
                     and units_compatible(m.unit, x.unit))
    if _digits(m.text) < 2:
        return None
    for k in range(2, min(6, len(run)) + 1):
        js = list(reversed(run[:k]))
        total = sum(st.value_of(j) for j in js)
        if within(total, m.value, m.step):
            return (" + ".join(st.mentions[j].text for j in js) + f" = {m.text}",
                    "; ".join(st.fact_label(j) for j in js), total)
    return None


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


def _key_agrees(key: str, fact_keys: tuple[str, ...]) -> bool:
    """2024年 agrees with 2024年11月; 2024年11月 with 2024年11月; 2023年 with neither."""
    return any(k.startswith(key) or key.startswith(k) for k in fact_keys if k[:4].isdigit() and key[:4].isdigit()) \
        or any(k == key for k in fact_keys)


def _judge_date(st: _Sentence, i: int) -> _Judged:
    m, b, idx, facts = st.mentions[i], st.bindings[i], st.idx, st.facts
    year = int(m.key[:4]) if m.key[:4].isdigit() else None
    # 1. an event the facts date: 2023年，我县创成… when the facts say 2024年11月
    if year is not None and idx.dated:
        best = None
        for f, keys in idx.dated:
            s = idx.names.score_fact(b.context, f)
            if s.cover_name >= 0.75 and (best is None or s.cover_name > best[1].cover_name):
                best = (f, s, keys)
        if best is not None:
            f, _, keys = best
            fact = facts.facts[f]
            if _key_agrees(m.key, keys):
                return _Judged("grounded", "info", f"{fact.name}: {fact.value}", indicator=fact.name, fact=fact.name)
            owner = next((facts.facts[g] for g, ks in idx.dated if g != f and _key_agrees(m.key, ks)), None)
            why = f"{m.text} is not the date of {fact.name} ({fact.value})"
            if owner is not None:
                return _Judged("misattributed", "error", f"{why}; {m.text} is the date of {owner.name}",
                               indicator=fact.name, fact=fact.name)
            return _Judged("ungrounded", "error", why, indicator=fact.name, fact=fact.name)
    # 2. the report's own period: 2024年，全县粮食播种面积86.4万亩 in a 2025 report
    py = idx.period_year
    if year is not None and py is not None and year != py and len(m.key) in (4, 7) and _topic_year(st, i):
        if _states_this_period(st, i):
            return _Judged("ungrounded", "error",
                           f"{m.text} is not the report's period ({py}年): the figures it heads are {py}'s",
                           indicator="report period", fact="period")
    src = _date_source(m, idx)
    if src:
        return _Judged("grounded", "info", src)
    return _Judged("ungrounded", "warning", "")


def _topic_year(st: _Sentence, i: int) -> bool:
    """Does the date open its sentence as the period it speaks of (2024年，… / 2024年是…之年)?"""
    m = st.mentions[i]
    lead = st.text[st.start:m.start].strip()
    if lead not in ("", "在", "截至", "到"):
        return False
    rest = st.text[m.end:st.end]
    if st.mentions[i + 1:] and st.mentions[i + 1].kind == "date" and st.mentions[i + 1].start - m.end <= 1:
        rest = st.text[st.mentions[i + 1].end:st.end]  # 2025年第一季度，
    return bool(_TOPIC_YEAR_AFTER.match(rest))


def _states_this_period(st: _Sentence, i: int) -> bool:
    """Are the figures the year heads this period's (grounded to this period's values)?"""
    for j in range(i + 1, len(st.mentions)):
        jd = st.judged[j]
        if jd is not None and jd.status in ("grounded", "derived") and "（上期）" not in jd.source \
                and st.mentions[j].kind == "data":
            return True
    return False


# --- the check ------------------------------------------------------------------------------


def _severity_of_ungrounded(m: Mention) -> str:
    if m.kind == "date":
        return "warning"
    if m.numeral == "chinese" and m.value is not None and m.value <= 10 and m.unit in GENERIC_UNITS:
        return "warning"
    return "error"


def _context_grams(s: str) -> set[str]:
    s = _NOT_HAN.sub(" ", s)
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
    newlines = [x.start() for x in _NEWLINE.finditer(text)]
    ends_at = [x.start() for x in _SENTENCE_STOP.finditer(text)]  # sentence ends, as spans.span cuts them

    by_sentence: dict[tuple[int, int], list[int]] = {}
    for k, m in enumerate(mentions):
        j = bisect.bisect_left(ends_at, m.start)
        a = ends_at[j - 1] + 1 if j else 0
        b = ends_at[bisect.bisect_left(ends_at, m.end, j)] if bisect.bisect_left(ends_at, m.end, j) < len(ends_at) else len(text)
        by_sentence.setdefault((a, b), []).append(k)
    judged: dict[int, _Judged] = {}
    sentences: dict[int, str] = {}
    for (a, b), ks in by_sentence.items():
        bound = [k for k in ks if mentions[k].kind in ("data", "date")]
        st = _Sentence(text, a, b, [mentions[k] for k in bound], facts, idx)
        for pos, k in enumerate(bound):  # pass 1: supplied values
            if mentions[k].kind == "data":
                st.judged[pos] = _judge_direct(st, pos)
        for pos, k in enumerate(bound):  # pass 2: derivations and reasons, left to right
            if mentions[k].kind == "data" and st.judged[pos] is None:
                st.judged[pos] = _judge_rest(st, pos)
        for pos, k in enumerate(bound):  # pass 3: dates, which look at the figures they head
            if mentions[k].kind == "date":
                st.judged[pos] = _judge_date(st, pos)
            judged[k] = st.judged[pos]
        for k in ks:
            sentences[k] = text[a:b].strip()
    _years_heading_paragraphs(text, mentions, judged, idx)

    findings = []
    for k, m in enumerate(mentions):
        formula, indicator, fact = None, "", ""
        if m.kind == "formula":
            status, severity, source = "formula", "info", f"formula: {m.text}"
        elif m.kind == "placeholder":
            status, severity, source = "placeholder", "warning", "placeholder: to be filled"
        else:
            j = judged[k]
            status, severity, source, formula, indicator, fact = (j.status, j.severity, j.source, j.formula,
                                                                   j.indicator, j.fact)
            if status == "ungrounded" and m.kind == "data":
                hit = _last_period(m, text, past, idx.period_year) if past is not None else None
                if hit is not None:
                    source = last_period_source(hit)
                elif not source and j.pending:
                    source = j.pending
        line = bisect.bisect_left(newlines, m.start) + 1
        col_base = newlines[line - 2] + 1 if line > 1 else 0
        findings.append(Finding(m, status, severity, source, formula, line, m.start - col_base + 1,
                                sentences[k], indicator, fact))
    return CheckReport(tuple(findings), tuple(f.name for f in facts.to_fill))


def _years_heading_paragraphs(text: str, mentions: list[Mention], judged: dict[int, _Judged], idx: _Index) -> None:
    """2026年是“十五五”开局之年。一年来，…486.3亿元: a year that opens a paragraph as its period is
    wrong when the paragraph's figures are this period's and the year is not the period's."""
    py = idx.period_year
    if py is None:
        return
    for k, m in enumerate(mentions):
        j = judged.get(k)
        if m.kind != "date" or j is None or j.severity == "error" or not m.key[:4].isdigit() or len(m.key) != 4:
            continue
        year = int(m.key)
        if year == py:
            continue
        a = text.rfind("\n", 0, m.start) + 1
        if text[a:m.start].strip():
            continue  # not the opening of its paragraph
        after = text[m.end:]
        if not _YEAR_IS.match(after):
            continue
        stop = text.find("\n", m.end)
        para_end = stop if stop >= 0 else len(text)
        if not _THIS_YEAR_WORDS.search(text[m.end:para_end]):
            continue
        figures = [judged[x] for x, n in enumerate(mentions) if m.end < n.start < para_end and n.kind == "data"
                   and judged.get(x) is not None and judged[x].status in ("grounded", "derived")
                   and "（上期）" not in judged[x].source]
        if figures:
            judged[k] = _Judged("ungrounded", "error",
                                f"{m.text} is not the report's period ({py}年): the figures of this paragraph are {py}'s",
                                indicator="report period", fact="period")


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
