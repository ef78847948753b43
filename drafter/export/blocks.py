"""Parse a draft's Markdown into typed blocks for export (``drafter export``).

Only what a 公文 needs is understood: a title line, ``#``…``###`` headings, paragraphs, lists of
up to two levels, simple pipe tables, a 主送机关 line at the top and 署名 / 成文日期 lines at the
end. Anything else (images, HTML, deeper lists, quotes, code) is kept as a plain paragraph with
its text as written, and a warning names the line, so nothing the author wrote is lost silently.

Lines join into one paragraph as in Markdown, except that a line ending a sentence (。！？；), a
line opening with numbering and the line after a short numbered heading start a new one: Chinese text is not soft-wrapped, and drafts kept as
plain text (one paragraph a line, no blank lines) keep their paragraphs and headings.

Heading levels follow the numbering written in the text (一、 → 1, （一） → 2, 1. → 3, （1） → 4),
the way a reader of a 公文 sees them; the Markdown level is only the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.corpus.structure import heading_marker
from drafter.numbers.extract import cn_to_float

# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A piece of inline text; ``bold`` comes from ``**…**`` (the only emphasis a 公文 keeps)."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Heading:
    """A heading line. ``text`` is the whole line as written (numbering kept), ``marker`` the
    numbering alone (``一、``; empty when the text has none), ``line`` 1-based in the draft."""

    level: int  # 1..4, the 公文 level
    marker: str
    text: str
    line: int

    @property
    def title(self) -> str:
        """The heading without its numbering."""
        return self.text[len(self.marker) :].strip()


@dataclass(frozen=True)
class Lead:
    """A paragraph that opens with numbering and a lead sentence (``（一）加强学习。全年……``):
    its first ``length`` characters are typeset in the heading font of ``level``."""

    level: int
    length: int


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    line: int
    list_depth: int = 0  # 0: not a list item; 1 or 2: list level
    lead: Lead | None = None
    literal: bool = False  # unsupported Markdown kept as written

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line: int


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class ParseWarning:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Draft:
    """The parsed draft. ``title`` is None when the draft has no title line."""

    title: str | None
    title_line: int
    recipient: str | None  # with its full-width colon
    blocks: tuple[Block, ...]
    issuer: str | None
    date: str | None  # normalised: Arabic numerals, no padding (2024年1月5日)
    warnings: tuple[ParseWarning, ...]

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))


# --- numbering ----------------------------------------------------------------------------

_SENTENCE_END = "。！？；"
_HEADING_MAX_CHARS = 40  # longer marker-led lines are paragraphs, not headings


def _looks_like_heading(text: str) -> bool:
    """A short marker-led line without a sentence in it: a heading written as plain text."""
    body = text[:-1] if text.endswith(tuple(_SENTENCE_END)) else text  # "1.坚持集中学习。" is one
    return len(text) <= _HEADING_MAX_CHARS and not any(c in body for c in _SENTENCE_END + "：")


def _lead_of(text: str) -> Lead | None:
    """Numbering plus the first sentence, when a paragraph opens with numbering."""
    found = heading_marker(text)
    if found is None:
        return None
    level, _ = found
    ends = [i for i in (text.find(c) for c in "。！？：") if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return Lead(level, end)


# --- dates --------------------------------------------------------------------------------

_DATE_ARABIC = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_DATE_ISO = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_DATE_CHINESE = re.compile(r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
def _cn_small(s: str) -> int:
    """一 … 三十一 (month and day numbers), with the checker's converter."""
    value = cn_to_float(s)
    if value is None:
        raise KeyError(s)
    return int(value)


def normalise_date(text: str) -> str | None:
    """``2024年12月20日`` for any accepted date spelling (GB/T 9704 7.3.5.4: Arabic numerals,
    no zero padding), or None when ``text`` is not a valid calendar date."""
    import datetime

    s = text.strip()
    parts: tuple[int, int, int] | None = None
    for pattern in (_DATE_ARABIC, _DATE_ISO):
        m = pattern.match(s)
        if m:
            parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DATE_CHINESE.match(s)
    if m:
        try:
            year = _cn_small(m.group(1))  # 二〇二四 reads digit by digit
            parts = (year, _cn_small(m.group(2)), _cn_small(m.group(3)))
        except KeyError:
            return None
    if parts is None:
        return None
    try:
        datetime.date(*parts)
    except ValueError:
        return None
    return f"{parts[0]}年{parts[1]}月{parts[2]}日"


# --- inline -------------------------------------------------------------------------------

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<!--")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_CODE = re.compile(r"`([^`]+)`")
# **加粗** is bold only where the checker reads it as Markdown (numbers/extract.py, _BOLD_RE): it opens
# after a break or closes before one, and holds no sentence punctuation. Both ends glued to words
# (**中学…**人) are two redactions: placeholders the Word file must keep, never bold.
_BOLD = re.compile(r"(?:(?<![^\s，。；：、（(“\"])\*\*([^*\n，。；！？、]{1,30})\*\*"
                   r"|\*\*([^*\n，。；！？、]{1,30})\*\*(?=$|[\s，。；：、）)”\"！？]))|__(.+?)__")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)([^*]+?)(?<!\s)\*(?!\*)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")


def unsupported_inline(line: str) -> str | None:
    """What in ``line`` cannot be exported (an image or HTML), or None."""
    if _IMAGE.search(line):
        return "image"
    if _HTML.search(line):
        return "HTML"
    return None


def parse_inline(text: str) -> tuple[Span, ...]:
    """Strip inline Markdown (links, code, italics, escapes); keep ``**bold**`` as bold spans."""
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    spans: list[Span] = []
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            spans.append(Span(_unescape(text[pos : m.start()])))
        spans.append(Span(_unescape(m.group(1) or m.group(2) or m.group(3)), bold=True))
        pos = m.end()
    if pos < len(text):
        spans.append(Span(_unescape(text[pos:])))
    return tuple(s for s in spans if s.text)


def plain_text(text: str) -> str:
    return "".join(s.text for s in parse_inline(text))


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def _join(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between Chinese characters, one between Latin words."""
    out = ""
    for line in lines:
        line = line.strip()
        if out and line and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out


# --- block level --------------------------------------------------------------------------

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST = re.compile(r"^( *)([-*+]|\d{1,3}[.)])\s+(.*)$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TITLE_MAX_CHARS = 80
_RECIPIENT_MAX_CHARS = 60
_ISSUER_MAX_CHARS = 30
_CLOSING = re.compile(r"^(特此|此致|以上)")  # closing formulas are body text, never a 署名


def _is_table_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def _cells(line: str) -> tuple[str, ...]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return tuple(plain_text(c.strip().replace("\\|", "|")) for c in re.split(r"(?<!\\)\|", s))


def _block_start(line: str, next_line: str | None) -> bool:
    """Whether ``line`` starts a new block (ends a running paragraph)."""
    return bool(
        _ATX.match(line)
        or _LIST.match(line)
        or _FENCE.match(line)
        or _RULE.match(line)
        or line.lstrip().startswith(">")
        or (_is_table_row(line) and next_line is not None and _TABLE_SEP.match(next_line))
    )


class _Parser:
    def __init__(self, lines: list[str], heading_offset: int) -> None:
        self.lines = lines  # (index + 1) is the draft line number
        self.offset = heading_offset  # subtract from Markdown levels (1 when the title was "# …")
        self.blocks: list[Block] = []
        self.warnings: list[ParseWarning] = []

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(line, message))

    def literal(self, line_no: int, text: str, what: str) -> None:
        self.warn(line_no, f"{what} is not supported; exported as a plain paragraph")
        self.blocks.append(Paragraph((Span(text.strip()),), line_no, literal=True))

    def run(self, start: int, stop: int) -> None:
        i = start
        list_indents: list[int] = []
        while i < stop:
            line = self.lines[i]
            no = i + 1
            nxt = self.lines[i + 1] if i + 1 < stop else None
            if not line.strip():
                i += 1
                continue
            if _FENCE.match(line):
                i = self.fence(i, stop)
                list_indents = []
                continue
            if _RULE.match(line):
                self.warn(no, "a horizontal rule is not part of a 公文; dropped")
                i += 1
                continue
            what = unsupported_inline(line)
            if what:
                self.literal(no, line, what)
                i += 1
                continue
            if line.lstrip().startswith(">"):
                self.literal(no, line, "a block quote")
                i += 1
                continue
            m = _ATX.match(line)
            if m:
                self.heading(no, len(m.group(1)), plain_text(m.group(2)))
                i += 1
                list_indents = []
                continue
            if _is_table_row(line) and nxt is not None and _TABLE_SEP.match(nxt):
                i = self.table(i, stop)
                list_indents = []
                continue
            m = _LIST.match(line)
            if m:
                i = self.list_item(i, stop, m, list_indents)
                continue
            i = self.paragraph(i, stop)
            list_indents = []

    def heading(self, no: int, md_level: int, text: str) -> None:
        found = heading_marker(text)
        if found:
            level, marker = found
        else:
            level, marker = min(max(md_level - self.offset, 1), 4), ""
        self.blocks.append(Heading(level, marker, text, no))

    def fence(self, i: int, stop: int) -> int:
        self.warn(i + 1, "a code block is not supported; its lines are exported as plain paragraphs")
        fence = self.lines[i].strip()[:3]
        i += 1
        while i < stop and not self.lines[i].strip().startswith(fence):
            if self.lines[i].strip():
                self.blocks.append(Paragraph((Span(self.lines[i].strip()),), i + 1, literal=True))
            i += 1
        return i + 1

    def table(self, i: int, stop: int) -> int:
        start = i + 1
        header = _cells(self.lines[i])
        i += 2
        rows: list[tuple[str, ...]] = []
        while i < stop and self.lines[i].strip() and _is_table_row(self.lines[i]):
            cells = _cells(self.lines[i])
            if len(cells) != len(header):
                self.warn(i + 1, f"table row has {len(cells)} cells, the header {len(header)}; padded or cut")
                cells = (cells + ("",) * len(header))[: len(header)]
            rows.append(cells)
            i += 1
        self.blocks.append(Table(header, tuple(rows), start))
        return i

    def list_item(self, i: int, stop: int, m: re.Match[str], indents: list[int]) -> int:
        no = i + 1
        indent = len(m.group(1))
        while indents and indents[-1] > indent:
            indents.pop()
        if not indents or indents[-1] < indent:
            indents.append(indent)
        depth = len(indents)
        bullet, body = m.group(2), m.group(3)
        # Ordered items keep their number as written: in a 公文 "1." is text, never Word numbering.
        first = body if bullet in "-*+" else f"{bullet} {body}"
        parts = [first]
        i += 1
        while i < stop and self.lines[i].strip() and not _block_start(self.lines[i], None):
            parts.append(self.lines[i])
            i += 1
        text = _join(parts)
        if depth > 2:
            self.literal(no, text, "a list nested deeper than two levels")
            return i
        spans = parse_inline(text)
        plain = "".join(s.text for s in spans)
        self.blocks.append(Paragraph(spans, no, list_depth=depth, lead=_lead_with_sentence(plain)))
        return i

    def paragraph(self, i: int, stop: int) -> int:
        no = i + 1
        parts = [self.lines[i]]
        i += 1
        while i < stop and self.lines[i].strip():
            nxt = self.lines[i + 1] if i + 1 < stop else None
            if _block_start(self.lines[i], nxt) or unsupported_inline(self.lines[i]):
                break
            # Chinese text is not soft-wrapped: a line that ends a sentence, or a next line that opens
            # with numbering (一、 （一） 1.), starts a new paragraph, as in a report kept as plain text.
            if parts[-1].rstrip().endswith(tuple(_SENTENCE_END)) or heading_marker(self.lines[i].strip()):
                break
            first = plain_text(parts[0].strip())
            if len(parts) == 1 and heading_marker(first) and _looks_like_heading(first):
                break  # a heading line of its own (二、坚持强基固本)
            parts.append(self.lines[i])
            i += 1
        spans = parse_inline(_join(parts))
        plain = "".join(s.text for s in spans)
        found = heading_marker(plain)
        if found and len(parts) == 1 and _looks_like_heading(plain):
            self.blocks.append(Heading(found[0], found[1], plain, no))
        else:
            self.blocks.append(Paragraph(spans, no, lead=_lead_with_sentence(plain)))
        return i


def _lead_with_sentence(text: str) -> Lead | None:
    """A lead is only worth setting apart when a sentence of body text follows it."""
    lead = _lead_of(text)
    return lead if lead is not None and lead.length < len(text) else None


def _front_matter_end(lines: list[str]) -> int:
    """Index after a YAML front-matter block at the very top, or 0."""
    if lines and lines[0].strip() == "---":
        for k in range(1, len(lines)):
            if lines[k].strip() in ("---", "..."):
                return k + 1
    return 0


def parse_draft(markdown_text: str) -> Draft:
    """Parse a draft. Never raises on odd Markdown: the caller decides what a missing title means."""
    lines = markdown_text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    warnings: list[ParseWarning] = []
    start = _front_matter_end(lines)
    if start:
        warnings.append(ParseWarning(1, "front matter is not part of a 公文; skipped"))
    filled = [k for k in range(start, len(lines)) if lines[k].strip()]

    # Title: the first non-empty line, when it is a "# " heading or a plain line of text.
    title: str | None = None
    title_line = 0
    offset = 0
    if filled:
        k = filled[0]
        first = lines[k]
        m = _ATX.match(first)
        if m and len(m.group(1)) == 1 and heading_marker(plain_text(m.group(2))) is None:
            title, offset = plain_text(m.group(2)), 1
        elif not m and _is_title_text(first, lines[k + 1] if k + 1 < len(lines) else None):
            title = plain_text(first.strip())
        if title is not None:
            title_line = k + 1
            filled = filled[1:]

    # 主送机关: the first line after the title, ending in a full-width colon.
    recipient: str | None = None
    if filled and title is not None:
        k = filled[0]
        text = plain_text(lines[k].strip())
        if _is_recipient(lines[k], text):
            recipient = text
            filled = filled[1:]

    # 成文日期 and 署名: the last lines, a date and (above it) a short line naming the issuer.
    date: str | None = None
    issuer: str | None = None
    if filled:
        k = filled[-1]
        found = normalise_date(plain_text(lines[k].strip()))
        if found and not _ATX.match(lines[k]):
            date = found
            filled = filled[:-1]
            if filled and _is_issuer(lines[filled[-1]]):
                issuer = plain_text(lines[filled[-1]].strip())
                filled = filled[:-1]

    body_start = filled[0] if filled else len(lines)
    body_stop = filled[-1] + 1 if filled else len(lines)
    parser = _Parser(lines, offset)
    parser.run(body_start, body_stop)
    return Draft(
        title=title,
        title_line=title_line,
        recipient=recipient,
        blocks=tuple(parser.blocks),
        issuer=issuer,
        date=date,
        warnings=tuple(warnings + parser.warnings),
    )


def _is_title_text(line: str, next_line: str | None) -> bool:
    text = line.strip()
    return not (
        _block_start(line, next_line)
        or _is_table_row(line)
        or unsupported_inline(line)
        or heading_marker(plain_text(text)) is not None
        or text.endswith(("：", ":"))
        or len(text) > _TITLE_MAX_CHARS
        or any(c in text for c in _SENTENCE_END)
    )


def _is_recipient(line: str, text: str) -> bool:
    return (
        text.endswith("：")
        and len(text) <= _RECIPIENT_MAX_CHARS
        and not _block_start(line, None)
        and heading_marker(text) is None
        and not any(c in text for c in _SENTENCE_END)
    )


def _is_issuer(line: str) -> bool:
    text = plain_text(line.strip())
    return (
        0 < len(text) <= _ISSUER_MAX_CHARS
        and not _block_start(line, None)
        and not _is_table_row(line)
        and heading_marker(text) is None
        and not _CLOSING.match(text)
        and not any(c in text for c in _SENTENCE_END + "，：:")
    )
