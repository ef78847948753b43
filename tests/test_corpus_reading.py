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
