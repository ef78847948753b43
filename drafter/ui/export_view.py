"""`drafter export` on the terminal: parse warnings, the fonts the document names (and which are
missing here), and what was written."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from drafter.export.docx_write import ExportReport


def render_export(console: Console, report: ExportReport, draft: Path) -> None:
    for warning in report.warnings:
        console.print(f"[yellow]warning[/] {escape(str(draft))}: {escape(str(warning))}", highlight=False, soft_wrap=True)
    fonts = f"fonts named: {', '.join(report.fonts)}"
    if report.missing_fonts is None:
        fonts += " (fc-list not found, so not checked here; Word substitutes missing fonts)"
    elif report.missing_fonts:
        fonts += f"; missing on this machine: {', '.join(report.missing_fonts)} (Word and LibreOffice substitute them)"
    else:
        fonts += "; all installed here"
    console.print(escape(fonts), highlight=False, soft_wrap=True)


def render_written(console: Console, report: ExportReport) -> None:
    console.print(
        f"[green]wrote[/] {escape(str(report.out_path))}: {len(report.headings)} heading(s), "
        f"{report.paragraphs} paragraph(s), {report.tables} table(s)",
        highlight=False, soft_wrap=True,
    )
