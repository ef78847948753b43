"""Show a CheckReport: each number in its sentence, its status and what it rests on.

Colours: grounded green, derived cyan (with the sum), formula dim, placeholder yellow,
ungrounded red (warnings in a softer red), misattributed magenta (a supplied figure written under
another indicator: the line names both), unbound yellow (a supplied value, but the sentence names
no indicator to check it against). An ungrounded number that equals last period's figure says
which (yellow hint line). The ``--json`` shape is ``CheckReport.to_json()``.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from drafter.records import CHECK_STATUSES, CheckReport, Finding

STYLES = {
    "grounded": "green",
    "derived": "cyan",
    "formula": "dim",
    "placeholder": "yellow",
    "ungrounded": "bold red",
    "misattributed": "bold magenta",
    "unbound": "yellow",
}
_PROBLEMS = ("ungrounded", "misattributed", "unbound", "placeholder")
_SHOWN_WHEN_ZERO = ("grounded", "derived", "formula", "placeholder", "ungrounded")
_CONTEXT = 36  # characters of sentence shown on each side of the number


def _sentence_text(f: Finding) -> Text:
    """The sentence, cut around the number, with the number highlighted in its status colour."""
    s = f.sentence
    idx = s.find(f.mention.text)
    if idx < 0:
        return Text(s[: 2 * _CONTEXT])
    a, b = max(0, idx - _CONTEXT), min(len(s), idx + len(f.mention.text) + _CONTEXT)
    t = Text("…" if a else "", style="dim")
    t.append(s[a:idx])
    t.append(f.mention.text, style=f"reverse {STYLES[f.status]}" if f.status in ("ungrounded", "misattributed")
             else f"bold {STYLES[f.status]}")
    t.append(s[idx + len(f.mention.text):b])
    if b < len(s):
        t.append("…", style="dim")
    return t


def finding_line(f: Finding, path: str = "", where: str | None = None) -> Text:
    """One finding; ``where`` replaces ``path:line:column`` (a Word locator: report.docx:表1 行3 列2)."""
    style = STYLES[f.status]
    if f.status == "ungrounded" and f.severity == "warning":
        style = "red"
    t = Text()
    if where is not None:
        t.append(where, style="dim")
    else:
        t.append(f"{path}:" if path else "", style="dim")
        t.append(f"{f.line}:{f.column}", style="dim")
    t.append("  ")
    t.append(f"{f.status:<11}", style=style)
    t.append(" ")
    t.append_text(_sentence_text(f))
    if f.status == "misattributed":  # a supplied figure under another indicator: both are named
        t.append(f"\n      ← {f.source}", style="magenta")
    elif f.status == "unbound":
        t.append(f"\n      ← {f.source}", style="yellow")
    elif f.formula:
        t.append(f"\n      = {f.formula}", style="cyan")
        if f.source:
            t.append(f"  ({f.source})", style="dim")
    elif f.last_period:  # the stale hint
        t.append(f"\n      ← not supplied; {f.source}", style="yellow")
    elif f.status == "ungrounded" and f.source:  # why: 24名 is not 发展党员 (42名) …
        t.append(f"\n      ← {f.source}", style=style)
    elif f.source and f.status != "formula":
        t.append(f"\n      ← {f.source}", style="dim")
    elif f.status == "ungrounded":
        t.append("\n      ← " + ("no supplied fact (warning)" if f.severity == "warning"
                                  else "no supplied fact"), style=style)
    return t


def summary_line(report: CheckReport) -> Text:
    s = report.summary
    t = Text()
    for status in CHECK_STATUSES:
        if status not in _SHOWN_WHEN_ZERO and not s[status]:
            continue  # misattributed and unbound only when there are some
        if t:
            t.append(" · ", style="dim")
        t.append(f"{s[status]} {status}", style=STYLES[status] if s[status] else "dim")
    t.append(f"  ({s['errors']} errors, {s['warnings']} warnings)", style="dim")
    if report.to_fill:
        t.append(f"\n{len(report.to_fill)} facts still to fill: " + "、".join(report.to_fill), style="yellow")
    return t


def render_check_report(console: Console, report: CheckReport, path: str = "",
                        show_formulas: bool = True) -> None:
    for f in report.findings:
        if f.status == "formula" and not show_formulas:
            continue
        console.print(finding_line(f, path), highlight=False)
    console.print(summary_line(report), highlight=False)


def render_problems(console: Console, report: CheckReport, path: str = "") -> None:
    """Only the numbers a writer must look at (ungrounded, misattributed, unbound, placeholders),
    then the summary line."""
    for f in report.findings:
        if f.status in _PROBLEMS:
            console.print(finding_line(f, path), highlight=False)
    console.print(summary_line(report), highlight=False)


SHOWN_SOURCES = 5
MIN_SHOWN_SHARE = 0.01


def render_copy_report(console: Console, copy) -> None:
    """「与《2023年述职》雷同 38%」 per report of the corpus, then the longest copied runs."""
    sources = [(s, v) for s, v in copy.by_source if v >= MIN_SHOWN_SHARE][:SHOWN_SOURCES]
    if not sources:
        console.print(Text(f"copied runs ({copy.min_run}+ characters, numbers masked): none from the corpus", style="dim"))
        return
    head = Text(f"copied from the corpus ({copy.min_run}+ characters verbatim, numbers masked): ", style="bold")
    head.append(f"{copy.share:.0%} of the draft", style="yellow" if copy.share >= 0.2 else "")
    console.print(head)
    for source, share in sources:
        console.print(Text(f"  与{source}雷同 {share:.0%}", style="yellow" if share >= 0.2 else ""))
    for run in copy.longest():
        line = Text(f"  {run.chars:>4} 字  ", style="dim")
        line.append(run.text.replace("\n", " "))
        line.append(f"  ← {run.source}", style="dim")
        console.print(line)
