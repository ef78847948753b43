"""The editable outline file: Markdown in, Markdown out, exactly.

    # 2024年述职报告
    <!-- drafter outline: type=述职; source=corpus: 2023_述职.txt -->
    - unassigned: 教育项目投资

    ## 〔开头〕
    - fact: 党建集体荣誉

    ## 一、个人履职情况

    ### （一）突出政治建设，坚定党性自觉
    - fact: 公办园覆盖面
    - note: 1/1 篇同类报告有此部分

``##`` is a level-1 section, ``###`` level 2, down to ``#####``. ``- fact:`` lines belong to the
heading above them; moving one moves the fact. ``- unassigned:`` lines stand before the first
heading. ``to_markdown(parse_outline(text)) == text`` for any file this module wrote.
"""

from __future__ import annotations

import re

from drafter.errors import OutlineError
from drafter.records import Outline, OutlineSection

_META = re.compile(r"^<!-- drafter outline: (.*) -->$")
_HEADING = re.compile(r"^(#{2,5}) (\S.*)$")
_ITEM = re.compile(r"^- (fact|note|unassigned):\s*(.*)$")
FORMS = "'## heading' … '##### heading', '- fact: NAME', '- note: TEXT', '- unassigned: NAME'"


def to_markdown(outline: Outline) -> str:
    lines = [f"# {outline.title}", f"<!-- drafter outline: type={outline.doc_type}; source={outline.source} -->"]
    lines.extend(f"- unassigned: {name}" for name in outline.unassigned)

    def emit(section: OutlineSection, depth: int) -> None:
        lines.append("")
        lines.append(f"{'#' * (depth + 2)} {section.heading}")
        lines.extend(f"- fact: {name}" for name in section.facts)
        if section.note:
            lines.append(f"- note: {section.note}")
        for child in section.children:
            emit(child, depth + 1)

    for section in outline.sections:
        emit(section, 0)
    return "\n".join(lines) + "\n"


class _Node:
    """A mutable section while parsing; frozen into OutlineSection at the end."""

    def __init__(self, heading: str, depth: int) -> None:
        self.heading, self.depth = heading, depth
        self.facts: list[str] = []
        self.note = ""
        self.children: list[_Node] = []

    def freeze(self) -> OutlineSection:
        level = 0 if self.heading.startswith("〔") and self.depth == 0 else self.depth + 1
        return OutlineSection(
            heading=self.heading,
            level=level,
            facts=tuple(self.facts),
            note=self.note,
            children=tuple(c.freeze() for c in self.children),
        )


def parse_outline(text: str, where: str = "outline") -> Outline:
    title, doc_type, source = "", "", ""
    unassigned: list[str] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.startswith("# ") and not title and not roots:
            title = line[2:].strip()
            continue
        if m := _META.match(line):
            fields = dict(part.split("=", 1) for part in m.group(1).split("; ") if "=" in part)
            doc_type, source = fields.get("type", ""), fields.get("source", "")
            continue
        if m := _HEADING.match(line):
            depth = len(m.group(1)) - 2
            if depth > len(stack):
                raise OutlineError(f"{where} line {number}: '{line}' is {m.group(1)} but the heading above it is "
                                   f"{'#' * (len(stack) + 1)}: a section can only go one level deeper")
            node = _Node(m.group(2).strip(), depth)
            del stack[depth:]
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
            continue
        if m := _ITEM.match(line):
            key, value = m.group(1), m.group(2).strip()
            if not value:
                raise OutlineError(f"{where} line {number}: '- {key}:' needs a value")
            if key == "unassigned":
                if roots:
                    raise OutlineError(f"{where} line {number}: '- unassigned:' lines go before the first heading")
                unassigned.append(value)
            elif not stack:
                raise OutlineError(f"{where} line {number}: '- {key}:' must follow a heading")
            elif key == "fact":
                stack[-1].facts.append(value)
            else:
                stack[-1].note = value
            continue
        raise OutlineError(f"{where} line {number}: cannot read '{line[:40]}' (expected {FORMS})")
    if not roots:
        raise OutlineError(f"{where}: no sections (a section is a line starting with '## ')")
    names = [n for _, s in _walk(roots) for n in s.facts] + unassigned
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise OutlineError(f"{where}: fact(s) listed twice: {', '.join(duplicates)}")
    return Outline(
        doc_type=doc_type,
        title=title,
        sections=tuple(n.freeze() for n in roots),
        source=source,
        unassigned=tuple(unassigned),
    )


def _walk(nodes: list[_Node]):
    for node in nodes:
        yield node, node
        yield from _walk(node.children)
