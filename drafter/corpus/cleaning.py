"""Clean the residue real report files carry: scraping markers (even inside a word), the metadata
header of a published notice, a title line repeated, trailing table pipes, headings run together
on one line. What the header says (date, issuer) is kept for the document's metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass

# ##paidbegin## and kin from scraped sites; they can sit in the middle of a word.
_SCRAPE_MARKER = re.compile(r"##[A-Za-z_]{2,20}##")
_TRAILING_PIPES = re.compile(r"[ \t\u3000]*\|+[ \t\u3000]*$")
# A heading marker that follows other text on the same line, after white space: the line breaks
# there. 1. must not be a decimal (2.5亿) and must follow white space, so 第1、2项 is safe.
_INLINE_HEADING = re.compile(
    r"(?<=\S)[ \t\u3000]+(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、](?!\d)))"
)
_SENTENCE_END = "。！？；：:!?;"

# Metadata header lines of a published notice (政府信息公开 pages).
_DOC_NUMBER = re.compile(r"^[\w\-]*\d{5,}[\w\-]*/[\w\-/]+$|^[^\s，。]{1,12}〔\d{4}〕\d+号$")
_DATE_ALONE = re.compile(r"^(\d{4})\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$")
_KEY_VALUE = re.compile(r"^(索引号|发文机关|发布机构|发文字号|文号|主题分类|公开方式|公开范围|成文日期|发布日期|来源|生效日期|有效性)[:：]")
_PUBLICITY = {"主动公开", "依申请公开", "不予公开", "-", "—", "/"}
_TITLE_WORD = re.compile(r"总结|述职|要点|汇报|报告|讲话|发言|计划|方案|材料|意见|情况")
_ISSUER_SUFFIX = re.compile(r"(局|委|委员会|党委|党组|政府|办公室|办公厅|厅|部|中心|院|学校|工委|总支|支部)$")


@dataclass(frozen=True)
class Cleaned:
    text: str
    header_date: str = ""  # a date found in a metadata header, as written
    header_issuer: str = ""


def clean(raw: str) -> Cleaned:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _SCRAPE_MARKER.sub("", text)
    lines = [_TRAILING_PIPES.sub("", line).rstrip() for line in text.split("\n")]
    lines, header_date, header_issuer = _strip_header(lines)
    lines = _split_inline_headings(lines)
    lines = _drop_repeated_lines(lines)
    text = "\n".join(line.strip(" \t") for line in lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return Cleaned(text=text, header_date=header_date, header_issuer=header_issuer)


def _strip_header(lines: list[str]) -> tuple[list[str], str, str]:
    """Drop a run of short metadata lines at the top (three or more, none a sentence), and any
    'key：value' publication lines there. Returns the rest and the date and issuer found."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    while end < len(lines) and _is_header_line(lines[end].strip()):
        end += 1
    header = [line.strip() for line in lines[start:end] if line.strip()]
    looks_like_metadata = len(header) >= 3 and any(
        _DOC_NUMBER.match(h) or _DATE_ALONE.match(h) or h in _PUBLICITY or _KEY_VALUE.match(h) for h in header
    )
    if not looks_like_metadata:
        return lines, "", ""
    date = next((h for h in header if _DATE_ALONE.match(h)), "")
    issuer = next((h for h in header if _ISSUER_SUFFIX.search(h) and len(h) <= 20), "")
    # A title standing among the header lines is the document's, not metadata: keep it.
    titles = [h for h in header if len(h) >= 6 and _TITLE_WORD.search(h)]
    return titles[:1] + lines[end:], date, issuer


def _is_header_line(line: str) -> bool:
    if not line:
        return True
    if _KEY_VALUE.match(line):
        return True
    return len(line) <= 24 and not any(c in line for c in "。，,！？；")


def _split_inline_headings(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        out.extend(_INLINE_HEADING.split(line))
    return out


def _drop_repeated_lines(lines: list[str]) -> list[str]:
    """A title line printed twice in a row (a common copy-paste residue) is kept once."""
    out: list[str] = []
    for line in lines:
        if out and line.strip() and line.strip() == out[-1].strip() and len(line.strip()) <= 60:
            continue
        out.append(line)
    return out
