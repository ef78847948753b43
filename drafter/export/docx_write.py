"""Markdown draft → .docx in the look of GB/T 9704-2012 《党政机关公文格式》.

The Markdown stays the source of truth; this module only typesets it. The same input gives the
same bytes: core properties are fixed, and the zip is rewritten with fixed member timestamps.

Where the figures come from (clause numbers of GB/T 9704-2012):
- 5.1 A4, 210 mm × 297 mm.  5.2.1 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm (so the right
  margin is 26 mm and the bottom one 35 mm).  5.2.3 22 lines a page, 28 characters a line.
- 5.2.2 elements in 3号 仿宋 unless said otherwise.  7.3.1 title 2号 小标宋, centred.
- 7.3.2 主送机关 below the title, flush left, a full-width colon after it.
- 7.3.3 body: each paragraph indented two characters; levels 一、（一）1.（1）; level 1 黑体,
  level 2 楷体, levels 3 and 4 仿宋 (bold for levels 3 and 4 is common office practice, not the
  standard).  7.3.5 成文日期 four characters in from the right, Arabic numerals (7.3.5.4).
- 7.5 page numbers: 4号 半角 宋体 Arabic numerals between two 一字线 (— 1 —), 7 mm below the
  type area; odd pages right, even pages left, one character in from the edge.
The font names (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312) are the ones offices install; the
standard names the typefaces only. Digits and Latin letters use Times New Roman.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.errors import DrafterError
from drafter.export.blocks import Draft, Heading, Paragraph, ParseWarning, Span, Table, normalise_date, parse_draft
from drafter.fileio import check_target, read_user_text, write_atomic

if TYPE_CHECKING:  # python-docx is imported only when a document is built
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph as DocxParagraph


class ExportError(DrafterError):
    meaning = "the draft could not be exported to Word"


# --- page geometry, in twips (1/20 pt; 1 mm = 56.693 twips) ----------------------------------

PAGE_WIDTH = 11906  # 210 mm
PAGE_HEIGHT = 16838  # 297 mm
MARGIN_TOP = 2098  # 37 mm
MARGIN_LEFT = 1588  # 28 mm
MARGIN_RIGHT = 1474  # 26 mm = 210 − 28 − 156
MARGIN_BOTTOM = 1984  # 35 mm = 297 − 37 − 225
HEADER_DISTANCE = 851  # 15 mm; the header stays empty
FOOTER_DISTANCE = 1400  # 24.7 mm: puts the 一字线 ≈ 7 mm below the type area (measured in a render)
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
BODY_PT = 16  # 3号
# 225 mm / 22 = 579.8 twips; 579 lets exactly 22 lines fit (23 would need 13 317 of 12 756).
LINE_PITCH = (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) // LINES_PER_PAGE
# docGrid charSpace: 1/4096 pt added to the 16 pt pitch so that 28 characters fill 156 mm
# (8 844 twips / 28 = 15.79 pt); rounded down so the 28th character still fits.
CHAR_SPACE = ((PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) * 4096 // (20 * CHARS_PER_LINE)) - BODY_PT * 4096
CHAR_TWIPS = BODY_PT * 20  # one 3号 character, for indents in twips
# 28 characters of 16 pt do not fit in 156 mm. Word squeezes them onto the grid itself, but
# LibreOffice (7.4) gives a character wider than its grid cell two cells (14 a line). So the
# paragraphs leave the character grid (w:snapToGrid 0, exact line pitch instead) and tighten
# 3号 text by 0.3 pt a character (15.7 pt × 28 = 439.6 pt ≤ 442.2 pt): 28 a line everywhere.
TRACKING_TWIPS = -6
PAGE_NUMBER_INDENT = 14 * 20  # one 4号 character


# --- fonts and looks -------------------------------------------------------------------------

LATIN = "Times New Roman"


@dataclass(frozen=True)
class FontSpec:
    east_asia: str
    latin: str
    size_pt: float
    bold: bool = False
    tracking_twips: int = 0  # w:spacing in the run properties


TITLE_FONT = FontSpec("方正小标宋简体", LATIN, 22)
BODY_FONT = FontSpec("仿宋_GB2312", LATIN, BODY_PT, tracking_twips=TRACKING_TWIPS)
HEADING_FONTS = {
    1: FontSpec("黑体", LATIN, BODY_PT, tracking_twips=TRACKING_TWIPS),
    2: FontSpec("楷体_GB2312", LATIN, BODY_PT, tracking_twips=TRACKING_TWIPS),
    3: FontSpec("仿宋_GB2312", LATIN, BODY_PT, bold=True, tracking_twips=TRACKING_TWIPS),
    4: FontSpec("仿宋_GB2312", LATIN, BODY_PT, bold=True, tracking_twips=TRACKING_TWIPS),
}
PAGE_NUMBER_FONT = FontSpec("宋体", "宋体", 14)  # 7.5: 半角宋体阿拉伯数字, so digits in 宋体 too
TABLE_FONT = FontSpec("仿宋_GB2312", LATIN, 14)  # 4.2.2 allows adjusting; 3号 cramps tables

# Where Word lacks a font it reads w:altName: these are the faces Windows ships.
_ALT_NAMES = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "黑体": "SimHei", "宋体": "SimSun"}


@dataclass(frozen=True)
class Look:
    """A paragraph style: written to styles.xml and repeated as direct formatting, so a
    paragraph pasted into another office's template keeps its look."""

    name: str
    font: FontSpec
    align: str  # w:jc value
    first_line_chars: int = 0
    right_chars: float = 0.0  # in 3号 characters
    left_twips: int = 0  # page numbers: one 4号 character
    right_twips: int = 0
    outline_level: int | None = None  # 0-based, as Word stores it
    keep_next: bool = False
    on_grid: bool = True  # exact line pitch of the document grid

    @property
    def style_id(self) -> str:
        return self.name.replace(" ", "")  # how python-docx (and Word) derive it


TITLE = Look("GW Title", TITLE_FONT, "center")
BODY = Look("GW Body", BODY_FONT, "both", first_line_chars=2)
LIST_2 = Look("GW List 2", BODY_FONT, "both", first_line_chars=4)
RECIPIENT = Look("GW Recipient", BODY_FONT, "both")
ISSUER = Look("GW Issuer", BODY_FONT, "right")
DATE = Look("GW Date", BODY_FONT, "right", right_chars=4)
HEADINGS = {
    level: Look(f"GW Heading {level}", font, "both", 2, outline_level=level - 1, keep_next=True)
    for level, font in HEADING_FONTS.items()
}
TABLE_TEXT = Look("GW Table Text", TABLE_FONT, "center", on_grid=False)
PAGE_ODD = Look("GW Page Number Odd", PAGE_NUMBER_FONT, "right", right_twips=PAGE_NUMBER_INDENT, on_grid=False
)
PAGE_EVEN = Look("GW Page Number Even", PAGE_NUMBER_FONT, "left", left_twips=PAGE_NUMBER_INDENT, on_grid=False
)
NORMAL = Look("Normal", BODY_FONT, "both")
LABEL = Look("GW Label", FontSpec("黑体", LATIN, 14), "right", on_grid=False)  # 征求意见稿, 4号黑体 in the header
LOOKS = (TITLE, BODY, LIST_2, RECIPIENT, ISSUER, DATE, *HEADINGS.values(), TABLE_TEXT, PAGE_ODD, PAGE_EVEN)
FONTS_NAMED = tuple(dict.fromkeys(f for look in LOOKS for f in (look.font.east_asia, look.font.latin)))

# Fixed core properties: nothing in the file depends on when it was written.
_FIXED_TIME = "2000-01-01T00:00:00"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportReport:
    out_path: Path
    title: str
    recipient: str | None
    issuer: str | None
    date: str | None
    headings: tuple[Heading, ...]
    paragraphs: int  # body paragraphs and list items
    tables: int
    warnings: tuple[ParseWarning, ...]
    fonts: tuple[str, ...]  # every font the document names
    sha256: str  # of the written file
    missing_fonts: tuple[str, ...] | None = None  # named but not installed here; None: not checked
    label: str | None = None  # 征求意见稿 in the header, when the draft was exported unresolved

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["out_path"] = str(self.out_path)
        data["warnings"] = [{"line": w.line, "message": w.message} for w in self.warnings]
        return data


# --- public functions ------------------------------------------------------------------------


def export_draft_file(
    draft_path: Path,
    out_path: Path,
    *,
    title: str | None = None,
    issuer: str | None = None,
    date: str | None = None,
    recipient: str | None = None,
    force: bool = False,
    label: str | None = None,
) -> ExportReport:
    """Read a draft file and export it (what ``drafter export`` calls); the report says which of
    the fonts the document names are missing on this machine."""
    if draft_path.resolve() == out_path.resolve():
        raise ExportError(f"the output would overwrite the draft itself: {out_path}")
    report = export_docx(read_user_text(draft_path, "draft", allow_empty=False), out_path, title=title,
                         issuer=issuer, date=date, recipient=recipient, force=force, label=label)
    return replace(report, missing_fonts=missing_fonts(report.fonts))


def export_docx(
    markdown_text: str,
    out_path: Path,
    *,
    title: str | None = None,
    issuer: str | None = None,
    date: str | None = None,
    recipient: str | None = None,
    force: bool = False,
    label: str | None = None,
) -> ExportReport:
    """Write ``markdown_text`` as a .docx in the 公文 look. Options replace what the draft says.
    ``label`` (征求意见稿) goes in the page header and the document's status property, so an
    unfinished draft cannot pass for final."""
    out_path = Path(out_path)
    _check_target(out_path, force)  # fail before the work, not after it
    if not markdown_text.strip():
        raise ExportError("the draft is empty")
    draft = parse_draft(markdown_text)
    final_title = (title or "").strip() or draft.title
    if not final_title:
        raise ExportError("the draft has no title line: start it with “# 标题” or pass --title")
    final_date = draft.date
    if date is not None:
        final_date = normalise_date(date)
        if final_date is None:
            raise ExportError(f"--date is not a date such as 2024年12月20日: {date!r}")
    final_recipient = draft.recipient
    if recipient is not None and recipient.strip():
        final_recipient = recipient.strip().rstrip("：:") + "："
    final_issuer = issuer.strip() if issuer is not None and issuer.strip() else draft.issuer

    doc = _build(draft, final_title, final_recipient, final_issuer, final_date)
    if label:
        _label(doc, label)
    data = _package(doc)
    write_atomic(data, out_path, force, ExportError)
    return ExportReport(
        out_path=out_path,
        title=final_title,
        recipient=final_recipient,
        issuer=final_issuer,
        date=final_date,
        headings=draft.headings,
        paragraphs=sum(isinstance(b, Paragraph) for b in draft.blocks),
        tables=sum(isinstance(b, Table) for b in draft.blocks),
        warnings=draft.warnings,
        fonts=FONTS_NAMED,
        sha256=hashlib.sha256(data).hexdigest(),
        label=label or None,
    )


def missing_fonts(names: tuple[str, ...]) -> tuple[str, ...] | None:
    """Which of ``names`` fontconfig does not know here; None when ``fc-list`` is not available."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        listed = subprocess.run(
            [exe, ":", "family"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    installed = {name.strip().replace("\\", "").casefold() for line in listed.splitlines() for name in line.split(",")}
    return tuple(n for n in names if n.casefold() not in installed)


# --- building the document -------------------------------------------------------------------


def _build(draft: Draft, title: str, recipient: str | None, issuer: str | None, date: str | None) -> DocxDocument:
    import docx

    doc = docx.Document()
    _setup_styles(doc)
    _setup_page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(f"{{{_W}}}p")):  # the template's empty paragraph
        body.remove(p)

    _add(doc, TITLE, (Span(title),))
    _add(doc, BODY, ())  # 7.3.2: the 主送机关 (or the body) starts one line below the title
    if recipient:
        _add(doc, RECIPIENT, (Span(recipient),))
    for block in draft.blocks:
        if isinstance(block, Heading):
            _add(doc, HEADINGS[block.level], (Span(block.text),))
        elif isinstance(block, Paragraph):
            _add_paragraph(doc, block)
        else:
            _add_table(doc, block)
    if issuer or date:
        _add(doc, BODY, ())  # 7.3.5: the 署名 stands one line below the body
        if issuer:
            _add(doc, _issuer_look(issuer, date), (Span(issuer),))
        if date:
            _add(doc, DATE, (Span(date),))
    _core_properties(doc, title, issuer, date)
    return doc


def _issuer_look(issuer: str, date: str | None) -> Look:
    """The 署名 is centred over the date (7.3.5.1), so its right indent depends on both widths."""
    if not date:
        return ISSUER
    shift = (_width_chars(date) - _width_chars(issuer)) / 2
    return Look(ISSUER.name, ISSUER.font, "right", right_chars=max(0.0, DATE.right_chars + shift))


def _width_chars(text: str) -> float:
    """Width in 3号 characters: Chinese characters are one, half-width digits and letters half."""
    return sum(0.5 if c.isascii() else 1.0 for c in text)


def _add_paragraph(doc: DocxDocument, block: Paragraph) -> None:
    look = LIST_2 if block.list_depth == 2 else BODY
    if block.lead is None:
        _add(doc, look, block.spans)
        return
    # A run-in lead (numbering + first sentence) is set in its level's heading font.
    lead_font = HEADING_FONTS[block.lead.level]
    pieces: list[tuple[Span, FontSpec]] = []
    pos = 0
    for span in block.spans:
        cut = min(max(block.lead.length - pos, 0), len(span.text))
        if cut:
            pieces.append((Span(span.text[:cut], span.bold), lead_font))
        if cut < len(span.text):
            pieces.append((Span(span.text[cut:], span.bold), look.font))
        pos += len(span.text)
    p = _paragraph(doc, look)
    for span, font in pieces:
        _run(p, span.text, font, bold=font.bold or span.bold)


def _add(doc: DocxDocument, look: Look, spans: tuple[Span, ...]) -> DocxParagraph:
    p = _paragraph(doc, look)
    for span in spans:
        _run(p, span.text, look.font, bold=look.font.bold or span.bold)
    return p


def _paragraph(doc: DocxDocument, look: Look) -> DocxParagraph:
    p = doc.add_paragraph()
    _set_ppr(p, look)
    return p


def _set_ppr(p: DocxParagraph, look: Look) -> None:
    from docx.oxml import parse_xml

    old = p._p.pPr
    if old is not None:
        p._p.remove(old)
    p._p.insert(0, parse_xml(_ppr_xml(look, with_style=True)))


def _run(p: DocxParagraph, text: str, font: FontSpec, *, bold: bool) -> None:
    from docx.oxml import parse_xml

    r = p.add_run(text)
    r._r.insert(0, parse_xml(_rpr_xml(font, bold=bold)))


def _ppr_xml(look: Look, *, with_style: bool) -> str:
    """pPr children in schema order (Word rejects files whose elements are out of order)."""
    parts = [f'<w:pPr xmlns:w="{_W}">']
    if with_style:
        parts.append(f'<w:pStyle w:val="{look.style_id}"/>')
    if look.keep_next:
        parts.append("<w:keepNext/>")
    parts.append('<w:widowControl w:val="0"/>')  # widow control would break the 22-line page
    parts.append('<w:snapToGrid w:val="0"/>')  # see TRACKING_TWIPS
    if look.on_grid:
        parts.append(f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>')
    else:
        parts.append('<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    ind = []
    if look.first_line_chars:
        ind.append(f'w:firstLine="{look.first_line_chars * CHAR_TWIPS}" w:firstLineChars="{look.first_line_chars * 100}"')
    if look.right_chars:
        ind.append(f'w:right="{round(look.right_chars * CHAR_TWIPS)}" w:rightChars="{round(look.right_chars * 100)}"')
    if look.right_twips:
        ind.append(f'w:right="{look.right_twips}"')
    if look.left_twips:
        ind.append(f'w:left="{look.left_twips}"')
    if ind:
        parts.append(f"<w:ind {' '.join(ind)}/>")
    parts.append(f'<w:jc w:val="{look.align}"/>')
    if look.outline_level is not None:
        parts.append(f'<w:outlineLvl w:val="{look.outline_level}"/>')
    parts.append("</w:pPr>")
    return "".join(parts)


def _rpr_xml(font: FontSpec, *, bold: bool, lang: bool = False) -> str:
    # w:hint="eastAsia" sets “”—… in the Chinese face, as Chinese text expects, not in the Latin one.
    half_points = round(font.size_pt * 2)
    return (
        f'<w:rPr xmlns:w="{_W}">'
        f'<w:rFonts w:ascii="{font.latin}" w:hAnsi="{font.latin}" w:eastAsia="{font.east_asia}" '
        f'w:cs="{font.latin}" w:hint="eastAsia"/>'
        + ("<w:b/><w:bCs/>" if bold else "")
        + (f'<w:spacing w:val="{font.tracking_twips}"/>' if font.tracking_twips else "")
        + '<w:kern w:val="0"/>'
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        + ('<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>' if lang else "")
        + "</w:rPr>"
    )


def _add_table(doc: DocxDocument, table: Table) -> None:
    from docx.oxml import parse_xml

    cols = max(len(table.header), 1)
    t = doc.add_table(rows=1 + len(table.rows), cols=cols)
    t.style = doc.styles["Table Grid"]
    t._tbl.tblPr.append(parse_xml(f'<w:jc xmlns:w="{_W}" w:val="center"/>'))
    for r, cells in enumerate((table.header, *table.rows)):
        for c, text in enumerate(cells):
            p = t.cell(r, c).paragraphs[0]
            _set_ppr(p, TABLE_TEXT)
            if text:
                _run(p, text, TABLE_FONT, bold=r == 0)


def _setup_styles(doc: DocxDocument) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    styles_el = doc.styles.element
    # docDefaults: the template's theme fonts (asciiTheme…) would override explicit names.
    defaults = styles_el.find(f"{{{_W}}}docDefaults")
    if defaults is not None:
        styles_el.remove(defaults)
    styles_el.insert(
        0,
        parse_xml(
            f'<w:docDefaults xmlns:w="{_W}"><w:rPrDefault>{_rpr_xml(BODY_FONT, bold=False, lang=True)}'
            "</w:rPrDefault><w:pPrDefault>"
            f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/></w:pPr>'
            "</w:pPrDefault></w:docDefaults>"
        ),
    )
    normal = doc.styles["Normal"]
    normal.element.append(parse_xml(_ppr_xml(NORMAL, with_style=False)))
    normal.element.append(parse_xml(_rpr_xml(BODY_FONT, bold=False)))
    for look in LOOKS:
        style = doc.styles.add_style(look.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = look in (TITLE, BODY, *HEADINGS.values())
        style.element.append(parse_xml(_ppr_xml(look, with_style=False)))
        style.element.append(parse_xml(_rpr_xml(look.font, bold=look.font.bold)))


def _setup_page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    sect = section._sectPr
    pg_sz = sect.find(f"{{{_W}}}pgSz")
    pg_sz.set(f"{{{_W}}}w", str(PAGE_WIDTH))
    pg_sz.set(f"{{{_W}}}h", str(PAGE_HEIGHT))
    pg_mar = sect.find(f"{{{_W}}}pgMar")
    for name, value in (
        ("top", MARGIN_TOP),
        ("right", MARGIN_RIGHT),
        ("bottom", MARGIN_BOTTOM),
        ("left", MARGIN_LEFT),
        ("header", HEADER_DISTANCE),
        ("footer", FOOTER_DISTANCE),
        ("gutter", 0),
    ):
        pg_mar.set(f"{{{_W}}}{name}", str(value))
    grid = sect.find(f"{{{_W}}}docGrid")
    grid.set(f"{{{_W}}}type", "linesAndChars")
    grid.set(f"{{{_W}}}linePitch", str(LINE_PITCH))
    grid.set(f"{{{_W}}}charSpace", str(CHAR_SPACE))
    for attr in list(sect.attrib):  # rsid attributes from the template
        if attr.startswith(f"{{{_W}}}rsid"):
            del sect.attrib[attr]

    doc.settings.odd_and_even_pages_header_footer = True
    settings = doc.settings.element
    lang = settings.find(f"{{{_W}}}themeFontLang")
    if lang is not None:
        lang.set(f"{{{_W}}}eastAsia", "zh-CN")
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _page_number(section.footer.paragraphs[0], PAGE_ODD)
    _page_number(section.even_page_footer.paragraphs[0], PAGE_EVEN)


def _page_number(p: DocxParagraph, look: Look) -> None:
    """``— N —``: a PAGE field between two 一字线 (7.5)."""
    from docx.oxml import parse_xml

    for child in list(p._p):
        p._p.remove(child)
    _set_ppr(p, look)
    rpr = _rpr_xml(look.font, bold=False)
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}">{rpr}<w:t xml:space="preserve">— </w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}">{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}">{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}">{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}">{rpr}<w:t>1</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}">{rpr}<w:fldChar w:fldCharType="end"/></w:r>'))
    p._p.append(parse_xml(f'<w:r xmlns:w="{_W}">{rpr}<w:t xml:space="preserve"> —</w:t></w:r>'))


def _label(doc: DocxDocument, label: str) -> None:
    """The status label at the top right of every page (odd and even headers) and in the
    document's status property (Word: File → Info), in direct formatting only: the styles of a
    labelled and an unlabelled export are the same."""
    from docx.oxml import parse_xml

    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        for child in list(p._p):
            p._p.remove(child)
        p._p.append(parse_xml(_ppr_xml(LABEL, with_style=False)))
        _run(p, label, LABEL.font, bold=False)
    doc.core_properties.content_status = label


def _core_properties(doc: DocxDocument, title: str, issuer: str | None, date: str | None) -> None:
    import datetime

    props = doc.core_properties
    props.title = title
    props.subject = ""
    props.author = issuer or ""  # an office, never a person
    props.last_modified_by = "drafter"
    props.comments = "drafter export (GB/T 9704-2012 look)"
    props.language = "zh-CN"
    props.keywords = ""
    props.category = ""
    props.revision = 1
    when = datetime.datetime.fromisoformat(_FIXED_TIME)
    if date:  # the 成文日期 is the document's date; it comes from the input, so it is reproducible
        m = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", date)
        if m:
            when = datetime.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    props.created = when
    props.modified = when
    props.last_printed = when


# --- packaging and writing -------------------------------------------------------------------


def _package(doc: DocxDocument) -> bytes:
    """Save, then rewrite the zip: fixed member times, no thumbnail, a font table with fallbacks."""
    raw = io.BytesIO()
    doc.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "docProps/thumbnail.jpeg":  # a picture of python-docx's template
                continue
            data = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                data = _font_table(data)
            elif info.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*Target=\"docProps/thumbnail.jpeg\"[^>]*/>", b"", data)
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, data)
    return buf.getvalue()


def _font_table(data: bytes) -> bytes:
    """Add the fonts the document names, each with the face Word should use when it is missing."""
    entries = []
    for name in FONTS_NAMED:
        alt = _ALT_NAMES.get(name)
        charset = "00" if name == LATIN else "86"  # 86 = GB2312
        entries.append(
            f'<w:font w:name="{name}">'
            + (f'<w:altName w:val="{alt}"/>' if alt else "")
            + f'<w:charset w:val="{charset}"/><w:family w:val="{"roman" if name == LATIN else "modern"}"/>'
            + '<w:pitch w:val="variable"/></w:font>'
        )
    text = data.decode("utf-8")
    text = re.sub(r'<w:font w:name="Times New Roman">.*?</w:font>', "", text, flags=re.S)
    return text.replace("</w:fonts>", "".join(entries) + "</w:fonts>").encode("utf-8")


def _check_target(out_path: Path, force: bool) -> None:
    if out_path.suffix.lower() != ".docx":
        raise ExportError(f"the output file must end in .docx: {out_path}")
    check_target(out_path, force, ExportError)


