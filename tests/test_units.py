"""Units of one kind convert; numerals cn2an does not read are read around it."""

from __future__ import annotations

import pytest

from drafter.numbers import units
from drafter.numbers.numerals import cn_step, cn_to_float, normalise, pair_range


@pytest.mark.parametrize("value, src, dst, want", [
    (525, "亩", "公顷", 35), (35, "公顷", "平方米", 350000), (1, "平方公里", "公顷", 100), (1, "公顷", "亩", 15),
    (80, "斤", "千克", 40), (2, "吨", "公斤", 2000), (40, "kg", "千克", 40), (500, "克", "斤", 1),
    (23.6, "km", "米", 23600), (185, "公分", "米", 1.85), (3.2, "MW", "千瓦", 3200), (1.5, "小时", "分钟", 90),
    (5, "毛", "元", 0.5), (2, "万元", "元", None), (3, "亩", "千克", None), (3, "人", "名", None),
])
def test_convert(value, src, dst, want):
    got = units.convert(value, src, dst)
    assert got == (pytest.approx(want) if want is not None else None)


def test_base_and_same():
    assert units.base(35, "公顷") == (pytest.approx(350000), "平方米")
    assert units.base(3, "人") is None
    assert units.same("kg", "公斤") and units.same("km²", "平方公里") and not units.same("亩", "公顷")


@pytest.mark.parametrize("s, want", [
    ("七点三五万", 73500), ("十二点七三亿", 1.273e9), ("零点零零五", 0.005), ("叁万贰仟", 32000),
    ("伍亿柒仟万拾柒", 570000017), ("一億一千萬", 1.1e8), ("廿二", 22), ("百", 100), ("一百一", 110),
    ("二十三万三千一百二十三点九九四零亿", 2.331239940e13),
])
def test_cn_to_float(s, want):
    assert cn_to_float(normalise(s)) == pytest.approx(want)


@pytest.mark.parametrize("s, want", [
    ("七八十", (70, 80, 10)), ("四五千", (4000, 5000, 1000)), ("十五六", (15, 16, 1)), ("一万六七", (16000, 17000, 1000)),
    ("三四十万", (300000, 400000, 100000)), ("一两", (1, 2, 1)), ("三五", (3, 5, 1)), ("七百三四十", (730, 740, 10)),
    ("三七", None), ("二十三", None), ("一二三", None), ("二〇二四", None),
])
def test_pair_range(s, want):
    assert pair_range(s) == want


def test_step_of_a_chinese_decimal_with_magnitude():
    assert cn_step("七点三五万") == pytest.approx(100)
    assert cn_step("两千") == 1000


def test_normalise_keeps_offsets():
    text = "１２．５萬元，負三點五，−0.8%"
    assert len(normalise(text)) == len(text)
    assert normalise(text) == "12.5万元，负三点五，-0.8%"
