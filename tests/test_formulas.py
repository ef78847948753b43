"""Formula list: bundled entries, comments, the DRAFTER_FORMULAS extra file, caching, bounds."""

from __future__ import annotations

import pytest

from drafter.errors import ConfigError
from drafter.numbers import formulas
from drafter.numbers.extract import extract


@pytest.mark.parametrize("formula", [
    "四个意识", "四个自信", "两个维护", "两个确立", "三会一课", "一岗双责", "三重一大", "四种形态",
    "第一议题", "双减", "十四五", "二十届三中全会", "党的二十大", "两学一做", "四风", "八项规定",
    "三服务", "最多跑一次", "五星级", "三严三实", "四个全面", "五位一体", "两个一百年", "四史",
    "三个代表", "两个务必", "四个伟大", "六稳六保", "一带一路", "1+X", "双一流", "双带头人",
    "两新组织", "四下基层", "三不腐", "三个区分开来", "第一种形态", "百年未有之大变局", "七一",
])
def test_bundled_list_has(formula):
    assert formula in formulas.formulas()


def test_comments_and_blank_lines_are_skipped():
    text = "# a comment\n\n四个意识  # trailing comment\n  两个维护\n#三会一课\n"
    assert formulas.parse_formula_lines(text) == ["四个意识", "两个维护"]


def test_no_comment_text_in_bundled_list():
    assert not [f for f in formulas.formulas() if "#" in f or f != f.strip()]


def test_extra_file_is_appended(tmp_path, monkeypatch):
    extra = tmp_path / "mine.txt"
    extra.write_text("# our own\n三抓三促\n", encoding="utf-8")
    assert "三抓三促" not in formulas.formulas()
    assert ("三抓", "formula") not in [(m.text, m.kind) for m in extract("开展三抓三促行动")]
    monkeypatch.setenv("DRAFTER_FORMULAS", str(extra))
    assert "三抓三促" in formulas.formulas()
    assert "四个意识" in formulas.formulas()  # appended, not replaced
    assert [(m.text, m.kind) for m in extract("开展三抓三促行动")] == [("三抓三促", "formula")]


def test_loading_is_cached(monkeypatch, tmp_path):
    formulas._load.cache_clear()
    formulas.formulas()
    formulas.formulas()
    assert formulas._load.cache_info().hits >= 1
    assert formulas._load.cache_info().misses == 1


def test_missing_extra_file_is_a_config_error(monkeypatch, tmp_path):
    monkeypatch.setenv("DRAFTER_FORMULAS", str(tmp_path / "nope.txt"))
    with pytest.raises(ConfigError, match="nope.txt"):
        formulas.formulas()


def test_longest_formula_wins():
    spans = formulas.find_formulas("深入学习党的二十届三中全会精神")
    assert len(spans) == 1
    a, b = spans[0]
    assert "深入学习党的二十届三中全会精神"[a:b] == "党的二十届三中全会"


@pytest.mark.parametrize("text", ["五十一人", "四点六一", "一百二十大", "十七一"])
def test_formula_not_glued_to_numerals(text):
    assert formulas.find_formulas(text) == []


def test_formula_followed_by_arabic_count():
    assert [(m.text, m.kind) for m in extract("创成五星级党支部3个")] == [("五星级党支部", "formula"), ("3个", "data")]
