"""Reading a .docx as located text (accepted view), splitting runs at character offsets, and the
bad inputs that get one clear line."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.export.docx_read import child_text, isolate, read_segments, tracked_changes
from drafter.export.word_sniff import WordFileError, looks_like_word, open_word, problem
from tests.word_docs import W_NS, bad_inputs, p, r, rich_document

W = f"{{{W_NS}}}"


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("word") / "report.docx"
    rich_document(path)
    return path


def test_every_paragraph_in_order_with_its_locator(rich):
    got = [(s.locator, s.story, s.text) for s in read_segments(docx.Document(str(rich)))]
    assert got == [
        ("段1", "body", "一、总体情况"),
        ("段2", "body", "2023年全市地区生产总值达到1234.5亿元，同比增长5.6%。"),  # inserted 5.6% in, deleted 5.2% out
        ("段3", "body", "详见统计公报收录45项指标。"),  # a hyperlink's text
        ("段4", "body", "本报告共页，编号7，完成率36.8%。"),  # NUMPAGES dropped (layout), SEQ and DOCPROPERTY kept
        ("段5", "body", "固定资产投资增长8.1%（第二季度）。"),  # the move, accepted
        ("段6", "body", "居民人均可支配收入达到4.2万元。"),  # joined: the first paragraph's mark was deleted
        ("文本框1 段1", "textbox", "文本框：新增就业88万人"),  # once: the VML fallback is not read again
        ("段7", "body", "控件内：财政收入300亿元。"),
        ("段8", "body", "全年粮食产量51.2万吨。"),
        ("表1 行1 列1", "table", "指标"),
        ("表1 行1 列2", "table", "2022年"),
        ("表1 行1 列3", "table", "2023年"),
        ("表1 行2 列1", "table", "工业"),
        ("表1 行2 列2", "table", "合计 560.0"),
        ("表1 行3 列2", "table", "300.5"),  # row 3's first cell continues the merge: no text of its own
        ("表1 行3 列3", "table", "320.8"),  # the deleted row 4 is gone
        ("段9", "body", "（完）"),
        ("第1节页眉 段1", "header", "某市统计局 2023年度报告 内部资料印50份"),
        ("第1节页眉(首页) 段1", "header", "首页页眉"),
        ("第1节页脚 段1", "footer", "—  —"),  # the PAGE field's digit is not a figure
        ("脚注1 段1", "footnote", " 数据来源：统计年鉴2023，第45页。"),
    ]


def test_table_cells_carry_their_headers_as_context(rich):
    cells = {s.locator: s for s in read_segments(docx.Document(str(rich))) if s.story == "table"}
    assert cells["表1 行3 列3"].context == "工业 2023年"  # row header from the merged cell above
    assert cells["表1 行2 列2"].context == "工业 2022年/2023年"  # spans both columns
    assert (cells["表1 行3 列3"].table, cells["表1 行3 列3"].row, cells["表1 行3 列3"].column) == (1, 3, 3)
    for header in ("表1 行1 列2", "表1 行2 列1"):  # header cells are read as themselves
        assert cells[header].context == ""


def test_content_controls_and_tracked_changes_are_reported(rich):
    doc = docx.Document(str(rich))
    flagged = [s.locator for s in read_segments(doc) if s.in_content_control]
    assert flagged == ["段7"]
    assert tracked_changes(doc) == {"ins": 1, "del": 3, "moveFrom": 1, "moveTo": 1}


def test_reading_never_adds_a_header(tmp_path):
    path = tmp_path / "plain.docx"
    d = docx.Document()
    d.add_paragraph("正文12个。")
    d.save(path)
    doc = docx.Document(str(path))
    read_segments(doc)
    assert doc.sections[0].header.is_linked_to_previous  # python-docx would have created one on .paragraphs


# --- splitting runs at character offsets -------------------------------------------------------

PARAGRAPH = (r("ab", "<w:rPr><w:b/></w:rPr>") + "<w:r><w:tab/></w:r>" + r("cd")
             + '<w:hyperlink w:anchor="x">' + r("12.5", "<w:rPr><w:i/></w:rPr>") + "</w:hyperlink>"
             + '<w:ins w:id="9" w:author="a">' + r("34") + "</w:ins>"
             + '<w:del w:id="8" w:author="a"><w:r><w:delText>00</w:delText></w:r></w:del>'
             + '<w:fldSimple w:instr=" SEQ x ">' + r("7") + "</w:fldSimple>" + r("页"))
TEXT = "ab\tcd12.5347页"


def _fresh():
    doc = docx.Document()
    doc.element.body.insert(0, p(PARAGRAPH))
    return doc, read_segments(doc)[0]


@pytest.mark.parametrize("start, end", list(itertools.combinations(range(len(TEXT) + 1), 2)))
def test_isolate_makes_exactly_the_range_whole_runs(start, end):
    doc, seg = _fresh()
    assert seg.text == TEXT
    first, last = isolate(seg, start, end)
    runs = list(seg.p.iter(f"{W}r"))
    covered = "".join(child_text(c) for run in runs[runs.index(first):runs.index(last) + 1] for c in run)
    assert covered == TEXT[start:end]
    assert read_segments(doc)[0].text == TEXT  # splitting changed no text
    for run in seg.p.iter(f"{W}r"):  # formatting kept: a and b bold, 12.5 italic
        text = "".join(c.text or "" for c in run if c.tag == f"{W}t")
        if any(ch in text for ch in "ab"):
            assert run.find(f"{W}rPr/{W}b") is not None
        if any(ch in text for ch in "12.5") and run.getparent().tag == f"{W}hyperlink":
            assert run.find(f"{W}rPr/{W}i") is not None


def test_two_ranges_in_one_paragraph():
    _, seg = _fresh()
    isolate(seg, 5, 9)  # 12.5
    first, last = isolate(seg, 0, 2)  # ab, after the first split
    assert first is last and "".join(t.text for t in first.iter(f"{W}t")) == "ab"
    with pytest.raises(ValueError):
        isolate(seg, 3, 99)


# --- bad input ----------------------------------------------------------------------------------

BAD = {
    "not_a_zip.docx": "not a Word document",
    "zero.docx": "the file is empty",
    "encrypted.docx": "password-protected",
    "old.doc": "an old binary Word file (.doc, Word 97-2003): open it in Word or WPS and save it as .docx",
    "report.wps": "a WPS 文字 .wps file",
    "rtf.doc": "an RTF file",
    "truncated.docx": "a damaged zip",
    "other.zip.docx": "a zip archive, not a Word document",
    "empty.docx": "the document has no text (empty)",
    "images_only.docx": "the document holds only images",
}


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, Path]:
    return bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("name, message", BAD.items())
def test_bad_input_is_named_in_one_line(bad, name, message):
    assert message in problem(bad[name])
    with pytest.raises(WordFileError, match="^" + str(bad[name]).replace(".", r"\.") + ": "):
        open_word(bad[name])


def test_a_good_docx_has_no_problem(rich):
    assert problem(rich) is None


@pytest.mark.parametrize("command", ["check", "import"])
@pytest.mark.parametrize("name", sorted(BAD))
def test_cli_exits_2_and_writes_nothing(bad, tmp_path, monkeypatch, capsys, command, name):
    from drafter.cli import main

    facts = tmp_path / "facts.yaml"
    facts.write_text("facts:\n  - name: 数\n    value: 5个\n", encoding="utf-8")
    args = (["check", str(bad[name]), "--facts", str(facts), "--annotate", str(tmp_path / "out.docx")]
            if command == "check" else ["import", str(bad[name]), "-o", str(tmp_path / "out.md")])
    monkeypatch.setattr("sys.argv", ["drafter", *args])
    with pytest.raises(SystemExit) as e:
        main()
    captured = capsys.readouterr()
    assert e.value.code == 2 and captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad[name]}: ") and BAD[name] in lines[0]
    assert not (tmp_path / "out.docx").exists() and not (tmp_path / "out.md").exists()


@pytest.mark.parametrize("name, word", [("a.docx", True), ("a.DOC", True), ("a.wps", True), ("a.md", False),
                                        ("a.txt", False)])
def test_which_files_are_read_as_word(tmp_path, name, word):
    path = tmp_path / name
    path.write_text("正文", encoding="utf-8")
    assert looks_like_word(path) is word


def test_a_zip_without_a_word_suffix_is_still_read_as_word(bad, tmp_path):
    renamed = tmp_path / "report.md"
    renamed.write_bytes((bad["empty.docx"]).read_bytes())
    assert looks_like_word(renamed)
    facts = tmp_path / "facts.yaml"
    facts.write_text("facts:\n  - name: 数\n    value: 5个\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(renamed), "--facts", str(facts)])
    assert isinstance(result.exception, WordFileError) and "the document has no text" in str(result.exception)


def test_json_of_a_word_check_locates_each_finding(rich, tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text("period: 2023年\nfacts:\n  - name: 工业\n    value: 320.8\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(rich), "--facts", str(facts), "--json", "--no-stale"])
    data = json.loads(result.stdout)
    by_text = {f["text"]: f for f in data["findings"]}
    assert by_text["320.8"]["status"] == "grounded"
    assert by_text["320.8"]["locator"] == "report.docx:表1 行3 列3"
    assert by_text["320.8"]["location"] == {"locator": "表1 行3 列3", "story": "table", "paragraph": 1,
                                            "offset": 0, "end": 5, "table": 1, "row": 3, "column": 3}
    assert by_text["1234.5亿元"]["location"] == {"locator": "段2", "story": "body", "paragraph": 2,
                                                "offset": 15, "end": 23}
    assert by_text["50份"]["locator"] == "report.docx:第1节页眉 段1"
    assert by_text["88万人"]["locator"] == "report.docx:文本框1 段1"
    assert "7" in by_text and "2" not in by_text and "1" not in by_text  # SEQ kept; NUMPAGES, PAGE, deleted row not
    assert data["tracked_changes"] == {"ins": 1, "del": 3, "moveFrom": 1, "moveTo": 1} and data["accepted_view"]
    assert result.exit_code == 1
