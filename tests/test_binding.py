"""Numbers bound to what they count (issue 15): the indicator of a number, name matching,
misattributed and unbound numbers, derivations from named operands only, years as facts."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from drafter.facts.load import facts_from_mapping
from drafter.numbers.bind import bind_sentence
from drafter.numbers.check import check_text
from drafter.numbers.extract import extract
from drafter.numbers.naming import NameIndex, content
from drafter.ui.check_view import render_check_report

FACTS = facts_from_mapping({
    "title": "2025年区直机关工委党建工作总结",
    "period": "2025年",
    "facts": [
        {"name": "党员总数", "value": "1286名", "previous": "1243名", "aliases": ["机关党员"]},
        {"name": "基层党组织", "value": "68个", "previous": "65个"},
        {"name": "机关党委", "value": "9个"},
        {"name": "党总支", "value": "14个"},
        {"name": "党支部", "value": "45个"},
        {"name": "发展党员", "value": "42名", "previous": "37名"},
        {"name": "入党积极分子", "value": "115名"},
        {"name": "发展对象", "value": "46名"},
        {"name": "主题党日活动", "value": "312场", "previous": "286场"},
        {"name": "读书活动", "value": "19场"},
        {"name": "红色教育基地", "value": "12个"},
        {"name": "专题党课", "value": "86场"},
        {"name": "警示教育大会", "value": "27场"},
        {"name": "谈心谈话", "value": "530人次"},
        {"name": "党建工作经费", "value": "386万元", "previous": "342万元"},
        {"name": "党员志愿服务时长", "value": "1.86万小时"},
        {"name": "排查问题", "value": "173个"},
        {"name": "完成整改问题", "value": "165个"},
        {"name": "党支部书记“双带头人”比例", "value": "92.6%", "previous": "88.2%"},
        {"name": "地方一般公共预算收入", "value": "32.6亿元", "previous": "30.1亿元"},
        {"name": "地方一般公共预算收入增速", "value": "8.3%"},
        {"name": "税收收入", "value": "25.4亿元"},
        {"name": "城镇居民人均可支配收入", "value": "52680元"},
        {"name": "农村居民人均可支配收入", "value": "28940元"},
        {"name": "固定资产投资", "value": "215.7亿元"},
        {"name": "固定资产投资增速", "value": "4.1%"},
        {"name": "获评全省模范机关建设示范单位", "value": "2023年"},
    ],
})


def statuses(text: str, facts=FACTS) -> list[tuple[str, str]]:
    return [(f.mention.text, f.status) for f in check_text(text, facts).findings]


# --- the indicator a number is bound to -----------------------------------------------------------


def bind(text: str):
    ms = [m for m in extract(text) if m.kind in ("data", "date")]
    return {m.text: b for m, b in zip(ms, bind_sentence(text, 0, len(text), ms))}


@pytest.mark.parametrize("text, number, indicator, side", [
    ("全年发展党员42名。", "42名", "发展党员", "before"),
    ("累计开展312场主题党日活动、86场专题党课。", "86场", "专题党课", "after"),
    ("受理来信436件、来访120批。", "120批", "来访", "before"),
    ("基层党组织68个，其中机关党委9个、党总支14个。", "14个", "党总支", "before"),
    ("对7个软弱涣散村党组织开展集中整顿。", "7个", "软弱涣散村党组织", "after"),
    ("城镇、农村居民人均可支配收入分别达到52680元、28940元。", "28940元", "农村居民人均可支配收入", "list"),
    ("城镇、农村居民人均可支配收入分别达到52680元、28940元。", "52680元", "城镇居民人均可支配收入", "list"),
    ("第一、二、三产业增加值分别为31.2亿元、198.6亿元和256.5亿元。", "198.6亿元", "二产业增加值", "list"),
    ("推动机关党组织与23个村（社区）结对共建。", "23个", "村（社区）结对共建", "after"),
    ("实现地区生产总值486.3亿元，增长5.8%。", "5.8%", "", "inherited"),
    # drafter's own mark after a number names nothing: the indicator is what follows it
    ("对7个〔待核：数据中没有这个数字〕软弱涣散村党组织开展集中整顿。", "7个", "软弱涣散村党组织", "after"),
])
def test_indicator(text, number, indicator, side):
    b = bind(text)[number]
    assert (b.indicator, b.side) == (indicator, side)


@pytest.mark.parametrize("text, number, cue, vs_previous, past, obj", [
    ("较上年增加5名。", "5名", "up", True, False, ""),
    ("同比增长12.9%。", "12.9%", "up", True, False, ""),
    ("较上年减少85人。", "85人", "down", True, False, ""),
    ("比上年多26场。", "26场", "up", True, False, ""),
    ("超出年度招聘计划36名。", "36名", "up", False, False, "年度招聘计划"),
    ("高于全县农民收入增幅3.1个百分点。", "3.1个百分点", "up", False, False, "全县农民收入增幅"),
    ("占一般公共预算收入的77.9%。", "77.9%", "share", False, False, "一般公共预算收入"),
    ("民生支出占比79.6%。", "79.6%", "share", False, False, ""),
    ("完成年度目标的107.6%。", "107.6%", "share", False, False, "年度目标"),
    ("是上年的1.4倍。", "1.4倍", "ratio", True, False, ""),
    ("平均每所学校投入1.41亿元。", "1.41亿元", "avg", False, False, ""),
    ("人均14.5小时。", "14.5小时", "avg", False, False, ""),
    ("各类活动合计444场。", "444场", "sum", False, False, ""),
    ("剩余8个问题均已整改。", "8个", "remainder", False, False, ""),
    ("党员总数由上年的1243名增加到1286名。", "1243名", "", False, True, ""),
    ("覆盖面原为12.4%。", "12.4%", "", False, True, ""),
    ("党员总数由上年的1243名增加到1286名。", "1286名", "", False, False, ""),
])
def test_operation_words(text, number, cue, vs_previous, past, obj):
    b = bind(text)[number]
    assert (b.cue, b.vs_previous, b.past, b.obj) == (cue, vs_previous, past, obj)


def test_breakdown_parts_know_their_whole():
    text = "全县市级以上龙头企业48家，其中国家级2家、省级13家。"
    ms = [m for m in extract(text) if m.kind == "data"]
    bs = bind_sentence(text, 0, len(text), ms)
    assert [b.whole for b in bs] == [None, 0, 0]


# --- which fact a phrase names ----------------------------------------------------------------------

NAMES = NameIndex([(0, "地方一般公共预算收入"), (1, "社会消费品零售总额"), (2, "工业总产值"), (3, "高级职称教师"),
                   (4, "中级职称教师"), (5, "党员总数"), (6, "党费收缴"), (7, "谈心谈话"), (8, "生猪出栏"),
                   (9, "规模以上工业企业")])


@pytest.mark.parametrize("phrase, fact", [
    ("全年完成一般公共预算收入", 0),  # a dropped word and an added verb
    ("社零总额", 1),  # an abbreviation keeps the order of its characters
    ("工业产值", 2),
    ("具有高级职称的", 3),
    ("中级职称的", 4),
    ("党员", 5),  # a generic tail (总数) may be left out
    ("收缴党费", 6),  # the same characters in another order
    ("规上工业企业", 9),
])
def test_a_reworded_phrase_names_its_fact(phrase, fact):
    best, score = NAMES.best(phrase)
    assert best == fact and score.names


@pytest.mark.parametrize("phrase", ["廉政谈话", "肉牛出栏", "国有土地使用权出让收入", "困难党员慰问金", "配备"])
def test_a_different_indicator_names_no_fact(phrase):
    assert not any(s.names for s in NAMES.scores(phrase).values())


def test_edge_words_are_not_content():
    assert content("全年完成地方一般公共预算收入达到") == "地方一般公共预算收入"
    assert content("全程网办事项") == "全程网办事项"  # 全 alone is not an edge word


# --- statuses ---------------------------------------------------------------------------------------

STATUSES = [
    # grounded: value and indicator agree
    ("全年发展党员42名。", {"42名": "grounded"}),
    ("共有机关党员1286名。", {"1286名": "grounded"}),  # alias
    ("全年收缴党费386万元。", {"386万元": "misattributed"}),  # 党费 is not 党建工作经费
    # exchanged figures of one unit: both misattributed
    ("确定入党积极分子46名、发展对象115名。", {"46名": "misattributed", "115名": "misattributed"}),
    ("城镇、农村居民人均可支配收入分别达到28940元、52680元。", {"28940元": "misattributed", "52680元": "misattributed"}),
    # a figure under an indicator the facts do not have
    ("全年开展廉政谈话530人次。", {"530人次": "misattributed"}),
    # a figure of this period written as last period's
    ("党员总数由上年的1286名增加到1243名。", {"1286名": "misattributed", "1243名": "ungrounded"}),
    # no indicator to judge: a warning, not a guess
    ("全年达到530人次。", {"530人次": "unbound"}),
    # chance sums are not derivations: 19 + 12 = 31, but 31 is not 读书活动
    ("全年共举办读书活动31场，建成红色教育基地12个。", {"31场": "ungrounded"}),
    ("专题党课86场、警示教育大会27场，累计组织主题党日活动425场。", {"425场": "ungrounded"}),
    # totals of all the listed parts (up to six), never of a chance subset
    ("主题党日活动312场、专题党课86场、警示教育大会27场、读书活动19场，合计444场。", {"444场": "derived"}),
    ("主题党日活动312场、专题党课86场、警示教育大会27场、读书活动19场，合计425场。", {"425场": "ungrounded"}),
    ("入党积极分子和发展对象共计161名。", {"161名": "derived"}),
    # changes of a named fact against its own previous value, one digit included
    ("全年发展党员42名，较上年增加5名。", {"5名": "derived"}),
    ("全年发展党员42名，较上年增加6名。", {"6名": "ungrounded"}),
    ("全年发展党员42名，较上年减少5名。", {"5名": "ungrounded"}),  # the direction counts
    ("党建工作经费386万元，同比增长12.9%。", {"12.9%": "derived"}),
    ("党建工作经费386万元，同比增长11.4%。", {"11.4%": "ungrounded"}),
    ("“双带头人”比例达到92.6%，较上年提高4.4个百分点。", {"4.4个百分点": "derived"}),
    ("基层党组织达到68个，是上年的1.05倍。", {"1.05倍": "derived"}),
    ("全区实现一般公共预算收入32.6亿元，增长8.3%。", {"8.3%": "derived"}),  # (32.6 − 30.1) ÷ 30.1
    ("全区固定资产投资完成215.7亿元，增长4.1%。", {"4.1%": "grounded"}),  # the rate fact of the subject
    # shares, averages, remainders of named operands
    ("排查问题173个，完成整改165个，整改完成率95.4%，剩余8个。", {"95.4%": "derived", "8个": "derived"}),
    ("一般公共预算收入32.6亿元，其中税收收入25.4亿元，占77.9%。", {"77.9%": "derived"}),
    ("引导机关党员参加志愿服务，志愿服务时长1.86万小时，人均14.5小时。", {"14.5小时": "derived"}),
    ("基层党组织68个，其中机关党委9个、党总支14个、党支部45个。", {"45个": "grounded"}),
    # a random figure with a cue and no named operand is not explained
    ("全年举办读书活动19场，较上年增加7场。", {"7场": "ungrounded"}),
    ("较上年增加43名。", {"43名": "ungrounded"}),
    # last period's figure as this period's
    ("全区直机关现有党员1243名。", {"1243名": "ungrounded"}),
]


@pytest.mark.parametrize("text, expected", STATUSES)
def test_status(text, expected):
    got = dict(statuses(text))
    assert {k: got.get(k) for k in expected} == expected, got


YEARS = [
    ("2025年，全区开展主题党日活动312场。", "grounded"),
    ("2024年，全区开展主题党日活动312场。", "ungrounded"),  # this period's figures under last year
    ("2024年，全区主题党日活动由上年的286场增加到312场。", "ungrounded"),
    ("自2022年获评全省模范机关建设示范单位以来，工作持续深化。", "ungrounded"),  # the facts say 2023
    ("自2023年获评全省模范机关建设示范单位以来，工作持续深化。", "grounded"),
    ("2019年以来，各项工作有序推进。", "ungrounded"),  # context year: a warning only
]


@pytest.mark.parametrize("text, status", YEARS)
def test_years_are_facts_too(text, status):
    f = check_text(text, FACTS).findings[0]
    assert f.mention.kind == "date" and f.status == status
    if "2019" in text:
        assert f.severity == "warning"
    elif status == "ungrounded":
        assert f.severity == "error"


def test_a_year_heading_a_paragraph_of_this_periods_figures():
    text = "2026年是“十五五”开局之年。一年来，全区开展主题党日活动312场。"
    f = check_text(text, FACTS).findings[0]
    assert (f.mention.text, f.status, f.severity) == ("2026年", "ungrounded", "error")
    later = "2026年是“十五五”开局之年。我们将继续努力。"
    assert check_text(later, FACTS).findings[0].severity == "warning"


# --- explanations, JSON, view ------------------------------------------------------------------


def test_misattributed_names_both_facts():
    f = check_text("确定入党积极分子46名。", FACTS).findings[0]
    assert f.status == "misattributed" and f.severity == "error"
    assert f.source == "46名 is not 入党积极分子 (115名); 46名 is the figure of 发展对象"
    assert (f.indicator, f.fact) == ("确定入党积极分子", "入党积极分子")
    wrong = check_text("全年共举办读书活动31场。", FACTS).findings[0]
    assert wrong.source == "31场 is not 读书活动 (19场); no supplied figure for 读书活动 is 31场"


def test_json_carries_indicator_and_fact():
    report = check_text("全年发展党员42名，较上年增加5名。确定入党积极分子46名。", FACTS)
    rows = [f.to_json() for f in report.findings]
    assert [(r["text"], r["status"], r["indicator"], r["fact"]) for r in rows] == [
        ("42名", "grounded", "发展党员", "发展党员"),
        ("5名", "derived", "increase", "发展党员"),
        ("46名", "misattributed", "确定入党积极分子", "入党积极分子"),
    ]
    assert report.summary["misattributed"] == 1 and report.has_errors
    assert [f.mention.text for f in report.ungrounded_errors] == ["46名"]
    json.dumps(report.to_json(), ensure_ascii=False)


def test_view_shows_the_new_statuses():
    console = Console(record=True, width=200)
    render_check_report(console, check_text("确定入党积极分子46名。全年达到530人次。", FACTS), "d.md")
    out = console.export_text()
    assert "misattributed" in out and "46名 is the figure of 发展对象" in out
    assert "unbound" in out and "names no indicator" in out
    assert "1 misattributed" in out and "1 unbound" in out
