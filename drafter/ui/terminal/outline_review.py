"""The outline before drafting starts: shown as a tree to accept, or edited in $EDITOR (re-read and
checked against the facts until it parses), or kept beside -o when the writer quits after editing."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from rich.markup import escape

from drafter.drafting.run import check_outline_facts
from drafter.errors import DrafterError, OutlineError
from drafter.fileio import write_text_atomic
from drafter.outline.markdown import parse_outline, to_markdown
from drafter.records import Facts, Outline
from drafter.ui.outline_view import render_outline
from drafter.ui.terminal.keys import edit_in_editor
from drafter.ui.terminal.screen import UI


def review_outline(ui: UI, outline: Outline, request, facts: Facts) -> Outline | None:
    """The outline tree until the writer accepts it (the outline) or quits (None)."""
    edited = False
    while True:
        ui.console.rule("the outline", style="dim")
        render_outline(ui.console, outline)
        key = ui.keys.key("[bold]a[/] accept · [bold]e[/] edit in $EDITOR · [bold]q[/] quit › ")
        if key == "a":
            return outline
        if key == "e":
            changed = edit_outline(ui, outline, request, facts)
            if changed is not None:
                outline, edited = changed, True
        elif key == "q":
            if edited:
                _keep_outline(ui, outline, request)
            return None
        else:
            ui.say("a accepts the outline, e opens it in $EDITOR, q quits")


def edit_outline(ui: UI, outline: Outline, request, facts) -> Outline | None:
    """The outline Markdown in $EDITOR; a parse error is shown with its line and the editor opens
    again on the writer's text. None: the editor failed or the writer gave up (outline unchanged)."""
    fd, name = tempfile.mkstemp(prefix="drafter-outline-", suffix=".md")
    os.close(fd)
    path, text = Path(name), to_markdown(outline)
    try:
        while True:
            edited = edit_in_editor(ui.warn, text, path)
            if edited is None:
                return None
            try:
                new = parse_outline(edited, where="the outline")
                new = replace(new, doc_type=new.doc_type or request.doc_type)
                check_outline_facts(new, facts, replace(request, outline_path=None))
                return new
            except OutlineError as e:
                ui.error(str(e) + _unknown_fact_lines(edited, facts))
                text = edited  # reopen on what the writer wrote, not on the old outline
                again = ui.keys.key("any key: back to the editor · [bold]q[/]: keep the outline as it was ")
                if again == "q":
                    return None
    finally:
        path.unlink(missing_ok=True)


def _unknown_fact_lines(text: str, facts) -> str:
    known = {f.name for f in facts.facts}
    lines = [str(n) for n, line in enumerate(text.splitlines(), start=1)
             if (m := re.match(r"^- fact:\s*(.+)$", line.strip())) and m.group(1).strip() not in known]
    return f" (line {', '.join(lines)})" if lines else ""


def _keep_outline(ui: UI, outline: Outline, request) -> None:
    """Quitting after editing the outline: the edit goes beside -o instead of being lost."""
    path = request.output.with_name(request.output.stem + ".outline.md")
    try:
        write_text_atomic(path, to_markdown(outline))
    except DrafterError as e:
        ui.warn(f"the edited outline was not saved: {e}")
        return
    ui.say(f"the edited outline is in {escape(str(path))}: start again with --outline {escape(str(path))}")
