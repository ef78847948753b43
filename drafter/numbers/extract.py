"""Find the numbers in a Chinese report and say what each one is.

``extract(text)`` returns every numeric mention with its span, value in base units, unit,
qualifier and kind:

- ``data``: a claim that needs a fact (12036名, 62.55%, 12.73亿, 三十余所, 第一名, 百分之六十).
- ``date``: 2024年, 5月27日, 2025-05-27, 二〇二四年, 第三季度, 上半年.
- ``marker``: list and heading markers (一是, 二、, （三）, (一), 1., 第一，) — never data.
- ``formula``: a numeral inside a fixed formula (四个意识, 二十届三中全会, see formulas.py), a
  short quoted slogan (“五个载体”, “1+2”模式) or a book title (《…“100”计划》).
- ``structure``: a count of the draft's own parts (“五个突出” followed by 一是 … 五是).
- ``placeholder``: X次, XX名, **中学, ××, 【待补】, 〔待核：…〕.

Precision on real text matters more than recall of odd forms, so Chinese numerals are
conservative: one is data only when a unit or classifier follows (三十余所, 两批, 百名), when a
magnitude or percent makes it a quantity (两万, 百分之六十, 三成), or when it is a rank (第一名,
名列第一). So 一些, 一定, 一流, 统一, 十分, 一线 never count. A bare 一 (the indefinite article in
一个鲜明特色, 一批) is data only with a measure unit (一亿元, 一倍). Idioms that do carry a
classifier (千家万户, 三番五次) are listed in ``_IDIOMS``. Arabic numerals are always data unless
they are dates, markers, formulas, structure counts or placeholders.

cn2an converts the numeral part of a span (cn2an.cn2an(span, "smart")); the spans are found
here, because cn2an.transform over a whole text also rewrites names (张三 → 张3) and misses
百分之六十二点五五, 三十余 and 十二点七三亿. Those are handled by splitting the span first.

Offsets are preserved: full-width digits are normalised one character for one character, and
already-classified spans are masked (same length) before the next pass looks at them.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import cn2an

from drafter.numbers.formulas import find_formulas
from drafter.records import Mention, Quantity

# --- character classes and vocabularies -------------------------------------------------------

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％＋－Ｘ＊～", "0123456789.%+-X*~")
_MASK = "\x00"

_CN_DIGITS = "零〇○一二两三四五六七八九"
_CN_MAGS = "十百千万亿"
_CN_NUM = rf"[{_CN_DIGITS}{_CN_MAGS}]+(?:点[{_CN_DIGITS}]+)?"
_AR_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_SMALL = "一二三四五六七八九十"

# Units after a number, longest first at match time. An open list: a classifier not here
# simply leaves the unit empty (Arabic numbers stay data; Chinese ones need a unit).
UNITS = (
    "个百分点", "百分点", "美元", "欧元", "港元", "日元", "英镑", "平方公里", "平方米", "公顷", "公里", "千米", "人次", "户次", "课时",
    "学时", "小时", "分钟", "个月", "周年", "方面", "元", "亩", "米", "吨", "千克", "公斤", "天",
    "周", "年", "岁", "人", "名", "位", "个", "所", "项", "次", "场", "家", "户", "支", "篇", "件",
    "册", "本", "台", "套", "间", "栋", "座", "处", "条", "张", "份", "队", "班", "门", "节", "堂",
    "届", "期", "批", "轮", "类", "种", "倍", "成", "分", "%", "‰", "例", "起", "期次", "种类",
    "园", "校", "村", "笔", "枚", "块", "辆", "部", "首", "幅", "集", "课", "讲", "组", "对",
)
_UNIT_RE = "|".join(re.escape(u) for u in sorted(set(UNITS), key=len, reverse=True))

# Units a Chinese numeral may take and still be data. 分 (十分), 点, 期, 门, 节, 课, 讲, 集, 组, 对,
# 部, 首, 起 are left out: after a Chinese numeral they are far more often ordinary words.
_CN_UNITS = frozenset(UNITS) - {"分", "点", "期", "门", "节", "课", "讲", "集", "组", "对", "部",
                                "首", "起", "块", "本", "张", "台", "套", "枚", "幅", "辆", "笔"}
# A bare 一 is the indefinite article unless a measure unit follows.
_MEASURE_UNITS = frozenset({"元", "%", "‰", "亩", "公顷", "平方米", "平方公里", "公里", "千米",
                            "吨", "倍", "个百分点", "百分点"})
# Discourse classifiers: 两个, 三项, 五方面 are counts of talk, not metrics (see check.py).
GENERIC_UNITS = frozenset({"个", "项", "方面", "条", "类", "种", "批", "轮", "点"})

_MAGNITUDES = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
_PRE_QUAL = ("将近", "接近", "大约", "超过", "不少于", "不低于", "不足", "不到", "不超过", "多达", "至少",
             "近", "约", "超", "逾")
_POST_QUAL = ("以上", "以下", "左右", "上下", "以内", "有余")

# Words that contain a numeral and a classifier but are not numbers at all.
_IDIOMS = (
    "千方百计", "百年大计", "万无一失", "千家万户", "千军万马", "三番五次", "一五一十", "五湖四海",
    "四面八方", "七嘴八舌", "一年来", "一年一度", "百花齐放", "百家争鸣", "百尺竿头", "千载难逢",
    "一成不变", "十全十美", "一心一意", "三心二意", "九牛一毛", "千篇一律", "万众一心", "一把手",
    "三十年河东", "三十年河西", "十年树木", "百年树人", "一个也不能少", "两手抓", "两手都要硬",
    "一张蓝图", "一盘棋", "一揽子", "一系列", "一站式", "一次性", "一体化", "第一时间", "第一线",
    "第一要务", "第一生产力", "第一动力", "第一资源", "第一责任人", "三人行", "半边天", "多年来",
    "近年来", "一刀切", "一票否决", "千百年", "百年", "千年", "万年", "一家人", "一条心", "一股劲",
    "一口气", "一阵子", "一辈子", "一部分", "一方面", "另一方面", "一件事", "一道", "一番", "一下",
    "十几", "几十", "数十", "数百", "数千", "数万", "上百", "上千", "上万", "成千上万", "千千万万",
    "万千", "百姓", "千里", "万里", "三令五申", "四分五裂", "七上八下", "一清二楚", "独一无二",
    "三天两头", "三言两语", "一年四季", "四季", "千秋", "百倍", "万分", "十分", "百分百",
    "万人空巷", "千人一面", "一丝不苟", "一以贯之", "一马当先", "一鼓作气", "一声令下",
)

# Approximation qualifiers that make a mention a lower bound, an upper bound or a neighbourhood.
LOWER_BOUND = frozenset({"余", "多", "以上", "超过", "超", "逾", "不少于", "不低于", "至少", "有余", "多达"})
UPPER_BOUND = frozenset({"近", "将近", "接近", "不足", "不到", "以下", "以内", "不超过"})
AROUND = frozenset({"约", "大约", "左右", "上下", "approx"})

# --- regexes --------------------------------------------------------------------------------

_START = r"(?<![^\n。；;：:！？!?\s　）)」”，,])"  # line start, after punctuation or a space

_MARKER_RE = re.compile(
    _START + r"(?:"
    rf"(?P<shi>[{_CN_SMALL}]{{1,3}})是"
    rf"|(?P<dun>[{_CN_SMALL}]{{1,3}})、"
    rf"|[（(](?P<par>[{_CN_SMALL}]{{1,3}})[）)]"
    r"|[（(](?P<apar>\d{1,2})[）)]"
    r"|(?P<adot>\d{1,2})[.、](?!\d)"
    rf"|第(?P<di>[{_CN_SMALL}]{{1,3}})(?=[，、,：:])"
    r")"
    r"|(?P<circ>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])"
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_PLACEHOLDER_RE = re.compile(
    r"(?<![A-Za-z0-9])[X×]{1,4}(?![A-Za-z])"
    r"|\*{1,3}"
    r"|[【〔\[［]\s*(?:待补|待填|待核|待定|待确认|待更新|TODO|补充|数据)[^】〕\]］\n]{0,40}[】〕\]］]"
    r"|[□○]{2,}|某某"
)
# **加粗** is Markdown when it opens after a break or closes before one; **中学…**人 is two
# redactions (both ends glued to words).
_BOLD_RE = re.compile(r"(?:(?<![^\s，。；：、（(“\"])\*\*[^*\n，。；！？、]{1,30}\*\*"
                      r"|\*\*[^*\n，。；！？、]{1,30}\*\*(?=$|[\s，。；：、）)”\"！？]))", re.M)

_CN_YEAR = "〇○零一二三四五六七八九"
_CN_MD = "一二三四五六七八九十"
_DATE_RE = re.compile(
    r"(?<!\d)(?<!\d[.,])(?:"
    r"(?P<ymd>(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*[日号])"
    r"|(?P<iso>(?P<y2>\d{4})[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2}))(?!\d)"
    r"|(?P<ym>(?P<y3>\d{4})\s*年\s*(?P<m3>\d{1,2})\s*月份?)"
    r"|(?P<yr2>(?P<ya>\d{4})\s*[-—–~至]\s*(?P<yb>\d{4})\s*(?:年度?|学年))"
    r"|(?P<yr>(?P<y4>\d{4})(?=\s*(?:年|学年|届|级|版|年度)))(?:\s*年度?)?"
    r"|(?P<md>(?P<m5>\d{1,2})\s*月\s*(?P<d5>\d{1,2})\s*[日号])"
    r"|(?P<mo>(?P<m6>\d{1,2})\s*月份?)(?![\u4e00-\u9fff]?[\d])"
    rf"|(?P<cyr>[{_CN_YEAR}]{{4}})年"
    rf"|(?P<cmd>(?P<cm>[{_CN_MD}]{{1,2}})月(?P<cd>[{_CN_MD}]{{1,3}})[日号])"
    r"|(?P<q>(?:第|前)?(?<![这该本每上下同个])(?P<qn>[一二三四1-4])季度)"
    r"|(?P<h>[上下]半年)"
    r")"
)
# Document numbers, phone numbers, ids: 002961825/2025-170757, 0571-8888, 13800000000.
_ID_RE = re.compile(r"(?<![\d.])(?:0\d{3,}(?:[/-]\d+)*|\d{4,}(?:[/-]\d{5,})+|\d{11,})(?![\d.])")
# 文号 such as 浙教〔2024〕12号: a name, kept as one formula mention.
_DOCNO_RE = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")

_NUMBER_RE = re.compile(
    r"(?P<pre>" + "|".join(_PRE_QUAL) + r")?"
    r"(?:"
    rf"(?P<pct>百分之|千分之|万分之)(?P<pctnum>{_CN_NUM}|{_AR_NUM})"
    rf"|(?P<den>{_CN_NUM})分之(?P<nom>{_CN_NUM})"
    r"|(?P<an>\d{1,3})/(?P<ad>\d{1,3})(?![\d/])"
    rf"|(?P<di>第)?(?P<sign>-)?(?P<num>{_AR_NUM}|{_CN_NUM})"
    rf"(?:\s*(?P<rsep>[-~～—–至])\s*(?P<num2>{_AR_NUM}|{_CN_NUM}))?"
    r")"
    r"(?P<mag>万亿|千万|百万|万|亿|千(?![米克瓦])|百(?!分))?"
    r"(?P<approx>余|多|来)?"
    rf"(?P<unit>{_UNIT_RE})?"
    r"(?P<post>" + "|".join(_POST_QUAL) + r"|多)?"
)

# 翻一番 (×2), 翻两番 (×4): a multiple written as doublings.
_DOUBLING_RE = re.compile(r"翻了?(?P<n>[一两二三四])番")
_QUOTE_RE = re.compile(r"“[^”\n]{1,20}”|\"[^\"\n]{1,20}\"|‘[^’\n]{1,20}’|「[^」\n]{1,20}」|『[^』\n]{1,20}』")
_TITLE_RE = re.compile(r"《[^》\n]{1,80}》")
_RANK_BEFORE = re.compile(r"(?:名列|位居|居于|排名|排在|排|居|列)[^，。；\n]{0,4}$")
# 万分 (extremely) and 百倍 are idioms, but 万分之三 and 百分之 are numbers.
_IDIOM_RE = re.compile("(?:" + "|".join(re.escape(i) for i in sorted(_IDIOMS, key=len, reverse=True)) + r")(?!之)")


# --- numeral conversion ---------------------------------------------------------------------


@lru_cache(maxsize=4096)
def cn_to_float(s: str) -> float | None:
    """A Chinese numeral (十二, 二〇二四, 一万二千零三十六, 百, 十二点七三) as a float, or None."""
    s = s.replace("○", "〇")
    if s[0] in "百千万亿":  # cn2an wants 一百, 一千
        s = "一" + s
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _num_value(s: str) -> tuple[float | None, int, str]:
    """(value, decimals, numeral family) of an Arabic or Chinese numeral string."""
    if s[0].isdigit():
        t = s.replace(",", "")
        decimals = len(t.split(".")[1]) if "." in t else 0
        return float(t), decimals, "arabic"
    decimals = len(s.split("点")[1]) if "点" in s else 0
    return cn_to_float(s), decimals, "chinese"


def _cn_step(s: str) -> float:
    """Display step of a Chinese integer: 两千 and 一万二千 are round to the thousand."""
    if "点" in s:
        return 10.0 ** -len(s.split("点")[1])
    tail = s[-1]
    return {"百": 1e2, "千": 1e3, "万": 1e4, "亿": 1e8}.get(tail, 1.0)


def _digit_by_digit(s: str) -> bool:
    return len(s) > 1 and not any(c in _CN_MAGS for c in s)


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one (offsets stay valid)."""
    return text.translate(_FULLWIDTH)


# --- extraction -----------------------------------------------------------------------------


def extract(text: str, lenient: bool = False) -> list[Mention]:
    """All numeric mentions of ``text``, sorted by position.

    ``lenient`` reads a facts value ("第一", "一周", "三年一周期"): every numeral counts, no
    formulas, quotes, markers or structure.
    """
    norm = normalise(text)
    buf = list(norm)
    out: list[Mention] = []

    def mask(a: int, b: int) -> None:
        buf[a:b] = _MASK * (b - a)

    def masked() -> str:
        return "".join(buf)

    for m in _DOUBLING_RE.finditer(norm):  # before the idioms: 一番 alone is "a bout"
        times = 2.0 ** {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4}[m.group("n")]
        out.append(Mention(m.start(), m.end(), text[m.start():m.end()], times, "倍", "", "data", 1.0, "chinese"))
        mask(*m.span())
    if not lenient:
        for a, b in find_formulas(norm):
            if re.search(rf"[0-9{_CN_DIGITS}{_CN_MAGS}]", norm[a:b]):
                out.append(Mention(a, b, text[a:b], _formula_value(norm[a:b]), "", "", "formula"))
            mask(a, b)
        for m in _IDIOM_RE.finditer(masked()):
            mask(*m.span())
        for m in _ID_RE.finditer(masked()):
            mask(*m.span())
        for m in _DOCNO_RE.finditer(masked()):
            out.append(Mention(m.start(), m.end(), text[m.start():m.end()], None, "", "", "formula"))
            mask(*m.span())
        _placeholders(norm, masked(), text, out, mask)
        for m in _MARKER_RE.finditer(masked()):
            out.append(_marker(m, text))
            mask(*m.span())
    for m in _DATE_RE.finditer(masked()):
        mention = _date(m, text)
        if mention is not None:
            out.extend(mention)
            mask(*m.span())
    cur = masked()
    quotes = [] if lenient else [q.span() for q in _QUOTE_RE.finditer(norm)]
    titles = [] if lenient else [t.span() for t in _TITLE_RE.finditer(norm)]
    for m in _NUMBER_RE.finditer(cur):
        mention = _number(m, cur, text, lenient)
        if mention is None:
            continue
        if not lenient and mention.kind == "data":
            if _inside(mention, titles) or (_inside(mention, quotes) and _slogan(mention)):
                mention = _with_kind(mention, "formula")
        out.append(mention)
    out.sort(key=lambda x: (x.start, x.end))
    if not lenient:
        out = _mark_structure(out, quotes)
    return out


def data_mentions(text: str) -> list[Mention]:
    """Only the claims (kind == "data"): used at ingest to mark chunks that hold facts."""
    return [m for m in extract(text) if m.kind == "data"]


def has_placeholder(text: str) -> bool:
    return any(m.kind == "placeholder" for m in extract(text))


def parse_quantity(text: str) -> Quantity | None:
    """The first number of a facts value ("62.55%", "12.73亿元", "第一", "近200个"), or None."""
    for m in extract(text, lenient=True):
        if m.kind == "data" and m.value is not None:
            return to_quantity(m)
    return None


def to_quantity(m: Mention) -> Quantity:
    return Quantity(m.value or 0.0, m.unit, m.step, m.text, m.qualifier, m.high)


# --- passes ---------------------------------------------------------------------------------


def _formula_value(s: str) -> float | None:
    m = re.search(rf"\d+(?:\.\d+)?|[{_CN_DIGITS}{_CN_MAGS}]+", s)
    if not m:
        return None
    v, _, _ = _num_value(m.group())
    return v


def _placeholders(norm: str, cur: str, text: str, out: list[Mention], mask) -> None:
    bold = set()
    for m in _BOLD_RE.finditer(norm):  # **加粗** is Markdown, not a redaction
        bold.update((m.start(), m.end() - 2))
    for m in _PLACEHOLDER_RE.finditer(cur):
        a, b = m.span()
        s = m.group()
        if s.startswith("*"):
            if a in bold:
                continue
            line_start = a == 0 or norm[a - 1] == "\n"
            if line_start and b < len(norm) and norm[b] == " ":  # "* item" list bullet
                continue
            near = (norm[a - 1] if a else "") + (norm[b] if b < len(norm) else "")
            if not re.search(r"[\u4e00-\u9fff0-9]", near):
                continue
        if s[0] in "X×" and a and b < len(norm) and norm[a - 1].isdigit() and norm[b].isdigit():
            continue  # 3×5 is a product
        if s[0] in "□○" and re.search(rf"[{_CN_DIGITS}]", norm[max(0, a - 1):b + 1].replace(s, "")):
            continue  # 二○二四: ○ is a zero
        out.append(Mention(a, b, text[a:b], None, "", "", "placeholder"))
        mask(a, b)


def _marker(m: re.Match[str], text: str) -> Mention:
    a, b = m.span()
    raw = next(g for g in ("shi", "dun", "par", "apar", "adot", "di", "circ") if m.group(g))
    s = m.group(raw)
    value = float(_CIRCLED.index(s) + 1) if raw == "circ" else _num_value(s)[0]
    return Mention(a, b, text[a:b], value, "", raw, "marker", numeral="chinese" if raw in
                   ("shi", "dun", "par", "di") else "arabic")


def _date(m: re.Match[str], text: str) -> list[Mention] | None:
    a, b = m.span()
    g = m.groupdict()

    def mk(s: int, e: int, key: str, value: float, unit: str = "年") -> Mention:
        return Mention(s, e, text[s:e], value, unit, "", "date", key=key)

    def year_ok(y: str) -> bool:
        return 1900 <= int(y) <= 2100

    if g["ymd"] or g["iso"]:
        y, mo, d = (g["y1"], g["m1"], g["d1"]) if g["ymd"] else (g["y2"], g["m2"], g["d2"])
        if not year_ok(y) or not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
            return None
        return [mk(a, b, f"{y}-{int(mo):02d}-{int(d):02d}", float(y), "日")]
    if g["ym"]:
        if not year_ok(g["y3"]) or not 1 <= int(g["m3"]) <= 12:
            return None
        return [mk(a, b, f"{g['y3']}-{int(g['m3']):02d}", float(g["y3"]), "月")]
    if g["yr2"]:
        ya, yb = g["ya"], g["yb"]
        if not (year_ok(ya) and year_ok(yb)):
            return None
        sa, sb = m.start("ya"), m.start("yb")
        return [mk(sa, sa + 4, ya, float(ya)), mk(sb, b, yb, float(yb))]
    if g["yr"]:
        if not year_ok(g["y4"]):
            return None
        return [mk(a, b, g["y4"], float(g["y4"]))]
    if g["md"]:
        mo, d = int(g["m5"]), int(g["d5"])
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        return [mk(a, b, f"--{mo:02d}-{d:02d}", float(mo * 100 + d), "日")]
    if g["mo"]:
        mo = int(g["m6"])
        if not 1 <= mo <= 12:
            return None
        return [mk(a, b, f"--{mo:02d}", float(mo), "月")]
    if g["cyr"]:
        v = cn_to_float(g["cyr"])
        if v is None or not 1900 <= v <= 2100:
            return None
        return [mk(a, b, str(int(v)), v)]
    if g["cmd"]:
        mo, d = cn_to_float(g["cm"]), cn_to_float(g["cd"])
        if mo is None or d is None or not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        return [mk(a, b, f"--{int(mo):02d}-{int(d):02d}", mo * 100 + d, "日")]
    if g["q"]:
        qn = g["qn"]
        n = int(qn) if qn.isdigit() else _CN_SMALL.index(qn) + 1
        key = f"Q1-Q{n}" if g["q"].startswith("前") else f"Q{n}"
        return [mk(a, b, key, float(n), "季度")]
    if g["h"]:
        return [mk(a, b, "H1" if g["h"][0] == "上" else "H2", 1.0 if g["h"][0] == "上" else 2.0, "半年")]
    return None


def _number(m: re.Match[str], cur: str, text: str, lenient: bool) -> Mention | None:
    g = m.groupdict()
    a, b = m.span()
    if a > 0 and cur[a - 1] == "每" and not lenient:
        return None  # 每万人、每百户、每3年: the base of a rate or a period, not a count
    unit = g["unit"] or ""
    mag = g["mag"] or ""
    quals = [q for q in (g["pre"], g["approx"], g["post"]) if q]
    mult = _MAGNITUDES.get(mag, 1.0)
    high = None
    if g["pct"]:  # 百分之六十二点五五: cn2an has no smart form for it; split it ourselves
        value, dec, fam = _num_value(g["pctnum"])
        if value is None:
            return None
        step = 10.0 ** -dec
        if g["pct"] in ("千分之", "万分之"):
            scale = 10.0 if g["pct"] == "千分之" else 100.0
            value, step = value / scale, step / scale
        unit, mult = "%", 1.0
        b = m.end("pctnum")
        quals = [g["pre"]] if g["pre"] else []
        if g["post"] and m.start("post") == b:
            quals.append(g["post"])
    elif g["an"]:  # 1/3 written with a slash: the same fraction as 三分之一
        den, nom = float(g["ad"]), float(g["an"])
        if not den:
            return None
        value, step, unit, fam, mult = 100.0 * nom / den, 1.0, "%", "arabic", 1.0
        quals = ([g["pre"]] if g["pre"] else []) + ["fraction"]
        b = m.end("ad")
    elif g["den"]:  # 三分之一 → 33.3%, tolerance one point
        den, nom = cn_to_float(g["den"]), cn_to_float(g["nom"])
        if not den or nom is None:
            return None
        value, step, unit, fam, mult = 100.0 * nom / den, 1.0, "%", "chinese", 1.0
        quals = ([g["pre"]] if g["pre"] else []) + ["fraction"]
        b = m.end("nom")
    else:
        s = g["num"]
        if g["num2"] and (s[0].isdigit() != g["num2"][0].isdigit()):
            return None
        start = m.start("sign") if g.get("sign") else m.start("num")
        if not unit and s[0].isdigit() and (_latin(text, m.end("num")) or _latin(text, start - 1)):
            return None  # 5G, 3D, G20, ISO9001: part of a name, not a quantity
        if not s[0].isdigit() and _digit_by_digit(s) and not g["num2"]:
            pair = _cn_pair(s)
            if pair is None:
                return None
            value, high, fam, step = pair[0], pair[1] * mult, "chinese", 1.0
            quals.append("approx")
        else:
            value, dec, fam = _num_value(s)
            if value is None:
                return None
            step = (10.0 ** -dec) if fam == "arabic" else _cn_step(s)
        if g["num2"]:
            v2, _, _ = _num_value(g["num2"])
            if v2 is None or v2 <= value:
                return None
            high = v2 * mult
            quals.append("range")
        if g["di"]:
            # 第一名 / 第三届 and 名列第一 are ranks; other ordinals (第三卷, 第三轮) are names.
            before = cur[max(0, a - 8):a]
            # 居全市第2位 is a rank too; 第三位同志 is rare enough in reports to accept.
            if unit in ("名", "届", "位") or (not unit and (_RANK_BEFORE.search(before) or lenient)):
                b = m.end("unit") if g["unit"] and unit in ("名", "届", "位") else m.end("num")
                return Mention(a, b, text[a:b], value, unit or "名", "ordinal", "data", 1.0, fam)
            return None
    value *= mult
    step *= mult
    if unit == "‰":
        value, step, unit = value / 10, step / 10, "%"
    elif unit == "成":
        value, step, unit = value * 10, step * 10, "%"
    elif unit == "百分点":
        unit = "个百分点"
    if fam == "chinese" and not lenient and not g["pct"] and not g["den"]:
        if not _cn_is_data(g["num"], unit, mag, quals):
            return None
    if g.get("sign") and (a == 0 or not cur[a - 1].isascii() or cur[a - 1] in " (:"):
        value = -value  # 增长-3.2%; after a letter or digit the dash is a hyphen
        high = -high if high is not None else None
    return Mention(a, b, text[a:b], value, unit, ",".join(quals), "data", step, fam, high)


def _cn_pair(s: str) -> tuple[float, float] | None:
    """三四个, 五六所: two neighbouring digits mean "about three or four"."""
    if len(s) != 2:
        return None
    digits = "一二三四五六七八九"
    if s[0] in digits and s[1] in digits and digits.index(s[1]) == digits.index(s[0]) + 1:
        return float(digits.index(s[0]) + 1), float(digits.index(s[1]) + 1)
    return None


def _cn_is_data(num: str, unit: str, mag: str, quals: list[str]) -> bool:
    if unit and unit not in _CN_UNITS:
        return False
    if not unit and not mag and not any(c in "万亿" for c in num):
        return False
    if num == "一" and not mag and unit not in _MEASURE_UNITS:
        return False  # 一个, 一批, 一次: the article
    return True


def _latin(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()


def _inside(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(a <= m.start and m.end <= b for a, b in spans)


def _slogan(m: Mention) -> bool:
    """A number in a short quotation is a slogan ("五个载体", "1+2"模式) unless it measures."""
    return m.numeral == "chinese" or m.unit not in _MEASURE_UNITS | {"人", "名", "人次", "所", "家"}


def _with_kind(m: Mention, kind: str) -> Mention:
    return Mention(m.start, m.end, m.text, m.value, m.unit, m.qualifier, kind, m.step, m.numeral,
                   m.high, m.key)


def _mark_structure(mentions: list[Mention], quotes: list[tuple[int, int]]) -> list[Mention]:
    """“五个突出” / 主要有三个方面 followed by that many enumerated parts is a structure count."""
    markers: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        if m.kind == "marker" and m.value is not None:
            markers.setdefault(m.qualifier, []).append((m.start, int(m.value)))
    if not markers:
        return mentions
    out = []
    for m in mentions:
        if (m.kind in ("data", "formula") and m.value is not None and m.value == int(m.value)
                and 2 <= m.value <= 10 and m.unit in GENERIC_UNITS and not m.qualifier
                and _enumerated(m.end, int(m.value), markers)):
            m = _with_kind(m, "structure")
        out.append(m)
    return out


def _enumerated(pos: int, n: int, markers: dict[str, list[tuple[int, int]]]) -> bool:
    for seq in markers.values():
        after = [(p, v) for p, v in seq if p > pos]
        if not after or after[0][1] != 1 or after[0][0] - pos > 400:
            continue
        values = [v for _, v in after]
        run = 1
        while run < len(values) and values[run] == run + 1:
            run += 1
        if run == n:
            return True
    return False


def significant_place(q_value: float, step: float) -> float:
    """The place of the last written non-zero digit: 90 → 10, 200 → 100, 1.2万 → 1000."""
    if q_value <= 0:
        return step
    place = step
    while place * 10 <= q_value and math.isclose(q_value % (place * 10), 0.0, abs_tol=step * 1e-6):
        place *= 10
    return place
