"""Word on the terminal: a .docx check with locators, the annotated copy, what blocks an export,
and what `drafter import` read."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from drafter.export.docx_check import WordCheckReport
from drafter.export.docx_import import ImportReport
from drafter.export.gate import GateReport
from drafter.ui.check_view import finding_line, summary_line

_CHANGE_NAMES = {"ins": "insertions", "del": "deletions", "moveFrom": "moves", "rPrChange": "format changes",
                 "pPrChange": "format changes"}


def _changes(counts: dict[str, int]) -> str:
    named: dict[str, int] = {}
    for tag, n in counts.items():
        if tag == "moveTo":  # a move is one moveFrom and one moveTo
            continue
        name = _CHANGE_NAMES.get(tag, "other changes")
        named[name] = named.get(name, 0) + n
    return ", ".join(f"{n} {name}" for name, n in named.items())


def render_word_check(out: Console, err: Console, report: WordCheckReport, show_formulas: bool = True) -> None:
    name = report.path.name
    if report.tracked_changes:
        err.print(f"[yellow]tracked changes[/] in {escape(name)} ({escape(_changes(report.tracked_changes))}): "
                  "checked as the text reads with all of them accepted", highlight=False, soft_wrap=True)
    for lf in report.located:
        if lf.finding.status == "formula" and not show_formulas:
            continue
        out.print(finding_line(lf.finding, where=f"{name}:{lf.location.locator}"), highlight=False)
    out.print(summary_line(report.report), highlight=False)


def render_annotated(console: Console, report: WordCheckReport) -> None:
    result = report.annotated
    if result is None:
        return
    moved = [c for c in result.comments if not c.exact]
    line = Text()
    line.append("wrote ", style="green")
    line.append(f"{result.out_path}: {len(result.comments)} comment(s) by 「drafter」")
    if moved:
        line.append(f"; {len(moved)} on a body paragraph, since Word takes no comment where the number stands: "
                    + ", ".join(f"{c.locator} → {c.anchor}" for c in moved), style="yellow")
    console.print(line, highlight=False, soft_wrap=True)


def render_blockers(console: Console, gate: GateReport, draft: Path) -> None:
    for b in gate.blockers:
        t = Text()
        t.append(f"{draft}:{b.line}:{b.column}", style="dim")
        t.append("  ")
        t.append(f"{b.kind:<11}", style="yellow" if b.kind == "placeholder" else "bold red")
        t.append(" ")
        t.append(b.text, style="reverse")
        if b.kind != "placeholder":
            t.append(f"  ← {b.detail}", style="dim")
        console.print(t, highlight=False, soft_wrap=True)


def render_refusal(console: Console, gate: GateReport) -> None:
    n = len(gate.blockers)
    console.print(f"[red]not exported:[/] {n} unresolved item(s) above; resolve them"
                  + ("" if gate.checked else " (add --check FACTS to check the numbers too)")
                  + ", or pass --allow-unresolved to write a copy marked 「征求意见稿」", highlight=False, soft_wrap=True)


def render_import(console: Console, report: ImportReport) -> None:
    if report.tracked_changes:
        console.print(f"[yellow]tracked changes[/] ({escape(_changes(report.tracked_changes))}): imported as the "
                      "text reads with all of them accepted", highlight=False, soft_wrap=True)
    if report.left_out:
        names = {"header": "header", "footer": "footer", "footnote": "footnote", "endnote": "endnote",
                 "comments": "comment"}
        parts = [f"{n} {names.get(k, k)} paragraph(s)" if k != "comments" else f"{n} comment(s)"
                 for k, n in report.left_out.items()]
        console.print(f"[yellow]not imported[/]: {escape(', '.join(parts))} (not part of a draft)",
                      highlight=False, soft_wrap=True)
    if report.title is None:
        console.print("[yellow]note[/]: no title found (a Title style or a centred first line); "
                      "add “# 标题” before exporting", highlight=False, soft_wrap=True)
    where = f"to {report.out_path}" if report.out_path is not None else "to stdout"
    console.print(f"[green]imported[/] {escape(str(report.source))} {escape(where)}: {report.headings} heading(s), "
                  f"{report.paragraphs} paragraph(s), {report.tables} table(s)", highlight=False, soft_wrap=True)
