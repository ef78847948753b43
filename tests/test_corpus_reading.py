"""Reading, decoding and cleaning real-world report files."""

from __future__ import annotations

import pytest

from drafter.corpus.cleaning import clean
from drafter.corpus.sources import find_sources, read_text
from drafter.fileio import Unreadable, decode

TEXT = "市教育局2024年第三季度党建工作总结\n新增学位7620个，惠及学生12,036名。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "gb2312", "utf-16"])
def test_decodes_the_encodings_offices_save(encoding):
    assert decode(TEXT.encode(encoding)) == TEXT


def test_gb18030_only_characters_survive():
    text = "㐀㐁 扩展A区汉字与常用字：党建工作要点" * 5
    assert decode(text.encode("gb18030")) == text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
        (bytes(range(1, 32)) * 40, "binary"),
    ],
)
def test_binary_is_unreadable(data, reason):
    with pytest.raises(Unreadable, match=reason):
        decode(data)


def test_empty_and_oversized_files_are_unreadable(tmp_path, monkeypatch):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(Unreadable, match="empty"):
        read_text(empty)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: 20 MB without writing 20 MB
        fh.seek(20 * 1024 * 1024)
        fh.write(b"x")
    with pytest.raises(Unreadable, match="MB"):
        read_text(big)


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("2024年述职报告")
    doc.add_paragraph("一、主要工作")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
    table.cell(1, 0).text, table.cell(1, 1).text = "新增学位", "7620个"
    doc.add_paragraph("二、存在的不足")
    path = tmp_path / "r.docx"
    doc.save(str(path))
    assert read_text(path).split("\n") == ["2024年述职报告", "一、主要工作", "指标 | 数值", "新增学位 | 7620个", "二、存在的不足"]


def test_a_broken_docx_is_unreadable(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(Unreadable, match="docx"):
        read_text(path)


def test_find_sources_skips_hidden_lock_readme_and_other_files(tmp_path):
    for name in ["a.txt", "b.md", "c.docx", "README.md", "~$c.docx", "notes.pdf", ".hidden/d.txt", "sub/e.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    assert [s.doc_id for s in find_sources(tmp_path)] == ["a.txt", "b.md", "c.docx", "sub/e.txt"]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("制定《推进计##paidbegin##划》，推动提升。\n##paidend##", "制定《推进计划》，推动提升。"),
        ("标题\n标题\n正文第一段。", "标题\n正文第一段。"),
        ("正文|\n第二行 ||", "正文\n第二行"),
        ("组织保障。 一、坚持政治统领 1.强化政治机关建设。始终", "组织保障。\n一、坚持政治统领\n1.强化政治机关建设。始终"),
        ("投资2.5亿元 增长3.5%", "投资2.5亿元 增长3.5%"),  # a decimal is not a heading marker
        ("正文\r\n第二行\r\n\r\n\r\n\r\n第三行", "正文\n第二行\n\n第三行"),
    ],
)
def test_clean(raw, expected):
    assert clean(raw).text == expected


def test_metadata_header_is_dropped_and_read():
    raw = "002961825/2025-170757\n部门文件\n县级政策\n教育\n2025-05-27\n县教育局\n县教育局\n通知\n主动公开\n-\n2025年是关键之年，也是重要一年。"
    cleaned = clean(raw)
    assert cleaned.text == "2025年是关键之年，也是重要一年。"
    assert cleaned.header_date == "2025-05-27"
    assert cleaned.header_issuer == "县教育局"


def test_a_title_among_header_lines_is_kept():
    raw = "索引号：123456789/2024-00012\n市教育局2024年工作总结\n2024-12-20\n主动公开\n今年以来，我局坚持……。"
    assert clean(raw).text.split("\n")[0] == "市教育局2024年工作总结"


def test_a_short_title_and_body_are_not_a_header():
    raw = "2023年市局主要领导工作述职\n今年以来，本人履行党建第一责任人职责。"
    assert clean(raw).text == raw


# Where the title is, however the page left it: (raw text, the title found, text that must be gone).
TITLES = [
    # a breadcrumb that names another type, and a search strip naming five
    ("首页 > 文库大全 > 工作总结 > 党建工作总结\n\n基层党组织述党建工作材料\n\n下面我就党建工作做如下述职：",
     "基层党组织述党建工作材料", "文库大全"),
    ("热门搜索: 党建资料 述职述廉 方案通知 总结计划 对照检查\n手机登录 | 立即注册\n副市长在绿化现场会上的讲话\n同志们:\n今天市政府召开现场会。",
     "副市长在绿化现场会上的讲话", "热门搜索"),
    # document-site furniture under the title, and the title printed again
    ("政协市委员会2021年工作要点\nVIP专免\n2023-11-28\n999+\n49.29KB\n14 页\n海报\n侵权投诉\n政协市委员会 2021 年工作要点\n2021 年是开局之年。",
     "政协市委员会2021年工作要点", "KB"),
    # metadata as bullets, as a pipe table, and a 标题: field
    ("预算绩效管理\n- 索引号: zsjfzzx/2025-00002\n- 发布机构: 红河州数据发展中心\n- 发布日期: 2025-04-29\n红河州数据发展中心2024年度项目支出绩效单位自评报告\n一、基本情况\n2024年，中心实施项目15个。",
     "红河州数据发展中心2024年度项目支出绩效单位自评报告", "索引号"),
    ("沙沟镇2021年政府工作报告\n索 引 号: | yishui/2021-0000066 | 主 题 词: | 政务公开 |\n标 题: | 沙沟镇2021年政府工作报告 |\n政 府 工 作 报 告\n各位代表:\n现在，我代表镇政府向大会报告工作。",
     "沙沟镇2021年政府工作报告", "主 题 词"),
    # a title a PDF broke over two lines
    ("镇党委领导班子 2025 年度民主生活会对照检\n查材料(含案例)\n根据上级党委关于召开民主生活会的统一部署，班子紧扣会议主题开展准备工作，深入开展谈心谈话。",
     "镇党委领导班子 2025 年度民主生活会对照检查材料(含案例)", "对照检\n"),
    # a spaced-out title
    ("政  府  工  作  报  告\n——2025年1月16日在青山镇第十八届人民代表大会第五次会议上\n各位代表：\n现在，我代表镇人民政府向大会报告工作。",
     "政府工作报告", "政  府"),
    # title, salutation and body run together on one line
    ("乡镇镇长述职报告各位领导、同志们:我是今年二月份调入吉昌镇，负责政府全面工作的。一年来，自己团结带领政府一班人，在镇党委的正确领导下，真抓实干，锐意进取。",
     "乡镇镇长述职报告", "报告各位"),
    ("精选优质文档-倾情为你奉上乡村建设调研报告乡村建设调研报告根据县政协年度工作安排，近期，县政协调研组就我县美好乡村建设情况开展调研，深入示范点查看建设现场和成效。",
     "乡村建设调研报告", "倾情"),
    ("【医院年度工作总结范文】2024年,在上级主管部门的正确领导下,我院紧紧围绕以患者为中心的服务宗旨,全面完成了年度各项工作任务。",
     "医院年度工作总结", "【"),
    # a 印发 notice wrapping the document: the document's own title, the notice dropped
    ("当前位置：首页 > 通知公告\n关于印发《2025年全区教育工作要点》的通知\n区教发〔2025〕3号\n各中小学：\n现将《2025年全区教育工作要点》印发给你们，请认真贯彻落实。\n区教育局\n2025年2月18日\n2025年全区教育工作要点\n2025年全区教育工作的总体要求是：办好人民满意的教育。",
     "2025年全区教育工作要点", "印发给你们"),
    # a slogan title with its subtitle
    ("学习外地经验坚定既定目标推动跨越发展\n——我市外出考察总结座谈会发言摘要\n近两年来，书记带领大家多次外出考察学习，收获都非常大。",
     "学习外地经验坚定既定目标推动跨越发展", "携笔"),
    # a title of two characters when it is the kind itself; a two-character chrome word is not one
    ("述职\n\n一、个人履职情况\n正文一。", "述职", "\n\n\n"),
    ("返回\n一、个人履职情况\n正文一。", "", "返回"),
    # no title at all: the text starts with its first sentence
    ("2025年,我局认真贯彻落实市委、市政府有关政务公开工作的决策部署,持续深化政务公开工作。\n一、工作开展情况", "", "首页"),
]


@pytest.mark.parametrize("raw, title, gone", TITLES)
def test_the_title_is_found_and_the_chrome_dropped(raw, title, gone):
    cleaned = clean(raw)
    assert cleaned.title == title
    assert gone not in cleaned.text
    if title:
        assert cleaned.text.split("\n")[0] == title


@pytest.mark.parametrize(
    "line, chrome",
    [
        ("首页 > 政务公开 > 政府信息公开年报", True),
        ("字号：大 中 小  打印本页", True),
        ("时间：2024-12-30  浏览：1386次  【收藏】【打印】", True),
        ("上一篇：街道党工委书记抓基层党建述职报告", True),
        ("1. 1、下载文档前请自行甄别文档内容的完整性，平台不提供额外的编辑服务。", True),
        ("以下是小编为大家收集的党支部书记组织生活报告范文，仅供参考。", True),
        ("2024-10-28 09:04:26 德育素材网", True),
        ("2025年2月18日", False),  # a document's own date
        ("来源：本报记者", True),
        ("一年来，我们坚持以人民为中心，全年接待来访群众1200人次，分享了经验做法，收藏了先进典型材料。", False),
        ("一、主要工作情况", False),
        ("存在的不足", False),
    ],
)
def test_site_chrome(line, chrome):
    from drafter.corpus.chrome import is_chrome

    assert is_chrome(line) == chrome


def test_a_header_date_survives_the_chrome_filter():
    raw = "索引号：11370322/2025-5537800\n发文日期：2025-09-10\n2025—2026学年工作计划\n一、指导思想\n坚持立德树人。"
    cleaned = clean(raw)
    assert cleaned.header_date == "2025-09-10" and cleaned.title == "2025—2026学年工作计划"


def test_a_new_reader_reads_every_file_again(tmp_path, monkeypatch):
    """An index keeps what the reader made of a file; when the reader changes, its hash does too."""
    from drafter.corpus import document

    path = tmp_path / "r.txt"
    path.write_text("2024年工作总结\n正文。", encoding="utf-8")
    before = document.source_hash(path)
    assert document.source_hash(path) == before
    monkeypatch.setattr(document, "READER_VERSION", document.READER_VERSION + b"+")
    assert document.source_hash(path) != before
