"""Extraction: what counts as a number, with what value, unit, qualifier and kind."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.numbers.extract import data_mentions, extract, has_placeholder, parse_quantity


def kinds(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.kind) for m in extract(text)]


def only(text: str):
    ms = [m for m in extract(text) if m.kind != "marker"]
    assert len(ms) == 1, ms
    return ms[0]


# (text, mention text, kind, value, unit, qualifier)
CASES = [
    ("惠及学生12036名。", "12036名", "data", 12036, "名", ""),
    ("惠及学生12,036名。", "12,036名", "data", 12036, "名", ""),
    ("惠及学生１２０３６名。", "１２０３６名", "data", 12036, "名", ""),
    ("人均达到23.5小时。", "23.5小时", "data", 23.5, "小时", ""),
    ("项目投资12.73亿，", "12.73亿", "data", 1.273e9, "", ""),
    ("项目投资12.73亿元。", "12.73亿元", "data", 1.273e9, "元", ""),
    ("投入3.5万元。", "3.5万元", "data", 35000, "元", ""),
    ("共127300万元。", "127300万元", "data", 1.273e9, "元", ""),
    ("覆盖面62.55%。", "62.55%", "data", 62.55, "%", ""),
    ("覆盖面百分之六十二点五五。", "百分之六十二点五五", "data", 62.55, "%", ""),
    ("差错率千分之三。", "千分之三", "data", 0.3, "%", ""),
    ("差错率3‰。", "3‰", "data", 0.3, "%", ""),
    ("提升50.15个百分点。", "50.15个百分点", "data", 50.15, "个百分点", ""),
    ("提升5百分点。", "5百分点", "data", 5, "个百分点", ""),
    ("增速居全市第2位。", "第2位", "data", 2, "位", "ordinal"),
    ("约占全市的1/3。", "1/3", "data", 100 / 3, "%", "fraction"),
    ("差错率万分之三。", "万分之三", "data", 0.03, "%", ""),
    ("同比增长-3.2%。", "-3.2%", "data", -3.2, "%", ""),
    ("比例不到10%。", "不到10%", "data", 10, "%", "不到"),
    ("人均GDP超1.5万美元。", "超1.5万美元", "data", 15000, "美元", "超"),
    ("城乡居民收入翻了一番。", "翻了一番", "data", 2, "倍", ""),
    ("经济总量翻两番。", "翻两番", "data", 4, "倍", ""),
    ("三成学校。", "三成", "data", 30, "%", ""),
    ("增长1.5倍。", "1.5倍", "data", 1.5, "倍", ""),
    ("接纳两万零九百六十八人。", "两万零九百六十八人", "data", 20968, "人", ""),
    ("学位七千六百二十个。", "七千六百二十个", "data", 7620, "个", ""),
    ("一万二千零三十六名学生。", "一万二千零三十六名", "data", 12036, "名", ""),
    ("两千名教师。", "两千名", "data", 2000, "名", ""),
    ("百名机关党员干部。", "百名", "data", 100, "名", ""),
    ("十二点七三亿元。", "十二点七三亿元", "data", 1.273e9, "元", ""),
    ("整改了90多个支部。", "90多个", "data", 90, "个", "多"),
    ("近200个问题。", "近200个", "data", 200, "个", "近"),
    ("开展30余场。", "30余场", "data", 30, "场", "余"),
    ("开展三十余场。", "三十余场", "data", 30, "场", "余"),
    ("超过1万人次。", "超过1万人次", "data", 10000, "人次", "超过"),
    ("约1.2万人。", "约1.2万人", "data", 12000, "人", "约"),
    ("100人左右。", "100人左右", "data", 100, "人", "左右"),
    ("三分之一的学校。", "三分之一", "data", 100 / 3, "%", "fraction"),
    ("配备3-5名。", "3-5名", "data", 3, "名", "range"),
    ("配备3～5名。", "3～5名", "data", 3, "名", "range"),
    ("配备三至五名。", "三至五名", "data", 3, "名", "range"),
    ("三四个联络员。", "三四个", "data", 3, "个", "approx"),
    ("连续三年荣获。", "三年", "data", 3, "年", ""),
    ("胜利80周年。", "80周年", "data", 80, "周年", ""),
    ("测评名列第一。", "第一", "data", 1, "名", "ordinal"),
    ("获得第三名。", "第三名", "data", 3, "名", "ordinal"),
    ("增幅居全市第一。", "第一", "data", 1, "名", "ordinal"),
    ("分两批推进。", "两批", "data", 2, "批", ""),
    ("扩容教育用地290.59亩，", "290.59亩", "data", 290.59, "亩", ""),
    ("建设面积3200平方米。", "3200平方米", "data", 3200, "平方米", ""),
    # dates
    ("2024年以来，", "2024年", "date", 2024, "年", ""),
    ("二〇二四年以来，", "二〇二四年", "date", 2024, "年", ""),
    ("二○二四年以来，", "二○二四年", "date", 2024, "年", ""),
    ("截至5月27日，", "5月27日", "date", 527, "日", ""),
    ("2025-05-27发布", "2025-05-27", "date", 2025, "日", ""),
    ("2024年5月27日召开", "2024年5月27日", "date", 2024, "日", ""),
    ("第三季度期间", "第三季度", "date", 3, "季度", ""),
    ("上半年以来", "上半年", "date", 1, "半年", ""),
    ("五月二十七日", "五月二十七日", "date", 527, "日", ""),
    # placeholders
    ("学习X次", "X", "placeholder", None, "", ""),
    ("预备党员XXX名", "XXX", "placeholder", None, "", ""),
    ("**中学获评", "**", "placeholder", None, "", ""),
    ("时代楷模*校长", "*", "placeholder", None, "", ""),
    ("全年培训【待补】人次", "【待补】", "placeholder", None, "", ""),
    ("满意度〔待核：问卷〕", "〔待核：问卷〕", "placeholder", None, "", ""),
    ("××同志", "××", "placeholder", None, "", ""),
    # formulas
    ("增强“四个意识”", "四个意识", "formula", 4, "", ""),
    ("党的二十届三中全会精神", "党的二十届三中全会", "formula", 20, "", ""),
    ("出台《教育年度“100”计划》", "100", "formula", 100, "", ""),
    ("根据浙教〔2024〕12号文件", "〔2024〕12号", "formula", None, "", ""),
]


@pytest.mark.parametrize("text, mtext, kind, value, unit, qualifier", CASES)
def test_extract_table(text, mtext, kind, value, unit, qualifier):
    m = only(text)
    assert (m.text, m.kind, m.unit, m.qualifier) == (mtext, kind, unit, qualifier)
    assert text[m.start:m.end] == mtext  # spans index the original text, full-width and all
    if value is None:
        assert m.value is None
    else:
        assert m.value == pytest.approx(value)


NOT_DATA = [
    "一些学校", "一定成效", "一直坚持", "进一步加强", "一体化发展", "统一思想", "唯一标准", "争创一流",
    "第一责任人", "一把手", "万无一失", "千方百计", "百年大计", "十分重要", "一起努力", "一系列措施",
    "一个鲜明特色", "培育一批示范点", "深入一线", "千家万户", "三番五次", "第三卷", "第三轮", "第一批",
    "十几个支部", "数十所学校", "五大集镇", "“四强”支部", "一年来", "近年来", "零容忍", "一周时间",
    "一人一技", "六赛六拼", "两战硬", "一次性告知", "三十年河东，三十年河西", "这一季度里",
    "这是**重点工作**，", "* 列表项", "002961825/2025-170757",
    "建成5G基站", "3D打印", "G20峰会", "通过ISO9001认证", "编号A-12", "每万人拥有", "每百户", "每3年一次",
    "万分感谢",
]


@pytest.mark.parametrize("text", NOT_DATA)
def test_not_data(text):
    assert [m for m in extract(text) if m.kind == "data"] == []


MARKERS = [
    ("一是强化政治属性。", "一是"), ("二、存在的不足", "二、"), ("（三）突出内涵建设", "（三）"),
    ("(一)坚持规范提升", "(一)"), ("1.强化政治机关建设", "1."), ("1、加强学习", "1、"),
    ("第一，提高站位", "第一"), ("活动 3.加强思想政治引领", "3."), ("①学习", "①"), ("（2）落实", "（2）"),
]


@pytest.mark.parametrize("text, marker", MARKERS)
def test_markers(text, marker):
    ms = extract(text)
    assert ms and ms[0].kind == "marker" and ms[0].text == marker
    assert not data_mentions(text)


def test_marker_needs_a_break_before_it():
    # 共3.5万: a decimal is not a marker
    assert [m.text for m in data_mentions("共3.5万人")] == ["3.5万人"]


def test_structure_count_followed_by_its_parts():
    text = "我就“五个突出”汇报如下：\n一是突出政治。\n二是突出从严。\n三是突出组织。\n四是突出立德。\n五是突出服务。"
    assert ("五个", "structure") in kinds(text)


def test_structure_count_needs_the_right_number_of_parts():
    text = "主要有五个方面：一是学习不够；二是调研不够；三是整改不够。"
    assert ("五个", "data") in kinds(text)
    text3 = "主要有三个方面：一是学习不够；二是调研不够；三是整改不够。"
    assert ("三个", "structure") in kinds(text3)


def test_quoted_slogan_is_formula_but_quoted_measure_is_data():
    assert ("五个", "formula") in kinds("突出“五个载体”形式多样学。")
    assert ("1", "formula") in kinds("按照“1+2”模式")
    assert ("3000人", "data") in kinds("实现“培训3000人”目标")


def test_cn2an_name_gap_is_not_ours():
    # cn2an.transform turns the name 张三 into 张3; extract never touches it.
    assert cn2an.transform("张三") == "张3"
    assert extract("张三同志") == []


def test_years_inside_numbers_are_not_dates():
    assert [m.kind for m in extract("共12036年")] == ["data"]


def test_multiplication_sign_is_not_placeholder():
    assert not has_placeholder("面积3×5米")
    assert has_placeholder("学习X次")
    assert has_placeholder("全年培训【待补】人次")
    assert not has_placeholder("学习3次")


def test_data_mentions_only_data():
    ms = data_mentions("一是2024年新增学位7620个，增强“四个意识”，学习X次。")
    assert [m.text for m in ms] == ["7620个"]


def test_step_tracks_displayed_precision():
    assert only("12.73亿").step == pytest.approx(1e6)
    assert only("62.5%").step == pytest.approx(0.1)
    assert only("两千名").step == pytest.approx(1000)
    assert only("12036名").step == 1


@pytest.mark.parametrize("value, number, unit", [
    ("62.55%", 62.55, "%"), ("12.73亿元", 1.273e9, "元"), ("7620个", 7620, "个"), ("第一", 1, "名"),
    ("一周", 1, "周"), ("近200个", 200, "个"), ("百名", 100, "名"), ("三年一周期、五年全覆盖", 3, "年"),
])
def test_parse_quantity_is_lenient(value, number, unit):
    q = parse_quantity(value)
    assert q is not None and q.value == pytest.approx(number) and q.unit == unit


# --- property: every rendering of a number reads back to that number --------------------------

_FW = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _renderings(n: int) -> list[str]:
    forms = [str(n), f"{n:,}", str(n).translate(_FW)]
    cn = cn2an.an2cn(str(n))
    # cn2an's own gap: an2cn(900008064) = 九亿八千零六十四 (no 零 after 亿), which reads back
    # as something else. Only round-tripping renderings are fair game.
    try:
        if cn2an.cn2an(cn, "smart") == n:
            forms.append(cn)
    except ValueError:
        pass
    if n % 100 == 0 and n >= 10000:
        forms.append(f"{(Decimal(n) / 10000).normalize():f}万")
    if n % 1000000 == 0 and n >= 10**8:
        forms.append(f"{(Decimal(n) / 10**8).normalize():f}亿")
    return forms


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=2, max_value=999_999_999))
def test_every_rendering_extracts_to_the_same_value(n):
    for form in _renderings(n):
        ms = data_mentions(f"共有{form}人参加。")
        assert len(ms) == 1, (form, ms)
        assert ms[0].value == pytest.approx(n), form
        assert ms[0].unit == "人"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=99_999).map(lambda k: k * 10_000))
def test_magnitude_renderings(n):
    for form in _renderings(n):
        ms = data_mentions(f"投入{form}元。")
        assert len(ms) == 1 and ms[0].value == pytest.approx(n), form


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=1, max_value=9999))
def test_percent_renderings(hundredths):
    value = Decimal(hundredths) / 100
    text = f"{value.normalize():f}"
    for form in (f"{text}%", "百分之" + cn2an.an2cn(text), text.translate(_FW) + "%"):
        ms = data_mentions(f"覆盖面达到{form}。")
        assert len(ms) == 1 and ms[0].value == pytest.approx(float(value)) and ms[0].unit == "%", form
