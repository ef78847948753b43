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


# --- issue 16: every form a report writes ------------------------------------------------------

# (text, mention text, value, high, unit)
FORMS = [
    # Chinese decimals with 点, with a magnitude after the decimal
    ("全年累计七点三五万人次参加培训。", "七点三五万人次", 73500, None, "人次"),
    ("投入资金二点八亿元。", "二点八亿元", 2.8e8, None, "元"),
    ("满意度同比提高零点四个百分点。", "零点四个百分点", 0.4, None, "个百分点"),
    ("地区生产总值增长五点二%。", "五点二%", 5.2, None, "%"),
    ("公司的年收益率是六点五", "六点五", 6.5, None, ""),
    ("负五万点二四五", "负五万点二四五", -50000.245, None, ""),
    ("負十點五", "負十點五", -10.5, None, ""),
    # measures, Latin units glued to the digits
    ("新建校舍面积850m²。", "850m²", 850, None, "m²"),
    ("配送物资40kg。", "40kg", 40, None, "kg"),
    ("亩产稻谷1100斤。", "1100斤", 1100, None, "斤"),
    ("流转土地35公顷。", "35公顷", 35, None, "公顷"),
    ("溶解氧平均为6.8mg/L。", "6.8mg/L", 6.8, None, "mg/L"),
    ("装机容量3.2MW。", "3.2MW", 3.2, None, "MW"),
    ("全年节约用电12.5万千瓦时。", "12.5万千瓦时", 125000, None, "千瓦时"),
    ("室内温度为三十九摄氏度", "三十九摄氏度", 39, None, "摄氏度"),
    ("重达二十五千克", "二十五千克", 25, None, "千克"),
    ("总长为一点三七米", "一点三七米", 1.37, None, "米"),
    ("身高一米八", "一米八", 1.8, None, "米"),
    ("冬季最低气温降至零下12摄氏度。", "零下12摄氏度", -12, None, "摄氏度"),
    # approximate ranges keep both ends
    ("惠及七八十户。", "七八十户", 70, 80, "户"),
    ("户均增收四五千元。", "四五千元", 4000, 5000, "元"),
    ("受益群众达三四万人。", "三四万人", 30000, 40000, "人"),
    ("每年组织一两次集中宣讲。", "一两次", 1, 2, "次"),
    ("吸引群众两三百人。", "两三百人", 200, 300, "人"),
    ("年接待十五六批次。", "十五六批", 15, 16, "批"),  # 批次 is counted as 批
    ("一万六七", "一万六七", 16000, 17000, ""),
    ("七百三四十欧元", "七百三四十欧元", 730, 740, "欧元"),
    # explicit ranges with the unit or magnitude on both ends
    ("预计带动增收10%-15%。", "10%-15%", 10, 15, "%"),
    ("每年安排资金200万—300万元。", "200万—300万元", 2e6, 3e6, "元"),
    ("单体投资1.5-2亿元。", "1.5-2亿元", 1.5e8, 2e8, "元"),
    ("百分之三十到四十一", "百分之三十到四十一", 30, 41, "%"),
    ("三至五万人", "三至五万人", 30000, 50000, "人"),
    ("两到三千元", "两到三千元", 2000, 3000, "元"),
    ("十八至三十万元", "十八至三十万元", 180000, 300000, "元"),
    ("二十到三十人", "二十到三十人", 20, 30, "人"),
    ("投资两个亿", "两个亿", 2e8, None, ""),
    ("利息9佰元", "9佰元", 900, None, "元"),
    # counts with classifiers that are often words: from ten up
    ("累计举办培训班八十期。", "八十期", 80, None, "期"),
    ("共开展专题讲座十二讲。", "十二讲", 12, None, "讲"),
    ("新增医疗床位二百张。", "二百张", 200, None, "张"),
    ("调处矛盾纠纷一百二十起。", "一百二十起", 120, None, "起"),
    ("你生日那天我送你九百九十九朵玫瑰", "九百九十九朵", 999, None, "朵"),
    # 大写 amounts
    ("收到捐款叁万贰仟元整。", "叁万贰仟元整", 32000, None, "元"),
    ("人民币贰拾叁万肆仟伍佰陆拾柒元捌角玖分", "贰拾叁万肆仟伍佰陆拾柒元捌角玖分", 234567.89, None, "元"),
    ("伍亿柒仟万拾柒", "伍亿柒仟万拾柒", 570000017, None, ""),
    ("壹角", "壹角", 0.1, None, "元"),
    # money written in parts
    ("十二块五", "十二块五", 12.5, None, "元"),
    ("二十五元三毛", "二十五元三毛", 25.3, None, "元"),
    ("三千三百八十元五角八分", "三千三百八十元五角八分", 3380.58, None, "元"),
    ("两毛五", "两毛五", 0.25, None, "元"),
    # negatives
    ("全年结余：负三", "负三", -3, None, ""),
    ("规上工业增加值增长−0.8%。", "−0.8%", -0.8, None, "%"),
    ("人口自然增长率为负一点二‰。", "负一点二‰", -0.12, None, "%"),
    ("负百分之九十八", "负百分之九十八", -98, None, "%"),
    ("百分之负三点八", "百分之负三点八", -3.8, None, "%"),
    ("负三分之一", "负三分之一", -100 / 3, None, "%"),
    # fractions
    ("三又五分之一", "三又五分之一", 3.2, None, ""),
    ("4分之3", "4分之3", 75, None, "%"),
    ("四百分之16", "四百分之16", 4, None, "%"),
    # bare numerals in tables and lists
    ("参训人数：三百零五", "三百零五", 305, None, ""),
    ("| 新建村级活动场所 | 十二 |", "十二", 12, None, ""),
    ("受表彰人数　一百零八", "一百零八", 108, None, ""),
    ("二百一十九", "二百一十九", 219, None, ""),
    ("壹佰贰拾", "壹佰贰拾", 120, None, ""),
    ("一億一千萬", "一億一千萬", 1.1e8, None, ""),
    ("兩千六", "兩千六", 2600, None, ""),
    ("一百一", "一百一", 110, None, ""),
    ("第一百", "第一百", 100, None, "名"),
    # whitespace and line breaks from PDFs and web pages
    ("全年累计培训3.6 万人次。", "3.6 万人次", 36000, None, "人次"),
    ("全年累计培训3.6 万\n人次，覆盖全部乡镇。", "3.6 万\n人次", 36000, None, "人次"),
    ("全年发放补贴12.5\n万元。", "12.5\n万元", 125000, None, "元"),
    ("召开专题会议12 次。", "12 次", 12, None, "次"),
    ("带动农户 1 200 户。", "1 200 户", 1200, None, "户"),
    ("受益学生达到2 万余人。", "2 万余人", 20000, None, "人"),
    # mixed Arabic and Chinese, qualifiers
    ("100万三千", "100万三千", 1003000, None, ""),
    ("12亿3000万元", "12亿3000万元", 1.23e9, None, "元"),
    ("新增储蓄存款一百二十多万元。", "一百二十多万元", 1.2e6, None, "元"),
    ("社会消费品零售总额突破千亿元。", "千亿元", 1e11, None, "元"),
    ("吸纳就业万余人。", "万余人", 10000, None, "人"),
    ("仅一个多月的时间里", "一个多月", 1, None, "个月"),
    ("除了北京上海广州深圳四个一线城市", "四个", 4, None, "个"),  # not the formula 四个一
]


@pytest.mark.parametrize("text, mtext, value, high, unit", FORMS)
def test_every_form(text, mtext, value, high, unit):
    ms = data_mentions(text)
    assert len(ms) == 1, ms
    m = ms[0]
    assert (m.text, m.unit) == (mtext, unit)
    assert text[m.start:m.end] == mtext
    assert m.value == pytest.approx(value)
    assert m.high == (pytest.approx(high) if high is not None else None)


NOT_DATA_16 = [
    # 会议届次 and names with numbers: formulas or nothing, never data
    "认真学习贯彻县委十四届三次全会精神。", "县十八届人大常委会第十五次会议审议通过。", "政协第十三届委员会第二次会议开幕。",
    "服务保障第19届亚运会。", "全市第十二次党代会胜利召开。", "开展3·15消费者权益日宣传活动。",
    "畅通12345政务服务便民热线。", "遇到险情立即拨打110、119、120。", "312国道改扩建工程加快推进。",
    "地铁3号线开通运营。", "2号楼主体结构封顶。", "人民路168号党群服务中心正式启用。", "学习“嫦娥六号”精神。",
    "按照县委〔2024〕12号文件要求。", "上午九点半召开会议。", "会议于14:30开始。", "十二点三十分集合。",
    # grades, school types, idioms, places, words
    "推进九年一贯制学校建设。", "九年级中考动员大会召开。", "六年级毕业典礼隆重举行。", "干部作风问题不能三天打鱼两天晒网。",
    "以十年磨一剑的定力推进改革。", "面对千头万绪的工作。", "改革发展呈现万紫千红的局面。", "重庆市万州区派员参加培训。",
    "海南万宁举办冲浪赛事。", "新疆五家渠市代表来访。", "建设万寿菊种植基地。", "万一发生险情，立即启动预案。",
    "一点一滴积累。", "不管三七二十一", "一度出现资金紧张。", "加强干部队伍建设，队伍十分稳定。", "陆续开展活动。",
    "十一期间加强值班值守。", "万岁", "千万不能放松。", "八角、桂皮等特色产品销售旺盛。",
    "十三五规划期间获得了十几万和几十万甚至二十几万的投资", "全区PM2.5平均浓度下降。", "一期工程已经完工。",
    "负责同志", "三角形", "三尺讲台", "两张皮",
]


@pytest.mark.parametrize("text", NOT_DATA_16)
def test_names_idioms_and_words_are_not_data(text):
    assert data_mentions(text) == []


@pytest.mark.parametrize("text, mtext", [
    ("认真学习贯彻县委十四届三次全会精神。", "十四届三次全会"),
    ("县十八届人大常委会第十五次会议审议通过。", "十八届人大常委会第十五次会议"),
    ("服务保障第19届亚运会。", "第19届"),
    ("开展3·15消费者权益日宣传活动。", "3·15"),
    ("建设“三条红线”。", "三条红线"),
])
def test_meeting_sessions_and_named_days_are_formulas(text, mtext):
    assert (mtext, "formula") in kinds(text)


@pytest.mark.parametrize("text, mtext, key", [
    ("项目于二〇二二年六月开工建设。", "二〇二二年六月", "2022-06"),
    ("二〇二四年十二月三十一日前完成验收。", "二〇二四年十二月三十一日", "2024-12-31"),
    ("八五年二月二十七日", "八五年二月二十七日", "1985-02-27"),
    ("零六年一月二号", "零六年一月二号", "2006-01-02"),
    ("两千零五年八月五号", "两千零五年八月五号", "2005-08-05"),
    ("一七九八年", "一七九八年", "1798"),
    ("现在是入冬的十二月", "十二月", "--12"),
    ("十九日", "十九日", "---19"),
    ("1-6月完成项目", "1", "--01"),
    ("上世纪八十年代", "上世纪八十年代", "1980s"),
])
def test_chinese_dates(text, mtext, key):
    ms = [m for m in extract(text) if m.kind == "date"]
    assert ms and (ms[0].text, ms[0].key) == (mtext, key)


@pytest.mark.parametrize("text, direction", [
    ("支出减少35万元。", "down"), ("工业增加值同比下降3.2%。", "down"), ("降幅为1.5个百分点。", "down"),
    ("资金核减12万元。", "down"), ("实现负增长2.1%。", "down"), ("收入增长8.3%。", "up"), ("提高了0.5个百分点。", "up"),
    ("新增学位7620个。", ""), ("下降到3%。", ""), ("增长-3.2%。", ""),
])
def test_direction_word_before_the_number(text, direction):
    assert data_mentions(text)[0].direction == direction


def test_line_break_after_a_colon_does_not_join_the_next_line():
    ms = data_mentions("合计：26\n人员名单附后")
    assert [(m.text, m.unit) for m in ms] == [("26", "")]


def test_parse_quantity_reads_signs_and_measures():
    assert parse_quantity("−35万元").value == pytest.approx(-350000)
    q = parse_quantity("35公顷")
    assert (q.value, q.unit) == (35, "公顷")
    q = parse_quantity("七八十户")
    assert (q.value, q.high) == (70, 80)
