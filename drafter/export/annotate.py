"""`drafter check report.docx --annotate reviewed.docx`: a copy of the file with one Word comment
(批注) per finding that needs a person, anchored on exactly the number's characters, author
「drafter」, in Chinese: what is wrong and which fact or past report it concerns.

python-docx 1.2's ``Document.add_comment(runs, …)`` covers whole runs, so the runs are split at
the number's first and last character first (``docx_read.isolate``; the halves keep their
formatting and their container: a hyperlink, a tracked insertion, a field result).

Where Word takes no comment, the comment goes on a body paragraph and names the place:
- headers, footers (Word has no comments there; LibreOffice refuses a file that has one) and
  text inside block content controls (LibreOffice drops the comment and the text before it):
  the nearest body paragraph outside any control;
- foot- and endnotes: the note's reference mark in the body.
The comment's reference mark is moved out of a hyperlink, tracked insertion or field result to
paragraph level, as Word writes it: inside a field result LibreOffice shows the comment empty,
and a field update or a rejected insertion would take the mark with it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.errors import OutputFileError
from drafter.export.docx_read import Segment, W, isolate, w
from drafter.export.gate import review_kind
from drafter.export.located import AnnotateResult, CommentPlaced, LocatedFinding
from drafter.fileio import check_target, write_atomic
from drafter.records import Finding

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from lxml.etree import _Element

AUTHOR, INITIALS = "drafter", "D"
_EXACT_STORIES = ("body", "table", "textbox")

# Word's own comment styles; python-docx's template lacks them although its comment XML names them.
_COMMENT_STYLES = f"""<w:styles xmlns:w="{W}">
<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/>
 <w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
 <w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/>
 <w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
 <w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="left"/></w:pPr>
 <w:rPr><w:spacing w:val="0"/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style></w:styles>"""

_PREVIOUS = re.compile(r"^equals (?P<name>.+?)（上期）: (?P<value>.+?) \(last period's figure\?\)")
_PAST = re.compile(r"^equals (?P<label>.+?) 第(?P<line>\d+)行 “(?P<snippet>.*)” \(last period's figure\?\)")


# --- what a comment says ----------------------------------------------------------------------


def _name(x: Any) -> str:
    return str(getattr(x, "name", x) or "")


def comment_text(f: Finding, kind: str) -> str:
    """The comment for a finding that needs a person, in Chinese."""
    t = f.mention.text
    if kind == "placeholder":
        if t.startswith(("【", "〔", "[", "［")):
            return f"“{t}”尚未补齐：请补充实际内容并删除此标记。"
        return f"“{t}”是占位符，尚未填写实际内容：请补充。"
    if kind == "stale":
        m = _PREVIOUS.match(f.source)
        if m:
            return (f"数字“{t}”与事实表中“{m['name']}”的上期数值（{m['value']}）相同，本期事实表中没有这个数："
                    "疑为沿用上期数字。请改用本期数据，或只在对比中使用（如“较上年”“从…提升到…”）。")
        m = _PAST.match(f.source)
        if m:
            return (f"数字“{t}”在事实表中没有依据，且与往期材料“{m['label']}”第{m['line']}行"
                    f"“{m['snippet']}”相同：疑为沿用上期数字，请核实。")
        return f"数字“{t}”疑为沿用上期数字：{f.source}"
    if kind == "ungrounded":
        return f"数字“{t}”在事实表中没有依据：请核对数据来源，或将其补入事实表。"
    if kind == "misattributed":
        fact, indicator = _name(getattr(f, "fact", "")), _name(getattr(f, "indicator", ""))
        if fact and indicator:
            return f"数字“{t}”是事实表中“{fact}”的数值，但此处说的是“{indicator}”：指标可能对应错误，请核对。"
        return f"数字“{t}”与所说的指标不符（{f.source or '见核对结果'}）：请核对。"
    return f"数字“{t}”需要人工核对（{f.status}{'：' + f.source if f.source else ''}）。"


# --- anchoring --------------------------------------------------------------------------------


def ensure_comment_styles(doc: "DocxDocument") -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    styles = doc.styles.element
    have = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    for style in parse_xml(_COMMENT_STYLES):
        if style.get(qn("w:styleId")) not in have:
            styles.append(style)


def _inside(r: "_Element", tag: str) -> bool:
    """Whether run ``r`` sits inside ``tag`` below its paragraph."""
    el = r.getparent()
    while el is not None and el.tag != w("p"):
        if el.tag == w(tag):
            return True
        el = el.getparent()
    return False


def _whole(seg: Segment) -> tuple["_Element", "_Element"] | None:
    runs = [pc.r for pc in seg.pieces if not _inside(pc.r, "sdt")]
    return (runs[0], runs[-1]) if runs else None


def _fallback(segments: list[Segment], i: int) -> tuple[Segment, tuple["_Element", "_Element"]] | None:
    """The nearest body paragraph with text outside content controls: before ``i`` first, then after."""
    order = list(range(min(i, len(segments) - 1), -1, -1)) + list(range(i + 1, len(segments)))
    for k in order:
        seg = segments[k]
        if seg.story == "body" and not seg.in_content_control and seg.text.strip():
            runs = _whole(seg)
            if runs:
                return seg, runs
    return None


def _note_reference(doc: "DocxDocument", story: str, note_id: str) -> "_Element | None":
    tag = "footnoteReference" if story == "footnote" else "endnoteReference"
    for ref in doc.element.body.iter(w(tag)):
        if ref.get(w("id")) == note_id:
            r = ref.getparent()
            if r.tag == w("r") and not _inside(r, "sdt"):
                return r
    return None


def _hoist_reference(doc: "DocxDocument", cid: int) -> None:
    """Move the comment's reference run to paragraph level, after the field that holds it."""
    found = doc.element.body.xpath(f'.//w:commentReference[@w:id="{cid}"]/..')
    if not found:
        return
    ref = found[0]
    container = ref
    while container.getparent() is not None and container.getparent().tag != w("p"):
        container = container.getparent()
    if container is not ref:
        container.addnext(ref)
    depth, sib = 0, ref.getnext()
    while sib is not None:
        fc = sib.find(w("fldChar")) if sib.tag == w("r") else None
        kind = fc.get(w("fldCharType")) if fc is not None else None
        if kind == "begin":
            depth += 1
        elif kind == "end":
            if depth == 0:  # the number was a field's result: the mark goes after the field's end
                sib.addnext(ref)
                sib = ref.getnext()
                continue
            depth -= 1
        sib = sib.getnext()


def _place(doc: "DocxDocument", segments: list[Segment], lf: LocatedFinding
           ) -> tuple[str, bool, tuple["_Element", "_Element"]] | None:
    """(anchor locator, exact, (first run, last run)) for one finding."""
    seg = segments[lf.segment]
    loc = lf.location
    if seg.story in _EXACT_STORIES and not seg.in_content_control:
        first, last = isolate(seg, loc.offset, loc.end)
        if not (_inside(first, "sdt") or _inside(last, "sdt")):
            return seg.locator, True, (first, last)
    if seg.story in ("footnote", "endnote"):
        note_id = re.match(r"\D+(-?\d+)", seg.locator)
        r = _note_reference(doc, seg.story, note_id.group(1)) if note_id else None
        if r is not None:
            p = next((a for a in r.iterancestors(w("p"))), None)
            anchor = next((s.locator for s in segments if s.p is p), "the note mark")
            return f"{anchor} (the note mark)", False, (r, r)
    found = _fallback(segments, lf.segment if seg.story in _EXACT_STORIES else 0)
    if found is None:
        return None
    anchor, runs = found
    return anchor.locator, False, runs


def annotate_copy(doc: "DocxDocument", segments: list[Segment], located: tuple[LocatedFinding, ...],
                  out_path: Path, *, force: bool = False) -> AnnotateResult:
    """Add the comments to ``doc`` (in memory, read from the user's file) and save it to ``out_path``.
    ``segments`` must be ``read_segments(doc)`` of this very document."""
    from docx.text.run import Run

    ensure_comment_styles(doc)
    placed = []
    for lf in located:
        kind = review_kind(lf.finding)
        if kind is None:
            continue
        where = _place(doc, segments, lf)
        if where is None:
            continue  # a document without any body text: the sniffer refuses those
        anchor, exact, (first, last) = where
        text = comment_text(lf.finding, kind)
        if not exact:
            text = f"（位于{lf.location.locator}）{text}"
        comment = doc.add_comment([Run(first, None), Run(last, None)], text=text, author=AUTHOR, initials=INITIALS)
        _hoist_reference(doc, comment.comment_id)
        placed.append(CommentPlaced(lf.location.locator, anchor, exact, text))
    buf = io.BytesIO()
    doc.save(buf)
    write_atomic(buf.getvalue(), out_path, force, OutputFileError)
    return AnnotateResult(out_path, tuple(placed))


def check_annotate_target(source: Path, out_path: Path, force: bool) -> None:
    """Fail before any work: the copy must be a new .docx, never the input itself."""
    if out_path.suffix.lower() != ".docx":
        raise OutputFileError(f"--annotate must name a .docx file: {out_path}")
    if out_path.resolve() == source.resolve():
        raise OutputFileError(f"--annotate would overwrite the checked file itself: {out_path}")
    check_target(out_path, force)
