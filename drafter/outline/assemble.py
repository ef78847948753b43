"""`drafter outline`: the type's skeleton learned from the corpus, this year's facts placed in its
sections, and — with a topic — the headings reworded and the placements reviewed by the LLM."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from drafter.config import Settings
from drafter.facts.load import load_facts
from drafter.index.embed import make_embedder
from drafter.outline.refine import refine_outline
from drafter.outline.skeleton import build_outline
from drafter.progress import NullReporter, Reporter
from drafter.records import Document, Outline


def assemble_outline(settings: Settings, doc_type: str, documents: Sequence[Document], facts_path: Path | None = None,
                     title: str = "", topic: str = "", reporter: Reporter | None = None) -> Outline:
    reporter = reporter or NullReporter()
    facts = load_facts(facts_path) if facts_path is not None else None
    embedder = make_embedder(settings.embed) if facts is not None else None  # places facts by meaning
    outline = build_outline(doc_type, documents, facts, title=title, embedder=embedder)
    if topic:
        outline = refine_outline(settings, outline, topic, documents, facts, reporter)
    return outline
