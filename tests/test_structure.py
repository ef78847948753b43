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
        ("关于2024年度民主生活会情况的报告", "", "工作报告"),
        ("在全市教育工作会议上的讲话", "", "讲话"),
        ("", "2024 述职 县卫健委", "述职"),
        ("某某", "", "其他"),
    ],
)
def test_classify_by_title_and_file_name(title, stem, expected):
    assert classify(title, stem, "", ())[0] == expected


def test_classify_by_structure_when_the_title_says_nothing():
    text = "本人一年来认真履职，现将情况报告如下。"
    doc = parse_document("无题.txt", text + "\n一、主要工作\n做了工作。\n二、存在的不足\n还有差距。")
    assert (doc.doc_type, doc.type_source) == ("述职", "structure")


def test_front_matter_and_sidecar_override(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("---\ntype: 调研报告\nyear: 2022\n---\n关于教育的调研\n正文。", encoding="utf-8")
    doc = load_document(path, tmp_path)
    assert (doc.doc_type, doc.year, doc.title) == ("调研报告", 2022, "关于教育的调研")
    (tmp_path / "r.txt.meta.yaml").write_text("type: 述职\nissuer: 县教育局\n", encoding="utf-8")
    doc = load_document(path, tmp_path)
    assert (doc.doc_type, doc.issuer, doc.type_source) == ("述职", "县教育局", "metadata")


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
