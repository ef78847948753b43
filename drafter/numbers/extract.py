"""Find the numbers in a Chinese report and say what each one is.

``extract(text)`` returns every numeric mention with its span, value, unit, qualifier and kind:

- ``data``: a claim that needs a fact (12036名, 62.55%, 12.73亿, 三十余所, 第一名, 百分之六十,
  七点三五万人次, 叁万贰仟元整, 七八十户 = 70–80, 负三, 850m², 3.6 万人次 across a line break).
- ``date``: 2024年, 5月27日, 2025-05-27, 二〇二四年, 二〇二二年六月, 八五年二月二十七日, 第三季度, 上半年.
- ``marker``: list and heading markers (一是, 二、, （三）, (一), 1., 第一，) — never data.
- ``formula``: a numeral inside a fixed formula (四个意识, 二十届三中全会, see formulas.py), a
  meeting session or named day (十四届三次全会, 3·15: names.py), a short quoted slogan
  (“五个载体”, “1+2”模式) or a book title (《…“100”计划》).
- ``structure``: a count of the draft's own parts (“五个突出” followed by 一是 … 五是).
- ``placeholder``: X次, XX名, **中学, ××, 【待补】, 〔待核：…〕.

Values have 万/亿 folded in and ‰, 成 turned into %; a unit of measure stays as written (35公顷,
40kg) and match.py converts between units of one kind (units.py). ``high`` is the upper end of
a range (3-5名, 10%-15%, 200万—300万元, 百分之三十到四十一) or of neighbouring numerals that mean
"about" (七八十户, 四五千元, 三四万: qualifier ``approx``). ``direction`` is "down" after 下降,
减少, 降低 … and "up" after 增长, 提高 …, so 减少35万元 can be grounded by a fact of −35万元.

Precision on real text matters more than recall of odd forms, so Chinese numerals are
conservative: one is data when a unit or classifier follows (三十余所, 两批, 百名; classifiers that
are often ordinary words — 期, 台, 张, 门, 分, 度 … — only from ten up: 八十期 but not 一期工程),
when a magnitude, a decimal point, a sign or percent makes it a quantity (两万, 二点八, 负三,
百分之六十), when it is a rank (第一名, 名列第一), or when it stands alone as a table cell or a
value (``参训人数：三百零五``, ``| 十二 |``). So 一些, 一定, 一流, 统一, 十分, 一线 never count.
A bare 一 (the indefinite article in 一个鲜明特色, 一批) is data only with a measure unit (一亿元,
一倍). Idioms, place names and words with a numeral (千家万户, 五家渠, 九年一贯制, 队伍) are listed
in ``drafter/data/idioms.txt``; names with numbers (九年级, 312国道, 12345热线, 上午九点) in names.py.
Arabic numerals are always data unless they are dates, markers, formulas, names, structure
counts, placeholders, or the row number in the first cell of a Markdown table.

cn2an converts the numeral part of a span (see numerals.py for what it is helped with); the
spans are found here, because cn2an.transform over a whole text also rewrites names (张三 → 张3).

Offsets are preserved: full-width and traditional characters are normalised one character for
one, and already-classified spans are masked (same length) before the next pass looks at them.
"""

from __future__ import annotations

import math
import re

from drafter.numbers import names
from drafter.numbers.formulas import find_formulas
from drafter.numbers.numerals import (
    CAPITALS,
    DIGITS,
    MAGNITUDES,
    SMALL,
    cn_step,
    cn_to_float,
    digit_by_digit,
    normalise,
    num_value,
    pair_range,
)
from drafter.numbers.units import LATIN_UNITS
from drafter.records import Mention, Quantity

__all__ = ["AROUND", "GENERIC_UNITS", "LOWER_BOUND", "UNITS", "UPPER_BOUND", "cn_to_float", "data_mentions",
           "extract", "has_placeholder", "normalise", "parse_quantity", "significant_place", "to_quantity"]

_MASK = "\x00"
_D, _M = DIGITS, MAGNITUDES
_CN_DIGITS = "零〇○一二两三四五六七八九"

# Units after a number, longest first at match time. An open list: a classifier not here
# simply leaves the unit empty (Arabic numbers stay data; Chinese ones need a unit).
UNITS = (
    # percent, multiples
    "个百分点", "百分点", "%", "‰", "成", "倍",
    # money (角/毛 are tenths of a 元; 分 is left to scores, see units.py)
    "美元", "欧元", "港元", "港币", "日元", "英镑", "韩元", "澳元", "加元", "新台币", "卢布", "卢比", "令吉",
    "法郎", "泰铢", "美金", "人民币", "块钱", "毛钱", "元", "圆", "角", "毛",
    # measures
    "平方公里", "平方千米", "平方米", "平方厘米", "平米", "平方", "立方米", "立方", "公顷", "亩", "千米", "公里",
    "厘米", "毫米", "公分", "米", "千克", "公斤", "毫克", "克", "吨", "斤", "两", "千瓦时", "兆瓦时", "千瓦", "兆瓦",
    "吉瓦", "摄氏度", "℃", "度", "伏特", "千伏", "伏", "毫升", "公升", "升", "英里", "英尺", "英寸", "海里",
    "尺", "寸", "丈", "微克/立方米", "毫克/立方米", "毫克/升", "微克", "瓦", "千赫", "兆赫", "赫兹", "千帕", "兆帕",
    "帕", "千焦", "焦耳", "千卡", "卡路里", "分贝", "马力", "摩尔", "流明",
    # time
    "个多小时", "个半小时", "个小时", "个钟头", "个工作日", "个星期", "工作日", "小时", "分钟", "秒钟", "毫秒", "秒", "钟头", "个多月", "个半月", "个月", "周年",
    "周岁", "天", "周", "年", "岁", "课时", "学时",
    # counts
    "人次", "户次", "期次", "架次", "种类", "方面", "人", "名", "位", "个", "所", "项", "次",
    "场", "家", "户", "支", "篇", "件", "册", "本", "台", "套", "间", "栋", "座", "处", "条", "张", "份", "队",
    "班", "门", "节", "堂", "届", "期", "批", "轮", "类", "种", "分", "例", "起", "园", "校", "村", "笔",
    "枚", "块", "辆", "部", "首", "幅", "集", "课", "讲", "组", "对", "箱", "朵", "株", "棵", "头", "只", "匹",
    "袋", "包", "瓶", "盒", "桶", "趟", "架", "艘", "床", "宗", "单", "字",
)
_UNIT_RE = re.compile(
    "(?:" + "|".join(re.escape(u) for u in sorted(set(UNITS), key=len, reverse=True)) + ")"
    + "|(?:" + "|".join(re.escape(u) for u in sorted(LATIN_UNITS, key=len, reverse=True)) + r")(?![A-Za-z0-9²³])"
)

# After a Chinese numeral below ten these are far more often ordinary words (一期工程, 三角, 一度,
# 三伏, 三部曲, 三尺讲台): they count only from ten up (八十期, 二十门, 三十度). 节 (二十四节气) and 点
# never count.
_CN_WORDY = frozenset({"期", "门", "课", "讲", "集", "组", "对", "部", "首", "起", "分", "度", "伏", "角", "毛", "两", "瓦",
                       "平方", "立方", "尺", "寸", "丈", "字"})
_CN_NEVER = frozenset({"节", "点"})
# A classifier that is the first character of a word: 十一期间 is the holiday, not 11 issues.
_UNIT_IN_WORD = {"期": "间限待望末初中", "分": "析配别工类管布解批", "门": "槛户类", "台": "阶账",
                 "场": "所景地馆", "条": "件例款", "本": "领色质", "部": "门署分", "处": "理置", "字": "方诀经"}
# A bare 一 is the indefinite article unless a measure unit follows.
_MEASURE_UNITS = frozenset({
    "元", "%", "‰", "倍", "个百分点", "百分点", "美元", "欧元", "港元", "日元", "英镑", "亩", "公顷", "平方米",
    "平方公里", "平方千米", "公里", "千米", "吨", "千克", "公斤", "斤", "摄氏度", "千瓦时", "千瓦", "兆瓦",
    "毫米", "厘米", "公分", "毫克", "毫升", "立方米", "个多月", "个半月", "个多小时", "个半小时", *LATIN_UNITS,
})
_MONEY = frozenset({"元", "圆", "块", "块钱", "角", "毛", "毛钱"})
_AFTER_GE = {"个小时": "小时", "个钟头": "小时", "个工作日": "工作日", "个星期": "周"}
# A currency sign before the number: ¥1200, $200.
_CURRENCY_SIGNS = {"¥": "元", "￥": "元", "$": "美元", "＄": "美元", "€": "欧元", "£": "英镑"}
_CURRENCY_CODES = {"RMB": "元", "CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "JPY": "日元", "GBP": "英镑"}
_CURRENCY_CODE_RE = re.compile(r"(RMB|CNY|USD|HKD|EUR|JPY|GBP) ?$")
# Discourse classifiers: 两个, 三项, 五方面 are counts of talk, not metrics (see check.py).
GENERIC_UNITS = frozenset({"个", "项", "方面", "条", "类", "种", "批", "轮", "点"})

_MAGNITUDES = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2, "仟": 1e3, "佰": 1e2}
_PRE_QUAL = ("将近", "接近", "大约", "超过", "不少于", "不低于", "不足", "不到", "不超过", "多达", "至少",
             "近", "约", "超", "逾")
_POST_QUAL = ("以上", "以下", "左右", "上下", "以内", "有余")

# Approximation qualifiers that make a mention a lower bound, an upper bound or a neighbourhood.
LOWER_BOUND = frozenset({"余", "多", "以上", "超过", "超", "逾", "不少于", "不低于", "至少", "有余", "多达"})
UPPER_BOUND = frozenset({"近", "将近", "接近", "不足", "不到", "以下", "以内", "不超过"})
AROUND = frozenset({"约", "大约", "左右", "上下", "approx"})

# --- regexes --------------------------------------------------------------------------------

_START = r"(?<![^\n。；;：:！？!?\s　）)」”，,*])"  # line start, after punctuation or a space

_MARKER_RE = re.compile(
    _START + r"(?:"
    rf"(?P<shi>[{SMALL}]{{1,3}})是"
    rf"|(?P<dun>[{SMALL}]{{1,3}})、"
    rf"|[（(](?P<par>[{SMALL}]{{1,3}})[）)]"
    r"|[（(](?P<apar>\d{1,2})[）)]"
    r"|(?P<adot>\d{1,2})[.、](?!\d)"
    rf"|第(?P<di>[{SMALL}]{{1,3}})(?=[，、,：:])"
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
    r"(?=[0-9〇○零一二两三四五六七八九十廿第前上下本])(?<!\d)(?<!\d[.,])(?:"
    r"(?P<ymd>(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*[日号])"
    r"|(?P<iso>(?P<y2>\d{4})[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2}))(?!\d)"
    r"|(?P<ym>(?P<y3>\d{4})\s*年\s*(?P<m3>\d{1,2})\s*月份?)"
    r"|(?P<yr2>(?P<ya>\d{4})\s*[-—–~至]\s*(?P<yb>\d{4})\s*(?:年度?|学年))"
    r"|(?P<yr>(?P<y4>\d{4})(?=\s*(?:年|学年|届|级|版|年度)))(?:\s*年度?)?"
    r"|(?P<md>(?P<m5>\d{1,2})\s*月\s*(?P<d5>\d{1,2})\s*[日号])"
    r"|(?P<mr>(?P<mra>\d{1,2})\s*[-—–~至到]\s*)(?=\d{1,2}\s*月(?![\u4e00-\u9fff]?\d))"
    r"|(?P<mo>(?P<m6>\d{1,2})\s*月份?)(?![\u4e00-\u9fff]?[\d])"
    rf"|(?P<cyr>(?P<cy>[{_CN_YEAR}]{{2,4}}|[二两]千(?:零?[{_CN_MD}]{{1,3}})?)年"
    rf"(?:(?P<cym>[{_CN_MD}]{{1,2}})月份?(?:(?P<cyd>[{_CN_MD}廿]{{1,3}})[日号])?)?)"
    rf"|(?P<cmd>(?<![{_CN_MD}])(?P<cm>[{_CN_MD}]{{1,2}})月份?(?:(?P<cd>[{_CN_MD}廿]{{1,3}})[日号])?)"
    rf"|(?P<cday>(?<![{_CN_MD}月\d])(?P<cdd>[{_CN_MD}廿]{{1,3}})日(?![内来后前间游制]))"
    r"|(?P<decade>(?:上世纪|本世纪|二十世纪|20世纪)?(?P<dec>[一二三四五六七八九]十|[1-9]0)年代)"
    r"|(?P<century>(?P<cen>[一二三四五六七八九十]{1,3}|\d{1,2})世纪)"
    r"|(?P<q>(?:第|前)?(?<![这该本每上下同个])(?P<qn>[一二三四1-4])季度)"
    r"|(?P<h>[上下]半年)"
    r")"
)
# Document numbers, phone numbers, ids: 002961825/2025-170757, 0571-8888, 13800000000.
_ID_RE = re.compile(r"(?<![\d.])(?:0\d{3,}(?:[/-]\d+)*|\d{4,}(?:[/-]\d{5,})+|\d{11,})(?![\d.])")
# 文号 such as 浙教〔2024〕12号: a name, kept as one formula mention.
_DOCNO_RE = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")

_CN_NUM = rf"[{_D}{_M}]+(?:点(?:[{_D}]+|\d+)[万亿]*)?"
_CN_RUN = rf"[{_D}{_M}]+"
# 1 200 (a thin-space thousands group, as PDFs print) only before a magnitude or a unit.
_AR_NUM = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u2009\u202f]\d{3})+(?=[ \t]?[万亿千百]?[ \t]?[\u4e00-\u9fff%])"
           r"|\d+(?:\.\d+)?")
_NUMBER_RE = re.compile(
    rf"(?=[0-9{_D}{_M}第负零将接大超不多至近约逾-])"  # lets the engine skip most characters at once
    r"(?P<pre>" + "|".join(_PRE_QUAL) + r")?"
    r"(?P<sign>负的?|零下|-)?"
    r"(?:"
    rf"(?P<pct>百分之|千分之|万分之|百分(?=[{_D}{_M}\d]))(?P<pneg>负)?(?P<pctnum>{_CN_NUM}|{_AR_NUM})"
    rf"(?:\s*(?P<psep>[-~～—–至到])\s*(?:百分之)?(?P<pctnum2>{_CN_NUM}|{_AR_NUM}))?"
    rf"|(?P<whole>{_CN_RUN}|\d+)又(?P<wden>{_CN_RUN}|\d+)分之(?P<wnom>{_CN_RUN}|\d+)"
    rf"|(?P<den>{_CN_RUN}|\d+)分之(?P<nom>{_CN_NUM}|{_AR_NUM})"
    r"|(?P<an>\d{1,3})/(?P<ad>\d{1,3})(?![\d/])"
    rf"|(?P<di>第)?(?P<num>{_AR_NUM}|{_CN_NUM})"
    r")"
)
_WS_RE = re.compile(r"[ \t\u3000\u2009\u202f]*")
_WS_NL_RE = re.compile(r"[ \t\u3000\u2009\u202f]*(?:\n[ \t\u3000]*)?")
_MAG_RE = re.compile(r"万亿|千万|百万|万|亿|[千仟](?![米克瓦伏])|[百佰](?![分米])")
_MAG_AFTER_APPROX_RE = re.compile(r"万亿|万|亿")
# 100万三千, 1万600, 12亿3000万: what follows a magnitude, smaller than it.
_CONT_RE = re.compile(rf"\d{{1,4}}(?:千万|百万|千|百|万)?(?![\d.])|[{_CN_DIGITS}][十百千][{_CN_DIGITS}十百千]*(?![米克瓦伏])")
_APPROX_RE = re.compile(r"余|多|来(?=[\u4e00-\u9fff])")
_POST_RE = re.compile("|".join(_POST_QUAL) + "|多")
_PLAIN_NUMBER_RE = re.compile(rf"{_AR_NUM}|{_CN_NUM}")
_RANGE_SEP_RE = re.compile(r"[ \t]*(?:[-~～—–]{1,2}|至|到)[ \t]*")
# 十二块五, 二十五元三毛, 三千三百八十元五角八分, 壹拾壹元壹角壹分, 壹元整
_MONEY_TAIL_RE = re.compile(rf"(?:零?(?P<jiao>[{_D}]|\d)[角毛])?(?:零?(?P<fen>[{_D}]|\d)分)?(?:零?(?P<li>[{_D}]|\d)厘)?"
                            r"(?P<zheng>整|正)?")
_KUAI_TAIL_RE = re.compile(rf"[{_CN_DIGITS}](?![{_D}{_M}角毛分元块钱])")

# 翻一番 (×2), 翻两番 (×4): a multiple written as doublings.
_DOUBLING_RE = re.compile(r"翻了?(?P<n>[一两二三四])番")
_QUOTE_RE = re.compile(r"“[^”\n]{1,20}”|\"[^\"\n]{1,20}\"|‘[^’\n]{1,20}’|「[^」\n]{1,20}」|『[^』\n]{1,20}』")
_TITLE_RE = re.compile(r"《[^》\n]{1,80}》")
_RANK_BEFORE = re.compile(r"(?:名列|位居|居于|排名|排在|排|居|列)[^，。；\n]{0,4}$")
_DOWN_BEFORE = re.compile(r"(?:下降|减少|降低|回落|下滑|下跌|缩减|缩小|压减|压降|核减|减|降|亏损|负增长|降幅|跌幅|减幅|下调)"
                          r"(?:了|为|达|达到|约|近|超过|超|逾)?$")
_UP_BEFORE = re.compile(r"(?:增长|增加|提高|提升|上升|上涨|增|涨|增幅|涨幅|扩大|上调)(?:了|为|达|达到|约|近|超过|超|逾)?$")
# A formula ending in 一 that runs on into a word: 四个一线城市 is 四个 + 一线.
_FORMULA_RUNS_ON = "线流体批些定起直样切般道"
# A cell: the number alone between separators (line, |, tab, a full-width space, a colon before).
_CELL_LEFT = "\n|：:\t\u3000,"
_CELL_RIGHT = "\n|\t\u3000,。；;"


# --- extraction -----------------------------------------------------------------------------


def extract(text: str, lenient: bool = False) -> list[Mention]:
    """All numeric mentions of ``text``, sorted by position.

    ``lenient`` reads a facts value ("第一", "一周", "三年一周期"): every numeral counts, no
    formulas, quotes, names, markers or structure.
    """
    norm = normalise(text)
    buf = list(norm)
    out: list[Mention] = []
    state = [norm, False]  # the masked text as last joined, and whether buf changed since

    def mask(a: int, b: int) -> None:
        buf[a:b] = _MASK * (b - a)
        state[1] = True

    def masked() -> str:
        if state[1]:  # joining 10,000 characters costs more than any one pass: only when needed
            state[0], state[1] = "".join(buf), False
        return state[0]

    for m in _DOUBLING_RE.finditer(norm):  # before the idioms: 一番 alone is "a bout"
        times = 2.0 ** {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4}[m.group("n")]
        out.append(Mention(m.start(), m.end(), text[m.start():m.end()], times, "倍", "", "data", 1.0, "chinese"))
        mask(*m.span())
    if not lenient:
        for a, b in find_formulas(norm):
            if norm[b - 1] == "一" and b < len(norm) and norm[b] in _FORMULA_RUNS_ON:
                continue  # 四个一线城市
            if re.search(rf"[0-9{_CN_DIGITS}{_M}]", norm[a:b]):
                out.append(Mention(a, b, text[a:b], _formula_value(norm[a:b]), "", "", "formula"))
            mask(a, b)
        for m in _DOCNO_RE.finditer(masked()):
            out.append(Mention(m.start(), m.end(), text[m.start():m.end()], None, "", "", "formula"))
            mask(*m.span())
        cur = masked()
        for a, b in names.reported_names(cur):
            if _MASK not in cur[a:b]:
                out.append(Mention(a, b, text[a:b], _formula_value(norm[a:b]), "", "", "formula"))
                mask(a, b)
        for a, b in names.silent_names(masked()):
            mask(a, b)
        for m in names.idiom_regex().finditer(masked()):
            mask(*m.span())
        for m in _ID_RE.finditer(masked()):
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
    pos = 0
    while True:
        m = _NUMBER_RE.search(cur, pos)
        if m is None:
            break
        if m.end() == m.start():
            pos = m.start() + 1
            continue
        mention, end = _number(m, cur, text, lenient)
        pos = max(end, m.start() + 1)
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
    """The first number of a facts value ("62.55%", "12.73亿元", "第一", "近200个", "−35万元",
    "35公顷"), or None."""
    for m in extract(text, lenient=True):
        if m.kind == "data" and m.value is not None:
            return to_quantity(m)
    return None


def to_quantity(m: Mention) -> Quantity:
    return Quantity(m.value or 0.0, m.unit, m.step, m.text, m.qualifier, m.high)


# --- passes ---------------------------------------------------------------------------------


def _formula_value(s: str) -> float | None:
    m = re.search(rf"\d+(?:\.\d+)?|[{_CN_DIGITS}{_M}]+", s)
    if not m:
        return None
    v, _, _ = num_value(m.group())
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
    value = float(_CIRCLED.index(s) + 1) if raw == "circ" else num_value(s)[0]
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
    if g["mr"]:  # 1-3月: the first month of a span of months
        mo = int(g["mra"])
        if not 1 <= mo <= 12:
            return None
        e = m.end("mra")
        return [mk(a, e, f"--{mo:02d}", float(mo), "月")]
    if g["mo"]:
        mo = int(g["m6"])
        if not 1 <= mo <= 12:
            return None
        return [mk(a, b, f"--{mo:02d}", float(mo), "月")]
    if g["cyr"]:
        return _cn_year(m, mk)
    if g["cmd"]:
        mo = cn_to_float(g["cm"])
        if mo is None or not 1 <= mo <= 12:
            return None
        if g["cd"]:
            d = cn_to_float(g["cd"])
            if d is None or not 1 <= d <= 31:
                return None
            return [mk(a, b, f"--{int(mo):02d}-{int(d):02d}", mo * 100 + d, "日")]
        return [mk(a, b, f"--{int(mo):02d}", mo, "月")]
    if g["cday"]:
        d = cn_to_float(g["cdd"])
        if d is None or not 2 <= d <= 31:
            return None  # 一日 is "one day" far more often than "the first"
        return [mk(a, b, f"---{int(d):02d}", d, "日")]
    if g["decade"]:  # 九十年代 → 1990s
        d = int(num_value(g["dec"])[0] or 0)
        return [mk(a, b, f"{1900 + d}s", float(d), "年代")]
    if g["century"]:  # 二十一世纪
        c = int(num_value(g["cen"])[0] or 0)
        return [mk(a, b, f"C{c}", float(c), "世纪")] if 1 <= c <= 30 else None
    if g["q"]:
        qn = g["qn"]
        n = int(qn) if qn.isdigit() else SMALL.index(qn) + 1
        key = f"Q1-Q{n}" if g["q"].startswith("前") else f"Q{n}"
        return [mk(a, b, key, float(n), "季度")]
    if g["h"]:
        return [mk(a, b, "H1" if g["h"][0] == "上" else "H2", 1.0 if g["h"][0] == "上" else 2.0, "半年")]
    return None


def _cn_year(m: re.Match[str], mk) -> list[Mention] | None:
    """二〇二四年, 二〇二二年六月, 八五年二月二十七日, 零五年, 两千零五年八月五号, 一七九八年."""
    a, b = m.span()
    cy, month, day = m.group("cy"), m.group("cym"), m.group("cyd")
    if "千" in cy:
        if cy in ("两千",) and not month:
            return None  # 两千年 is as often "two thousand years"
        year = cn_to_float(cy)
    else:
        if len(cy) == 2 and not month and not any(c in "〇○零" for c in cy):
            return None  # 五六年, 三五年: years of duration
        if len(cy) == 2 and pair_range(cy) is not None and not month:
            return None
        year = cn_to_float(cy)
        if year is not None and len(cy) == 2:
            year += 2000 if year < 30 else 1900  # 零六年 → 2006, 八五年 → 1985
    if year is None:
        return None
    y = int(year)
    if not month:
        return [mk(a, b, str(y), float(y))]
    mo = cn_to_float(month)
    if mo is None or not 1 <= mo <= 12:
        return [mk(a, m.start("cym"), str(y), float(y))]
    if not day:
        return [mk(a, b, f"{y}-{int(mo):02d}", float(y), "月")]
    d = cn_to_float(day)
    if d is None or not 1 <= d <= 31:
        return None
    return [mk(a, b, f"{y}-{int(mo):02d}-{int(d):02d}", float(y), "日")]


# --- numbers --------------------------------------------------------------------------------


class _Parsed:
    """A quantity read at one place, before it is judged data or not."""

    __slots__ = ("start", "end", "value", "high", "step", "unit", "written", "fam", "quals", "mag", "num", "num_end")

    def __init__(self, start: int, end: int, value: float, step: float, unit: str, fam: str, quals: list[str],
                 mag: str, num: str, num_end: int, high: float | None = None) -> None:
        self.start, self.end, self.value, self.high, self.step = start, end, value, high, step
        self.unit, self.fam, self.quals, self.mag, self.num, self.num_end = unit, fam, quals, mag, num, num_end
        self.written = unit  # the unit as written (五角 is 0.5 元, written 角)


def _number(m: re.Match[str], cur: str, text: str, lenient: bool) -> tuple[Mention | None, int]:
    """The mention starting at match ``m`` (or None) and where scanning goes on."""
    g = m.groupdict()
    a = m.start()
    if a > 0 and cur[a - 1] == "每" and not lenient:
        return None, m.end()  # 每万人、每百户、每3年: the base of a rate or a period, not a count
    sign = g["sign"] or ""
    if sign == "-":
        prev = cur[a - 1] if a > 0 else ""
        if prev.isascii() and prev.isalnum():
            return None, m.end()  # A-12, 0571-8: a code
        if prev.isascii() and prev not in " (:\n":
            sign = ""  # a dash after a bracket or a slash: not a sign
    negative = bool(sign) or bool(g["pneg"])
    pre = [g["pre"]] if g["pre"] else []
    if g["pct"]:
        return _percent(m, cur, text, lenient, pre, negative)
    if g["wden"] or g["den"] or g["an"]:
        return _fraction(m, cur, text, pre, negative)
    q = _quantity(cur, m.start("num"), m.end("num"))
    if q is None:
        return None, m.end()
    q.quals[:0] = pre
    q.start = a
    q = _range(q, cur) or q
    # 第一名 / 名列第一 are ranks; other ordinals (第三卷, 第三轮, 第三届) are names.
    if g["di"]:
        cell = _cell(cur, a, q.end)
        before = cur[max(0, a - 8):a]
        if q.unit in ("名", "位") or (not q.unit and (_RANK_BEFORE.search(before) or lenient or cell)):
            b = q.end if q.unit in ("名", "位") else q.num_end
            return Mention(a, b, text[a:b], q.value, q.unit or "名", "ordinal", "data", 1.0, q.fam), b
        return None, q.num_end
    if not lenient and not q.unit and not negative and _row_number(cur, a, q.end, q.value):
        return None, q.end  # | 一 | 加强党建 |: the first cell of a table row numbers the row
    if q.fam == "chinese" and not lenient and not _cn_is_data(q, cur, negative):
        return None, max(q.num_end, m.end("num"))
    if not q.unit and a > 0:  # ¥1200, $13.5, HKD13.5, RMB 3000
        sign = cur[a - 1] if cur[a - 1] in _CURRENCY_SIGNS else ""
        code = _CURRENCY_CODE_RE.search(cur, max(0, a - 4), a) if not sign else None
        if sign or code:
            q.unit = _CURRENCY_SIGNS[sign] if sign else _CURRENCY_CODES[code.group(1)]
    if q.fam == "arabic" and not lenient and not _arabic_ok(q, text, cur):
        return None, q.end
    value, high = q.value, q.high
    if negative:
        value = -value
        high = -high if high is not None else None
    direction = "" if lenient or negative else _direction(cur, a)
    return Mention(a, q.end, text[a:q.end], value, q.unit, ",".join(q.quals), "data", q.step, q.fam, high,
                   direction=direction), q.end


def _quantity(cur: str, s: int, e: int) -> _Parsed | None:
    """The numeral cur[s:e] with what follows it: magnitude, 余/多, unit, 角/分, 以上."""
    num = cur[s:e]
    if num[0].isdigit():
        return _arabic(cur, s, e)
    # 二十五千克: 千 belongs to the unit
    if len(num) > 1 and num[-1] == "千" and e < len(cur) and cur[e] in "米克瓦伏":
        num, e = num[:-1], e - 1
    if "点" in num and not num.endswith(("万", "亿")) and e < len(cur) and cur[e] in "十百千刻钟时半":
        num = num.split("点", 1)[0]  # 十二点三十分, 八点五十: a clock, not a decimal
        e = s + len(num)
    if len(num) == 2 and num[1] == "两" and num[0] in "二三四五六七八九":
        num, e = num[0], e - 1  # 二两, 三两: 两 is the weight (liang), read as the unit
    quals: list[str] = []
    high = None
    pair = pair_range(num) if "点" not in num else None
    if pair is not None:
        value, high, step = pair
        quals.append("approx")
    elif digit_by_digit(num) and "点" not in num:
        value = cn_to_float(num)  # 二〇二四, 一二三: only a cell takes it
        step = 1.0
        quals.append("digits")
    else:
        value = cn_to_float(num)
        step = cn_step(num)
    if value is None:
        return None
    pos = e
    mag = ""
    if cur.startswith("个亿", pos) and not any(c in "万亿" for c in num):  # 两个亿: spoken for 两亿
        value, step, mag, pos = value * 1e8, step * 1e8, "亿", pos + 2
        high = high * 1e8 if high is not None else None
    am = _APPROX_RE.match(cur, pos)
    if am:
        quals.append(am.group())
        pos = am.end()
        mm = _MAG_AFTER_APPROX_RE.match(cur, pos) if not mag else None  # 一百二十多万元, 三十余万人
        if mm:
            mag = mm.group()
            mult = _MAGNITUDES[mag]
            value, step = value * mult, step * mult
            high = high * mult if high is not None else None
            pos = mm.end()
    q = _Parsed(s, pos, value, step, "", "chinese", quals, mag, num, e, high)
    return _unit_and_after(q, cur, None)


def _arabic(cur: str, s: int, e: int) -> _Parsed:
    num = cur[s:e]
    value, dec, _ = num_value(num)
    step = 10.0 ** -dec
    pos = e
    mag = ""
    # Spaces may stand between a number and its magnitude or unit (3.6 万人次, 12 次), and so may
    # a line break where a PDF wrapped a sentence (12.5⏎万元) — not after a colon or at a line
    # start, where the next line is a new item.
    mid_sentence = s > 0 and "\u4e00" <= cur[s - 1] <= "\u9fff"
    ws = _WS_NL_RE if mid_sentence else _WS_RE
    mm = _MAG_RE.match(cur, ws.match(cur, pos).end())
    if mm:
        mag = mm.group()
        mult = _MAGNITUDES[mag]
        value, step = value * mult, step * mult
        pos = mm.end()
        if mag in ("万", "亿"):  # 100万三千, 1万600, 12亿3000万
            cm = _CONT_RE.match(cur, pos)
            cv = _continuation(cm.group()) if cm else None
            if cv is not None and 0 < cv[0] < mult:
                value += cv[0]
                step = min(step, cv[1])
                pos = cm.end()
    quals: list[str] = []
    am = _APPROX_RE.match(cur, pos)
    if am:
        quals.append(am.group())
        pos = am.end()
        if mag in ("", "百", "千"):
            mm = _MAG_AFTER_APPROX_RE.match(cur, pos)  # 20多万元, 3千多万
            if mm:
                mag = mm.group()
                value, step = value * _MAGNITUDES[mag], step * _MAGNITUDES[mag]
                pos = mm.end()
    q = _Parsed(s, pos, value, step, "", "arabic", quals, mag, num, e)
    return _unit_and_after(q, cur, ws)


def _continuation(c: str) -> tuple[float, float] | None:
    """(value, step) of what follows a magnitude: 三千, 600, 3000万, 5千万."""
    if not c[0].isdigit():
        v = cn_to_float(c)
        return None if v is None else (v, cn_step(c))
    digits = c.rstrip("千百万")
    mag = c[len(digits):]
    if len(digits) == 1 and not mag:
        return None  # 2万3: too ambiguous
    size = {"": 1.0, "万": 1e4, "千": 1e3, "百": 1e2, "千万": 1e7, "百万": 1e6}.get(mag)
    return None if size is None else (float(digits) * size, size)


def _unit_and_after(q: _Parsed, cur: str, ws: re.Pattern[str] | None) -> _Parsed:
    """The unit (after ``ws`` when given), a money or 米/成 tail, a post qualifier (以上)."""
    pos = q.end
    start = pos
    if ws is not None:
        pos = ws.match(cur, pos).end()
    um = _UNIT_RE.match(cur, pos)
    if um and um.group() == "分" and um.end() < len(cur) and cur[um.end()] == "之":
        um = None  # 三百分之一 is read as a fraction elsewhere
    if um:
        unit = um.group()
        pos = um.end()
        q.unit = q.written = unit
        if unit in _MONEY:
            pos = _money_tail(q, cur, pos)
        elif unit in ("米", "成") and q.fam == "chinese" and q.high is None:
            km = _KUAI_TAIL_RE.match(cur, pos)  # 一米八 = 1.8米, 三成五 = 35%
            if km:
                q.value += (cn_to_float(km.group()) or 0) / 10
                q.step = 0.1
                pos = km.end()
        elif unit == "分" and any(c in CAPITALS for c in q.num):
            q.value, q.step, q.unit = q.value / 100, q.step / 100, "元"  # 壹分: a cent
        elif unit in ("个多月", "个多小时"):
            q.unit = "个月" if unit == "个多月" else "小时"
            q.quals.append("多")
        elif unit in ("个半月", "个半小时"):
            q.unit = "个月" if unit == "个半月" else "小时"
            q.value += 0.5
            q.step = 0.5
        elif unit in _AFTER_GE:
            q.unit = _AFTER_GE[unit]  # 3个工作日, 两个小时: the classifier 个 is not the unit
    else:
        pos = start
    pm = _POST_RE.match(cur, pos)
    if pm and not (pm.group() == "多" and "多" in q.quals):
        q.quals.append(pm.group())
        pos = pm.end()
    q.end = pos
    if q.unit == "‰":
        q.value, q.step, q.unit = q.value / 10, q.step / 10, "%"
        q.high = q.high / 10 if q.high is not None else None
    elif q.unit == "成":
        q.value, q.step, q.unit = q.value * 10, q.step * 10, "%"
        q.high = q.high * 10 if q.high is not None else None
    elif q.unit == "百分点":
        q.unit = "个百分点"
    return q


def _money_tail(q: _Parsed, cur: str, pos: int) -> int:
    """二十五元三毛, 三千三百八十元五角八分, 十二块五, 肆角叁分: one amount in 元."""
    unit = q.unit
    if unit == "块":
        km = _KUAI_TAIL_RE.match(cur, pos)
        if km and q.high is None and not _UNIT_RE.match(cur, km.end()):  # 五块一份: 一 counts the 份
            q.value += (cn_to_float(km.group()) or 0) / 10
            q.step, q.unit = 0.1, "元"
            return km.end()
    if unit in ("角", "毛", "毛钱"):  # 五毛, 肆角叁分: tenths of a 元
        q.value, q.step, q.unit = q.value / 10, q.step / 10, "元"
        q.high = q.high / 10 if q.high is not None else None
        km = _KUAI_TAIL_RE.match(cur, pos) if unit == "毛" else None
        if km and q.high is None:  # 两毛五
            q.value += (cn_to_float(km.group()) or 0) / 100
            q.step = 0.01
            return km.end()
        mm = _MONEY_TAIL_RE.match(cur, pos)
        if mm and not mm.group("jiao") and (mm.group("fen") or mm.group("li")):
            for name, size in (("fen", 0.01), ("li", 0.001)):
                d = mm.group(name)
                if d:
                    q.value += (float(d) if d.isdigit() else cn_to_float(d) or 0.0) * size
                    q.step = size
            return mm.end()
        return pos
    mm = _MONEY_TAIL_RE.match(cur, pos)
    if not mm or mm.end() == pos:
        return pos
    parts = 0.0
    step = q.step
    for name, size in (("jiao", 0.1), ("fen", 0.01), ("li", 0.001)):
        d = mm.group(name)
        if d:
            parts += (float(d) if d.isdigit() else cn_to_float(d) or 0.0) * size
            step = size
    if parts or mm.group("zheng"):
        if unit in ("块", "圆"):
            q.unit = "元"
        q.value += parts
        q.step = step if parts else q.step
        return mm.end()
    return pos


def _range(q: _Parsed, cur: str) -> _Parsed | None:
    """3-5名, 10%-15%, 200万—300万元, 三至五名, 3.5—4.2亿元: one mention with both ends."""
    if q.high is not None:
        return None
    sm = _RANGE_SEP_RE.match(cur, q.end)
    if not sm:
        return None
    sep = sm.group().strip()
    if sep in ("至", "到") and re.search(r"[从由]$", cur[max(0, q.start - 1):q.start]):
        return None  # 从3家到5家: a change, not a range
    nm = _PLAIN_NUMBER_RE.match(cur, sm.end())
    if not nm or nm.group()[0].isdigit() != (q.fam == "arabic"):
        return None
    q2 = _quantity(cur, nm.start(), nm.end())
    if q2 is None or q2.high is not None:
        return None
    if q.unit and q2.unit and q.unit != q2.unit:
        return None
    lo, step = q.value, q.step
    # 3-5万, 三至五万, 两到三千, 十八至三十万: the first end is written in the second's magnitude
    # when it is smaller than the second's leading part (but 二十到三十 is 20 to 30).
    size = _trailing_magnitude(q2)
    if size > 1 and not q.unit and not q.mag and not (size >= 1e4 and any(c in "万亿" for c in q.num)) \
            and lo < q2.value / size:
        lo, step = lo * size, step * size
    if q2.value <= lo:
        return None
    unit = q.unit or q2.unit
    quals = [x for x in q.quals + q2.quals if x not in ("digits",)] + ["range"]
    return _Parsed(q.start, q2.end, lo, min(step, q2.step), unit, q.fam, quals, q.mag or q2.mag, q.num, q2.num_end,
                   q2.value)


def _trailing_magnitude(q: _Parsed) -> float:
    """The magnitude a numeral ends with: 5万 → 1e4, 三十万 → 1e4, 三千 → 1000, 九百亿 → 1e8."""
    if q.fam == "arabic":
        return _MAGNITUDES.get(q.mag, 1.0)
    tail = q.num.rstrip("点")[-1]
    if tail in "万亿":
        return 1e4 if tail == "万" else 1e8
    if tail in "十拾百佰千仟" and len(q.num) > 1:
        return {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}[tail]
    return 1.0


def _percent(m: re.Match[str], cur: str, text: str, lenient: bool, pre: list[str],
             negative: bool) -> tuple[Mention | None, int]:
    """百分之六十二点五五, 千分之三, 百分之三十到四十一, 百分之负三点八, 百分百."""
    g = m.groupdict()
    a = m.start()
    value, dec, fam = num_value(g["pctnum"])
    if value is None:
        return None, m.end()
    step = 10.0 ** -dec
    high = None
    b = m.end("pctnum")
    quals = list(pre)
    if g["pctnum2"]:
        v2, dec2, _ = num_value(g["pctnum2"])
        if v2 is not None and v2 > value:
            high, b = v2, m.end("pctnum2")
            step = min(step, 10.0 ** -dec2)
            quals.append("range")
    if g["pct"] in ("千分之", "万分之"):
        scale = 10.0 if g["pct"] == "千分之" else 100.0
        value, step = value / scale, step / scale
        high = high / scale if high is not None else None
    pm = _POST_RE.match(cur, b)
    if pm and pm.group() != "多":
        quals.append(pm.group())
    if negative:
        value = -value
        high = -high if high is not None else None
    direction = "" if lenient or negative else _direction(cur, a)
    return Mention(a, b, text[a:b], value, "%", ",".join(quals), "data", step, fam, high,
                   direction=direction), b


def _fraction(m: re.Match[str], cur: str, text: str, pre: list[str], negative: bool) -> tuple[Mention | None, int]:
    """三分之一 → 33.3% (tolerance one point), 1/3, 4分之3, 三又五分之一 → 3.2."""
    g = m.groupdict()
    a = m.start()
    quals = list(pre) + ["fraction"]
    if g["an"]:
        den, nom, fam, b = float(g["ad"]), float(g["an"]), "arabic", m.end("ad")
    elif g["wden"]:
        whole, den, nom = _n(g["whole"]), _n(g["wden"]), _n(g["wnom"])
        if whole is None or not den or nom is None:
            return None, m.end()
        value = whole + nom / den
        if negative:
            value = -value
        b = m.end("wnom")
        return Mention(a, b, text[a:b], value, "", ",".join(pre), "data", 0.01, _family(g["wden"])), b
    else:
        den, nom, fam, b = _n(g["den"]), _n(g["nom"]), _family(g["den"]), m.end("nom")
    if not den or nom is None:
        return None, m.end()
    value = 100.0 * nom / den
    if negative:
        value = -value
    return Mention(a, b, text[a:b], value, "%", ",".join(quals), "data", 1.0, fam), b


def _n(s: str) -> float | None:
    return float(s) if s[0].isdigit() else cn_to_float(s)


def _family(s: str) -> str:
    return "arabic" if s[0].isdigit() else "chinese"


def _cn_is_data(q: _Parsed, cur: str, negative: bool) -> bool:
    """Is a Chinese numeral, with what follows it, a quantity the report claims?"""
    num, unit = q.num, q.written
    if not any(c in DIGITS for c in num) and not (num in ("十", "拾", "百", "千") or num[0] in "十拾"):
        # 万, 千万, 百万, 亿万 alone are words (千万不能, 万州, 万岁, 百万人口) unless qualified or
        # measured: 近百万, 万余人, 千亿元 — but not the tail of 十几万元, 数十万元
        if q.start > 0 and cur[q.start - 1] in _MASK + "几数":
            return False
        return bool(set(q.quals) & (LOWER_BOUND | UPPER_BOUND | AROUND)) or unit in _MEASURE_UNITS
    if _cell(cur, q.start, q.end):
        return True
    if "digits" in q.quals:
        return False  # 二〇二四, 一二三 in running text: a code or a name
    capital = any(c in CAPITALS for c in num)
    if capital and len(num) < 2 and unit not in _MONEY | {"分"}:
        return False  # a lone 伍 or 陆 in running text is a word
    if negative:
        return unit not in ("层", "楼") and not cur.startswith(("层", "楼"), q.end)
    if unit:
        if unit in _CN_NEVER or _UNIT_IN_WORD.get(unit, "\x01").find(cur[q.end:q.end + 1] or "\x02") >= 0:
            return False  # 十一期间, 三分析: the unit character starts a word
        if unit in _CN_WORDY and q.value < 10 and "点" not in num and not (capital and unit in _MONEY | {"分"}):
            return False
        if num == "一" and q.value == 1 and unit not in _MEASURE_UNITS and "range" not in q.quals:
            return False  # 一个, 一批, 一次: the article
        return True
    if "点" in num:
        return True  # 六点五, 二点八: a decimal is a quantity
    return any(c in "万亿" for c in num) or bool(q.mag)


def _arabic_ok(q: _Parsed, text: str, cur: str) -> bool:
    if q.unit or q.mag:
        return True
    if _latin(text, q.num_end) or _latin(text, q.start - 1):
        return False  # 5G, 3D, G20, ISO9001: part of a name, not a quantity
    return True


def _cell(cur: str, a: int, b: int) -> bool:
    """Is cur[a:b] alone between separators: a table cell, a list value, the value after a colon?"""
    i, sep = a, False
    while i > 0 and cur[i - 1] in " \t\u3000":
        sep = sep or cur[i - 1] in "\t\u3000" or (i >= 2 and cur[i - 2] == " ")
        i -= 1
    if not (i == 0 or cur[i - 1] in _CELL_LEFT or sep):
        return False
    j, sep = b, False
    while j < len(cur) and cur[j] in " \t\u3000":
        sep = sep or cur[j] in "\t\u3000" or (j + 1 < len(cur) and cur[j + 1] == " ")
        j += 1
    return j == len(cur) or cur[j] in _CELL_RIGHT or sep


def _row_number(cur: str, a: int, b: int, value: float) -> bool:
    """The bare integer in the first cell of a Markdown table row (| 1 | … or | 一 | …)."""
    if value != int(value) or not 0 < value < 1000:
        return False
    i = a
    while i > 0 and cur[i - 1] in " \t":
        i -= 1
    if i == 0 or cur[i - 1] != "|":
        return False
    i -= 1
    while i > 0 and cur[i - 1] in " \t":
        i -= 1
    if i > 0 and cur[i - 1] != "\n":
        return False
    j = b
    while j < len(cur) and cur[j] in " \t":
        j += 1
    return j < len(cur) and cur[j] == "|"


def _direction(cur: str, a: int) -> str:
    before = cur[max(0, a - 6):a].rstrip(" ")
    if _DOWN_BEFORE.search(before):
        return "down"
    if _UP_BEFORE.search(before):
        return "up"
    return ""


def _latin(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalpha()


def _inside(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(a <= m.start and m.end <= b for a, b in spans)


def _slogan(m: Mention) -> bool:
    """A number in a short quotation is a slogan ("五个载体", "1+2"模式) unless it measures."""
    return m.numeral == "chinese" or m.unit not in _MEASURE_UNITS | {"人", "名", "人次", "所", "家"}


def _with_kind(m: Mention, kind: str) -> Mention:
    return Mention(m.start, m.end, m.text, m.value, m.unit, m.qualifier, kind, m.step, m.numeral,
                   m.high, m.key, m.direction)


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
