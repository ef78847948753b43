"""The Word round trip: export a sample draft, edit the .docx as a writer would (python-docx: change
one figure, add a table, a tracked change, a header), check it, annotate it, import it back; and
the export gate."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from drafter.cli import app
from drafter.errors import OutputFileError
from drafter.export.annotate import comment_text
from drafter.export.blocks import parse_draft
from drafter.export.docx_check import check_word_file
from drafter.export.docx_import import import_docx
from drafter.export.docx_write import export_docx
from drafter.export.gate import review_kind
from drafter.facts.load import load_facts
from drafter.numbers.check import check_text
from drafter.records import Finding, Mention
from tests.conftest import REPO
from tests.word_docs import NS, W_NS, numbered_headings_document, r, x

W = f"{{{W_NS}}}"
DRAFT = (REPO / "examples" / "draft_述职.md").read_text(encoding="utf-8")
FACTS = REPO / "examples" / "facts_述职.yaml"

# The same report with a table, a derived figure and a stale one (checked with the facts below).
TABLE_DRAFT = """\
# 2024年市教育局党建工作总结

2024年，公办园覆盖面从12.4%提升到62.55%，提高50.15个百分点，新增学位7620个。

## 一、主要数据

| 指标 | 2024年 |
|---|---|
| 新增学位 | 7620个 |
| 公办园覆盖面 | 62.55% |
| 培训教师 | 1500人次 |

## 二、下步打算

继续新增学位3000个。
"""
TABLE_FACTS = """\
title: 2024年市教育局党建工作总结
period: 2024年
facts:
  - name: 公办园覆盖面
    value: 62.55%
    previous: 12.4%
  - name: 新增学位
    value: 7620个
    previous: 3000个
"""


def key(f: Finding) -> tuple:
    return f.mention.text, f.status, f.severity, f.source, f.formula


@pytest.fixture
def exported(tmp_path) -> Path:
    out = tmp_path / "report.docx"
    export_docx(DRAFT, out)
    return out


def test_a_docx_has_the_findings_of_the_markdown_it_was_exported_from(exported):
    facts = load_facts(FACTS)
    word = check_word_file(exported, facts)
    assert [key(f) for f in word.report.findings] == [key(f) for f in check_text(DRAFT, facts).findings]
    assert word.report.summary == check_text(DRAFT, facts).summary
    assert [lf.location.locator for lf in word.located if lf.finding.status == "ungrounded"] == ["段8"]


def test_tables_too(tmp_path):
    facts_path = tmp_path / "facts.yaml"
    facts_path.write_text(TABLE_FACTS, encoding="utf-8")
    facts = load_facts(facts_path)
    export_docx(TABLE_DRAFT, tmp_path / "t.docx")
    word = check_word_file(tmp_path / "t.docx", facts)
    assert [key(f) for f in word.report.findings] == [key(f) for f in check_text(TABLE_DRAFT, facts).findings]
    where = {lf.finding.mention.text: lf.location.locator for lf in word.located}
    assert where["1500人次"] == "表1 行4 列2" and where["3000个"] == "段6"  # tables are not 段
    cell = next(lf.finding for lf in word.located if lf.finding.mention.text == "1500人次")
    assert cell.sentence == "培训教师 2024年 1500人次"  # the cell checked with its row and column headers
    assert review_kind(next(lf.finding for lf in word.located if lf.finding.mention.text == "3000个")) == "stale"


def _edit(src: Path, dst: Path) -> None:
    """A writer in Word: 14场 becomes 16场, and a table is added at the end."""
    doc = docx.Document(str(src))
    changed = 0
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            if "14场" in run.text:
                run.text = run.text.replace("14场", "16场")
                changed += 1
    assert changed == 1
    table = doc.add_table(rows=3, cols=2)
    table.style = doc.styles["Table Grid"]
    for (row, col), text in {(0, 0): "指标", (0, 1): "数值", (1, 0): "局机关志愿服务", (1, 1): "14场",
                             (2, 0): "整改问题", (2, 1): "210个"}.items():
        table.cell(row, col).text = text
    doc.save(str(dst))


def test_check_finds_exactly_the_edit(exported, tmp_path):
    facts = load_facts(FACTS)
    edited = tmp_path / "edited.docx"
    _edit(exported, edited)
    before = {(lf.location.locator, lf.finding.mention.text, lf.finding.status) for lf in check_word_file(exported, facts).located}
    after = {(lf.location.locator, lf.finding.mention.text, lf.finding.status) for lf in check_word_file(edited, facts).located}
    assert after - before == {("段8", "16场", "ungrounded"), ("表1 行2 列2", "14场", "grounded"),
                              ("表1 行3 列2", "210个", "ungrounded")}
    assert before - after == {("段8", "14场", "grounded")}


def _anchored(path: Path) -> dict[int, str]:
    """comment id → the text between its range start and end, read straight from document.xml."""
    doc = docx.Document(str(path))
    open_ids: set[int] = set()
    text: dict[int, str] = {}
    for el in doc.element.body.iter():
        if el.tag == f"{W}commentRangeStart":
            open_ids.add(int(el.get(f"{W}id")))
            text.setdefault(int(el.get(f"{W}id")), "")
        elif el.tag == f"{W}commentRangeEnd":
            open_ids.discard(int(el.get(f"{W}id")))
        elif el.tag == f"{W}t":
            for cid in open_ids:
                text[cid] += el.text or ""
    return text


def _structure_problems(path: Path) -> list[str]:
    """What Word writes: one range start, one end after it, one reference run at paragraph level."""
    doc = docx.Document(str(path))
    body = doc.element.body
    order = {el: i for i, el in enumerate(body.iter())}
    problems = []
    for c in doc.comments:
        cid = c.comment_id
        found = [body.xpath(f'.//w:{t}[@w:id="{cid}"]') for t in ("commentRangeStart", "commentRangeEnd", "commentReference")]
        if [len(f) for f in found] != [1, 1, 1]:
            problems.append(f"{cid}: {[len(f) for f in found]}")
            continue
        start, end, ref = (f[0] for f in found)
        if not order[start] < order[end] < order[ref] or ref.getparent().getparent().tag != f"{W}p":
            problems.append(f"{cid}: misplaced")
    return problems


def test_annotate_puts_each_comment_on_exactly_the_number(exported, tmp_path):
    edited = tmp_path / "edited.docx"
    _edit(exported, edited)
    sha = hashlib.sha256(edited.read_bytes()).hexdigest()
    reviewed = tmp_path / "reviewed.docx"
    word = check_word_file(edited, load_facts(FACTS), annotate_to=reviewed)
    assert hashlib.sha256(edited.read_bytes()).hexdigest() == sha  # the input is never written
    needing = [lf for lf in word.located if review_kind(lf.finding)]
    assert [lf.finding.mention.text for lf in needing] == ["**", "16场", "25小时", "210个"]
    doc = docx.Document(str(reviewed))
    comments = list(doc.comments)
    assert [c.author for c in comments] == ["drafter"] * 4
    assert [c.text for c in comments] == [comment_text(lf.finding, review_kind(lf.finding)) for lf in needing]
    assert comments[1].text == "数字“16场”在事实表中没有依据：请核对数据来源，或将其补入事实表。"
    anchored = _anchored(reviewed)
    assert [anchored[c.comment_id] for c in comments] == ["**", "16场", "25小时", "210个"]
    assert _structure_problems(reviewed) == []
    # the text and its formatting are unchanged: only runs were split
    assert [p.text for p in doc.paragraphs] == [p.text for p in docx.Document(str(edited)).paragraphs]
    from lxml import etree

    def looks(d) -> set[bytes]:  # the run formatting of the paragraph that was split
        p = next(p for p in d.paragraphs if "16场" in p.text)
        return {etree.tostring(run._r.rPr) for run in p.runs if run.text}

    assert looks(doc) == looks(docx.Document(str(edited)))


def test_a_header_number_is_commented_on_a_body_paragraph(exported, tmp_path):
    doc = docx.Document(str(exported))
    doc.sections[0].header.paragraphs[0].text = "内部资料 印50份"
    doc.save(str(tmp_path / "h.docx"))
    word = check_word_file(tmp_path / "h.docx", load_facts(FACTS), annotate_to=tmp_path / "out.docx")
    placed = [c for c in word.annotated.comments if c.locator == "第1节页眉 段1"]
    assert len(placed) == 1 and not placed[0].exact and placed[0].anchor == "段1"
    assert placed[0].text.startswith("（位于第1节页眉 段1）数字“50份”")
    out = docx.Document(str(tmp_path / "out.docx"))
    header = out.sections[0].header._element
    assert not header.xpath(".//w:commentRangeStart") and _structure_problems(tmp_path / "out.docx") == []


def test_a_tracked_change_is_checked_as_accepted(exported, tmp_path):
    doc = docx.Document(str(exported))
    target = next(p for p in doc.paragraphs if "14场" in p.text)
    run = next(run for run in target.runs if "14场" in run.text)
    before, after = run.text.split("14场")
    run.text = before
    rev = 'w:author="审阅人" w:date="2024-01-02T03:04:05Z"'
    for el in (x(f'<w:del {NS} w:id="1" {rev}><w:r><w:delText>14场</w:delText></w:r></w:del>'),
               x(f'<w:ins {NS} w:id="2" {rev}>{r("15场")}</w:ins>'),
               x(f"<w:r {NS}><w:t>{after}</w:t></w:r>")):
        target._p.append(el)
    doc.save(str(tmp_path / "tracked.docx"))
    result = CliRunner().invoke(app, ["check", str(tmp_path / "tracked.docx"), "--facts", str(FACTS), "--no-stale"])
    assert "tracked changes in tracked.docx (1 insertions, 1 deletions)" in result.stderr
    assert "tracked.docx:段8  ungrounded" in result.stdout and "15场" in result.stdout
    assert "志愿服务14场" not in result.stdout  # the deleted text is not read (the fact 14场 may be named)


def test_cli_annotate(exported, tmp_path):
    result = CliRunner().invoke(app, ["check", str(exported), "--facts", str(FACTS), "--annotate",
                                      str(tmp_path / "r.docx"), "--no-stale"])
    assert result.exit_code == 1  # 25小时 is ungrounded
    assert "report.docx:段8  ungrounded" in result.stdout
    assert f"wrote {tmp_path / 'r.docx'}: 2 comment(s)" in result.stderr
    again = CliRunner().invoke(app, ["check", str(exported), "--facts", str(FACTS), "--annotate", str(tmp_path / "r.docx")])
    assert isinstance(again.exception, OutputFileError) and "already exists" in str(again.exception)
    itself = CliRunner().invoke(app, ["check", str(exported), "--facts", str(FACTS), "--annotate", str(exported), "--force"])
    assert isinstance(itself.exception, OutputFileError) and "overwrite the checked file itself" in str(itself.exception)
    md = tmp_path / "d.md"
    md.write_text(DRAFT, encoding="utf-8")
    markdown = CliRunner().invoke(app, ["check", str(md), "--facts", str(FACTS), "--annotate", str(tmp_path / "x.docx")])
    assert markdown.exit_code == 2 and "--annotate needs a Word .docx draft" in markdown.output


def _finding(text: str, status: str, severity: str, source: str = "", kind: str = "data") -> Finding:
    return Finding(Mention(0, len(text), text, None, "", "", kind), status, severity, source, None, 1, 1, text)


@pytest.mark.parametrize("finding, kind, comment", [
    (_finding("8000个", "ungrounded", "error"), "ungrounded", "数字“8000个”在事实表中没有依据：请核对数据来源，或将其补入事实表。"),
    (_finding("【待补：人数】", "placeholder", "warning", kind="placeholder"), "placeholder",
     "“【待补：人数】”尚未补齐：请补充实际内容并删除此标记。"),
    (_finding("XX", "placeholder", "warning", kind="placeholder"), "placeholder", "“XX”是占位符，尚未填写实际内容：请补充。"),
    (_finding("7620个", "ungrounded", "error", "equals 新增学位（上期）: 7620个 (last period's figure?): use it only in a "
              "comparison (较上年, 从…提升到…)"), "stale",
     "数字“7620个”与事实表中“新增学位”的上期数值（7620个）相同，本期事实表中没有这个数：疑为沿用上期数字。"
     "请改用本期数据，或只在对比中使用（如“较上年”“从…提升到…”）。"),
    (_finding("61人次", "ungrounded", "error", "equals 2023年述职 第3行 “个人荣誉61人次” (last period's figure?)"), "stale",
     "数字“61人次”在事实表中没有依据，且与往期材料“2023年述职”第3行“个人荣誉61人次”相同：疑为沿用上期数字，请核实。"),
    (_finding("5所", "ungrounded", "warning", "equals 学校（上期）: 5所 (last period's figure?): use it"), "stale", None),
    (_finding("2019年", "ungrounded", "warning"), None, None),
    (_finding("22项", "grounded", "info", "党建集体荣誉: 22项"), None, None),
    (_finding("62.55%", "misattributed", "error", "公办园覆盖面: 62.55%"), "misattributed",
     "数字“62.55%”与所说的指标不符（公办园覆盖面: 62.55%）：请核对。"),
    (_finding("12人", "unbound", "warning"), None, None),
])
def test_who_must_look_and_what_the_comment_says(finding, kind, comment):
    assert review_kind(finding) == kind
    if comment is not None:
        assert comment_text(finding, kind) == comment


# --- import ----------------------------------------------------------------------------------------


def test_import_gives_back_the_draft(exported, tmp_path):
    report = import_docx(exported, tmp_path / "back.md")
    back = (tmp_path / "back.md").read_text(encoding="utf-8")
    assert back == report.markdown
    original, again = parse_draft(DRAFT), parse_draft(back)
    assert again.title == original.title
    assert [(h.level, h.text) for h in again.headings] == [(h.level, h.text) for h in original.headings]
    facts = load_facts(FACTS)
    assert [key(f) for f in check_text(back, facts).findings] == [key(f) for f in check_text(DRAFT, facts).findings]
    assert report.left_out == {"footer": 2}  # the page numbers


def test_import_an_edited_report_with_a_table(exported, tmp_path):
    _edit(exported, tmp_path / "edited.docx")
    back = import_docx(tmp_path / "edited.docx").markdown
    assert "16场" in back and "| 整改问题 | 210个 |" in back
    assert parse_draft(back).blocks[-1].rows == (("局机关志愿服务", "14场"), ("整改问题", "210个"))


def test_import_numbers_headings_as_word_does(tmp_path):
    numbered_headings_document(tmp_path / "h.docx")
    markdown = import_docx(tmp_path / "h.docx").markdown
    assert markdown.splitlines()[::2] == [
        "# 关于2023年工作情况的报告", "## 一、总体情况", "全年地区生产总值1234.5亿元。", "### （一）经济运行",
        "工业增加值增长6.1%。", "## 二、主要工作", "### （一）项目建设", "完成投资88亿元。", "## 三、下一步打算",
        "持续推进重点项目。",
    ]
    draft = parse_draft(markdown)
    assert [(h.level, h.marker) for h in draft.headings] == [(1, "一、"), (2, "（一）"), (1, "二、"), (2, "（一）"), (1, "三、")]


def test_cli_import(exported, tmp_path):
    result = CliRunner().invoke(app, ["import", str(exported)])
    assert result.exit_code == 0 and result.stdout.startswith("# 2023年市局主要领导工作述职\n")
    assert "imported" in result.stderr and "2 footer paragraph(s)" in result.stderr
    out = tmp_path / "d.md"
    assert CliRunner().invoke(app, ["import", str(exported), "-o", str(out), "--json"]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# 2023年")
    again = CliRunner().invoke(app, ["import", str(exported), "-o", str(out)])
    assert isinstance(again.exception, OutputFileError) and "already exists" in str(again.exception)


# --- the export gate ------------------------------------------------------------------------------


def _export(tmp_path, text: str, *args: str):
    draft = tmp_path / "d.md"
    draft.write_text(text, encoding="utf-8")
    return CliRunner().invoke(app, ["export", str(draft), "-o", str(tmp_path / "d.docx"), *args])


UNFINISHED = "# 2024年工作总结\n\n全年开展活动XX次。\n\n覆盖【待补：人数】人，新增学位7620个〔待核：无来源〕。\n"


def test_export_refuses_an_unfinished_draft(tmp_path):
    result = _export(tmp_path, UNFINISHED)
    assert result.exit_code == 1 and not (tmp_path / "d.docx").exists()
    lines = result.stderr.splitlines()
    assert [ln.split()[0] for ln in lines if ln.startswith(str(tmp_path))] == [
        f"{tmp_path / 'd.md'}:3:7", f"{tmp_path / 'd.md'}:5:3", f"{tmp_path / 'd.md'}:5:21"]
    assert "XX" in lines[0] and "【待补：人数】" in lines[1] and "〔待核：无来源〕" in lines[2]
    assert lines[-1].startswith("not exported: 3 unresolved item(s)")


def test_export_check_adds_unsupported_numbers(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text(TABLE_FACTS, encoding="utf-8")
    clean = "# 2024年工作总结\n\n新增学位7620个，培训教师1500人次。\n"
    assert _export(tmp_path, clean).exit_code == 0  # no placeholders: exported
    (tmp_path / "d.docx").unlink()
    result = _export(tmp_path, clean, "--check", str(facts), "--json")
    assert result.exit_code == 1 and not (tmp_path / "d.docx").exists()
    data = json.loads(result.stdout)
    assert data["exported"] is False and data["checked"] is True
    assert [(b["kind"], b["text"], b["line"]) for b in data["blockers"]] == [("ungrounded", "1500人次", 3)]


def test_allow_unresolved_labels_the_file(tmp_path):
    result = _export(tmp_path, UNFINISHED, "--allow-unresolved")
    assert result.exit_code == 0
    doc = docx.Document(str(tmp_path / "d.docx"))
    assert doc.core_properties.content_status == "征求意见稿"
    for header in (doc.sections[0].header, doc.sections[0].even_page_header):
        assert [p.text for p in header.paragraphs] == ["征求意见稿"]
    assert "exported with 3 unresolved item(s)" in result.stderr
    clean = _export(tmp_path, "# 标题\n\n正文12个。\n", "--allow-unresolved", "--force")
    assert clean.exit_code == 0
    doc = docx.Document(str(tmp_path / "d.docx"))
    assert doc.core_properties.content_status == "" and doc.sections[0].header.is_linked_to_previous


def test_annotating_every_structure_of_a_word_file(tmp_path):
    from tests.word_docs import rich_document

    rich_document(tmp_path / "rich.docx")
    word = check_word_file(tmp_path / "rich.docx", load_facts(FACTS), annotate_to=tmp_path / "out.docx")
    placed = {c.locator + " " + c.text.split("“")[1].split("”")[0]: c for c in word.annotated.comments}
    exact = {k for k, c in placed.items() if c.exact}
    assert {"段2 1234.5亿元", "段2 5.6%", "段3 45项", "段4 7", "段4 36.8%", "段6 4.2万元", "文本框1 段1 88万人",
            "表1 行3 列3 320.8"} <= exact  # split runs, a tracked insertion, a hyperlink, fields, a text box, a cell
    assert placed["段7 300亿元"].anchor == "段6" and not placed["段7 300亿元"].exact  # the content control
    assert placed["第1节页眉 段1 50份"].anchor == "段1"
    assert placed["脚注1 段1 2023"].anchor == "段8 (the note mark)"
    out = tmp_path / "out.docx"
    assert _structure_problems(out) == []
    comments = {c.comment_id: c.text for c in docx.Document(str(out)).comments}
    anchored = _anchored(out)
    for cid, text in comments.items():
        if not text.startswith("（位于"):
            assert anchored[cid] == text.split("“")[1].split("”")[0]
    # the comment marks sit at paragraph level, after the field, never inside a link or an insertion
    body = docx.Document(str(out)).element.body
    for ref in body.iter(f"{W}commentReference"):
        assert ref.getparent().getparent().tag == f"{W}p"
    field_comment = next(cid for cid, text in comments.items() if "36.8%" in text)
    ref = body.xpath(f'.//w:commentReference[@w:id="{field_comment}"]/..')[0]
    before = [el for el in ref.itersiblings(preceding=True) if el.tag == f"{W}r"][0]
    assert before.find(f"{W}fldChar").get(f"{W}fldCharType") == "end"  # after the field, not in its result
    # a copy that already has comments can be annotated again: new ids, the old ones kept
    again = check_word_file(out, load_facts(FACTS), annotate_to=tmp_path / "twice.docx")
    assert len(list(docx.Document(str(tmp_path / "twice.docx")).comments)) == 2 * len(again.annotated.comments)
    assert _structure_problems(tmp_path / "twice.docx") == []
