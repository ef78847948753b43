"""Titles, types, years, issuers and heading trees of reports."""

from __future__ import annotations

import pytest

from drafter.corpus.doctype import classify
from drafter.corpus.document import load_document, parse_document
from tests.conftest import SAMPLE_CORPUS


def headings(doc):
    return [(h.level, h.marker, h.text) for h in doc.headings]


SHUZHI = """2023年市局主要领导工作述职
今年以来，本人履行党建第一责任人职责。一年来，本机关荣获集体荣誉22项。
一、个人履职情况
（一）突出政治建设，坚定党性自觉。一是强化政治属性。本人认真贯彻落实。二是严肃政治生活。严格执行准则。
（二）突出组织建设，筑牢基层堡垒。一是规范基层组织。整改了近200个问题。
二、存在的不足
（一）示范引领还需进一步提升。本人具备较强的履职责任意识。
三、努力的方向
（一）树立自觉学习意识，坚定理想信念。坚持常态化制度化。
"""


def test_shuzhi_heading_tree_and_paths():
    doc = parse_document("述职.txt", SHUZHI)
    assert doc.title == "2023年市局主要领导工作述职"
    assert (doc.doc_type, doc.year) == ("述职", 2023)
    assert headings(doc) == [
        (1, "一、", "个人履职情况"),
        (2, "（一）", "突出政治建设，坚定党性自觉"),
        (5, "一是", "强化政治属性"),
        (5, "二是", "严肃政治生活"),
        (2, "（二）", "突出组织建设，筑牢基层堡垒"),
        (5, "一是", "规范基层组织"),
        (1, "二、", "存在的不足"),
        (2, "（一）", "示范引领还需进一步提升"),
        (1, "三、", "努力的方向"),
        (2, "（一）", "树立自觉学习意识，坚定理想信念"),
    ]
    by_text = {b.text: b.heading_path for b in doc.blocks}
    assert by_text["整改了近200个问题。"] == ("一、个人履职情况", "（二）突出组织建设，筑牢基层堡垒", "一是规范基层组织")
    assert by_text["今年以来，本人履行党建第一责任人职责。一年来，本机关荣获集体荣誉22项。"] == ()


def test_numbered_items_and_half_width_brackets():
    text = "标题：工作要点\n一、坚持政治统领\n1.强化政治机关建设。始终把党的政治建设摆在首位。\n(1)细化任务。逐项落实。\n2、深化理论学习。落实第一议题制度。"
    doc = parse_document("x.txt", text)
    assert [(h.level, h.marker) for h in doc.headings] == [(1, "一、"), (3, "1."), (4, "(1)"), (3, "2、")]


def test_lead_sentences_head_their_paragraphs():
    text = (
        "汇报发言\n尊敬的各位领导：\n"
        "以高度的政治自觉强化理论学习，筑牢对党忠诚坚实基础。习近平总书记强调理论学习。区教育局党组坚持读原著、学原文、悟原理，坚持多思多想、学深悟透，在反复研读中深化思考，在联系实际中学以致用。\n"
        "今年以来，我们坚持问题导向，扎实推进各项工作，取得了明显成效，群众满意度不断提升。"
    )
    doc = parse_document("x.txt", text)
    assert headings(doc) == [(5, "", "以高度的政治自觉强化理论学习，筑牢对党忠诚坚实基础")]


@pytest.mark.parametrize(
    "title, stem, expected",
    [
        ("2023年市局主要领导工作述职", "", "述职"),
        ("教育局在主题教育总结大会上的汇报发言材料", "", "汇报发言"),
        ("市教育局2024年第三季度党建工作总结", "", "工作总结"),
        ("2025年县直机关党建工作要点", "", "工作要点"),
        ("关于2024年度民主生活会情况的报告", "", "未定"),  # 情况的报告 alone is too little
        ("在全市教育工作会议上的讲话", "", "讲话"),
        ("", "2024 述职 县卫健委", "述职"),
        ("某某", "", "未定"),
    ],
)
def test_classify_by_title_and_file_name(title, stem, expected):
    assert classify(title, stem, "", ()).doc_type == expected


def test_classify_by_content_when_the_title_says_nothing():
    text = "本人一年来认真履职，现将情况报告如下。"
    doc = parse_document("无题.txt", text + "\n一、主要工作\n本人做了工作。\n二、存在的不足\n本人还有差距，请予评议。")
    assert (doc.doc_type, doc.type_source) == ("述职", "content")


def test_front_matter_and_sidecar_override(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("---\ntype: 调研报告\nyear: 2022\n---\n关于教育的调研\n正文。", encoding="utf-8")
    doc = load_document(path, tmp_path)
    assert (doc.doc_type, doc.year, doc.title) == ("调研报告", 2022, "关于教育的调研")
    (tmp_path / "r.txt.meta.yaml").write_text("type: 述职\nissuer: 县教育局\n", encoding="utf-8")
    doc = load_document(path, tmp_path)
    assert (doc.doc_type, doc.issuer, doc.type_source) == ("述职", "县教育局", "metadata")
    assert (doc.type_confidence, doc.type_evidence) == (1.0, ("metadata type: 述职",))


def test_bad_sidecar_is_a_clear_error(tmp_path):
    from drafter.errors import CorpusError

    path = tmp_path / "r.txt"
    path.write_text("标题\n正文。", encoding="utf-8")
    (tmp_path / "r.txt.meta.yaml").write_text("kind: 述职\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown key.*kind"):
        load_document(path, tmp_path)


# The five sample reports: what a writer would say each one is.
SAMPLES = {
    "2023_述职_市教育局主要领导.txt": ("述职", 2023, 3, "市局"),
    "2024_季度党建工作总结_市教育局.txt": ("工作总结", 2024, 3, "市教育局"),
    "2025_党建工作要点_县教育局机关党委.txt": ("工作要点", 2025, 5, "县教育局"),
    "党建汇报_教育局党委_教育党建五个突出.txt": ("工作汇报", None, 0, "教育局"),
    "汇报发言_区教育局党组_主题教育总结大会.txt": ("汇报发言", None, 0, "教育局"),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_reports(name):
    doc = load_document(SAMPLE_CORPUS / name, SAMPLE_CORPUS)
    doc_type, year, level1, issuer = SAMPLES[name]
    assert (doc.doc_type, doc.year, doc.issuer) == (doc_type, year, issuer)
    assert sum(1 for h in doc.headings if h.level == 1) == level1
    assert "paid" not in doc.text and "主动公开" not in doc.text
    assert all(b.text.strip() for b in doc.blocks)


def levels(doc) -> dict[int, int]:
    return {lv: sum(1 for h in doc.headings if h.level == lv) for lv in (1, 2, 3, 4)}


# Heading trees as real files write them: (text, the level-1..4 headings expected, marker + text).
TREES = [
    # mixed punctuation after the numbers
    ("报告\n一．总体情况\n正文。\n六．其他事项\n1、坚持学习\n2，深化改革\n（1）细化任务\n(2)逐项落实\n3）建立台账",
     [(1, "一．总体情况"), (1, "六．其他事项"), (3, "1、坚持学习"), (3, "2，深化改革"), (4, "（1）细化任务"), (4, "(2)逐项落实"), (4, "3）建立台账")]),
    ("报告\n一，加强组织领导\n全年召开会议8次。", [(1, "一，加强组织领导")]),
    # a level-1 marker without 、
    ("乌当区乡镇调研报告\n一 调研背景\n（一）调研目的\n正文很长的一段话。\n二 基本情况\n正文。",
     [(1, "一 调研背景"), (2, "（一）调研目的"), (1, "二 基本情况")]),
    # standalone 第一， lines are parts; 第一， opening a paragraph is an enumeration
    ("同志们：\n下面，我讲三点意见。\n第一，提高站位，强化责任担当\n义务教育是重中之重。\n第二，突出重点，推动任务落地\n要抓好队伍建设。",
     [(1, "第一，提高站位，强化责任担当"), (1, "第二，突出重点，推动任务落地")]),
    ("讲话\n一、把握特殊背景\n今年工作要突出重点。\n第一，今年是决胜之年。处在交汇点上。\n第二，今年是开局之年。要扎实起步。",
     [(1, "一、把握特殊背景")]),
    # numbering restarting inside a part after a list is announced: the level below
    ("发言\n一、关于城镇建设基本情况\n三年来，我们主要实施了以下工程：\n一、实施道路改造工程。投资260万元。\n二、实施排水工程。投资400万元。"
     "\n三、实施供水工程。投资220万元。\n二、关于产业发展情况\n正文。",
     [(1, "一、关于城镇建设基本情况"), (2, "一、实施道路改造工程"), (2, "二、实施排水工程"), (2, "三、实施供水工程"),
      (1, "二、关于产业发展情况")]),
    # 1. restarting under each part is counted each time
    ("总结\n一、主要工作\n1.医疗质量提升\n2.学科建设加强\n二、存在问题\n1.人员结构不合理\n三、下步打算\n正文。",
     [(1, "一、主要工作"), (3, "1.医疗质量提升"), (3, "2.学科建设加强"), (1, "二、存在问题"), (3, "1.人员结构不合理"),
      (1, "三、下步打算")]),
    # a 不足 / 打算 part after a numbered body, written without numbers
    ("总结\n今年上半年，各项工作进展顺利。\n一、营商环境持续优化\n新登记市场主体4826户。\n二、市场秩序不断规范\n查办案件86件。"
     "\n存在的问题和不足\n一是监管力量不足；二是手段不够。\n下半年工作打算\n下半年，我们将重点抓好以下工作。",
     [(1, "一、营商环境持续优化"), (1, "二、市场秩序不断规范"), (1, "存在的问题和不足"), (1, "下半年工作打算")]),
    # an unnumbered part title with numbered items under it
    ("工作要点\n2021年是开局之年，市政协工作的总体要求是以高质量履职服务发展。\n坚持党的全面领导，推动创新理论植入灵魂\n"
     "1.推动党的创新理论成为思想基石。深化书香政协建设。\n2.确保党的决策部署落地生根。",
     [(1, "坚持党的全面领导，推动创新理论植入灵魂"), (3, "1.推动党的创新理论成为思想基石"), (3, "2.确保党的决策部署落地生根")]),
    # short lines that head nothing: a subtitle, a table caption, a signature and its date
    ("报告\n——在第二次会议上\n正文第一段，内容较长。\n表1 访谈时间安排表\n正文又一段，内容较长。\n县教育局\n2025年2月18日",
     []),
    # headings run into the previous sentence; after a colon only a level-1 marker breaks the line
    ("述职\n现将履职情况报告如下，请予评议。一、加强班子建设。班子坚持民主集中制。二、聚焦中心工作。全年开展教研62次。",
     [(1, "一、加强班子建设"), (1, "二、聚焦中心工作")]),
    ("调研报告\n下面，谈几点看法：一、少数党组织生活会质量不高。表现为走过场。",
     [(1, "一、少数党组织生活会质量不高")]),
    ("计划\n一、工作安排\n重点抓好以下工作：（一）深化课堂改革；（二）实施青年教师成长工程。\n学校价值取向：1、两个上帝论。",
     [(1, "一、工作安排")]),
    # 一是/二是 and lead sentences subdivide; they are not sections
    ("汇报\n一是突出政治建设，在思想引领上树标杆。局党委高举旗帜。\n二是突出从严治党。坚持标本兼治。", []),
    # 一、二年级 is not a heading
    ("总结\n今年，学校重点抓了低年级教学。\n一、二年级学生全部参加了测试，成绩良好。", []),
    # table rows (pages and .docx tables come out as a | b) are never headings
    ("年报\n一、总体情况\n正文。\n二、收到申请情况\n一、本年新收申请数量 | 58 | 7 |\n（一）予以公开 | 2 | 1 |\n1.属于国家秘密 | 0 | 0 |",
     [(1, "一、总体情况"), (1, "二、收到申请情况")]),
    # 〔一〕 brackets, and a numbered item run into its part's heading
    ("述职报告\n一、履职状况\n〔一〕扛牢第一责任。正文。\n〔二〕狠抓基础管理。正文。",
     [(1, "一、履职状况"), (2, "〔一〕扛牢第一责任"), (2, "〔二〕狠抓基础管理")]),
    ("工作要点\n指导思想是坚持党的全面领导。\n一、强化政治统领，把牢正确方向1.坚持党的全面领导根本原则。机关必须讲政治。",
     [(1, "一、强化政治统领，把牢正确方向"), (3, "1.坚持党的全面领导根本原则")]),
    # a part's usual name right under the title, before any body text
    ("学期工作计划\n指导思想\n坚持以科学发展观为指导，突出发展主旋律，围绕教学中心点。\n工作目标和重点\n学校管理目标：全面实施以德治校。",
     [(1, "指导思想"), (1, "工作目标和重点")]),
    # a remnant of a title that names a kind of document is no part
    ("2024年上半年重点工作督查报告\n2022年上半年重点工作\n督查报告\n根据区委重点工作要求，现就推进情况报告如下。\n一、总体工作情况\n正文。",
     [(1, "一、总体工作情况")]),
]


@pytest.mark.parametrize("text, expected", TREES)
def test_heading_trees_as_files_write_them(text, expected):
    doc = parse_document("x.txt", text)
    assert [(h.level, h.marker + h.text) for h in doc.headings if h.level <= 4] == expected


def test_a_table_of_contents_above_the_text_is_not_the_tree():
    toc = "一、存在的问题\n（一）在政治能力方面\n（二）在担当作为方面\n二、原因分析\n三、整改措施\n"
    body = "班子对照检查材料\n根据统一部署，班子深入查摆问题。现将对照检查情况报告如下。\n一、存在的问题\n（一）在政治能力方面\n一是理论武装不深。"
    doc = parse_document("x.txt", toc + body)
    assert doc.title == "班子对照检查材料"
    assert [(h.level, h.marker + h.text) for h in doc.headings if h.level <= 4] == [(1, "一、存在的问题"), (2, "（一）在政治能力方面")]


def test_a_preview_cut_into_numbered_chunks_is_joined():
    chunk1 = "1、2008年街道办工作总结一年来，街道办事处紧紧围绕区年度工作目标，全力加强社区建设。" + "社区环境进一步改善，" * 12 + "街"
    chunk2 = "2、道办事处针对居民的这一强烈要求，切实担负起整治环境的责任。" + "投资104万元铺设水泥路，" * 6
    doc = parse_document("x.txt", chunk1 + "\n" + chunk2)
    assert [h for h in doc.headings if h.level <= 4] == []
    assert "街道办事处针对居民" in doc.text and "\n2、" not in doc.text


def test_a_pdf_wrapped_text_is_joined_and_a_broken_heading_made_whole():
    lines = [
        "县卫生健康局2025年党建工作要点",
        "2025年是“十四五”规划收官之年，也是谋划“十五五”的",
        "关键之年。全局党建工作的总体要求是：坚持以习近平新时代",
        "中国特色社会主义思想为指导，以党的政治建设为统领，推动",
        "党建与卫生健康事业深度融合，为建设健康县城提供坚强保证。",
        "一、突出政治建设统领，在把准方向、强化引领上实现新提",
        "升",
        "1.深化理论武装。严格落实“第一议题”制度，全年开展中心",
        "组学习不少于12次，组织党员干部集中轮训2期，推动学习走",
        "深走实。",
        "2.加强意识形态工作。落实意识形态工作责任制。",
    ]
    doc = parse_document("x.txt", "\n".join(lines))
    assert [(h.level, h.marker + h.text) for h in doc.headings if h.level <= 4] == [
        (1, "一、突出政治建设统领，在把准方向、强化引领上实现新提升"), (3, "1.深化理论武装"), (3, "2.加强意识形态工作")]
    assert "推动学习走深走实。" in doc.text
