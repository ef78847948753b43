"""What the model is given for one section: reference passages (numbers masked), facts, outline.

Passages come from past reports of the same type: style passages for wording and fact passages
for what such a section reports. Every number in them is masked (〔数〕) before it reaches the
model: they teach wording, and an old figure must never leak into this year's report. They are
delimited as reference material, and a passage cannot close the delimiter early.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.corpus.structure import strip_marker
from drafter.facts.sheet import label_previous_figures
from drafter.index.retrieve import Filters, QueryError
from drafter.llm.prompts import as_material
from drafter.numbers.extract import extract
from drafter.records import Fact, Outline, Passage

MASK = "〔数〕"
# Unnumbered parts of a report, as a model must understand them (〔开头〕 alone means nothing to it).
PART_NAMES = {
    "〔开头〕": "开头部分（全文导语：用一段话概述一年来的总体情况和主要成效，不写标题、不写称谓）",
    "〔结尾〕": "结尾部分（用一两句话收束全文，如表态或“汇报完毕”，不写新的内容）",
    "〔称谓〕": "称谓（只写一行称呼，如“尊敬的各位领导、同志们：”）",
    "〔总体要求〕": "总体要求（一段话写明指导思想和总体目标）",
    "〔总体思路〕": "总体思路（一段话写明指导思想和全年工作的总体考虑）",
}
_MASKED_KINDS = ("data", "date", "placeholder")
STYLE_PASSAGES = 3
FACT_PASSAGES = 2


@dataclass(frozen=True)
class SectionPlan:
    index: int  # 1-based, outline order
    path: tuple[str, ...]  # headings from the top down to this section
    fact_names: tuple[str, ...]
    passages: tuple[dict, ...]  # {"source": "…", "text": masked text}: JSON-ready for plan.json

    @property
    def heading(self) -> str:
        return self.path[-1]

    @property
    def display_path(self) -> str:
        """The path as the model reads it: unnumbered parts are described, not bracketed."""
        return " > ".join(PART_NAMES.get(h, h) for h in self.path)


def mask_numbers(text: str, kinds: tuple[str, ...] = _MASKED_KINDS) -> str:
    out, last = [], 0
    for m in sorted(extract(text), key=lambda m: m.start):
        if m.kind in kinds and m.start >= last:
            out.append(text[last : m.start])
            out.append(MASK)
            last = m.end
    out.append(text[last:])
    return "".join(out)


def leaf_sections(outline: Outline) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(heading path, fact names) of every section that gets text, in outline order: the leaves.
    A parent is a heading over its children; 〔开头〕 and kin are leaves without a heading line."""
    return [(path, s.facts) for path, s in outline.walk() if not s.children]


def section_query(path: tuple[str, ...], fact_names: tuple[str, ...], topic: str) -> str:
    words = [strip_marker(h).strip("〔〕") for h in path] + list(fact_names)
    if topic:
        words.append(topic)
    return " ".join(words)


def fact_passage_text(text: str, year: int | None, current_year: int | None) -> str:
    """A fact passage from an earlier period shows its figures labelled 〔上期〕, so the model can
    write 同比 comparisons without passing an old figure off as new; from an unknown or the same
    period, its numbers are masked like a style passage's. Placeholders are always masked."""
    if year is None or current_year is None or year >= current_year:
        return mask_numbers(text)
    return label_previous_figures(mask_numbers(text, ("placeholder",)), source_year=year, current_year=current_year)


def gather_passages(retriever, doc_type: str, query: str, current_year: int | None = None) -> tuple[dict, ...]:
    """Style passages (numbers masked) and fact passages (last period's figures labelled) of the
    same report type, deduplicated."""
    found: list[tuple[str | None, Passage]] = []
    for kind, k in ((None, STYLE_PASSAGES), ("fact", FACT_PASSAGES)):
        try:
            found += [(kind, p) for p in retriever.search(query, k=k, filters=Filters(doc_type=doc_type, kind=kind))]
        except QueryError:  # the corpus has no report of this type, or none with figures
            continue
    seen, out = set(), []
    for kind, p in found:
        if p.chunk.chunk_id in seen:
            continue
        seen.add(p.chunk.chunk_id)
        where = " › ".join(p.chunk.heading_path) or "开头"
        text = fact_passage_text(p.chunk.text, p.chunk.year, current_year) if kind == "fact" else mask_numbers(p.chunk.text)
        out.append({"source": f"{p.chunk.title} › {where}", "text": text})
    return tuple(out)



def render_passages(passages: tuple[dict, ...]) -> str:
    if not passages:
        return "（无）"
    blocks = []
    for i, p in enumerate(passages, start=1):
        blocks.append(f"【片段{i}】出自：{as_material(p['source'])}\n{as_material(p['text'])}")
    return "\n\n".join(blocks)


def render_facts(facts: list[Fact]) -> str:
    if not facts:
        return "（无：本节不写具体数字，需要数字处写“【待补】”）"
    lines = []
    for f in facts:
        value = f.value.strip() or "【待补】"
        line = f"- {f.name}：{value}"
        if f.note:
            line += f"（{f.note}）"
        if f.previous:
            line += f"；上期为{f.previous}（仅供对比，不得作为本期数据）"
        lines.append(line)
    return "\n".join(lines)


def render_outline(outline: Outline, current: tuple[str, ...]) -> str:
    lines = []
    for path, section in outline.walk():
        mark = "  ← 当前一节" if path == current else ""
        lines.append("  " * (len(path) - 1) + section.heading + mark)
    return "\n".join(lines)
