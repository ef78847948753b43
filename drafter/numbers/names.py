"""Numerals that are part of a name or a clock, not a quantity a report claims.

- meeting sessions: 十四届三次全会, 县十八届人大常委会第十五次会议, 政协第十三届委员会第二次会议,
  第十二次党代会, 四中全会, 第19届亚运会 — reported as ``formula`` (a reader sees the name);
- named days: 3·15, 7·20 — ``formula``;
- grades (九年级), house and line numbers (2号楼, 3号线, 人民路168号, 嫦娥六号), roads (312国道),
  hotlines and emergency numbers (12345热线, 拨打110、119、120), clock times (上午九点, 八点半,
  十二点三十分, 14:30) — skipped silently.

A report checker ignores clock times, telephone and id numbers, and house numbers: they are
names or schedules, never results that a fact sheet would hold. Idioms and place names with
a numeral (一心一意, 五家渠) are listed in ``drafter/data/idioms.txt`` (see ``idioms()``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from drafter.numbers.formulas import parse_formula_lines

_N = "0-9零〇○一二两三四五六七八九十百"  # a session or grade number, Arabic or Chinese
_ORGANS = ("中央|省委|市委|县委|区委|州委|旗委|镇委|乡委|党委|党工委|纪委|人大|政协|全国人大|全国政协|委员会|"
           "常委会|代表大会|理事会|董事会|团委|妇联|工会|职代会|教代会")
_EVENTS = "运动会|亚运会|奥运会|全运会|冬奥会|残奥会|博览会|交易会|进博会|广交会|论坛|峰会|年会|艺术节|文化节|读书节|科技节"
_MEETING_RE = re.compile(
    rf"第?[{_N}]{{1,4}}届[^，。；、\n]{{0,12}}?(?:第?[{_N}]{{1,3}}次|[{_N}]{{1,3}}中)"
    r"(?:全体会议|全委会|全会|常委会会议|会议|代表大会)"
    rf"|第[{_N}]{{1,4}}届"
    rf"|[{_N}]{{1,4}}届(?=(?:{_ORGANS})|[^，。；、\n]{{0,8}}?(?:{_EVENTS}))"
    rf"|第[{_N}]{{1,3}}次[^，。；、\n]{{0,6}}?(?:全体会议|全委会|全会|党代会|代表大会|常委会|会议)"
    rf"|[{_N}]{{1,3}}次(?:全体会议|全委会|全会)"
    rf"|[{_N}]{{1,3}}中全会"
)
# Each pattern below starts with a character class, so the engine skips to candidates at C
# speed; the boundary conditions are checked in Python (a leading look-behind would make every
# position of a 10,000-character draft a match attempt).
_MEETING_CANDIDATE_RE = re.compile(rf"[第{_N}]+(?:届|次|中全会)")
_NAMED_DAY_RE = re.compile(r"\d{1,2}[·•・]\d{1,2}")
_GRADE_RE = re.compile(rf"[{_N}]{{1,2}}年级")
_HOUSE_RE = re.compile(r"[0-9零一二三四五六七八九十百]+号")
_ROAD_RE = re.compile(r"\d+(?:国道|省道|县道|乡道|路公交|路车|路汽车)")
_HOT_RE = re.compile(r"[19]\d{2,4}(?:[、/和及或][19]\d{2,4})*")
_HOTLINES = re.compile(r"12\d{3}|96\d{3}|95\d{3}|110|119|120|122|114|10086|10010|12110")
_CLOCK_RE = re.compile(r"[0-9零一二两三四五六七八九十]{1,3}(?:点|时)(?:[0-9零一二三四五六七八九十]{1,3}分|半|整|[一三]刻)?"
                       r"(?:[0-9零一二三四五六七八九十]{1,3}秒)?")
_CLOCK_PARTS = re.compile(r"(?P<h>[^点时]+)[点时](?:(?P<m>[^分]+)分)?")
_TIME_OF_DAY = ("上午", "下午", "晚上", "凌晨", "早上", "早晨", "中午", "傍晚", "夜间", "晚")
_COLON_TIME_RE = re.compile(r"\d{1,2}[:：][0-5]\d(?:[:：][0-5]\d)?")
_HOTLINE_AFTER = re.compile(r"热线|专线|平台|便民|政务|服务|举报|投诉|急救|报警|指挥|接处警|号码|电话")
_HOTLINE_BEFORE = re.compile(r"(?:拨打|拨通|致电|呼叫|热线|电话|报警)[:：]?\s*$")


def reported_names(text: str) -> list[tuple[int, int]]:
    """Spans of meeting sessions and named days: numerals of a name, reported as formulas."""
    spans = []
    pos = 0
    for c in _MEETING_CANDIDATE_RE.finditer(text):
        if c.start() < pos:
            continue
        for a in range(max(pos, c.start() - 1), c.start() + 1):  # 第 may stand just before
            m = _MEETING_RE.match(text, a)
            if m:
                spans.append(m.span())
                pos = m.end()
                break
    for m in _NAMED_DAY_RE.finditer(text):
        a, b = m.span()
        if not (_digit_before(text, a) or _digit_after(text, b)):
            spans.append((a, b))
    return sorted(spans)


def silent_names(text: str) -> list[tuple[int, int]]:
    """Spans of grades, house and line numbers, roads, hotlines and clock times."""
    out = []
    if "年级" in text:
        out += [m.span() for m in _GRADE_RE.finditer(text) if not (m.start() and text[m.start() - 1].isdigit())]
    if "号" in text:
        for m in _HOUSE_RE.finditer(text):
            a = m.start()
            prev = text[a - 1] if a else ""
            if prev == "月" or prev == "." or (prev == " " and a > 1 and text[a - 2] == "月"):
                continue  # 5月27号 is a date
            if m.group()[0].isdigit() and _digit_after(text, m.end()):
                continue
            out.append(m.span())
    out += [m.span() for m in _ROAD_RE.finditer(text) if not _digit_before(text, m.start())]
    for m in _HOT_RE.finditer(text):
        a, b = m.span()
        if _digit_before(text, a) or _digit_after(text, b):
            continue
        if not all(_HOTLINES.fullmatch(p) for p in re.split(r"[、/和及或]", m.group())):
            continue
        if _HOTLINE_AFTER.match(text, b) or _HOTLINE_BEFORE.search(text, max(0, a - 6), a):
            out.append((a, b))
    if "点" in text or "时" in text:
        for m in _CLOCK_RE.finditer(text):
            a, b = m.span()
            s = m.group()
            tod = next((w for w in _TIME_OF_DAY if text.endswith(w, 0, a)), "")
            if not tod and s[-1] in "点时":
                continue  # 三点 (three points), 同时: a clock only with 上午 … or minutes
            parts = _CLOCK_PARTS.match(s)
            hour = _small(parts.group("h"))
            minute = _small(parts.group("m") or "0")
            if hour is None or minute is None or hour > 24 or minute > 59:
                continue  # 九十二点五分 is a score
            out.append((a - len(tod), b))
    for m in _COLON_TIME_RE.finditer(text):
        a, b = m.span()
        if text[a:b].split(":")[0].split("：")[0].isdigit() and int(re.split("[:：]", m.group())[0]) <= 23 \
                and not (_digit_before(text, a) or a and text[a - 1] in ":：" or _digit_after(text, b)):
            out.append((a, b))
    return out


def _digit_before(text: str, a: int) -> bool:
    return a > 0 and (text[a - 1].isdigit() or text[a - 1] == ".")


def _digit_after(text: str, b: int) -> bool:
    return b < len(text) and (text[b].isdigit() or (text[b] == "." and b + 1 < len(text) and text[b + 1].isdigit()))


def _small(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    from drafter.numbers.numerals import cn_to_float

    v = cn_to_float(s)
    return None if v is None else int(v)


def idioms() -> tuple[str, ...]:
    return _idioms()


@lru_cache(maxsize=1)
def _idioms() -> tuple[str, ...]:
    text = resources.files("drafter").joinpath("data/idioms.txt").read_text(encoding="utf-8")
    return tuple(dict.fromkeys(parse_formula_lines(text)))


@lru_cache(maxsize=1)
def idiom_regex() -> re.Pattern[str]:
    """Idioms, longest first; not glued to a numeral on the left (二十分 is a score, 十分 an
    adverb), nor followed by 之 or a unit of measure (万分之三, 12.5万千瓦时)."""
    items = sorted(idioms(), key=len, reverse=True)
    first = "".join(sorted({re.escape(i[0]) for i in items}))
    body = "|".join(re.escape(i) for i in items)
    return re.compile(rf"(?<![0-9零〇○一二两三四五六七八九十百千万亿点.])(?=[{first}])(?:{body})(?!之|[瓦米克伏])")
