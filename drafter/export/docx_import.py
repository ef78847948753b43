"""`drafter import report.docx -o draft.md`: a Word-edited report back to drafter's Markdown, so an
office can go on with drafter on the writer's version.

What is read is what ``drafter check`` reads (``docx_read``: tracked changes accepted, text boxes
where they are anchored, content controls opened). Headings come from Word's outline level — the
paragraph's own ``w:outlineLvl``, else its style's (through ``w:basedOn``), else a built-in style
named ``heading N`` (stored in English whatever the interface language; the style *id* is
localised, so it is never used) — and their numbering from Word's auto-numbering, whose label
(一、 （一） 1.) is not in the text and is counted here as Word counts it. Typed-in numbering needs
nothing: drafter reads 一、/（一）/1./（1） from the text. The title is the paragraph in a Title
style, or a centred first line. Tables become pipe tables. Headers, footers, foot- and endnotes
and comments are not part of the draft: the report counts what was left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.corpus.structure import cn_number
from drafter.export.docx_read import Segment, read_segments, tracked_changes, w
from drafter.export.word_sniff import open_word

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from lxml.etree import _Element

RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_TITLE_STYLES = ("title", "gw title")
_TITLE_MAX_CHARS = 80
_SENTENCE_END = "。！？；"


@dataclass(frozen=True)
class ImportReport:
    source: Path
    out_path: Path | None  # None: printed to stdout
    markdown: str
    title: str | None
    headings: int
    paragraphs: int
    tables: int
    tracked_changes: dict[str, int]  # the text was taken with all of them accepted
    left_out: dict[str, int]  # paragraphs not imported: header, footer, footnote, endnote; comments

    def to_json(self) -> dict[str, Any]:
        return {"source": str(self.source), "out_path": str(self.out_path) if self.out_path else None,
                "title": self.title, "headings": self.headings, "paragraphs": self.paragraphs, "tables": self.tables,
                "tracked_changes": self.tracked_changes, "left_out": self.left_out}


# --- styles and numbering ------------------------------------------------------------------------


class _Styles:
    def __init__(self, doc: "DocxDocument") -> None:
        self.by_id = {s.get(w("styleId")): s for s in doc.styles.element.findall(w("style"))}
        self.default = next((sid for sid, s in self.by_id.items()
                             if s.get(w("type")) == "paragraph" and s.get(w("default")) in ("1", "true")), None)

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None

    def ppr(self, style_id: str | None, tag: str) -> "_Element | None":
        for style in self.chain(style_id):
            el = style.find(f"{w('pPr')}/{w(tag)}")
            if el is not None:
                return el
        return None

    def names(self, style_id: str | None) -> list[str]:
        return [(s.find(w("name")).get(w("val")) if s.find(w("name")) is not None else "").lower()
                for s in self.chain(style_id)]


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
               "japaneseCounting", "taiwaneseCounting"):
        return cn_number(n)
    if fmt.startswith("decimalEnclosedCircle"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "upperLetter":
        return chr(64 + (n - 1) % 26 + 1)
    if fmt == "lowerLetter":
        return chr(96 + (n - 1) % 26 + 1)
    if fmt == "upperRoman" or fmt == "lowerRoman":
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


class _Numbering:
    """Word's auto-numbering labels, counted in document order per abstract numbering (lists that
    share one continue each other's count, as in Word)."""

    def __init__(self, doc: "DocxDocument", styles: _Styles) -> None:
        from lxml import etree

        root = None
        for rel in doc.part.rels.values():  # python-docx's numbering_part would create one
            if rel.reltype == RT_NUMBERING and not rel.is_external:
                part = rel.target_part
                root = getattr(part, "element", None)
                if root is None:
                    root = etree.fromstring(part.blob)
        self.nums = {n.get(w("numId")): n for n in root.findall(w("num"))} if root is not None else {}
        self.abstract = {a.get(w("abstractNumId")): a for a in root.findall(w("abstractNum"))} if root is not None else {}
        self.styles = styles
        self.counts: dict[str, list[int]] = {}
        self.started: set[tuple[str, str, int]] = set()  # (numId, abstractNumId, level) restarted by an override

    def _level(self, num_id: str, ilvl: int, depth: int = 0):
        num = self.nums.get(num_id)
        if num is None or depth > 3:
            return None
        ref = num.find(w("abstractNumId"))
        abs_id = ref.get(w("val")) if ref is not None else None
        absn = self.abstract.get(abs_id)
        link = absn.find(w("numStyleLink")) if absn is not None else None
        if link is not None:  # defined through a numbering style: follow it to its own numId
            num_pr = self.styles.ppr(link.get(w("val")), "numPr")
            nid = num_pr.find(w("numId")) if num_pr is not None else None
            if nid is not None and nid.get(w("val")) != num_id:
                return self._level(nid.get(w("val")), ilvl, depth + 1)
        override = num.find(f"{w('lvlOverride')}[@{w('ilvl')}='{ilvl}']")
        lvl = override.find(w("lvl")) if override is not None else None
        if lvl is None and absn is not None:
            lvl = absn.find(f"{w('lvl')}[@{w('ilvl')}='{ilvl}']")
        start = override.find(w("startOverride")) if override is not None else None
        return abs_id, absn, lvl, start

    def label(self, num_id: str, ilvl: int) -> str:
        found = self._level(num_id, ilvl)
        if found is None or found[2] is None:
            return ""
        abs_id, absn, lvl, start_override = found
        counts = self.counts.setdefault(abs_id, [0] * 9)

        def start_of(level_el) -> int:
            el = level_el.find(w("start")) if level_el is not None else None
            return int(el.get(w("val"))) if el is not None else 1

        if start_override is not None and (num_id, abs_id, ilvl) not in self.started:
            self.started.add((num_id, abs_id, ilvl))
            counts[ilvl] = int(start_override.get(w("val")))
        else:
            counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start_of(lvl)
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        text_el = lvl.find(w("lvlText"))
        template = text_el.get(w("val")) if text_el is not None else ""
        legal = lvl.find(w("isLgl")) is not None

        def fill(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            level_el = absn.find(f"{w('lvl')}[@{w('ilvl')}='{k}']") if absn is not None else None
            fmt_el = level_el.find(w("numFmt")) if level_el is not None else None
            fmt = "decimal" if legal or fmt_el is None else fmt_el.get(w("val"))
            return _format(counts[k] or start_of(level_el), fmt)

        return re.sub(r"%(\d)", fill, template)


def _style_id(p: "_Element", styles: _Styles) -> str | None:
    ps = p.find(f"{w('pPr')}/{w('pStyle')}")
    return ps.get(w("val")) if ps is not None else styles.default


def outline_level(p: "_Element", styles: _Styles) -> int | None:
    """0-based Word outline level of a paragraph, None for body text."""
    sid = _style_id(p, styles)
    el = p.find(f"{w('pPr')}/{w('outlineLvl')}")
    if el is None:
        el = styles.ppr(sid, "outlineLvl")
    if el is not None:
        level = int(el.get(w("val"), "9"))
        return level if level < 9 else None
    for name in styles.names(sid):
        m = re.fullmatch(r"heading ([1-9])", name)
        if m:
            return int(m.group(1)) - 1
    return None


def numbering_label(p: "_Element", styles: _Styles, numbering: _Numbering) -> str:
    num_pr = p.find(f"{w('pPr')}/{w('numPr')}")
    if num_pr is None:
        num_pr = styles.ppr(_style_id(p, styles), "numPr")
    if num_pr is None:
        return ""
    nid, ilvl = num_pr.find(w("numId")), num_pr.find(w("ilvl"))
    num_id = nid.get(w("val")) if nid is not None else "0"
    if num_id == "0":  # numbering switched off
        return ""
    return numbering.label(num_id, int(ilvl.get(w("val"))) if ilvl is not None else 0)


# --- Markdown ------------------------------------------------------------------------------------

_LINE_START_ESCAPE = re.compile(r"^(#|>|\||[-+*]\s)")


def _md_line(text: str) -> str:
    """One paragraph as a Markdown line: whitespace tidied, a leading character Markdown would read
    as syntax escaped."""
    text = re.sub(r"[ \t\u3000]+$", "", text.replace("\t", " ")).strip()
    return "\\" + text if _LINE_START_ESCAPE.match(text) else text


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _is_title(seg: Segment, styles: _Styles) -> bool:
    names = styles.names(_style_id(seg.p, styles))
    if any(n in _TITLE_STYLES for n in names[:1]):
        return True
    jc = seg.p.find(f"{w('pPr')}/{w('jc')}")
    centred = jc is not None and jc.get(w("val")) == "center"
    text = seg.text.strip()
    return centred and len(text) <= _TITLE_MAX_CHARS and not any(c in text for c in _SENTENCE_END)


def to_markdown(doc: "DocxDocument") -> tuple[str, dict[str, int], dict[str, int], str | None]:
    """The document's Markdown, counts (headings, paragraphs, tables), what was left out (by story,
    and comments), and its title."""
    styles = _Styles(doc)
    numbering = _Numbering(doc, styles)
    segments = read_segments(doc)
    out: list[str] = []
    counts = {"headings": 0, "paragraphs": 0, "tables": 0}
    left_out: dict[str, int] = {}
    title = None
    seen_text = False
    i = 0
    while i < len(segments):
        seg = segments[i]
        if seg.story in ("header", "footer", "footnote", "endnote"):
            if seg.text.strip():
                left_out[seg.story] = left_out.get(seg.story, 0) + 1
            i += 1
            continue
        if seg.story == "table" and seg.table is not None:
            j = i
            while j < len(segments) and segments[j].story == "table" and segments[j].table == seg.table:
                j += 1
            out.append(_table(segments[i:j]))
            counts["tables"] += 1
            i = j
            continue
        i += 1
        label = numbering_label(seg.p, styles, numbering) if seg.story == "body" else ""
        text = seg.text.strip()
        if not text:
            continue
        level = outline_level(seg.p, styles) if seg.story == "body" else None
        if not seen_text and level is None and _is_title(seg, styles):
            title = text
            out.append(f"# {text}")
        elif level is not None:
            out.append("#" * min(level + 2, 6) + " " + (label + text).replace("\n", " "))
            counts["headings"] += 1
        else:
            # a line break inside a paragraph (署名 over the date) becomes a line of its own
            lines = [_md_line(x) for x in (label + text).split("\n") if x.strip()]
            out.append("\n\n".join(lines))
            counts["paragraphs"] += len(lines)
        seen_text = True
    comments = sum(1 for _ in doc.comments) if hasattr(doc, "comments") else 0
    if comments:
        left_out["comments"] = comments
    return "\n\n".join(out) + "\n", counts, left_out, title


def _table(cells: list[Segment]) -> str:
    """A pipe table over the grid: merged cells become empty cells, a cell's paragraphs one line."""
    rows: dict[int, dict[int, list[str]]] = {}
    for seg in cells:
        rows.setdefault(seg.row or 0, {}).setdefault(seg.column or 0, []).append(seg.text.strip())
    width = max((max(r) for r in rows.values() if r), default=1)
    lines = []
    for n, r in enumerate(sorted(rows)):
        values = [_cell(" ".join(x for x in rows[r].get(c, []) if x)) for c in range(1, width + 1)]
        lines.append("| " + " | ".join(values) + " |")
        if n == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def import_docx(source: Path, out_path: Path | None = None, *, force: bool = False) -> ImportReport:
    """Read a .docx and return its Markdown; with ``out_path``, also write it there (atomically)."""
    from drafter.errors import OutputFileError
    from drafter.fileio import check_target, write_text_atomic

    if out_path is not None:
        if out_path.resolve() == source.resolve():
            raise OutputFileError(f"the output would overwrite the Word file itself: {out_path}")
        check_target(out_path, force)
    doc = open_word(source)
    markdown, counts, left_out, title = to_markdown(doc)
    if out_path is not None:
        write_text_atomic(out_path, markdown, force=force)
    return ImportReport(source, out_path, markdown, title, counts["headings"], counts["paragraphs"], counts["tables"],
                        tracked_changes(doc), left_out)

