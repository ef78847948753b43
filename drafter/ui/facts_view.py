"""`drafter facts check` on the terminal: each issue at its line, then the count."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from drafter.facts.lint import LintReport


def render_lint(console: Console, report: LintReport, path: str) -> None:
    for issue in report.issues:
        colour = "red" if issue.severity == "error" else "yellow"
        where = f"{path}:{issue.line}" if issue.line else path
        name = f"{escape(issue.name)}: " if issue.name else ""
        console.print(f"[dim]{escape(where)}[/]  [{colour}]{issue.severity:<7}[/] {name}{escape(issue.message)}",
                      highlight=False)
    style = "red" if report.errors else ("yellow" if report.warnings else "green")
    console.print(f"[{style}]{report.facts} facts: {report.errors} errors, {report.warnings} warnings[/]", highlight=False)
