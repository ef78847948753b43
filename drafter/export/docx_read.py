"""A .docx as located text segments: every paragraph of the body, the tables (cell by cell), the
text boxes, the headers and footers and the foot- and endnotes, in document order, as it reads
with all tracked changes accepted.

python-docx's own view is not enough: ``Paragraph.text`` drops text inside ``w:ins``, ``w:moveTo``,
``w:fldSimple``, ``w:smartTag`` and inline content controls; ``Document.paragraphs`` skips block
content controls and text boxes; and reading ``section.header`` *creates* a header where there was
none. So this module walks the XML of the parts python-docx loaded.

Text model (shared with ``isolate``, which splits runs to anchor a comment on exact characters):
``w:t`` is its text, ``w:tab``/``w:ptab`` a tab, ``w:br``/``w:cr`` a line break, ``w:noBreakHyphen`` a
hyphen, anything else (drawings, field characters, note references) nothing. Accepted view:
``w:del``/``w:moveFrom`` are dropped, ``w:ins``/``w:moveTo`` kept, a paragraph whose mark is deleted
joins the next one, a deleted table row is dropped. Complex fields keep their result, never their
instruction; page-number fields (PAGE, NUMPAGES …) are dropped whole, their digits are not claims.
``mc:AlternateContent`` is read from its first ``mc:Choice`` only (the ``mc:Fallback`` repeats a
text box in VML).

Locators: ``段N`` (body paragraphs, 1-based, empty ones counted), ``表T 行R 列C`` (C is the grid
column, so a cell after one spanning two columns is 列3; `` 段k`` when a cell has several
paragraphs), ``文本框K 段k``, ``第S节页眉 段k`` / ``页脚`` (``(首页)``/``(偶数页)`` for those
variants), ``脚注N 段k``, ``尾注N 段k``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from lxml import etree

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


MC_ALT, MC_CHOICE, MC_FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
# Containers inside a paragraph whose runs belong to the paragraph's text.
_TRANSPARENT = frozenset(w(t) for t in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "dir", "bdo"))
_CHANGE_TAGS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
                "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "cellIns", "cellDel", "cellMerge")
# Fields whose result Word computes from the layout: a page number is not a figure of the report.
_PAGE_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION")
_NOTE_SEPARATORS = ("separator", "continuationSeparator", "continuationNotice")


def child_text(el: etree._Element) -> str:
    """Visible text of one child of a ``w:r``."""
    tag = el.tag
    if tag == w("t"):
        return el.text or ""
    if tag in (w("tab"), w("ptab")):
        return "\t"
    if tag in (w("br"), w("cr")):
        return "\n"
    if tag == w("noBreakHyphen"):
        return "-"
    return ""


@dataclass
class Piece:
    """Characters [start, end) of a paragraph's text come from run ``r``."""

    r: etree._Element
    start: int
    end: int


@dataclass
class Segment:
    """One paragraph of the document as read: its locator, text and where it stands.

    ``context`` is what a table cell's number is about (its row header and column header), empty
    outside tables and for header cells. ``p`` and ``pieces`` let ``isolate`` find the runs."""

    locator: str
    story: str  # body | table | textbox | header | footer | footnote | endnote
    text: str
    p: etree._Element
    pieces: list[Piece]
    paragraph: int  # 1-based: 段N in the body; the paragraph within its cell, box, header or note
    table: int | None = None
    row: int | None = None
    column: int | None = None
    context: str = ""
    in_content_control: bool = False  # inside a block-level w:sdt
    notes: list[str] = field(default_factory=list)


class _StoryWalker:
    """Walks one story (the body, a header, a note) keeping the field stack across paragraphs:
    a field (a table of contents) may span many."""

    def __init__(self) -> None:
        self.fields: list[list] = []  # [state, instruction]; state: "instr" | "result"
        self.textboxes: list[etree._Element] = []

    def paragraph(self, p: etree._Element) -> tuple[str, list[Piece]]:
        pieces: list[Piece] = []
        buf: list[str] = []
        self.textboxes = []
        self._inline(p, pieces, buf)
        return "".join(buf), pieces

    def _inline(self, el, pieces, buf) -> None:
        for child in el:
            tag = child.tag
            if tag == w("r"):
                self._run(child, pieces, buf)
            elif tag in _TRANSPARENT:
                if tag == w("fldSimple") and _is_page_field(child.get(w("instr"), "")):
                    continue
                self._inline(child, pieces, buf)
            elif tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self._inline(content, pieces, buf)
            elif tag == MC_ALT:
                choice = child.find(MC_CHOICE)
                if choice is not None:
                    self._inline(choice, pieces, buf)
            # w:pPr, w:del, w:moveFrom, bookmarks, comment marks, proofErr: no text

    def _hidden(self) -> bool:
        """Inside an instruction, or inside the result of a page-number field."""
        return any(state == "instr" or _is_page_field(instr) for state, instr in self.fields)

    def _run(self, r, pieces, buf) -> None:
        for child in r:
            tag = child.tag
            if tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    self.fields.append(["instr", ""])
                elif kind == "separate" and self.fields:
                    self.fields[-1][0] = "result"
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if tag == w("instrText"):
                if self.fields and self.fields[-1][0] == "instr":
                    self.fields[-1][1] += child.text or ""
                continue
            if tag in (w("drawing"), w("pict"), MC_ALT, w("object")):
                self.textboxes.extend(_textboxes(child))
                continue
            if self._hidden():
                continue
            s = child_text(child)
            if s:
                start = sum(len(x) for x in buf)
                buf.append(s)
                if pieces and pieces[-1].r is r and pieces[-1].end == start:
                    pieces[-1].end += len(s)
                else:
                    pieces.append(Piece(r, start, start + len(s)))


def _is_page_field(instruction: str) -> bool:
    words = instruction.split()
    return bool(words) and words[0].upper() in _PAGE_FIELDS


def _textboxes(el: etree._Element) -> list[etree._Element]:
    """The outermost ``w:txbxContent`` under ``el``, skipping ``mc:Fallback`` (the VML copy)."""
    found = []
    for child in el:
        if child.tag == MC_FALLBACK:
            continue
        if child.tag == MC_ALT:
            choice = child.find(MC_CHOICE)
            if choice is not None:
                found.extend(_textboxes(choice))
        elif child.tag == w("txbxContent"):
            found.append(child)
        else:
            found.extend(_textboxes(child))
    return found


def _block_children(container: etree._Element, in_sdt: bool = False) -> Iterator[tuple[etree._Element, bool]]:
    """Paragraphs and tables of a block container, content controls opened, with whether each is
    inside one."""
    for el in container:
        if el.tag in (w("p"), w("tbl")):
            yield el, in_sdt
        elif el.tag == w("sdt"):
            content = el.find(w("sdtContent"))
            if content is not None:
                yield from _block_children(content, True)
        elif el.tag == w("customXml"):
            yield from _block_children(el, in_sdt)
        elif el.tag == MC_ALT:
            choice = el.find(MC_CHOICE)
            if choice is not None:
                yield from _block_children(choice, in_sdt)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    for el in tr:
        if el.tag == w("tc"):
            yield el
        elif el.tag in (w("sdt"), w("customXml")):
            inner = el.find(w("sdtContent")) if el.tag == w("sdt") else el
            if inner is not None:
                yield from _cells(inner)


def _mark_deleted(p: etree._Element) -> bool:
    return p.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None


def _cell_text(tc: etree._Element) -> str:
    walker = _StoryWalker()
    return " ".join(walker.paragraph(p)[0].strip() for p, _ in _block_children(tc) if p.tag == w("p")).strip()


@dataclass
class _Where:
    """Where the paragraphs of a container go: their story and how they are named."""

    story: str
    prefix: str  # "" in the body, "表1 行2 列3 ", "文本框1 ", "第1节页眉 " …
    numbered: bool  # whether each paragraph gets " 段k" (always, except a cell's single paragraph)
    table: int | None = None
    row: int | None = None
    column: int | None = None
    context: str = ""


class _Reader:
    def __init__(self) -> None:
        self.out: list[Segment] = []
        self.tables = 0
        self.textboxes = 0

    def blocks(self, container, where: _Where, walker: _StoryWalker) -> None:
        pending: Segment | None = None  # a paragraph whose mark was deleted joins the next one
        n = 0
        for el, in_sdt in _block_children(container):
            if el.tag == w("tbl"):
                if pending is not None:
                    self.out.append(pending)
                    pending = None
                self.tables += 1
                self.table(el, self.tables, walker, where)
                continue
            text, pieces = walker.paragraph(el)
            boxes = walker.textboxes
            if pending is not None:
                shift = len(pending.text)
                pending.text += text
                pending.pieces += [Piece(pc.r, pc.start + shift, pc.end + shift) for pc in pieces]
                pending.notes.append("joined with the next paragraph (its mark was deleted)")
                seg = pending
            else:
                n += 1
                if where.story == "body":
                    locator = f"段{n}"
                else:
                    locator = f"{where.prefix}段{n}" if where.numbered else where.prefix.strip()
                seg = Segment(locator, where.story, text, el, pieces, n, where.table, where.row, where.column,
                              where.context, in_sdt)
            if _mark_deleted(el):
                pending = seg
            else:
                pending = None
                self.out.append(seg)
            for box in boxes:  # a text box comes right after the paragraph that anchors it
                self.textboxes += 1
                self.blocks(box, _Where("textbox", f"文本框{self.textboxes} ", True), _StoryWalker())
        if pending is not None:
            self.out.append(pending)

    def table(self, tbl, number: int, walker: _StoryWalker, outer: _Where) -> None:
        rows = [tr for tr in tbl.findall(w("tr")) if tr.find(f"{w('trPr')}/{w('del')}") is None]
        grid: list[list[tuple[int, int, etree._Element, str | None]]] = []  # (first column, span, tc, vMerge)
        for tr in rows:
            col = 0
            before = tr.find(f"{w('trPr')}/{w('gridBefore')}")
            if before is not None:
                col = int(before.get(w("val"), "0"))
            cells = []
            for tc in _cells(tr):
                span_el = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
                span = int(span_el.get(w("val"), "1")) if span_el is not None else 1
                vm = tc.find(f"{w('tcPr')}/{w('vMerge')}")
                cells.append((col, span, tc, None if vm is None else (vm.get(w("val")) or "continue")))
                col += span
            grid.append(cells)
        # Column headers: the rows marked as repeating header rows, else the first row.
        head_rows = [i for i, tr in enumerate(rows) if tr.find(f"{w('trPr')}/{w('tblHeader')}") is not None] or [0]

        def column_header(c0: int, span: int) -> str:
            names = [_cell_text(tc) for i in head_rows if i < len(grid)
                     for h0, hspan, tc, _ in grid[i] if h0 < c0 + span and c0 < h0 + hspan]
            return "/".join(dict.fromkeys(n for n in names if n))

        def cell_at(ri: int, col: int):  # the cell covering a grid column, following a vertical merge up
            for i in range(ri, -1, -1):
                hit = next((c for c in grid[i] if c[0] <= col < c[0] + c[1]), None)
                if hit is None or hit[3] != "continue":
                    return hit
            return None

        prefix = f"{outer.prefix}表{number} " if outer.story != "body" else f"表{number} "
        story = "table" if outer.story in ("body", "table") else outer.story
        for ri, cells in enumerate(grid):
            first = cell_at(ri, cells[0][0]) if cells else None
            row_header = _cell_text(first[2]) if first else ""
            for c0, span, tc, vmerge in cells:
                if vmerge == "continue" and not _cell_text(tc):
                    continue  # the text is in the cell that starts the merge
                header_cell = ri in head_rows or (first is not None and c0 == first[0])
                context = "" if header_cell else " ".join(x for x in (row_header, column_header(c0, span)) if x)
                n_paragraphs = sum(1 for el, _ in _block_children(tc) if el.tag == w("p"))
                where = _Where(story, f"{prefix}行{ri + 1} 列{c0 + 1} ", n_paragraphs > 1, number, ri + 1, c0 + 1,
                               context)
                self.blocks(tc, where, walker)


def _xml_of(part) -> etree._Element:
    """The root element of a part: XmlParts have one; foot- and endnotes load as plain parts."""
    element = getattr(part, "element", None)
    return element if element is not None else etree.fromstring(part.blob)


def read_segments(doc: "DocxDocument") -> list[Segment]:
    """Every paragraph of ``doc`` with its locator, in document order: the body (tables and text
    boxes where they stand), then headers and footers, then foot- and endnotes."""
    reader = _Reader()
    body = doc.element.body
    reader.blocks(body, _Where("body", "", True), _StoryWalker())

    seen: set[str] = set()
    variants = {"default": "", "first": "(首页)", "even": "(偶数页)"}
    for si, sect in enumerate(body.iter(w("sectPr")), 1):
        for ref_tag, label, story in (("headerReference", "页眉", "header"), ("footerReference", "页脚", "footer")):
            for ref in sect.findall(w(ref_tag)):
                rid = ref.get(f"{{{R_NS}}}id")
                part = doc.part.related_parts.get(rid)
                if part is None or str(part.partname) in seen:
                    continue
                seen.add(str(part.partname))
                kind = ref.get(w("type"), "default")
                prefix = f"第{si}节{label}{variants.get(kind, kind)} "
                reader.blocks(_xml_of(part), _Where(story, prefix, True), _StoryWalker())

    for reltype, label, story in ((RT_FOOTNOTES, "脚注", "footnote"), (RT_ENDNOTES, "尾注", "endnote")):
        for rel in doc.part.rels.values():
            if rel.reltype != reltype or rel.is_external:
                continue
            for note in _xml_of(rel.target_part):
                if note.get(w("type")) in _NOTE_SEPARATORS:
                    continue
                reader.blocks(note, _Where(story, f"{label}{note.get(w('id'))} ", True), _StoryWalker())
    return reader.out


def tracked_changes(doc: "DocxDocument") -> dict[str, int]:
    """How many revision marks of each kind the body, headers, footers and notes hold."""
    roots = [doc.element]
    for rel in doc.part.rels.values():
        if not rel.is_external and rel.reltype.rsplit("/", 1)[-1] in ("header", "footer", "footnotes", "endnotes"):
            roots.append(_xml_of(rel.target_part))
    counts: dict[str, int] = {}
    for root in roots:
        for tag in _CHANGE_TAGS:
            n = sum(1 for _ in root.iter(w(tag)))
            if n:
                counts[tag] = counts.get(tag, 0) + n
    return counts


# --- splitting runs so that a range of characters is a range of whole runs ---------------------


def split_run(r: etree._Element, k: int) -> etree._Element:
    """Split ``w:r`` after ``k`` visible characters: ``r`` keeps the first part in place, a deep
    copy (same formatting) holding the rest is inserted right after it and returned."""
    content = [c for c in r if c.tag != w("rPr")]
    pos = 0
    for i, c in enumerate(content):
        n = len(child_text(c))
        if n and pos < k <= pos + n:
            break
        pos += n
    else:
        raise ValueError(f"offset {k} is beyond the run's text")
    keep = k - pos  # characters of content[i] that stay left
    right = copy.deepcopy(r)
    right_content = [c for c in right if c.tag != w("rPr")]
    for c in content[i + 1:]:
        r.remove(c)
    if keep == n:
        for c in right_content[: i + 1]:
            right.remove(c)
    else:  # only a w:t holds more than one character
        for c in right_content[:i]:
            right.remove(c)
        left_t, right_t = content[i], right_content[i]
        text = left_t.text
        left_t.text, right_t.text = text[:keep], text[keep:]
        for t in (left_t, right_t):
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.addnext(right)
    return right


def isolate(seg: Segment, start: int, end: int) -> tuple[etree._Element, etree._Element]:
    """Split runs so that characters [start, end) of ``seg`` are whole runs; return the first and
    the last. The halves of a run stay in its container (a hyperlink, a tracked insertion, a field
    result), and ``seg.pieces`` is kept up to date for the next range of the same paragraph."""
    if not 0 <= start < end <= len(seg.text):
        raise ValueError(f"range {start}-{end} is outside the paragraph ({len(seg.text)} characters)")
    ranges: list[list] = []
    for pc in seg.pieces:
        if ranges and ranges[-1][0] is pc.r:
            ranges[-1][2] = pc.end
        else:
            ranges.append([pc.r, pc.start, pc.end])
    for pos in (end, start):
        for i, (r, rs, re_) in enumerate(ranges):
            if rs < pos < re_:
                new = split_run(r, pos - rs)
                ranges[i] = [r, rs, pos]
                ranges.insert(i + 1, [new, pos, re_])
                break
    first = next(r for r, rs, _ in ranges if rs == start)
    last = next(r for r, _, re_ in ranges if re_ == end)
    seg.pieces = [Piece(r, rs, re_) for r, rs, re_ in ranges]
    return first, last
