"""Which section of an outline each fact belongs in, without an LLM.

A fact (name, note, value) is compared with every section that can hold figures: its heading
path and, for a learned skeleton, the corpus text under that heading. The score is the cosine of
their embeddings plus a share of the fact name's character bigrams found in the section. Sections
about shortcomings and plans (不足, 问题, 打算, 方向 …) are penalised: figures report what was
done. A fact whose best score stays under the bar fits nowhere and is listed as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from drafter.corpus.structure import strip_marker
from drafter.records import Facts, OutlineSection

_OUTLOOK = re.compile(r"不足|问题|差距|打算|方向|下一步|下步|努力|计划|展望|原因")
_NO_FACTS = ("〔称谓〕", "〔结尾〕")
OUTLOOK_PENALTY = 0.15
LEXICAL_WEIGHT = 0.5
DENSE_BAR = 0.80  # e5 cosines of unrelated Chinese texts sit around 0.70–0.78
LEXICAL_BAR = 0.34  # without an embedder: a third of the name's bigrams must appear


@dataclass(frozen=True)
class Assignment:
    by_heading: dict[str, tuple[str, ...]]
    unassigned: tuple[str, ...]


def candidate_sections(sections: Sequence[OutlineSection]) -> list[tuple[tuple[str, ...], OutlineSection]]:
    """Leaves (and 〔开头〕), with the headings above them."""
    out = []

    def visit(path: tuple[str, ...], s: OutlineSection) -> None:
        if s.heading in _NO_FACTS:
            return
        if s.children:
            for c in s.children:
                visit(path + (s.heading,), c)
        else:
            out.append((path + (s.heading,), s))

    for s in sections:
        visit((), s)
    return out


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def assign_facts(sections: Sequence[OutlineSection], facts: Facts, profiles: dict[str, str], embedder=None) -> Assignment:
    targets = candidate_sections(sections)
    if not targets:
        return Assignment({}, tuple(f.name for f in facts.facts))
    section_texts = [
        " ".join(strip_marker(h) for h in path) + "\n" + profiles.get(section.heading, "") for path, section in targets
    ]
    fact_texts = [" ".join(x for x in (f.name, f.note, f.value) if x) for f in facts.facts]
    lexical = np.array([[len(_bigrams(f.name) & _bigrams(s)) / max(1, len(_bigrams(f.name))) for s in section_texts] for f in facts.facts])
    penalty = np.array([OUTLOOK_PENALTY if _OUTLOOK.search(" ".join(path)) else 0.0 for path, _ in targets])
    if embedder is not None:
        sec_vecs = embedder.embed_passages(section_texts)
        fact_vecs = np.stack([embedder.embed_query(t) for t in fact_texts])
        dense = fact_vecs @ sec_vecs.T
        scores = dense + LEXICAL_WEIGHT * lexical - penalty
        bar = DENSE_BAR
        strong = dense.max(axis=1) >= bar
    else:
        scores = lexical - penalty
        bar = LEXICAL_BAR
        strong = lexical.max(axis=1) >= bar

    by_heading: dict[str, list[str]] = {}
    unassigned = []
    for i, fact in enumerate(facts.facts):
        if fact.section:  # the facts file says where it goes
            named = [j for j, (path, _) in enumerate(targets) if any(fact.section in strip_marker(h) or strip_marker(h) in fact.section for h in path)]
            if named:
                j = max(named, key=lambda j: scores[i, j])
                by_heading.setdefault(targets[j][1].heading, []).append(fact.name)
                continue
        j = int(np.argmax(scores[i]))
        if not strong[i] and lexical[i].max() < LEXICAL_BAR:
            unassigned.append(fact.name)
            continue
        by_heading.setdefault(targets[j][1].heading, []).append(fact.name)
    return Assignment({k: tuple(v) for k, v in by_heading.items()}, tuple(unassigned))
