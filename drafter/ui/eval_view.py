"""Show an eval run: one row per draft, the aggregate, the checker suite, and — against a
baseline — each change (green better, red worse, bold red beyond tolerance)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from drafter.evaluation.baseline import Comparison, Delta
from drafter.evaluation.metrics import CHECKER_METRICS, METRICS, MetricSpec
from drafter.evaluation.run import EvalRun

LEGEND = (
    "ground: share of numbers grounded or derived · ungr: ungrounded numbers · plchld: placeholders · "
    "stale: last period's figures as this one's · badnum: numbers that must not appear · facts: required facts "
    "stated · sects: required sections found · outln: type outline's sections matched · length: 1 in range · "
    "repeat: repeated share · style: closeness to same-type corpus passages · phrase: forbidden phrases and English · "
    "guard: what the output guard removed (stored drafts: would remove) · loops: sentences said again in a section · "
    "copied: share in 15+-character runs copied from the corpus · used: assigned facts used · errors: failing numbers. "
    "aggregate: rates are means over drafts, counts are sums."
)


def _value(spec: MetricSpec, value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if spec.is_count else f"{value:.3f}"


def _delta_text(spec: MetricSpec, delta: Delta | None) -> Text | None:
    change = delta.change if delta else None
    if delta is None or change is None or abs(change) < 1e-9:
        return None
    shown = f"{change:+d}" if spec.is_count else f"{change:+.3f}"
    if delta.regression:
        style = "bold red"
    else:
        style = "green" if delta.better else "red"
    return Text(shown, style=style)


def _cell(spec: MetricSpec, value: float | None, delta: Delta | None) -> Text:
    text = Text(_value(spec, value))
    extra = _delta_text(spec, delta)
    if extra is not None:
        text.append("\n")
        text.append_text(extra)
    return text


def render_eval(console: Console, run: EvalRun, comparison: Comparison | None = None) -> None:
    """Two tables of six metrics each (numbers, then form and style), so that 80 columns suffice."""
    console.print(f"[bold]drafter eval[/] · {escape(run.meta.model)} · embedder {escape(run.meta.embedder)}", highlight=False)
    for title, specs in (("numbers and facts", METRICS[:6]), ("form and style", METRICS[6:12]),
                         ("what the guards see", METRICS[12:])):
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("case / draft", no_wrap=True, overflow="ellipsis", max_width=26)
        for spec in specs:
            table.add_column(spec.label, justify="right", no_wrap=True, min_width=6)
        for case in run.cases:
            if case.error is not None:
                table.add_row(Text(case.case_id, style="red"), Text("error (below)", style="red"), *[""] * (len(specs) - 1))
                continue
            for d in case.drafts:
                cells = [_cell(s, d.metrics.value(s.name), comparison.delta(d.key, s.name) if comparison else None)
                         for s in specs]
                table.add_row(Text(d.key), *cells)
        if run.aggregate is not None:
            table.add_section()
            cells = [_cell(s, run.aggregate.value(s.name), comparison.delta("aggregate", s.name) if comparison else None)
                     for s in specs]
            table.add_row(Text("aggregate", style="bold"), *cells)
        console.print(table)
    console.print(Text(LEGEND, style="dim"))
    for case in run.broken:
        console.print(f"[red]error[/] {escape(case.case_id)}: {escape(str(case.error))}", highlight=False)

    checker = Table(title="number checker · labelled set (evals/checker)")
    checker.add_column("metric")
    checker.add_column("value", justify="right")
    if run.checker.error is not None:
        checker.add_row(Text("error", style="red"), Text(run.checker.error, style="red"))
    else:
        for spec in CHECKER_METRICS:
            delta = comparison.delta("checker", spec.name) if comparison else None
            checker.add_row(spec.label, _cell(spec, run.checker.metrics[spec.name], delta))
    console.print(checker)


def render_comparison_summary(console: Console, comparison: Comparison) -> None:
    for note in comparison.notes:
        console.print(f"[yellow]note[/] {escape(note)}", highlight=False)
    regressions = comparison.regressions
    if not regressions:
        console.print(f"[green]no regression[/] against {escape(str(comparison.baseline))}", highlight=False)
        return
    console.print(f"[bold red]{len(regressions)} regression(s)[/] against {escape(str(comparison.baseline))}:", highlight=False)
    for d in regressions:
        console.print(escape(f"  {d.scope} · {d.metric}: {d.baseline} → {d.current} (tolerance {d.tolerance:g})"),
                      highlight=False)
