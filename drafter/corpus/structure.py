"""A cleaned report's structure: title, type, year, issuer, and its heading tree.

Headings are recognised by the markers Chinese reports number them with — 一、 (level 1),
（一） (2), 1. (3), （1） (4) — and below those by the enumerations 一是/二是 and 首先/其次/最后,
and by bare lead sentences (a short first sentence that names what the paragraph is about,
printed in bold in the original). Those last three are all level 5: they only subdivide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.records import Block, Heading

CN_NUM = "一二三四五六七八九十"
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^(第[{CN_NUM}]{{1,3}}部分[，、：:\s]*|[{CN_NUM}]{{1,3}}[、．.]\s*)")),
    (2, re.compile(rf"^([（(][{CN_NUM}]{{1,3}}[）)]\s*)")),
    (3, re.compile(r"^(\d{1,2}[.．、](?!\d)\s*)")),
    (4, re.compile(r"^([（(]\d{1,2}[）)]\s*)")),
)
_ENUM = re.compile(rf"^([{CN_NUM}]是[，,、：:]?|首先[，,]|其次[，,]|再次[，,]|最后[，,]|第[{CN_NUM}][，,])")
# An inline 一是/二是 that follows the end of a sentence starts a new sub-point.
_INLINE_ENUM = re.compile(rf"(?<=[。；！？])(?=[{CN_NUM}]是)")
_SENTENCE = re.compile(r"^(.+?[。！？；])")
_NOT_A_LEAD = re.compile(r"^(我们|本人|同时|此外|另外|但|因此|所以|其中|通过|今年|一年来|近年来|下面|现将|根据)")
MAX_HEADING_CHARS = 60
MAX_LEAD_CHARS = 32


@dataclass(frozen=True)
class Structure:
    headings: tuple[Heading, ...]
    blocks: tuple[Block, ...]


def title_line(text: str) -> str:
    """The first line, when it reads as a title rather than as prose."""
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if not first or len(first) > 50 or any(c in first for c in "。；！？"):
        return ""
    if first.endswith(("：", ":", "，", ",")) or _heading_marker(first)[0]:
        return ""
    return first


def parse_structure(text: str, title: str = "") -> Structure:
    headings: list[Heading] = []
    blocks: list[Block] = []
    stack: list[Heading] = []  # open headings of levels 1–4
    sub: Heading | None = None  # the open level-5 heading, if any

    def path() -> tuple[str, ...]:
        return tuple(h.marker + h.text for h in stack) + ((sub.marker + sub.text,) if sub else ())

    def open_heading(level: int, marker: str, head: str, line: int) -> None:
        nonlocal sub
        heading = Heading(level=level, marker=marker, text=head, line=line)
        headings.append(heading)
        if level <= 4:
            while stack and stack[-1].level >= level:
                stack.pop()
            stack.append(heading)
            sub = None
        else:
            sub = heading

    def add_body(body: str, line: int) -> None:
        parts = _INLINE_ENUM.split(body)
        for i, part in enumerate(parts):
            if not part:
                continue
            if i > 0 or _ENUM.match(part):
                marker, head, part = _split_enum(part)
                open_heading(5, marker, head, line)
            if part:
                blocks.append(Block(heading_path=path(), text=part, line=line))

    lines = text.split("\n")
    skip_title = bool(title) and next((ln.strip() for ln in lines if ln.strip()), "") == title
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if skip_title:
            skip_title = False
            continue
        level, marker = _heading_marker(line)
        if level:
            head, body = _head_and_body(line[len(marker):])
            open_heading(level, marker.strip(), head, number)
            if body:
                add_body(body, number)
        elif _ENUM.match(line):
            marker, head, body = _split_enum(line)
            open_heading(5, marker, head, number)
            if body:
                add_body(body, number)
        elif (lead := _lead_sentence(line)) is not None:
            open_heading(5, "", lead.rstrip("。"), number)
            add_body(line[len(lead):], number)
        else:
            add_body(line, number)
    return Structure(headings=tuple(headings), blocks=tuple(blocks))


def heading_marker(line: str) -> tuple[int, str] | None:
    """The level (1 一、, 2 （一）, 3 1., 4 （1）) and the numbering as written that a line starts
    with, or None. The one definition of numbering: reading the corpus and exporting Word agree."""
    level, marker = _heading_marker(line)
    return (level, marker.strip()) if level else None


def marker(level: int, n: int) -> str:
    """The numbering of the n-th heading of a level, as written: 一、 （一） 1. （1）."""
    return {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def strip_marker(heading: str) -> str:
    """The heading without its numbering."""
    found = heading_marker(heading)
    return heading[len(found[1]):].lstrip() if found else heading


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十."""
    import cn2an

    return cn2an.an2cn(n)


def _heading_marker(line: str) -> tuple[int, str]:
    for level, pattern in _MARKERS:
        m = pattern.match(line)
        if m and len(line) > len(m.group(1)):
            # 一、 must not be the start of 一、二年级…: a level-1 marker is followed by text.
            return level, m.group(1)
    return 0, ""


def _head_and_body(rest: str) -> tuple[str, str]:
    """A heading line is the heading alone, or a heading sentence followed by body text."""
    m = _SENTENCE.match(rest)
    if not m:
        return rest.strip()[:MAX_HEADING_CHARS], ""
    head = m.group(1)
    return head.rstrip("。！？；").strip()[:MAX_HEADING_CHARS], rest[len(head):].strip()


def _split_enum(text: str) -> tuple[str, str, str]:
    m = _ENUM.match(text)
    marker = m.group(1).rstrip("，,、：:") if m else ""
    rest = text[m.end():] if m else text
    head, body = _head_and_body(rest)
    return marker, head, body


def _lead_sentence(paragraph: str) -> str | None:
    """A short first sentence that heads a longer paragraph (bold in the original), or None."""
    m = _SENTENCE.match(paragraph)
    if not m or not m.group(1).endswith("。"):
        return None
    lead = m.group(1)
    if not 6 <= len(lead) <= MAX_LEAD_CHARS or len(paragraph) < 3 * len(lead):
        return None
    if re.search(r"\d|[:：“”\"]", lead) or _NOT_A_LEAD.match(lead):
        return None
    return lead
