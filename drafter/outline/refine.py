"""An LLM's pass over an outline (`drafter outline --topic`): headings reworded in the corpus's
style, and each fact's section reviewed.

For headings the model may change wording only. Each answer line is checked against the heading it replaces:
the numbering (一、/（一）/1.) and unnumbered parts (〔开头〕) stay as they were, and no digit may
appear that the heading did not have. A line that breaks a rule keeps the original heading; an
answer with the wrong number of lines is not used at all. For facts it may only move a named fact
to a numbered section (or to none); a line naming an unknown fact or section keeps the placement
made without the model. Either way the writer is told why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from drafter.config import Settings
from drafter.corpus.structure import heading_marker
from drafter.errors import LLMError
from drafter.llm.client import ChatModel, complete, open_llm
from drafter.llm.prompts import as_material, load_prompt
from drafter.outline.assign import candidate_sections
from drafter.outline.skeleton import with_facts
from drafter.progress import Reporter
from drafter.records import Document, Facts, Outline, OutlineSection

MAX_HEADING_CHARS = 40
MAX_EXAMPLES = 40


@dataclass(frozen=True)
class Refinement:
    outline: Outline
    changed: int
    notes: tuple[str, ...]  # what was kept as it was, and why


def corpus_headings(documents: Sequence[Document], doc_type: str) -> list[str]:
    """Headings of the corpus's reports of this type (levels 1–2, numbering included)."""
    seen, out = set(), []
    for doc in documents:
        if doc.doc_type != doc_type:
            continue
        for h in doc.headings:
            text = f"{h.marker}{h.text}"
            if h.level <= 2 and text not in seen:
                seen.add(text)
                out.append(text)
    return out[:MAX_EXAMPLES]


def refine_headings(outline: Outline, topic: str, model: ChatModel, examples: Sequence[str],
                    facts: Facts | None = None) -> Refinement:
    paths = [path for path, _ in outline.walk()]
    originals = [path[-1] for path in paths]
    rendered = load_prompt("outline_chat").render(
        doc_type=outline.doc_type,
        topic=topic,
        headings="\n".join(f"{i}\t{h}" for i, h in enumerate(originals, start=1)),
        examples=as_material("\n".join(examples)) or "（无）",
        facts="\n".join(f.name for f in facts.facts) if facts and facts.facts else "（无）",
    )
    answer = complete(model, rendered.request(stage="outline")).text
    proposed = _parse(answer)
    if sorted(proposed) != list(range(1, len(originals) + 1)):
        return Refinement(outline, 0, (f"the model answered {len(proposed)} headings for {len(originals)}: "
                                       "the outline is kept as it was",))
    notes, new = [], {}
    for i, original in enumerate(originals, start=1):
        candidate = proposed[i]
        problem = _problem(original, candidate)
        if problem:
            notes.append(f"kept “{original}”: the model's “{candidate}” {problem}")
        elif candidate != original:
            new[original] = candidate
    return Refinement(replace(outline, sections=_renamed(outline.sections, new)), len(new), tuple(notes))


def _parse(answer: str) -> dict[int, str]:
    lines = {}
    for line in answer.splitlines():
        m = re.match(r"^\s*(\d+)\s*[\t:：.．、)）]?\s*(\S.*)$", line)
        if m:
            lines[int(m.group(1))] = m.group(2).strip()
    return lines


def _problem(original: str, candidate: str) -> str:
    if original.startswith("〔"):
        return "" if candidate == original else "changed an unnumbered part"
    if not candidate:
        return "is empty"
    before, after = heading_marker(original), heading_marker(candidate)
    if (before[1] if before else "") != (after[1] if after else ""):
        return "changed the numbering"
    marker = len(after[1]) if after else 0
    if set(re.findall(r"\d", candidate[marker:])) - set(re.findall(r"\d", original)):
        return "brought in a number"
    if len(candidate) > MAX_HEADING_CHARS:
        return f"is longer than {MAX_HEADING_CHARS} characters"
    return ""


def _renamed(sections: Sequence[OutlineSection], new: dict[str, str]) -> tuple[OutlineSection, ...]:
    return tuple(
        replace(s, heading=new.get(s.heading, s.heading), children=_renamed(s.children, new)) for s in sections
    )


def refine_facts(outline: Outline, facts: Facts, model: ChatModel) -> Refinement:
    """Let the model review which section each fact goes in."""
    targets = candidate_sections(outline.sections)
    if not targets or not facts.facts:
        return Refinement(outline, 0, ())
    number_of = {section.heading: i for i, (_, section) in enumerate(targets, start=1)}
    current = {name: number_of.get(section.heading, 0) for _, section in outline.walk() for name in section.facts}
    rendered = load_prompt("outline_facts_chat").render(
        doc_type=outline.doc_type,
        sections="\n".join(f"{i}\t{' > '.join(path)}" for i, (path, _) in enumerate(targets, start=1)),
        facts="\n".join(f"{f.name}\t{f.value or '（待填）'}\t{current.get(f.name, 0)}" for f in facts.facts),
    )
    answer = complete(model, rendered.request(stage="outline")).text
    known = {f.name for f in facts.facts}
    placed, notes = dict(current), []
    for line in answer.splitlines():
        name, _, number = line.strip().rpartition("\t")
        name = name.strip()
        if not name:
            continue
        if name not in known or not number.strip().isdigit() or int(number) > len(targets):
            notes.append(f"ignored the model's line “{line.strip()[:40]}”: no such fact or section")
            continue
        placed[name] = int(number)
    moved = sum(1 for name in known if placed.get(name, 0) != current.get(name, 0))
    by_heading: dict[str, list[str]] = {}
    for f in facts.facts:  # in the facts file's order, as the placement without the model
        if placed.get(f.name, 0):
            by_heading.setdefault(targets[placed[f.name] - 1][1].heading, []).append(f.name)
    unassigned = tuple(f.name for f in facts.facts if not placed.get(f.name, 0))
    sections = with_facts(outline.sections, {k: tuple(v) for k, v in by_heading.items()})
    return Refinement(replace(outline, sections=sections, unassigned=unassigned), moved, tuple(notes))


def refine_outline(settings: Settings, outline: Outline, topic: str, documents: Sequence[Document],
                   facts: Facts | None, reporter: Reporter) -> Outline:
    """The outline with headings reworded by the configured model and, given facts, each fact's
    section reviewed. On any model error the deterministic outline stands, and the reporter is
    told why; every heading or placement the model got wrong is a note too."""
    try:
        with open_llm(settings) as session:
            model = session.model("outline")
            reporter.note(f"rewording headings with {model.name} …")
            headings = refine_headings(outline, topic, model, corpus_headings(documents, outline.doc_type), facts)
            placed = refine_facts(headings.outline, facts, model) if facts is not None else None
    except LLMError as e:
        reporter.note(f"not refined by the model: {e}")
        return outline
    for note in headings.notes + (placed.notes if placed else ()):
        reporter.note(f"note: {note}")
    reporter.note(f"{headings.changed} heading(s) reworded by the model; numbering and parts unchanged")
    if placed is None:
        return headings.outline
    reporter.note(f"{placed.changed} fact(s) moved to another section by the model")
    return placed.outline
