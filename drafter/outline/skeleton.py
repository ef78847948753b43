"""Outlines: a report type's conventional skeleton, learned from the corpus, with facts assigned.

The skeleton of a type is the heading tree of its most typical corpus report (the medoid: the
one whose sections most resemble the others'), each section noting how many reports of the type
have a section like it. With no report of the type in the corpus, a built-in skeleton is used
(``data/skeletons.yaml``), and the outline says so. Everything here is deterministic and works
without an LLM; ``refinable`` names what an LLM may reword (headings), never numbers.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

from drafter.corpus.structure import marker, strip_marker
from drafter.errors import OutlineError
from drafter.outline.assign import assign_facts
from drafter.records import Document, Facts, Heading, Outline, OutlineSection

_CLOSING = re.compile(r"汇报完毕|批评指正|谢谢")
_SALUTATION = re.compile(r"^(尊敬的|各位领导|同志们)")
SIMILAR = 0.3  # bigram overlap above which two headings count as 'the same section'


@dataclass(frozen=True)
class Skeleton:
    doc_type: str
    sections: tuple[OutlineSection, ...]
    source: str  # "corpus: <doc ids>" or "built-in"
    documents: int  # corpus reports of this type


# --- skeletons ------------------------------------------------------------------------------


def numbered(titles: Sequence[tuple[str, Sequence[str]]], continuous_children: bool = False) -> tuple[OutlineSection, ...]:
    """Sections from (title, child titles) pairs, numbered 一、/（一） — or 一、/1. continuing
    across parents, as 工作要点 number their items."""
    sections, n, child_n = [], 0, 0
    for title, children in titles:
        if title.startswith("〔"):
            sections.append(OutlineSection(heading=title, level=0))
            continue
        n += 1
        child_style = 3 if continuous_children else 2  # 1. or （一）; the depth is 2 either way
        if not continuous_children:
            child_n = 0
        kids = []
        for child in children:
            child_n += 1
            kids.append(OutlineSection(heading=marker(child_style, child_n) + child, level=2))
        sections.append(OutlineSection(heading=marker(1, n) + title, level=1, children=tuple(kids)))
    return tuple(sections)


# --- built-in skeletons --------------------------------------------------------------------


@lru_cache(maxsize=1)
def builtin_skeletons() -> dict[str, tuple[OutlineSection, ...]]:
    import yaml

    data = yaml.safe_load(resources.files("drafter").joinpath("data/skeletons.yaml").read_text(encoding="utf-8"))
    out = {}
    for doc_type, items in data.items():
        pairs = []
        for item in items:
            if isinstance(item, dict):
                (title, children), = item.items()
                pairs.append((title, list(children or [])))
            else:
                pairs.append((item, []))
        out[doc_type] = numbered(pairs, continuous_children=doc_type == "工作要点")
    return out


# --- learning from the corpus ---------------------------------------------------------------


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fff]", "", strip_marker(text))
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def document_tree(doc: Document) -> list[tuple[str, list[str]]]:
    """A report's top two levels as (heading, child headings), with 〔称谓〕/〔开头〕/〔结尾〕 parts.

    The top is the shallowest heading level the report uses; a report with no numbered
    headings (一是… or bare lead sentences only) uses those as its top level."""
    heads = [h for h in doc.headings if h.level <= 4] or list(doc.headings)
    tree: list[tuple[str, list[str]]] = []
    intro = [b for b in doc.blocks if not b.heading_path]
    if intro and _SALUTATION.match(intro[0].text):
        tree.append(("〔称谓〕", []))
        intro = intro[1:]
    if intro:
        tree.append(("〔开头〕", []))
    if heads:
        top = min(h.level for h in heads)
        below = sorted({h.level for h in heads if h.level > top})
        child_level = below[0] if below else None
        for h in heads:
            if h.level == top:
                tree.append((_written(h), []))
            elif h.level == child_level and tree and not tree[-1][0].startswith("〔"):
                tree[-1][1].append(_written(h))
    if doc.blocks and len(doc.blocks[-1].text) < 80 and _CLOSING.search(doc.blocks[-1].text):
        tree.append(("〔结尾〕", []))
    return tree


def _written(h: Heading) -> str:
    return f"{h.marker}{h.text}" if h.level <= 4 else h.text


def learn_skeleton(doc_type: str, documents: Sequence[Document]) -> Skeleton:
    same = [d for d in documents if d.doc_type == doc_type and d.type_source != "undecided"]
    if not same:
        if doc_type not in builtin_skeletons():
            raise OutlineError(unknown_type_message(doc_type, documents))
        return Skeleton(doc_type, builtin_skeletons()[doc_type], "built-in", 0)
    trees = {d.doc_id: document_tree(d) for d in same}
    usable = {k: t for k, t in trees.items() if sum(1 for h, _ in t if not h.startswith("〔")) >= 2}
    if not usable:  # reports of this type without structure to learn from
        base = builtin_skeletons().get(doc_type)
        if base is None:
            raise OutlineError(f"the corpus's {doc_type} reports have no headings to learn a skeleton from")
        return Skeleton(doc_type, base, "built-in (corpus reports have no headings)", len(same))

    def score(doc_id: str) -> float:
        mine = [h for h, _ in usable[doc_id]]
        others = [t for k, t in usable.items() if k != doc_id]
        if not others:
            return 0.0
        return sum(max((similarity(h, o) for o, _ in t), default=0) for t in others for h in mine) / len(mine)

    medoid = max(sorted(usable), key=score)
    sections = []
    for heading, children in usable[medoid]:
        support = sum(1 for t in trees.values() if any(_same_section(heading, h) for h, _ in t))
        note = f"{support}/{len(same)} 篇{doc_type}有此部分"
        if heading.startswith("〔"):
            sections.append(OutlineSection(heading=heading, level=0, note=note))
            continue
        kids = tuple(OutlineSection(heading=c, level=2) for c in children)
        sections.append(OutlineSection(heading=heading, level=1, note=note, children=kids))
    return Skeleton(doc_type, tuple(sections), f"corpus: {medoid}", len(same))


def _same_section(a: str, b: str) -> bool:
    if a.startswith("〔") or b.startswith("〔"):
        return a == b
    return similarity(a, b) >= SIMILAR


def known_types(documents: Sequence[Document]) -> dict[str, int]:
    """Every type drafter can outline, with how many corpus reports it has learned it from."""
    counts = {t: 0 for t in builtin_skeletons()}
    for d in documents:
        if d.type_source != "undecided":  # 未定: no outline learns from a guess
            counts[d.doc_type] = counts.get(d.doc_type, 0) + 1
    return counts


def unknown_type_message(doc_type: str, documents: Sequence[Document]) -> str:
    known = sorted(known_types(documents))
    close = difflib.get_close_matches(doc_type, known, n=1, cutoff=0.3)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"unknown report type {doc_type!r} (known: {', '.join(known)}){hint}"


# --- assembling ---------------------------------------------------------------------------


def build_outline(
    doc_type: str,
    documents: Sequence[Document],
    facts: Facts | None = None,
    title: str = "",
    embedder=None,
) -> Outline:
    """The outline for a type: the skeleton, and each fact in the section where it belongs
    (by embedding similarity and shared words when an embedder is given, by words alone if not)."""
    skeleton = learn_skeleton(doc_type, documents)
    sections = skeleton.sections
    unassigned: tuple[str, ...] = ()
    if facts is not None and facts.facts:
        profiles = section_profiles(skeleton, documents)
        assignment = assign_facts(sections, facts, profiles, embedder)
        sections = with_facts(sections, assignment.by_heading)
        unassigned = assignment.unassigned
    default_title = (facts.title if facts and facts.title else "") or f"{doc_type}（提纲）"
    return Outline(
        doc_type=doc_type,
        title=title or default_title,
        sections=sections,
        source=skeleton.source,
        unassigned=unassigned,
    )


def section_profiles(skeleton: Skeleton, documents: Sequence[Document]) -> dict[str, str]:
    """For each heading of a learned skeleton, the corpus text under it: what such a section
    talks about, so that facts can be matched to sections by content, not by heading alone."""
    if not skeleton.source.startswith("corpus: "):
        return {}
    doc_id = skeleton.source.removeprefix("corpus: ")
    doc = next((d for d in documents if d.doc_id == doc_id), None)
    if doc is None:
        return {}
    profiles: dict[str, list[str]] = {}
    for block in doc.blocks:
        path = [strip_marker(p) for p in block.heading_path]
        key = "〔开头〕" if not path else None
        for section in _iter_sections(skeleton.sections):
            if path and strip_marker(section.heading) in path:
                key = section.heading  # the deepest matching heading wins (iteration is depth first)
        if key:
            profiles.setdefault(key, []).append(block.text)
    return {k: "".join(v)[:600] for k, v in profiles.items()}


def _iter_sections(sections: Sequence[OutlineSection]):
    for s in sections:
        yield s
        yield from _iter_sections(s.children)


def with_facts(sections: Sequence[OutlineSection], by_heading: dict[str, tuple[str, ...]]) -> tuple[OutlineSection, ...]:
    """The sections with each one's facts replaced by ``by_heading`` (none where it has no entry)."""
    from dataclasses import replace

    return tuple(
        replace(s, facts=by_heading.get(s.heading, ()), children=with_facts(s.children, by_heading)) for s in sections
    )
