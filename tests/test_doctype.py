"""A report's type from its title, file name and own vocabulary, with a confidence and evidence."""

from __future__ import annotations

import pytest

from drafter.corpus.doctype import SUGGESTION, UNDECIDED, classify, title_head
from drafter.corpus.document import parse_document


@pytest.mark.parametrize(
    "title, expected",
    [
        ("2023年市局主要领导工作述职", "述职"),
        ("2023园长述职述廉报告", "述职"),  # 述廉 before the generic 报告
        ("关于2024年度个人履职情况的报告", "述职"),
        ("教育局在主题教育总结大会上的汇报发言材料", "汇报发言"),  # the head, not the meeting's 总结
        ("在第一期全市乡镇党政正职述职评议会上的讲话", "讲话"),  # a speech AT a 述职 meeting
        ("镇长在农业工作总结会上的讲话", "讲话"),
        ("市水利局2024年度政务公开工作总结及2025年工作计划", "工作总结"),  # 甲及乙: the first
        ("县人民医院2024年工作总结及2025年工作打算", "工作总结"),
        ("局党组2021年意识形态工作开展情况总结汇报材料", "工作汇报"),
        ("市教育局2024年第三季度党建工作总结", "工作总结"),
        ("临溪县水利局2024年政府信息公开工作年度报告", "工作总结"),
        ("红河州数据发展中心2024年度项目支出绩效单位自评报告", "工作总结"),
        ("2025年县直机关党建工作要点", "工作要点"),
        ("2025年度党建工作计划", "工作计划"),
        ("区住房和城乡建设局2025年工作思路", "工作计划"),
        ("关于开展安全生产专项整治的实施方案", "实施方案"),
        ("安平县2025年“清廉学校”建设工作方案", "实施方案"),
        ("在全市教育工作会议上的讲话", "讲话"),
        ("以学铸魂 以学增智 ——专题党课讲稿", "讲话"),
        ("关于农村集体经济发展情况的调研报告", "调研报告"),
        ("全县农村留守儿童教育关爱情况的调查与思考", "调研报告"),
        ("2024年度民主生活会个人对照检查材料", "对照检查"),
        ("主题教育专题民主生活会个人检视剖析材料", "对照检查"),
        ("2024年度民主生活会个人发言提纲", "对照检查"),  # not a 发言 to a meeting
        ("沙沟镇2021年政府工作报告", "工作报告"),
        ("在中国共产党清水镇第十五次代表大会上的报告", "工作报告"),
        ("柳林镇关于乡村振兴工作开展情况的汇报", "工作汇报"),
        ("2025年上半年落实意识形态责任制情况的报告", "工作汇报"),  # generic: weak
        ("党支部书记组织生活报告", "工作报告"),  # generic 报告: weak, content decides
        ("全县新农村建设座谈会发言材料", "汇报发言"),
        ("镇长交流研讨材料", "汇报发言"),
        ("新农村党组建设考核材料", None),  # names no type
        ("凝心聚力谋发展 笃行不怠创一流", None),
    ],
)
def test_title_head(title, expected):
    head = title_head(title)
    assert (head[0].doc_type if head else None) == expected


@pytest.mark.parametrize(
    "title, strong",
    [
        ("2023年市局主要领导工作述职", True),
        ("在全市教育工作会议上的讲话", True),
        ("2025年上半年落实意识形态责任制情况的报告", False),
        ("红河州数据发展中心2024年度项目支出绩效单位自评报告", False),
    ],
)
def test_a_title_that_names_the_type_decides_alone_a_generic_one_does_not(title, strong):
    decision = classify(title, "", "")
    assert (decision.doc_type != UNDECIDED) == strong
    if strong:
        assert decision.source == "title" and decision.confidence >= 0.95
    else:
        assert SUGGESTION in decision.evidence


# Openings with no title, each in one kind's own vocabulary.
CONTENT = [
    ("述职", "一年来，本人认真履行分管财务工作的职责，坚持廉洁自律。现将本人履职情况述职如下，请予评议。\n一、履职情况\n本人全年主持召开会议12次。"),
    ("述职", "我作为街道党工委书记，始终牢记抓党建是第一责任。现将本人履职情况报告如下，请予评议。本人坚持…本人带头…"),
    ("工作总结", "2024年，我局认真贯彻落实上级决策部署，各项工作取得了明显成效。现将全年工作总结如下：\n一、主要工作\n全年累计发布信息362条，同比增长12%。共办理申请3件。"),
    ("工作总结", "今年上半年，区市场监管局全力抓好各项工作。上半年新登记市场主体4826户，同比增长11.2%。完成抽检1580批次，合格率98.6%。查办案件86件，罚没款138万元。"),
    ("工作总结", "根据《条例》要求，编制了2024年度政府信息公开工作年度报告。\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况"),
    ("工作要点", "2025年全局工作的总体要求是：坚持稳中求进，着力推动高质量发展。主要预期目标：农村居民收入增长6.5%左右。\n"
                 "一、全力稳定粮食生产\n（一）严守耕地保护红线。落实耕地保护责任制，确保完成上级下达的任务。\n"
                 "（二）推进高标准农田建设。年内新建高标准农田3.5万亩。\n二、做强乡村特色产业\n（一）培育主导产业。力争新建标准化基地5个。\n"
                 "（二）培育经营主体。力争新增龙头企业3家，将合作社规范提升为示范社。"),
    ("实施方案", "为深入推进清廉学校建设，结合我县实际，制定本方案。\n一、总体要求\n二、主要任务\n三、实施步骤\n四、保障措施"),
    ("工作计划", "本学期，学校将深化课堂改革。现将本学期主要工作安排如下：\n一、工作目标\n力争进入全区前三名。\n二、月份安排\n三月：开展学雷锋活动。\n四月：举行运动会。"),
    ("汇报发言", "尊敬的各位领导、同志们：\n根据会议安排，下面我就有关做法作简要交流。\n一、抓学习促提升\n……\n以上发言，不妥之处，请批评指正。谢谢！"),
    ("讲话", "同志们：\n今天，我们召开全县安全生产工作会议，这次会议的主要任务是部署全年工作。刚才，三个单位作了表态发言。下面，我讲三点意见。"),
    ("讲话", "各位代表、同志们：\n县第十届妇女代表大会圆满完成了各项议程，即将胜利闭幕。在此，我代表县委向大会的胜利召开表示热烈祝贺！希望大家立足岗位建功立业。"),
    ("调研报告", "为了解基层减负工作落实情况，市委督查室组成调研组，深入6个县区开展专题调研，发放问卷1200份。\n一、取得的成效\n二、存在的主要问题\n三、对策建议"),
    ("对照检查", "按照民主生活会的通知要求，本人深入查摆自身存在的问题，深刻剖析根源，现对照检查如下：\n一、存在的主要问题\n二、问题产生的原因\n三、整改措施"),
    ("工作报告", "各位代表：\n现在，我代表镇人民政府，向大会报告工作，请予审议，并请列席人员提出意见。\n一、2024年工作回顾\n二、2025年工作安排"),
    ("工作汇报", "尊敬的各位领导：\n首先，热烈欢迎各位领导莅临柳林镇检查指导工作！下面，我就我镇乡村振兴工作开展情况作简要汇报。"),
]


@pytest.mark.parametrize("expected, text", CONTENT)
def test_content_decides_where_there_is_no_title(expected, text):
    doc = parse_document("无题.txt", text)
    assert (doc.doc_type, doc.type_source) == (expected, "content"), doc.type_evidence
    assert doc.type_confidence >= 0.5
    assert any(f"→ {expected} +" in line for line in doc.type_evidence)


def test_content_overrules_a_title_that_names_the_wrong_type():
    # A page titled 工作总结 whose text is the speech at the meeting that reviewed the year.
    text = ("卫生局2006年工作总结\n今天，我们在这里召开2007年区卫生工作会议，会议的主题是：回顾06年工作，表彰先进，"
            "部署今年工作任务。刚才，区长作了重要讲话。下面，我讲三点意见。\n一、2006年卫生工作回顾\n2006年，全区卫生工作较好地完成了各项任务。")
    doc = parse_document("x.txt", text)
    assert (doc.doc_type, doc.type_source) == ("讲话", "content")
    assert any("counts half" in line for line in doc.type_evidence)


def test_content_confirms_a_title_and_the_runner_up_is_named():
    doc = parse_document("x.txt", "市局2024年工作总结\n2024年，我局各项工作取得了明显成效。现将全年工作总结如下：全年完成投资12亿元。")
    assert (doc.doc_type, doc.type_source) == ("工作总结", "title") and doc.type_confidence > 0.99
    assert doc.type_evidence[0].startswith("title 「工作总结」")


@pytest.mark.parametrize(
    "text",
    [
        "关于做好有关工作的几点说明\n请各单位认真研究。",  # nothing of any kind
        "今年以来，我们做了一些工作。",  # one weak cue
        "学习外地经验坚定既定目标推动跨越发展\n近两年来多次外出考察，收获很大。",
    ],
)
def test_too_little_to_go_on_is_undecided_with_a_suggestion(text):
    doc = parse_document("x.txt", text)
    assert (doc.doc_type, doc.type_source) == (UNDECIDED, "undecided")
    assert doc.type_confidence < 0.5
    assert doc.type_evidence[-1] == SUGGESTION


def test_the_file_name_counts_when_the_text_has_no_title():
    doc = parse_document("2024_述职_县卫健委.txt", "一、主要工作\n做了一些工作。")
    assert (doc.doc_type, doc.type_source) == ("述职", "file name")
    assert doc.type_evidence[0].startswith("file name 「述职」")


def test_metadata_wins_over_everything():
    doc = parse_document("x.txt", "在全市教育工作会议上的讲话\n同志们：", meta={"type": "调研报告"})
    assert (doc.doc_type, doc.type_source, doc.type_confidence) == ("调研报告", "metadata", 1.0)


@pytest.mark.parametrize(
    "sentence, summary",
    [
        ("全年共办理各类案件86件，罚没款138万元。", True),
        ("上半年新登记市场主体4826户，同比增长11.2%。", True),
        ("力争全年新增市场主体9000户以上。", False),
        ("年内新建高标准农田3.5万亩，确保完成任务。", False),
    ],
)
def test_figures_done_speak_for_a_summary_targets_for_a_plan(sentence, summary):
    decision = classify("", "", sentence * 3)
    evidence = " ".join(decision.evidence)
    assert ("as done → 工作总结" in evidence) == summary
    assert ("as targets → 工作要点" in evidence) == (not summary)
