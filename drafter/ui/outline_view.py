"""An outline as a tree on the terminal: headings, the corpus support of each section, its facts."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from drafter.records import Outline, OutlineSection


def render_outline(console: Console, outline: Outline) -> None:
    tree = Tree(f"[bold]{escape(outline.title)}[/] [dim]({escape(outline.doc_type)} · {escape(outline.source)})[/]")

    def add(branch, section: OutlineSection) -> None:
        style = "dim" if section.unnumbered else "bold" if section.level == 1 else ""
        label = f"[{style}]{escape(section.heading)}[/]" if style else escape(section.heading)
        if section.note:
            label += f" [dim]· {escape(section.note)}[/]"
        node = branch.add(label)
        for name in section.facts:
            node.add(f"[green]▪ {escape(name)}[/]")
        for child in section.children:
            add(node, child)

    for section in outline.sections:
        add(tree, section)
    console.print(tree)
    if outline.unassigned:
        console.print(f"[yellow]facts that fit no section[/] ({len(outline.unassigned)}): " + escape("、".join(outline.unassigned)))


def render_types(console: Console, counts: dict[str, int]) -> None:
    """`outline --list-types`: each type, learned from how many corpus reports or built in."""
    for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        source = f"learned from {n} corpus report" + ("s" if n > 1 else "") if n else "built-in skeleton"
        console.print(f"{escape(t)}\t{source}", highlight=False)
