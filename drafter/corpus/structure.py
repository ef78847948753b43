"""A cleaned report's structure: its heading tree and the body blocks under each heading.

Headings are recognised by the markers Chinese reports number them with — 一、 (level 1),
（一） (2), 1. (3), （1） (4) — written as real files write them: 一．/一./一，/「一 调研背景」, 1、/1．/1，,
(1)/1）, and a standalone 「第一，…」 line as level 1. Numbering that restarts inside a part (七项工程：
一、…二、… under 一、) is read as the level below. A short unnumbered line that heads what follows
(存在的不足, 下步工作打算 after a numbered body; a part title with numbered items under it) is a
level-1 part. Below those, the enumerations 一是/二是 and 首先/其次/最后 and bare lead sentences (a
short first sentence that names what the paragraph is about, printed in bold in the original) are
level 5: they only subdivide, and are never counted as sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.records import Block, Heading

CN_NUM = "一二三四五六七八九十"
# The canonical markers: what ``heading_marker`` (and so the Word export) knows.
_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^(第[{CN_NUM}]{{1,3}}部分[，、：:\s]*|[{CN_NUM}]{{1,3}}[、．.](?![{CN_NUM}]+[、．.]|[{CN_NUM}]?年级)\s*)")),
    (2, re.compile(rf"^([（(][{CN_NUM}]{{1,3}}[）)]\s*)")),
    (3, re.compile(r"^(\d{1,2}[.．、](?!\d)\s*)")),
    (4, re.compile(r"^([（(]\d{1,2}[）)]\s*)")),
)
# How real files also write them; read only where the line around them looks like a heading.
_LOOSE: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{CN_NUM}]{{1,3}}[，,](?=[\u4e00-\u9fff“\"《])\s*)")),
    (1, re.compile(rf"^([{CN_NUM}]{{1,3}}[ \u3000]+)(?=[\u4e00-\u9fff][^。，,；！？]{{1,28}}$)")),
    (1, re.compile(rf"^(第[{CN_NUM}]{{1,3}}[，,、：:]\s*)(?=[^。！？；]{{2,60}}$)")),
    (3, re.compile(r"^(\d{1,2}[，,](?=[\u4e00-\u9fff])\s*)")),
    (4, re.compile(r"^(\d{1,2}[）)](?=[\u4e00-\u9fff“\"])\s*)")),
    (2, re.compile(rf"^(〔[{CN_NUM}]{{1,3}}〕\s*)")),
    (4, re.compile(r"^(〔\d{1,2}〕\s*)")),
)
_ENUM = re.compile(rf"^([{CN_NUM}]是[，,、：:]?|首先[，,]|其次[，,]|再次[，,]|最后[，,]|第[{CN_NUM}][，,])")
# An inline 一是/二是 that follows the end of a sentence starts a new sub-point.
_INLINE_ENUM = re.compile(rf"(?<=[。；！？])(?=[{CN_NUM}]是)")
_SENTENCE = re.compile(r"^(.+?[。！？；])")
_NOT_A_LEAD = re.compile(r"^(我们|本人|同时|此外|另外|但|因此|所以|其中|通过|今年|一年来|近年来|下面|现将|根据)")
MAX_HEADING_CHARS = 60
MAX_LEAD_CHARS = 32
MAX_PART_CHARS = 40
# What an unnumbered part of a report is called (存在的不足, 下步工作打算, 2020年工作回顾, 感悟篇).
_PART_WORDS = re.compile(
    r"存在|不足|问题|差距|打算|思路|下一步|下步|今后|努力方向|设想|体会|启示|经验|建议|回顾|展望|安排|目标|措施|成效|做法"
    r"|基本情况|主要工作|工作情况|总体要求|指导思想|篇$"
)
_NOT_A_PART = re.compile(r"^(——|—|-|附件|附表|表\s*\d|图\s*\d|注[:：])|(局|委|政府|党委|党组|办公室|中心|学校|医院|公司)$")
_BODY = re.compile(r"[。！？；]")
_DOC_WORD = re.compile(r"(报告|材料|讲话|发言|发言稿|讲稿|要点|方案|通知)$")


@dataclass(frozen=True)
class Structure:
    headings: tuple[Heading, ...]
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class TreeShape:
    """How a heading tree is built: its depth (levels 1–4 used), the headings at each level, and
    the enumerations and lead sentences below them (level 5, never counted as sections)."""

    depth: int
    levels: dict[int, int]
    enumerations: int

    @property
    def sections(self) -> int:
        return sum(self.levels.values())


def tree_shape(headings: tuple[Heading, ...] | list[Heading]) -> TreeShape:
    levels = {lv: sum(1 for h in headings if h.level == lv) for lv in (1, 2, 3, 4)}
    return TreeShape(depth=sum(1 for n in levels.values() if n), levels=levels,
                     enumerations=sum(1 for h in headings if h.level == 5))


def title_line(text: str) -> str:
    """The first line, when it reads as a title rather than as prose."""
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if not first or len(first) > 60 or any(c in first for c in "。；！？"):
        return ""
    if first.endswith(("：", ":", "，", ",")) or _heading_marker(first)[0]:
        return ""
    return first


def parse_structure(text: str, title: str = "", subtitle: str = "") -> Structure:
    headings: list[Heading] = []
    blocks: list[Block] = []
    stack: list[Heading] = []  # open headings of levels 1–4
    sub: Heading | None = None  # the open level-5 heading, if any
    numbering = _Numbering()

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

    lines = [raw.strip() for raw in text.split("\n")]
    skip = {t for t in (title, subtitle) if t}
    body_started = False
    for index, line in enumerate(lines):
        number = index + 1
        if not line:
            continue
        if skip and line in skip and not body_started:
            skip.discard(line)
            continue
        # A table row (a | b | c, as pages and .docx tables come out) is never a heading.
        level, marker = reading_marker(line) if "|" not in line else (0, "")
        if level:
            head, body = _head_and_body(line[len(marker):])
            level = numbering.level(level, marker)
            written = marker.strip()
            written += " " if written and written[-1] in CN_NUM else ""  # 「一 调研背景」 keeps its space
            open_heading(level, written, head, number)
            numbering.opened(level)
            numbering.body(line)
            body_started = True
            if body:
                add_body(body, number)
        elif _is_part_heading(line, _next_line(lines, index), numbering, body_started):
            open_heading(1, "", line, number)
            numbering.opened_part()
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
        if not level:
            body_started = body_started or (len(line) >= 20 and bool(_BODY.search(line)))
            numbering.body(line)
    return Structure(headings=tuple(headings), blocks=tuple(blocks))


class _Numbering:
    """Level-1 numbering as it runs: 一、二、三、 in order; a run that restarts at 一、 right after a
    part announced a list (…实施了七项工程：) is that part's items, the level below."""

    def __init__(self) -> None:
        self.top: int | None = None  # the last level-1 number
        self.nested: int | None = None  # the last number of a restarted run, while one is open
        self.children = False  # the open level-1 part has level-2 headings
        self.announces = False  # the last body text ended with a colon
        self.seen_top = False  # a numbered level-1 heading has been read

    def level(self, level: int, marker: str) -> int:
        n = _cn_value(marker) if level == 1 else None
        if n is None:
            return level
        if self.nested is not None and n == self.nested + 1:
            self.nested = n
            return 2
        if self.top is not None and n == 1 and self.top >= 1 and not self.children and self.announces:
            self.nested = 1
            return 2
        self.top, self.nested = n, None
        return 1

    def opened(self, level: int) -> None:
        if level == 1:
            self.children = False
            self.seen_top = True
        elif level == 2:
            self.children = self.nested is None
        self.announces = False

    def opened_part(self) -> None:
        self.top, self.nested, self.children = None, None, False

    def body(self, line: str) -> None:
        self.announces = line.endswith(("：", ":"))


def _cn_value(marker: str) -> int | None:
    m = re.match(rf"^([{CN_NUM}]{{1,3}})[、．.，,\s\u3000]", marker)
    if not m:
        return None
    import cn2an

    try:
        return int(cn2an.cn2an(m.group(1), "normal"))
    except ValueError:
        return None


def _next_line(lines: list[str], index: int) -> str:
    return next((ln for ln in lines[index + 1:] if ln), "")


def _is_part_heading(line: str, following: str, numbering: _Numbering, body_started: bool) -> bool:
    """A short unnumbered line that heads what follows: a part of the report. Before the body
    starts only a part's usual name counts (指导思想 under the title); a line that names a kind of
    document (督查报告) is a title's remnant."""
    if not 4 <= len(line) <= MAX_PART_CHARS or re.search(r"[。！？；：:!?;|]", line) or _DOC_WORD.search(line):
        return False
    if not body_started and not (len(line) <= 16 and _PART_WORDS.search(line)):
        return False
    if line.count("，") + line.count(",") > 1 or _NOT_A_PART.search(line) or not re.search(r"[\u4e00-\u9fff]{3}", line):
        return False
    next_level, _ = reading_marker(following) if following else (0, "")
    heads_items = next_level >= 2
    heads_text = not next_level and len(following) > len(line) and bool(_BODY.search(following))
    if not (heads_items or heads_text):
        return False
    return bool(_PART_WORDS.search(line)) or not numbering.seen_top


def heading_marker(line: str) -> tuple[int, str] | None:
    """The level (1 一、, 2 （一）, 3 1., 4 （1）) and the numbering as written that a line starts
    with, or None. The one definition of numbering: reading the corpus and exporting Word agree."""
    level, marker = _heading_marker(line)
    return (level, marker.strip()) if level else None


def reading_marker(line: str) -> tuple[int, str]:
    """(level, marker as written) of a corpus line, (0, "") when it opens no heading: the canonical
    markers, then the loose ways real files write them."""
    level, found = _heading_marker(line)
    if level:
        return level, found
    for level, pattern in _LOOSE:
        m = pattern.match(line)
        if m and len(line) > len(m.group(1)):
            return level, m.group(1)
    return 0, ""


def loose_marker(line: str) -> bool:
    """Whether a line opens a heading or an enumeration (一是): where a wrapped paragraph stops."""
    return bool(reading_marker(line)[0] or _ENUM.match(line))


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
    """A heading line is the heading alone, or a heading sentence followed by body text (after a
    sentence end, or after a gap in a line flattened from a PDF: 一、基本情况 晒经学区党支部…)."""
    gap = re.match(r"^([^。！？；\s]{2,40}?)[ \u3000]+(\S.{10,})$", rest.strip())
    if gap and not _SENTENCE.match(gap.group(1) + "。") is None and not re.search(r"[。！？；]", gap.group(1)):
        return gap.group(1), gap.group(2).strip()
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
