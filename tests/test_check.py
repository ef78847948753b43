"""Matching: statuses, tolerance, units, derivations and their bounds, dates, severity."""

from __future__ import annotations

import pytest

from drafter.facts.load import facts_from_mapping
from drafter.numbers.check import check_text
from drafter.numbers.extract import data_mentions, parse_quantity
from drafter.numbers.match import quantity_matches, units_compatible, within

FACTS = facts_from_mapping({
    "title": "2024年市教育局党委书记抓基层党建工作述职",
    "period": "2024年",
    "facts": [
        {"name": "公办园覆盖面", "value": "62.55%", "previous": "12.4%"},
        {"name": "教育项目投资", "value": "12.73亿元", "note": "三年累计"},
        {"name": "新增学位", "value": "7620个"},
        {"name": "晚托惠及学生", "value": "12036名"},
        {"name": "教师总数", "value": "5000人", "previous": "4000人"},
        {"name": "学校数", "value": "120所", "previous": "100所"},
        {"name": "入党积极分子", "value": "35名"},
        {"name": "发展对象", "value": "15名"},
        {"name": "优良率", "value": "0.92"},
        {"name": "待填指标", "value": None},
    ],
})


def statuses(text: str, facts=FACTS) -> list[tuple[str, str]]:
    return [(f.mention.text, f.status) for f in check_text(text, facts).findings]


MATCHING = [
    # grounded, with the units normalised
    ("新增学位7620个。", "7620个", "grounded"),
    ("项目投资127300万元。", "127300万元", "grounded"),
    ("项目投资12.73亿。", "12.73亿", "grounded"),
    ("项目投资十二点七三亿元。", "十二点七三亿元", "grounded"),
    ("优良率92%。", "92%", "grounded"),
    ("惠及学生12036人。", "12036人", "grounded"),
    ("惠及学生1.2万名。", "1.2万名", "grounded"),
    # display rounding
    ("覆盖面62.6%。", "62.6%", "grounded"),
    ("覆盖面62.5%。", "62.5%", "grounded"),
    ("覆盖面63%。", "63%", "grounded"),
    ("覆盖面62.4%。", "62.4%", "ungrounded"),
    ("覆盖面62.56%。", "62.56%", "ungrounded"),
    # a wrong magnitude is not rounding
    ("项目投资12.73万元。", "12.73万元", "ungrounded"),
    ("项目投资1.273亿元。", "1.273亿元", "ungrounded"),
    ("新增学位76200个。", "76200个", "ungrounded"),
    # counting units: 人 is not 个; 名 is 人
    ("新增学位7620人。", "7620人", "ungrounded"),
    ("新增学位7620平方米。", "7620平方米", "ungrounded"),
    ("新增学位7620项。", "7620项", "grounded"),  # 个 is the generic classifier for things
    ("学校数120个。", "120个", "grounded"),
    ("学校数120人。", "120人", "ungrounded"),
    ("覆盖面62.55个百分点。", "62.55个百分点", "ungrounded"),
    # derivations with their cues
    ("覆盖面提高50.15个百分点。", "50.15个百分点", "derived"),
    ("覆盖面提高50.15%。", "50.15%", "ungrounded"),
    ("教师总数较上年增长25%。", "25%", "derived"),
    ("教师总数较上年增加1000人。", "1000人", "derived"),
    ("教师总数是上年的1.25倍。", "1.25倍", "derived"),
    ("教师总数较上年增长0.25倍。", "0.25倍", "derived"),
    ("学校数比上年多20所。", "20所", "derived"),
    ("入党积极分子和发展对象共计50名。", "50名", "derived"),
    ("入党积极分子比发展对象多20名。", "20名", "derived"),
    # ... and their bounds: no cue, no anchor, wrong operation
    ("教师总数达1000人。", "1000人", "ungrounded"),
    ("全市较上年增加1000人。", "1000人", "ungrounded"),
    ("共计50名。", "50名", "ungrounded"),
    ("教师总数较上年增长20%。", "20%", "ungrounded"),
]


@pytest.mark.parametrize("text, mention, status", MATCHING)
def test_matching(text, mention, status):
    found = dict(statuses(text))
    assert found[mention] == status, statuses(text)


def test_derived_carries_formula_and_source():
    f = [f for f in check_text("公办园覆盖面从12.4%提升到62.55%，提升50.15个百分点。", FACTS).findings
         if f.status == "derived"][0]
    assert f.formula == "62.55% − 12.4% = 50.15个百分点"
    assert f.source == "公办园覆盖面"
    assert f.severity == "info"


def test_grounded_cites_fact_name_and_value():
    f = check_text("新增学位7620个。", FACTS).findings[0]
    assert f.source == "新增学位: 7620个"
    prev = check_text("覆盖面原为12.4%。", FACTS).findings[0]
    assert prev.source == "公办园覆盖面（上期）: 12.4%"


DATES = [
    ("2024年新增学位7620个。", "2024年", "grounded"),  # the period year
    ("2023年以来。", "2023年", "grounded"),  # the year before, since facts carry previous values
    ("2019年以来。", "2019年", "ungrounded"),
    ("截至2024年5月27日。", "2024年5月27日", "ungrounded"),
    ("二〇二四年以来。", "二〇二四年", "grounded"),
]


@pytest.mark.parametrize("text, mention, status", DATES)
def test_dates(text, mention, status):
    f = [f for f in check_text(text, FACTS).findings if f.mention.text == mention][0]
    assert f.status == status
    if status == "ungrounded":
        assert f.severity == "warning"


def test_dates_in_facts_are_grounded():
    facts = facts_from_mapping({"facts": [{"name": "发布日期", "value": "2025-05-27"},
                                          {"name": "校长述职", "value": "16位", "note": "2019年分两批"}]})
    assert statuses("2025年5月27日发布，2019年起，5月27日") == [
        ("2025年5月27日", "ungrounded"), ("2019年", "ungrounded"), ("5月27日", "ungrounded")]
    assert [s for _, s in statuses("2025年5月27日发布，2019年起，5月27日", facts)] == ["grounded"] * 3


def test_quarter_grounded_by_period():
    facts = facts_from_mapping({"period": "2024年第三季度", "facts": []})
    assert statuses("第三季度，上半年", facts) == [("第三季度", "grounded"), ("上半年", "ungrounded")]


def test_anniversary_derived_from_period_year():
    facts = facts_from_mapping({"period": "2025年", "facts": []})
    f = check_text("纪念中国人民抗日战争胜利80周年。", facts).findings[0]
    assert f.status == "derived" and f.formula.startswith("2025 − 1945")
    assert check_text("纪念中国人民抗日战争胜利70周年。", facts).findings[0].status == "ungrounded"
    assert check_text("纪念80周年。", facts).findings[0].status == "ungrounded"  # no event named


SEVERITY = [
    ("分两批推进。", "warning"),  # small Chinese discourse count
    ("取得三项成果。", "warning"),
    ("取得3项成果。", "error"),  # Arabic: a metric
    ("培训十二批。", "error"),  # more than ten
    ("培训三场。", "error"),  # 场 is a metric classifier
    ("新增学位8000个。", "error"),
]


@pytest.mark.parametrize("text, severity", SEVERITY)
def test_severity_of_ungrounded(text, severity):
    f = check_text(text, FACTS).findings[0]
    assert f.status == "ungrounded" and f.severity == severity


def test_formulas_placeholders_markers():
    assert statuses("一是增强“四个意识”，学习X次，**中学。") == [
        ("四个意识", "formula"), ("X", "placeholder"), ("**", "placeholder")]


def test_line_column_and_sentence():
    text = "第一行没有数字。\n第二行：新增学位8000个，覆盖面62.55%。"
    f = check_text(text, FACTS).findings
    assert [(x.mention.text, x.line, x.column) for x in f] == [("8000个", 2, 9), ("62.55%", 2, 18)]
    assert f[0].sentence == "第二行：新增学位8000个，覆盖面62.55%"


def test_report_summary_and_flags():
    r = check_text("新增学位7620个，8000人，学习X次，“四个意识”，提高50.15个百分点的覆盖面。", FACTS)
    assert r.summary == {"grounded": 1, "derived": 1, "formula": 1, "placeholder": 1, "ungrounded": 1,
                         "misattributed": 0, "unbound": 0, "errors": 1, "warnings": 1, "to_fill": 1}
    assert r.has_errors and r.has_placeholders
    assert r.to_fill == ("待填指标",)
    clean = check_text("新增学位7620个。", FACTS)
    assert not clean.has_errors and not clean.has_placeholders and clean.summary["grounded"] == 1


def test_check_text_is_pure_and_repeatable():
    text = "新增学位8000个，覆盖面62.55%。"
    assert check_text(text, FACTS) == check_text(text, FACTS)


def test_empty_facts_flag_every_number():
    empty = facts_from_mapping({"facts": []})
    assert statuses("新增学位7620个。", empty) == [("7620个", "ungrounded")]


def test_ranges_need_both_ends():
    facts = facts_from_mapping({"facts": [{"name": "专职党务干部（下限）", "value": "3名"},
                                          {"name": "专职党务干部（上限）", "value": "5名"}]})
    assert statuses("每校配备专职党务干部3-5名。", facts) == [("3-5名", "grounded")]
    assert statuses("每校配备专职党务干部3-6名。", facts) == [("3-6名", "ungrounded")]


@pytest.mark.parametrize("m, f, ok", [
    ("人", "名", True), ("名", "位", True), ("个", "所", True), ("个", "项", True), ("个", "人", False),
    ("人", "所", False), ("人次", "人", False), ("", "元", True), ("", "%", False), ("%", "个百分点", False),
    ("亩", "平方米", False), ("元", "元", True),
])
def test_units_compatible(m, f, ok):
    assert units_compatible(m, f) is ok


@pytest.mark.parametrize("f, m, step, qual, ok", [
    (62.55, 62.6, 0.1, "", True), (62.55, 62.5, 0.1, "", True), (62.55, 62.4, 0.1, "", False),
    (93, 90, 1, "多", True), (100, 90, 1, "多", False), (196, 200, 1, "近", True), (170, 200, 1, "近", False),
    (2950, 3000, 1, "约", True), (2500, 3000, 1, "约", False), (1.273e9, 1.273e5, 1e2, "", False),
])
def test_within(f, m, step, qual, ok):
    assert within(f, m, step, qual) is ok


def test_unitless_fraction_fact_matches_percent():
    m = data_mentions("优良率92.0%")[0]
    assert quantity_matches(m, parse_quantity("0.92"))


# --- units of one kind, approximate ranges, sign and direction (issue 16) ----------------------

MEASURES = facts_from_mapping({
    "period": "2024年",
    "facts": [
        {"name": "流转土地", "value": "525亩"},
        {"name": "配送物资", "value": "40千克"},
        {"name": "河道清淤", "value": "23.6公里"},
        {"name": "惠及农户", "value": "76户"},
        {"name": "户均增收", "value": "4500元"},
        {"name": "公用经费", "value": "−35万元"},
        {"name": "工业增加值增速", "value": "-3.2%"},
        {"name": "培训人次", "value": "3.6万人次"},
        {"name": "办公用房", "value": "1.2万平方米"},
    ],
})


@pytest.mark.parametrize("text, mention, status", [
    ("流转土地35公顷。", "35公顷", "grounded"),  # 525亩 = 35公顷
    ("流转土地36公顷。", "36公顷", "ungrounded"),
    ("流转土地350000平方米。", "350000平方米", "grounded"),
    ("配送物资40kg。", "40kg", "grounded"),
    ("配送物资80斤。", "80斤", "grounded"),
    ("配送物资0.04吨。", "0.04吨", "grounded"),
    ("配送物资41kg。", "41kg", "ungrounded"),
    ("完成河道清淤23.6km。", "23.6km", "grounded"),
    ("完成河道清淤23600米。", "23600米", "grounded"),
    ("办公用房1.2万m²。", "1.2万m²", "grounded"),
    ("办公用房18亩。", "18亩", "grounded"),  # 12000平方米 = 18亩
    # an approximate range holds the fact; 76户 is 七八十, not 八九十
    ("惠及农户七八十户。", "七八十户", "grounded"),
    ("惠及农户八九十户。", "八九十户", "ungrounded"),
    ("户均增收四五千元。", "四五千元", "grounded"),
    ("户均增收五六千元。", "五六千元", "ungrounded"),
    # sign and direction word agree
    ("公用经费减少35万元。", "35万元", "grounded"),
    ("公用经费增加35万元。", "35万元", "ungrounded"),
    ("公用经费为-35万元。", "-35万元", "grounded"),
    ("工业增加值同比下降3.2%。", "3.2%", "grounded"),
    ("工业增加值同比增长3.2%。", "3.2%", "ungrounded"),
    ("工业增加值增长-3.2%。", "-3.2%", "grounded"),
    ("工业增加值增速为负三点二%。", "负三点二%", "grounded"),
    # a figure split by a line break, as pasted from a PDF
    ("全年累计培训3.6 万\n人次，覆盖全部乡镇。", "3.6 万\n人次", "grounded"),
    ("全年累计培训3.7 万\n人次，覆盖全部乡镇。", "3.7 万\n人次", "ungrounded"),
])
def test_units_ranges_and_direction(text, mention, status):
    assert dict(statuses(text, MEASURES))[mention] == status


def test_explicit_range_still_needs_both_ends():
    # 3-6名 states two numbers; a fact inside does not ground the upper end (see test above)
    facts = facts_from_mapping({"facts": [{"name": "配备", "value": "4名"}]})
    assert statuses("配备3-6名。", facts) == [("3-6名", "ungrounded")]
    assert statuses("配备三四名。", facts) == [("三四名", "grounded")]


@pytest.mark.parametrize("m, f, ok", [
    ("kg", "千克", True), ("公斤", "千克", True), ("km", "公里", True), ("℃", "摄氏度", True), ("m²", "平方米", True),
    ("公顷", "亩", False), ("kg", "斤", False), ("kg", "km", False),
])
def test_unit_spellings_are_compatible(m, f, ok):
    assert units_compatible(m, f) is ok


@pytest.mark.parametrize("name, value, right, wrong", [
    ("培训", "7.35万人次", "全年培训七点三五万人次。", "全年培训七点三六万人次。"),
    ("投入资金", "2.8亿元", "投入资金二点八亿元。", "投入资金二点九亿元。"),
    ("收到捐款", "32000元", "收到捐款叁万贰仟元整。", "收到捐款叁万叁仟元整。"),
    ("参训人数", "305", "参训人数：三百零五", "参训人数：三百零六"),
    ("开展时间", "2019年", "二〇一九年以来成效明显。", "二〇一八年以来成效明显。"),
    ("举办培训班", "80期", "累计举办培训班八十期。", "累计举办培训班九十期。"),
    ("全年结余", "-3", "全年结余：负三", "全年结余：负四"),
    ("新建校舍", "850平方米", "新建校舍850m²。", "新建校舍860m²。"),
    ("累计培训", "36000人次", "全年累计培训3.6 万\n人次。", "全年累计培训3.9 万\n人次。"),
])
def test_a_wrong_digit_in_every_new_form_is_caught(name, value, right, wrong):
    facts = facts_from_mapping({"period": "2024年", "facts": [{"name": name, "value": value}]})
    assert [s for _, s in statuses(right, facts)] == ["grounded"]
    assert [s for _, s in statuses(wrong, facts)] == ["ungrounded"]
