"""Clean the residue real report files carry, and put the title first.

In order: scraping markers (even inside a word) and trailing table pipes; site chrome (see
``chrome``); a title run into the first sentence; the metadata header of a published notice
(what it says — date, issuer, title — is kept for the document's metadata); hard line wraps
from PDFs; headings run together on one line or into the previous sentence; the title located
among the first lines (see ``title``); a line printed twice in a row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from drafter.corpus import title as titles
from drafter.corpus.chrome import INLINE, is_chrome, strip_chrome_prefix
from drafter.corpus.structure import loose_marker

# ##paidbegin## and kin from scraped sites; they can sit in the middle of a word.
_SCRAPE_MARKER = re.compile(r"##[A-Za-z_]{2,20}##")
_TRAILING_PIPES = re.compile(r"[ \t\u3000]*\|+[ \t\u3000]*$")
_MARKER_AHEAD = (
    r"(?:[一二三四五六七八九十]{1,3}[、．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、](?!\d))"
)
# A heading marker after white space on the same line: the line breaks there. 1. must not be a
# decimal (2.5亿) and must follow white space, so 第1、2项 is safe.
_INLINE_HEADING = re.compile(rf"(?<=\S)[ \t\u3000]+(?={_MARKER_AHEAD})")
# A heading run into the previous sentence with no space (…诚恳接受。一、抢抓机遇). After a colon
# only a level-1 marker breaks the line (…谈几点看法：一、…): 1、 after a colon is an inline list.
_RUN_IN_HEADING = re.compile(
    rf"(?<=[。！？!?])(?={_MARKER_AHEAD})|(?<=[：:])(?=[一二三四五六七八九十]{{1,3}}[、．](?![一二三四五六七八九十]、))"
)

# Metadata header lines of a published notice (政府信息公开 pages).
_DOC_NUMBER = re.compile(r"^[\w\-]*\d{5,}[\w\-]*/[\w\-/]+$|^[^\s，。]{1,12}〔\d{4}〕\d+号$")
_DATE_ALONE = re.compile(r"^(\d{4})\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$")
_KEYS = (
    "索引号|发文机关|发布机构|发文字号|文号|主题分类|主题词|公开方式|公开范围|公开时限|成文日期|发布日期|发文日期|来源|生效日期"
    "|有效性|时效性|标题|浏览次数|组配分类|体裁分类|信息分类|所属机构|信息来源|发布时间"
)
_KEY_VALUE = re.compile(rf"^[-•·*\s]*({_KEYS})\s*[:：]")
_KEY_ANYWHERE = re.compile(rf"({_KEYS})\s*[:：]")
_PUBLICITY = {"主动公开", "依申请公开", "不予公开", "-", "—", "/"}
_TITLE_WORD = re.compile(r"总结|述职|要点|汇报|报告|讲话|发言|计划|方案|材料|意见|情况")
_ISSUER_SUFFIX = re.compile(r"(局|委|委员会|党委|党组|政府|办公室|办公厅|厅|部|中心|院|学校|工委|总支|支部)$")
_SENTENCE_END = "。！？；：:!?;…”」』）)"
# A numbered item run into its part's heading with no space (…正确方向1.坚持党的全面领导…).
_ITEM_IN_HEADING = re.compile(r"(?<=[\u4e00-\u9fff])(?=\d{1,2}[.．、](?!\d)[\u4e00-\u9fff])")


def _split_run_in_item(line: str) -> list[str]:
    if not loose_marker(line.strip()) or re.match(r"^\s*\d", line):
        return [line]
    m = _ITEM_IN_HEADING.search(line, 0, 60)
    if not m or re.search(r"[。！？；]", line[: m.start()]):
        return [line]
    return [line[: m.start()], line[m.start():]]


@dataclass(frozen=True)
class Cleaned:
    text: str
    header_date: str = ""  # a date found in a metadata header, as written
    header_issuer: str = ""
    title: str = ""  # the title found among the first lines ("" when none); the text's first line
    subtitle: str = ""  # a ——subtitle under it (在…会议上的讲话)


def clean(raw: str) -> Cleaned:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\xa0", " ")
    text = INLINE.sub("", _SCRAPE_MARKER.sub("", text))
    lines = [_TRAILING_PIPES.sub("", line).rstrip() for line in text.split("\n")]
    lines = _drop_chrome(lines)
    lines = _drop_chrome(titles.split_run_in(lines))
    lines, header_date, header_issuer, header_title = _strip_header(lines)
    lines = _join_preview_chunks(unwrap(lines))
    lines = _drop_contents(_split_inline_headings(lines))
    located = titles.locate(lines, header_title)
    lines = _drop_repeated_lines(located.lines)
    text = "\n".join(line.strip(" \t\u3000") for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return Cleaned(text=text, header_date=header_date, header_issuer=header_issuer,
                   title=located.title, subtitle=located.subtitle)


def _drop_chrome(lines: list[str]) -> list[str]:
    out = []
    for i, line in enumerate(lines):
        if i < 6:
            line = strip_chrome_prefix(line) if line.strip() else line
        if not is_chrome(line):
            out.append(line)
    return out


def _strip_header(lines: list[str]) -> tuple[list[str], str, str, str]:
    """Drop the metadata lines near the top: a run of three or more short lines, none a sentence,
    with a 'key：value' line, a document number, a date or 主动公开 among them; and 'key：value'
    lines anywhere in the first lines (bullets, pipe tables). Returns the rest and the date, issuer
    and title the header names."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    while end < len(lines) and _is_header_line(lines[end].strip()):
        end += 1
    header = [line.strip() for line in lines[start:end] if line.strip()]
    looks_like_metadata = len(header) >= 3 and any(_is_metadata(h) for h in header)
    title = _header_title(lines[: start + 40])
    date = next((_date_of(h) for h in lines[: end + 20] if _KEY_VALUE.match(h.strip()) and _date_of(h)), "")
    if not looks_like_metadata:
        rest = [ln for i, ln in enumerate(lines) if not (i < 40 and _is_metadata_row(ln.strip()))]
        return rest, date, "", title
    date = date or next((h for h in header if _DATE_ALONE.match(h)), "")
    issuer = next((h for h in header if _ISSUER_SUFFIX.search(h) and len(h) <= 20), "")
    # A title standing among the header lines is the document's, not metadata: keep it.
    kept = [h for h in header if len(h) >= 6 and _TITLE_WORD.search(h) and not _is_metadata(h)]
    rest = [ln for i, ln in enumerate(lines[end:]) if not (i < 30 and _is_metadata_row(ln.strip()))]
    return kept[:1] + rest, date, issuer, title


def _is_metadata(line: str) -> bool:
    return bool(_DOC_NUMBER.match(line) or _DATE_ALONE.match(line) or line in _PUBLICITY or _KEY_VALUE.match(line))


def _is_metadata_row(line: str) -> bool:
    """A 'key：value' line of a notice page, or a pipe-table row of them (索 引 号: | … |)."""
    squeezed = re.sub(r"[ \u3000]+", "", line)
    if _KEY_VALUE.match(squeezed):
        return len(line) <= 80 or len(_KEY_ANYWHERE.findall(squeezed)) >= 2
    return "|" in line and len(_KEY_ANYWHERE.findall(squeezed)) >= 2


def _header_title(lines: list[str]) -> str:
    for line in lines:
        m = re.match(r"^[-•·*\s|]*标\s*题\s*[:：]\s*\|?\s*(.+?)\s*\|?\s*$", line.strip())
        if m and len(m.group(1)) >= 4:
            return m.group(1).strip(" |")
    return ""


def _date_of(line: str) -> str:
    m = re.search(r"(\d{4})\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}", line)
    return m.group(0) if m else ""


def _is_header_line(line: str) -> bool:
    if not line:
        return True
    if _KEY_VALUE.match(line):
        return True
    return len(line) <= 24 and not any(c in line for c in "。，,！？；")


def _split_inline_headings(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if not line.strip():
            out.append(line)
            continue
        for part in _INLINE_HEADING.split(line):
            for piece in _RUN_IN_HEADING.split(part):
                if piece:
                    out.extend(_split_run_in_item(piece))
    return out


def _drop_contents(lines: list[str]) -> list[str]:
    """A table of contents at the top (a run of heading lines with no text between, repeated below
    where the text has them): the tree is the text's, so the list goes."""
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    run: list[int] = []
    for i in idx[:40]:
        s = lines[i].strip()
        if loose_marker(s) and len(s) <= 40 and not re.search(r"[。！？；]", s):
            run.append(i)
            continue
        if len(run) >= 3:
            break
        run = []
    if len(run) < 3:
        return lines
    first = lines[run[0]].strip()
    if not any(lines[i].strip() == first for i in idx if i > run[-1]):
        return lines
    drop = set(range(run[0], run[-1] + 1))
    return [ln for i, ln in enumerate(lines) if i not in drop]


_CHUNK = re.compile(r"^(\d{1,2})、")


def _join_preview_chunks(lines: list[str]) -> list[str]:
    """A document site's preview cut into numbered chunks (1、… 2、同时，深入…): each chunk ends
    mid-sentence and the next one's number is page furniture, not a heading."""
    out: list[str] = []
    chain_start: int | None = None
    for line in lines:
        m = _CHUNK.match(line.strip())
        prev = out[-1].strip() if out else ""
        if m and out and len(prev) >= 150 and not prev.endswith(tuple(_SENTENCE_END)) and int(m.group(1)) >= 2:
            if chain_start is None:
                chain_start = len(out) - 1
                first = _CHUNK.match(out[chain_start].strip())
                if first and int(first.group(1)) == int(m.group(1)) - 1:
                    out[chain_start] = out[chain_start].strip()[first.end():]
            out[-1] = out[-1].rstrip() + line.strip()[m.end():]
            continue
        if line.strip():
            chain_start = None
        out.append(line)
    return out


def _drop_repeated_lines(lines: list[str]) -> list[str]:
    """A title line printed twice in a row (a common copy-paste residue) is kept once."""
    out: list[str] = []
    for line in lines:
        if out and line.strip() and line.strip() == out[-1].strip() and len(line.strip()) <= 60:
            continue
        out.append(line)
    return out


# --- hard line wraps ---------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Width as a page sets it: a Chinese character is two columns, a digit or letter one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


MIN_WRAP = 40  # columns: a PDF page's line is wider than any heading that stops without punctuation


def wrap_width(lines: list[str]) -> int | None:
    """The width a PDF wrapped this text at, or None when it is not wrapped: many lines of about
    the same width that stop mid-sentence."""
    open_ended = [
        display_width(s) for s in (ln.strip() for ln in lines)
        if len(s) >= MIN_WRAP // 2 and display_width(s) >= MIN_WRAP and not s.endswith(tuple(_SENTENCE_END))
        and not loose_marker(s)
    ]
    nonempty = sum(1 for ln in lines if ln.strip())
    if len(open_ended) < 4:
        return None
    width = sorted(open_ended)[len(open_ended) // 2]
    near = sum(1 for w in open_ended if abs(w - width) <= 6)
    return width if near >= 4 and near >= 0.3 * nonempty and width <= 90 else None


def unwrap(lines: list[str]) -> list[str]:
    """Join the lines of a hard-wrapped text back into paragraphs. A line is continued by the next
    when it is (nearly) as wide as the wrap and stops mid-sentence, and the next line does not open
    a heading."""
    width = wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    carry = False
    for line in lines:
        s = line.strip()
        if carry and s and not loose_marker(s):
            out[-1] += s
        elif s or not carry:
            out.append(line)
        last = out[-1].strip() if out else ""
        tail = line.strip()
        carry = bool(tail) and display_width(tail) >= width - 8 and not tail.endswith(tuple(_SENTENCE_END))
        if carry and not last:
            carry = False
    return out
