"""Bind each number of a sentence to what it counts: the indicator phrase, and the words that
make it a change, a share, a total or an average.

Report prose attaches a number to its indicator in a few ways, all handled here:

- before it in its clause: 「发展党员42名」, 「全年完成地方一般公共预算收入32.6亿元」 — the phrase from the
  clause start (or the previous number) to the number;
- after it: 「312场主题党日活动」, 「对7个软弱涣散村党组织开展集中整顿」 — the noun phrase that follows;
- lists: 「受理来信436件、来访…批次」 (each item its own phrase), 「城镇、农村居民人均可支配收入分别达到
  52680元、28940元」 (the i-th number to the i-th item, the shared head distributed: 城镇 →
  城镇居民人均可支配收入), and a second 「分别增长4.7%、6.6%」 inherits those items;
- breakdowns: 「基层党组织68个，其中机关党委9个」 — 9个 is a part of 68个 (``whole``), and 「全镇18个
  行政村中，…11个，占61.1%」 — 18个 is the whole of what follows.

Around the phrase stand the words of an operation, kept apart from it: a change (增长, 提高, 较上年
增加, 比上年多, 超出年度目标, 高于…增幅), a share (占…的, 占比, 完成…的, …率), a total (合计, 共, 总数),
an average (平均每所学校, 人均, 单个), a remainder (剩余, 其余, 尚有), a ratio (是上年的…倍). A number in
last period's place (由上年的1243名, 原为12.4%, 从12.4%提升到) is marked ``past``.

A change or share whose own phrase names nothing (「增长5.8%」) inherits the subject of the number
before it in the sentence (``subject``). Which fact a phrase names is decided by the checker
(numbers/naming.py); this module only reads the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

from drafter.numbers.match import units_compatible
from drafter.numbers.naming import content, normalise, trim
from drafter.records import Mention

CLAUSE_MARKS = "，,：:"


@dataclass(frozen=True)
class Binding:
    indicator: str = ""  # the phrase as shown to the writer ("" when the sentence names none)
    phrases: tuple[str, ...] = ()  # the phrase's variants matched against fact names (best wins)
    side: str = "none"  # before | after | both | list | part | inherited | none
    items: tuple[tuple[str, ...], ...] = ()  # coordinated names, each with its readings:
    # 国家级、省级龙头企业 → (国家级, 国家级龙头企业), (省级龙头企业,)
    cue: str = ""  # up | down | change | share | sum | avg | ratio | remainder | ""
    vs_previous: bool = False  # 较上年, 同比, 比上年, 是上年的: a change against last period
    past: bool = False  # the number stands as last period's figure (由上年的…, 原为…, 从…提升到)
    obj: str = ""  # what it is compared with or a share of (占X的, 超出X, 高于X, 完成X的, 是X的)
    subject: int | None = None  # the number (index in the sentence) whose indicator this one shares
    whole: int | None = None  # the total this number is a part of (其中…, …N个X中)
    per: str = ""  # the divisor of an average: 平均每所学校 → 学校, 人均 → 人
    raw: str = ""  # the words before it in its clause, cue words and all (人均达到 names 人均…时长)
    after: str = ""  # the words after it up to the next number, list item or clause end
    weak: str = ""  # 三分之一的学校, 提高50.15个百分点的覆盖面: a phrase after 的, that may agree, never accuse
    context: str = ""  # dates: the words around it that may name a dated event
    wide: str = ""  # the sentence up to and around the number, for a name written further away


# --- the words of operations --------------------------------------------------------------------

_PREV_WORDS = r"(?:上年同期|去年同期|上年度|上一年|前一年|上年|去年|上期|同期|年初|\d{4}年(?:同期)?)"
# drafter's own marks in a text (14场〔待核：…〕心理咨询活动) name no indicator: blanked, offsets kept
_DRAFT_MARK = re.compile(r"〔(?:待核|上期)[^〕]*〕")
_PREV_ONLY = re.compile(_PREV_WORDS)
_PREV_OBJ = re.compile(_PREV_WORDS + r"?(?:的)?")  # 较上年, 比上年同期的, 较 (obj left out)
_UP = r"(?:净增加|净增|增加了|增加|增长了|增长|提高了|提高|提升了|提升|上升了|上升|增收|多了|多出|多|高出|高|扩大|超出|超过|超)"
_DOWN = r"(?:减少了|减少|下降了|下降|降低了|降低|回落|减收|少了|少|低|压减|压缩|缩短|节约|节省)"
_CMP = r"(?:较|(?<![可对评类相占])比(?![重例])|同比|环比|高于|低于|多于|少于|超额完成|超出|超过|高出)"

_SHARE_OBJ = re.compile(r"^(?P<np>.*?)占(?P<obj>.*?)(?:的)?(?:比重|比例|份额)?(?:为|达到|达)?$")
_SHARE_WORD = re.compile(r"(?:占比|比重|比例|占)(?:为|达到|达)?$")
_RATE = re.compile(r"率(?:为|达到|达|提高到|提升到|保持在|稳定在)?$")
_TARGET = re.compile(r"^(?P<np>.*?)完成(?P<obj>[^，。；]*?)的$")
_RATIO = re.compile(r"^(?P<np>.*?)(?:是|为|达)(?P<obj>.*?)的$")
_COMPARE = re.compile(
    rf"^(?P<np>.*?)(?P<cmp>{_CMP})(?P<obj>.*?)(?:(?P<up>{_UP})|(?P<down>{_DOWN}))?了?$")
_CHANGE = re.compile(rf"^(?P<np>.*?)(?:(?P<up>{_UP})|(?P<down>{_DOWN}))了?$")
_OBJECT_CMP = re.compile(r"高于|低于|多于|少于|超出|超过|高出")
_ENDS_CHANGE = re.compile(rf"(?:{_UP}|{_DOWN})了?$")
_GROWTH_RATE = re.compile(r"^(?P<np>.*?)(?:同比|比上年|较上年)?(?P<w>增幅|增速|增长率|涨幅|降幅|增长幅度|下降幅度)"
                          r"(?:为|达到|达|是|保持在)?$")
_LEVEL = re.compile(r"(?:提高|提升|增加|增长|上升|下降|降低|减少|发展|扩大|压缩|缩短|回落)(?:到|至)$")
_PAST = re.compile(rf"(?:(?:由|从|较|比)?{_PREV_WORDS}(?:末|底)?(?:的|为|是|有)?|原为|原来为?|原有|原先为?|原|由|从)$")
_SUM = re.compile(r"合计|共计|总计|累计|总共|一共|共有|共|总数|总量|总额|两级|三级|各类|合起来")
_AVG = re.compile(r"(?:平均每|平均)(?P<per>个|所|家|户|人|名|位|项|村|校|场|次|亩|间)?(?P<pern>[^\d，,]{0,10})$"
                  r"|(?P<each>人均|户均|村均|校均|场均|次均)(?:达到|为|达|约)?$"
                  r"|(?:平均)?单个(?P<single>[^\d，,]{0,8})$"
                  r"|每(?P<per2>个|所|家|户|人|名|位|项|村|校)(?P<pern2>[^\d，,]{0,10})$")
_REMAINDER = re.compile(r"(?:剩余|其余|尚有|还有|另有|余下|尚未|仍有)")
_BREAKDOWN = re.compile(r"^(?:其中|内含|包括)")
_COORD = re.compile(r"以及|[、和与及]")
_SHARE_OF = re.compile(r"占[^比]+的?(?:比重|比例)?(?:为|达到|达)?$")
_ENDS_PREPOSITION = re.compile(r"(?:与|和|同|跟|对|向|为|给|把|将|在|从|及)$")
_ITEM_STOP = re.compile(r"[、，,；;：:]")
_NP_LEAD = re.compile(r"^(?:其中|内含|包括)")
_NP_BASIS = re.compile(r"按可比(?:价格|口径)计算|按可比口径|按现价计算|同口径")
_NP_TRAIL = re.compile(r"(?:分别)?(?:达到了?|为|是|有|达|共计|合计|总计|累计达到|累计达|累计|共有|共|约|近|至|到|在|的|了)$")
_ENDS_AMONG = re.compile(r"的?中$")
_SPACE = re.compile(r"\s+")
_LIST_LEAD = re.compile(r"^(?:全年|全县|全区|全市|全镇|今年|年内|其中)+")
# An after-phrase starts with a noun; these starts mean it does not (or the number ends its phrase).
_AFTER_STOP = re.compile(r"^(?:的|以上|以下|左右|上下|余|多|是|比|较|同比|环比|增长|增加|提高|提升|下降|减少|"
                         r"降低|占|为|达|和|与|及|等|、|次|年|月|日|倍|，|。|；|：|[（()）【\[]|\s|$)")
# Where an after-phrase ends: a verb or adverb starting the predicate.
_AFTER_END = re.compile(r"(?:均|都|已|正在|将|开展|实现|获评|荣获|进行|得到|达到|纳入|因|由|被|向|全部|全面|持续|"
                        r"同比|较|(?<![可对评类相占])比(?![重例])|占|、|，|。|；)")


# --- one sentence ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Raw:
    clause: tuple[int, int]
    before: str  # from the clause start or the previous number to this one
    after: str  # from this number to the next one or the clause end
    clause_starts_breakdown: bool = False  # the clause opens with 其中


def bind_sentence(text: str, start: int, end: int, mentions: Sequence[Mention]) -> list[Binding]:
    """The binding of each mention (data and dates, sorted, all inside text[start:end]). A binding
    holds no offsets, so it depends on the sentence alone: memoised (a draft is checked after
    every repair round, and most of its sentences do not change)."""
    shifted = tuple(replace(m, start=m.start - start, end=m.end - start) for m in mentions)
    return list(_bind_cached(_DRAFT_MARK.sub(lambda x: " " * len(x.group()), text[start:end]), shifted))


@lru_cache(maxsize=4096)
def _bind_cached(sentence: str, mentions: tuple[Mention, ...]) -> tuple[Binding, ...]:
    return tuple(_bind(sentence, 0, len(sentence), mentions))


def _bind(text: str, start: int, end: int, mentions: Sequence[Mention]) -> list[Binding]:
    clauses = clauses_of(text, start, end)
    raws: list[_Raw] = []
    for i, m in enumerate(mentions):
        ca, cb = next(((a, b) for a, b in clauses if a <= m.start < b), (start, end))
        prev_end = max([ca] + [p.end for p in mentions[:i] if ca <= p.start and p.end <= m.start])
        next_start = min([cb] + [n.start for n in mentions[i + 1:] if n.start >= m.end and n.start < cb])
        before = text[prev_end:m.start]
        raws.append(_Raw((ca, cb), before, text[m.end:next_start], bool(_BREAKDOWN.match(text[ca:cb].lstrip()))))
    out: list[Binding] = []
    for i, (m, raw) in enumerate(zip(mentions, raws)):
        if m.kind == "date":
            nxt = next((n.start for n in mentions[i + 1:] if n.kind == "date" and n.start > m.end + 1), end)
            out.append(Binding(context=_date_context(text, start, nxt, m), wide=text[start:end]))
            continue
        out.append(_bind_one(m, raw, text, start))
    for i, (item, first) in _respectively(text, clauses, mentions).items():
        out[i] = _with_item(out[i], item, out[first])
    for i in range(len(out) - 1):
        # 分两批共16位中小学校长: a count with no phrase of its own borrows the next one's noun
        if (mentions[i].kind == "data" and all(len(content(x)) <= 1 for x in out[i].phrases) and not out[i].weak
                and raws[i + 1].clause == raws[i].clause
                and len(raws[i + 1].before.strip()) <= 2 and out[i + 1].side in ("after", "both")):
            out[i] = replace(out[i], weak=_after_phrase(raws[i + 1].after))
    _link(out, mentions, raws, text)
    return out


_CLAUSE_CHARS = re.compile(r"[（(“）)”，,：:]")


def clauses_of(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of text[start:end]: cut at ，：, but not inside brackets or quotes."""
    out, a = [], start
    depth = 0
    for x in _CLAUSE_CHARS.finditer(text, start, end):
        c, k = x.group(), x.start()
        if c in "（(“":
            depth += 1
        elif c in "）)”":
            depth = max(0, depth - 1)
        elif not depth:
            out.append((a, k))
            a = k + 1
    out.append((a, end))
    return out


def _bind_one(m: Mention, raw: _Raw, text: str, sentence_start: int) -> Binding:
    before = raw.before.strip()
    # 、 separates list items: the phrase of this number is the last one; earlier items without
    # numbers are coordinated names (国家级、省级农业产业化龙头企业合计15家).
    parts = before.split("、")
    own = parts[-1]
    coordinated = [p for p in parts[:-1] if p.strip()]
    cue = ""
    vs_previous = past = False
    obj = per = ""
    np = own
    past_m = _PAST.search(own) if m.unit not in ("倍", "个百分点") else None
    if m.unit == "倍" and (r := _RATIO.match(own)):
        cue, np, obj = "ratio", r["np"], r["obj"]
        vs_previous = bool(_PREV_ONLY.fullmatch(obj))
        obj = "" if vs_previous else obj
    elif past_m and not _CHANGE.match(own) and not _LEVEL.search(own):
        past = True
        np = own[:past_m.start()]
    elif _LEVEL.search(own):
        np = own[:_LEVEL.search(own).start()]  # 提高到62.55%: a level, stated as this period's
    elif (g := _GROWTH_RATE.match(own)) and m.unit in ("%", "个百分点") and not _OBJECT_CMP.search(own):
        # 旅游总收入增幅达13.3%: a percent change of what it names (or a 增速 fact of its own)
        cue, np, vs_previous = ("down" if "降" in g["w"] else "up"), g["np"] + g["w"], True
    elif _ENDS_CHANGE.search(own) and (c := _COMPARE.match(own) or _CHANGE.match(own)):
        np, cue, vs_previous, obj = _change(c)
    elif (t := _TARGET.match(own)) and m.unit == "%":
        cue, np, obj = "share", t["np"], t["obj"]
    elif _SHARE_WORD.search(own) and not _SHARE_OF.search(own):
        cue, np = "share", _SHARE_WORD.sub("", own)
    elif "占" in own and (s := _SHARE_OBJ.match(own)):
        cue, np, obj = "share", s["np"], s["obj"]
    elif (a := _AVG.search(own)):
        cue = "avg"
        np = own[:a.start()]
        if a["each"]:
            per = {"人均": "人", "户均": "户", "村均": "村", "校均": "校", "场均": "场", "次均": "次"}[a["each"]]
        else:
            per = (a["per"] or a["per2"] or "") + (a["pern"] or a["pern2"] or a["single"] or "")
    elif (c := _COMPARE.match(own)) or (c := _CHANGE.match(own)):
        np, cue, vs_previous, obj = _change(c)
    if m.unit == "倍" and not cue:
        cue = "ratio"
    if not cue and m.unit in ("%", "个百分点") and _RATE.search(own):
        cue = "rate"  # 办结率94.8%: a fact of its own, or a share of two numbers said before
    if _REMAINDER.search(own) or _REMAINDER.match(raw.after):
        cue = cue or "remainder"
    if not cue and not past and _SUM.search(own):
        cue = "sum"
    np = _trim_np(np)
    np = np if normalise(np) else ""
    after = _after_phrase(raw.after)
    after = after if normalise(after) else ""
    if after and _ENDS_PREPOSITION.search(np):
        np = ""  # 推动机关党组织与23个村（社区）结对共建: the number's phrase is the one after it
    # 分别达到 / 分别为: the items are matched by the caller (_respectively).
    items = _readings(coordinated + [np], after) if coordinated else ()
    if not items and cue in ("sum", ""):
        pieces = [p for p in _COORD.split(np) if p.strip()]
        if len(pieces) > 1:
            items = _readings(pieces, after)
    phrases = tuple(dict.fromkeys(p for p in (np, after, np + after if np and after else "") if p))
    side = "both" if np and after else "before" if np else "after" if after else "none"
    shown = (trim(np) + ("…" + after if after else "")) if np else after
    wide = text[sentence_start:raw.clause[1]]
    return Binding(indicator=_show(shown), phrases=phrases, side=side, items=items, cue=cue,
                   vs_previous=vs_previous, past=past, obj=obj.strip(), per=per, wide=wide,
                   raw=_trim_np(own), after=_ITEM_STOP.split(raw.after.strip(), maxsplit=1)[0],
                   weak=_weak_phrase(raw.after))


def _change(c: re.Match[str]) -> tuple[str, str, bool, str]:
    """(phrase, cue, against last period, compared-with phrase) of a change: 较上年增加, 同比增长,
    超出年度目标, 高于…增幅, 比发展对象多, 增长."""
    groups = c.groupdict()
    cmp, obj = groups.get("cmp") or "", groups.get("obj") or ""
    cue = "up" if c["up"] else "down" if c["down"] else "change"
    if cmp in ("高于", "多于", "超额完成", "超出", "超过", "高出"):
        cue = "up"
    elif cmp in ("低于", "少于"):
        cue = "down"
    vs_previous = cmp in ("同比", "环比") or (bool(cmp) and bool(_PREV_OBJ.fullmatch(obj)))
    return c["np"], cue, vs_previous, "" if vs_previous else obj


def _trim_np(np: str) -> str:
    np = np.strip().strip("（(【“‘\"'")
    np = _NP_LEAD.sub("", np)
    np = _NP_BASIS.sub("", np)
    np = _NP_TRAIL.sub("", np)
    return np.strip()


def _after_phrase(after: str) -> str:
    """The noun phrase right after a number (312场主题党日活动 → 主题党日活动), or ""."""
    a = after.lstrip()
    if _AFTER_STOP.match(a):
        return ""
    cut = _AFTER_END.search(a)
    a = a[:cut.start()] if cut else a
    a = _ENDS_AMONG.sub("", a[:16])
    return a.strip("“”\"'")


def _weak_phrase(after: str) -> str:
    a = after.lstrip()
    if not a.startswith("的") or a.startswith(("的基础", "的同时", "的比例", "的目标")):
        return ""
    return _after_phrase(a[1:])


def _show(s: str) -> str:
    s = _SPACE.sub("", s)
    return s[-24:] if len(s) > 24 else s


def _distribute(items: list[str], after: str) -> list[str]:
    """Coordinated items sharing one head: [城镇, 农村居民人均可支配收入] → [城镇居民人均可支配收入,
    农村居民人均可支配收入]; [第一, 二, 三产业增加值] → [第一产业增加值, 二产业增加值, 三产业增加值];
    when the head follows the numbers (两级…便民服务站点) it is appended."""
    items = [_trim_np(x) for x in items if _trim_np(x)]
    if not items:
        return []
    last = items[-1]
    out = []
    for e in items[:-1]:
        if len(e) >= len(last) or len(e) >= 5:
            out.append(e)
            continue
        p = last.find(e[-1]) if e else -1
        if p >= 0 and p < len(last) - 1:
            out.append(e + last[p + 1:])
        elif last and last[0] in "一二三四五六七八九十第":
            out.append(e + last[1:])
        else:
            out.append(e + last[len(e):])
    out.append(last)
    if after:
        out = [x + after if len(x) <= 6 else x for x in out]
    return out


def _readings(items: list[str], after: str) -> tuple[tuple[str, ...], ...]:
    """Each coordinated item with the ways to read it: alone, with the shared head distributed,
    with the phrase after the number (镇街和村（社区）两级197个便民服务站点)."""
    items = [_trim_np(x) for x in items if _trim_np(x)]
    if len(items) < 2:
        return ()
    shared = _distribute(items, "")
    out = []
    for raw, dist in zip(items, shared):
        forms = [raw, dist] + ([raw + after, dist + after] if after else [])
        out.append(tuple(dict.fromkeys(f for f in forms if f)))
    return tuple(out)


def _respectively(text: str, clauses: list[tuple[int, int]], mentions: Sequence[Mention]) -> dict[int, tuple[str, int]]:
    """分别: mention index → (its item, the index of the list's first number). A 分别 clause
    without items inherits the items of the sentence's previous 分别 list."""
    out: dict[int, tuple[str, int]] = {}
    last_items: list[str] = []
    for ca, cb in clauses:
        k = text.find("分别", ca, cb)
        if k < 0:
            continue
        nums = [i for i, m in enumerate(mentions) if k < m.start < cb and m.kind == "data"]
        head = _LIST_LEAD.sub("", text[ca:k].strip())
        pieces = [p for p in _COORD.split(head) if p.strip()] if head else []
        items = _distribute(pieces, "") if len(pieces) > 1 else []
        if not items and last_items:
            items = last_items
        if items and len(items) == len(nums):
            for pos, i in enumerate(nums):
                out[i] = (items[pos], nums[0])
            last_items = items
    return out


def _with_item(b: Binding, item: str, first: Binding) -> Binding:
    """A number of a 分别 list: its item is its phrase; the cue is the list's (分别增长4.7%、6.6%)."""
    return Binding(indicator=_show(trim(item)), phrases=(item,), side="list", items=(), cue=first.cue,
                   vs_previous=first.vs_previous, past=first.past, obj=first.obj, per=first.per, wide=b.wide)


def _link(out: list[Binding], mentions: Sequence[Mention], raws: list[_Raw], text: str) -> None:
    """Subjects (增长5.8% after 地区生产总值486.3亿元) and wholes (其中…, …N个X中)."""
    wholes: list[int] = []  # numbers followed by …中 at their clause end
    for i, (m, raw) in enumerate(zip(mentions, raws)):
        b = out[i]
        if m.kind != "data":
            continue
        updates: dict = {}
        j = i - 1
        if (j >= 0 and mentions[j].kind == "data" and raws[j].clause == raw.clause
                and len(raw.before.strip()) <= 1 and raw.before.strip() not in ("、", "和", "与", "及")
                and not b.cue and out[j].phrases):
            # 接待群众来访287批次420人次: two figures of one phrase (批次 and 人次)
            out[i] = replace(b, phrases=out[j].phrases, indicator=out[j].indicator, side="shared", raw=out[j].raw)
            continue
        if not b.phrases and b.side != "list" and b.cue in ("up", "down", "change", "share", "rate", "ratio", ""):
            j = _previous_data(mentions, out, i)
            if j is not None:
                updates["subject"] = j
                if b.cue or m.unit in ("%", "个百分点", "倍"):
                    updates["side"] = "inherited"
        if raw.clause_starts_breakdown or (b.cue in ("share", "rate", "remainder") and wholes):
            w = _whole_before(mentions, raws, i, wholes)
            if w is not None:
                updates["whole"] = w
        if updates:
            out[i] = replace(b, **updates)
        if raw.after.strip().endswith("中"):  # 全镇18个行政村中，…: the whole of what follows
            wholes.append(i)


def _previous_data(mentions: Sequence[Mention], out: list[Binding], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if mentions[j].kind == "data" and (out[j].phrases or out[j].subject is not None):
            return j
    return None


def _whole_before(mentions: Sequence[Mention], raws: list[_Raw], i: int, wholes: list[int]) -> int | None:
    m = mentions[i]
    for j in reversed(wholes):
        if j < i and _family_ok(mentions[j], m):
            return j
    # 其中: the nearest number before the clause of the same kind (a count for counts, money for money)
    k = i - 1
    while k >= 0 and mentions[k].start >= raws[i].clause[0]:
        k -= 1  # other parts of the same 其中 list
    for j in range(k, -1, -1):
        if mentions[j].kind == "data" and _family_ok(mentions[j], m):
            return j
    return None


def _family_ok(whole: Mention, part: Mention) -> bool:
    if part.unit in ("%", "个百分点"):
        return whole.unit not in ("%", "个百分点", "倍")
    return units_compatible(part.unit, whole.unit) and whole.unit not in ("%", "个百分点", "倍")


def _date_context(text: str, start: int, end: int, m: Mention) -> str:
    """The words that may name the event a date is of: the rest of its clause and sentence after
    it (2023年，我县创成…), and what stands before it in its clause (继…, 自…以来)."""
    a = m.start
    while a > start and text[a - 1] not in CLAUSE_MARKS:
        a -= 1
    return (text[a:m.start] + " " + text[m.end:min(end, m.end + 40)]).strip()
