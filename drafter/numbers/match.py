"""Does a supplied value explain a number as written? Units, rounding and qualifiers.

The checker (``check.py``) decides *which* fact a number may rest on; this module answers the
narrower question for one pair: is the mention, shown at its step, with its qualifier (余, 近, 约 …),
in its unit, the fact's value? See check.py's docstring (*Tolerance*, *Units*) for the rules.
"""

from __future__ import annotations

from drafter.numbers.extract import AROUND, LOWER_BOUND, UPPER_BOUND, significant_place
from drafter.records import Mention, Quantity

PEOPLE = frozenset({"人", "名", "位"})
THINGS = frozenset({"个", "所", "项", "家", "支", "篇", "件", "户", "处", "条", "类", "种", "批",
                     "场", "次", "座", "间", "栋", "台", "套", "本", "册", "份", "张", "队", "班", "门",
                     "节", "堂", "园", "校", "村", "例", "起", "方面", "部", "首", "块", "辆", "组"})
NO_BARE = frozenset({"%", "个百分点", "倍"})


def units_compatible(mention_unit: str, fact_unit: str) -> bool:
    if mention_unit == fact_unit:
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


def quantity_matches(m: Mention, q: Quantity, value: float | None = None) -> bool:
    mv = m.value if value is None else value
    if mv is None:
        return False
    if ("ordinal" in m.qualifier) != ("ordinal" in q.qualifier):
        return False
    if m.unit == "%" and not q.unit and abs(q.value) <= 1.5 and within(q.value * 100, mv, m.step, m.qualifier):
        return True
    if not units_compatible(m.unit, q.unit):
        return False
    return within(q.value, mv, m.step, m.qualifier)
