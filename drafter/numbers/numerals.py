"""Chinese and Arabic numerals: their characters, their values, their displayed precision.

cn2an reads the numeral itself (一万二千零三十六, 叁万贰仟, 一億一千萬, 一百一 = 110, 一万六 = 16000,
五万点二四五, 100万三千). What it does not read is handled here around it:

- a decimal followed by a magnitude (七点三五万, 十二点七三亿): the decimal times the magnitude;
- neighbouring digits that mean "about" (七八十 = 70–80, 四五千, 十五六 = 15–16, 一万六七 = 16000–17000,
  一两, 两三, 三五): both ends;
- a 大写 amount that skips its 零 (伍亿柒仟万拾柒): a small section-by-section reader.

``normalise`` maps full-width digits, traditional numeral characters (萬 億 兩 負 點 貳 陸) and the
minus sign U+2212 to their plain forms one character for one, so offsets stay valid.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cn2an

_NORMAL = str.maketrans("０１２３４５６７８９．％＋－Ｘ＊～−﹣／萬億兩負點貳陸",
                        "0123456789.%+-X*~--/万亿两负点贰陆")

# Digits (lower case, 大写, 〇/○, 廿) and magnitudes, after normalise().
DIGITS = "零〇○一二两三四五六七八九壹贰叁肆伍陆柒捌玖廿"
MAGNITUDES = "十拾百佰千仟万亿"
CAPITALS = "壹贰叁肆伍陆柒捌玖拾佰仟"  # 大写, as in budgets and receipts
SMALL = "一二三四五六七八九十"

_MAG_VALUE = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 1e4, "亿": 1e8}
_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGIT_VALUE.update({"〇": 0, "○": 0, "两": 2, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6,
                     "柒": 7, "捌": 8, "玖": 9})
_PAIR_DIGITS = "一二三四五六七八九"
_PAIRS = {("一", "两"), ("两", "三"), ("三", "五")}
_PAIR_RE = re.compile(rf"(?P<pre>.*[{MAGNITUDES}])?(?P<a>[一二两三四五六七八九])(?P<b>[一二两三四五六七八九])"
                      rf"(?P<rest>[十百千万亿]*)")


def normalise(text: str) -> str:
    """Full-width and traditional numeral characters to their plain forms, one for one."""
    return text.translate(_NORMAL)


@lru_cache(maxsize=8192)
def cn_to_float(s: str) -> float | None:
    """A Chinese numeral (十二, 二〇二四, 一万二千零三十六, 百, 十二点七三, 七点三五万, 叁万贰仟) as a
    float, or None."""
    s = s.replace("○", "〇")
    if not s:
        return None
    m = re.fullmatch(r"(.+?点(?:[^万亿]+))([万亿]+)", s)
    if m:  # 七点三五万: cn2an reads the decimal, the magnitude multiplies it
        head = cn_to_float(m.group(1))
        return None if head is None else head * _mags(m.group(2))
    if s[0] in "十拾":
        pass  # cn2an reads 十二 itself
    elif s[0] in "百佰千仟万亿":  # cn2an wants 一百, 一千
        s = "一" + s
    try:
        return float(cn2an.cn2an(s.replace("廿", "二十"), "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return _sections(s)


def _mags(s: str) -> float:
    v = 1.0
    for c in s:
        v *= _MAG_VALUE[c]
    return v


def _sections(s: str) -> float | None:
    """A plain reader for integers cn2an refuses (伍亿柒仟万拾柒: no 零 after 万)."""
    if not s or any(c not in _DIGIT_VALUE and c not in _MAG_VALUE for c in s):
        return None
    total = section = 0.0
    digit = None
    for c in s:
        if c in _DIGIT_VALUE:
            if digit is not None and _DIGIT_VALUE[c] and digit:
                return None  # two digits in a row: not a plain numeral
            digit = _DIGIT_VALUE[c]
        elif c in ("万", "亿"):
            section += digit or 0
            total = (total + section) * _MAG_VALUE[c] if c == "亿" or total < 1e8 else total + section * 1e4
            section, digit = 0.0, None
        else:
            section += (1 if digit is None else digit) * _MAG_VALUE[c]
            digit = None
    return total + section + (digit or 0)


def num_value(s: str) -> tuple[float | None, int, str]:
    """(value, decimals written, family) of an Arabic or Chinese numeral string."""
    if s[0].isdigit():
        t = s.replace(",", "").replace(" ", "")
        decimals = len(t.split(".")[1]) if "." in t else 0
        return float(t), decimals, "arabic"
    decimals = len(s.split("点")[1].rstrip("万亿")) if "点" in s else 0
    return cn_to_float(s), decimals, "chinese"


def cn_step(s: str) -> float:
    """Display step of a Chinese numeral: 两千 and 一万二千 are round to the thousand,
    七点三五万 to the hundred."""
    if "点" in s:
        head, tail = s.split("点", 1)
        digits = tail.rstrip("万亿")
        return 10.0 ** -len(digits) * _mags(tail[len(digits):])
    return {"百": 1e2, "佰": 1e2, "千": 1e3, "仟": 1e3, "万": 1e4, "亿": 1e8}.get(s[-1], 1.0)


def digit_by_digit(s: str) -> bool:
    """二〇二四, 一二三: digits read one by one (a year, a code), not a count."""
    return len(s) > 1 and not any(c in MAGNITUDES or c == "点" for c in s)


def pair_range(s: str) -> tuple[float, float, float] | None:
    """(low, high, step) of neighbouring digits that mean "about": 三四 (3–4), 七八十 (70–80),
    四五千, 十五六 (15–16), 一万六七 (16000–17000), 七百三四十 (730–740), 一两, 两三, 三五."""
    m = _PAIR_RE.fullmatch(s)
    if not m:
        return None
    a, b, pre, rest = m.group("a"), m.group("b"), m.group("pre") or "", m.group("rest")
    if (a, b) not in _PAIRS:
        if a not in _PAIR_DIGITS or b not in _PAIR_DIGITS or _PAIR_DIGITS.index(b) != _PAIR_DIGITS.index(a) + 1:
            return None
    lo, hi = cn_to_float(pre + a + rest), cn_to_float(pre + b + rest)
    if lo is None or hi is None or hi <= lo:
        return None
    if rest:
        step = _mags(rest)
    elif pre:
        step = _MAG_VALUE[pre[-1]] / 10
    else:
        step = 1.0
    return lo, hi, max(step, 1.0)
