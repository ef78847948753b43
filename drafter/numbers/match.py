"""Does a supplied value explain a number as written? Units, rounding, qualifiers, ranges, sign.

The checker (``check.py``) decides *which* fact a number may rest on; this module answers the
narrower question for one pair: is the mention, shown at its step, with its qualifier (余, 近, 约 …),
in its unit, the fact's value? See check.py's docstring (*Tolerance*, *Units*) for the rules, and:

- Units of one kind convert (units.py): 35公顷 is grounded by 525亩, 40kg by 40千克, 1.5公里 by
  1500米; the mention's display step applies in the mention's unit.
- Neighbouring numerals (七八十户, 三四万人: qualifier ``approx``, value to ``high``) are one
  approximate number: a supplied value inside the range, cut to the display step, grounds it.
  An explicit range (3-5名, 10%-15%) states two numbers: each end needs its own fact, as before.
- Sign and direction agree: a mention after a fall word (减少35万元, 下降3.2%: ``direction`` down)
  is grounded by the fact's size (35万元) or by the signed fact (−35万元, −3.2%); 增长3.2% is
  never grounded by −3.2%.
"""

from __future__ import annotations

from drafter.numbers import units
from drafter.numbers.extract import AROUND, LOWER_BOUND, UPPER_BOUND, significant_place
from drafter.records import Mention, Quantity

PEOPLE = frozenset({"人", "名", "位"})
THINGS = frozenset({"个", "所", "项", "家", "支", "篇", "件", "户", "处", "条", "类", "种", "批",
                     "场", "次", "座", "间", "栋", "台", "套", "本", "册", "份", "张", "队", "班", "门",
                     "节", "堂", "园", "校", "村", "例", "起", "方面", "部", "首", "块", "辆", "组",
                     "箱", "朵", "株", "棵", "头", "只", "匹", "袋", "包", "瓶", "盒", "桶", "架", "艘", "床",
                     "宗", "单", "枚", "幅", "笔", "集", "讲", "课", "期"})
NO_BARE = frozenset({"%", "个百分点", "倍"})


def units_compatible(mention_unit: str, fact_unit: str) -> bool:
    """Can the two values be compared as they stand (same unit, or one family of counts)?
    Units of one kind but another size (亩 and 平方米) are not: ``quantity_matches`` converts."""
    if mention_unit == fact_unit or units.same(mention_unit, fact_unit):
        return True
    if not mention_unit or not fact_unit:
        return (mention_unit or fact_unit) not in NO_BARE
    if mention_unit in PEOPLE and fact_unit in PEOPLE:
        return True
    if "个" in (mention_unit, fact_unit):
        other = fact_unit if mention_unit == "个" else mention_unit
        return other in THINGS
    return False


def within(f: float, m: float, step: float, qualifier: str = "") -> bool:
    """Does supplied value ``f`` explain a mention of value ``m`` shown at ``step``?"""
    eps = 1e-9 * max(abs(m), abs(f), 1.0)
    d = f - m
    if -step / 2 - eps <= d < step - eps or abs(d) <= eps:
        return True
    quals = set(qualifier.split(",")) if qualifier else set()
    place = significant_place(abs(m), step)
    if quals & LOWER_BOUND:
        return m - eps <= f < m + place - eps
    if quals & UPPER_BOUND:
        return 0.9 * m - eps <= f <= m + eps
    if quals & AROUND:
        return abs(d) <= max(min(place / 2, 0.1 * abs(m)), step / 2) + eps
    return False


def inside(f: float, low: float, high: float, step: float) -> bool:
    """Is ``f``, cut to the display step, in an approximate range [low, high]? 七八十户 (step 10)
    takes 70 to 89, 四五千元 takes 4000 to 5999; 76户 is 七八十, not 八九十."""
    lo, hi = min(low, high), max(low, high)
    eps = 1e-9 * max(abs(lo), abs(hi), 1.0)
    return lo - eps <= f < hi + step - eps


def approximate_range(m: Mention) -> bool:
    """七八十户, 三四万人: one approximate number written with two neighbouring numerals."""
    return m.high is not None and "approx" in m.qualifier.split(",")


def quantity_matches(m: Mention, q: Quantity, value: float | None = None) -> bool:
    """Is the mention (or, with ``value``, one end of its range) the supplied quantity ``q``?

    For an approximate range (``approximate_range(m)``) both calls — the low end and
    ``value=m.high`` — ask the same question: does ``q`` lie inside the range. So a checker that
    wants a fact for each end of a range gets the one fact twice for 七八十户."""
    mv = m.value if value is None else value
    if mv is None:
        return False
    if ("ordinal" in m.qualifier) != ("ordinal" in q.qualifier):
        return False
    f = _in_mention_unit(m, q)
    if f is None:
        return False
    if approximate_range(m) and q.high is None and m.value is not None and m.high is not None:
        return any(inside(s, m.value, m.high, m.step) for s in _signed(f, m))
    return any(within(s, mv, m.step, m.qualifier) for s in _signed(f, m))


def _in_mention_unit(m: Mention, q: Quantity) -> float | None:
    """The supplied value in the mention's unit, or None when the two cannot be compared."""
    if m.unit == "%" and not q.unit and abs(q.value) <= 1.5:
        return q.value * 100  # a fact stored as 0.6255 is 62.55%
    if units_compatible(m.unit, q.unit):
        return q.value
    return units.convert(q.value, q.unit, m.unit)


def _signed(f: float, m: Mention) -> tuple[float, ...]:
    """The supplied value, and its size when the text states a fall (减少35万元 vs −35万元)."""
    if m.direction == "down" and f < 0 and (m.value or 0) > 0:
        return (f, -f)
    return (f,)
