"""A draft run on the terminal: each section's progress (streamed live with one job), its figures, and
the table of runs."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from drafter.ui.waiting import WaitLine


class DraftConsole:
    """Progress of a draft run on stderr. One job: the section streams live on a terminal, then the
    text as saved (after the guard and the repair) is shown whenever it differs from the stream —
    what is shown last is what is saved, byte for byte; piped, only the saved text is printed.
    Several jobs: a line each. Waits (starting the local model, a first token, a repair) show their
    seconds: a live line on a terminal, a line every ``every`` seconds in a log."""

    def __init__(self, console: Console, stream: bool, after: float = 2.0, every: float = 10.0) -> None:
        self.console = console
        self.stream = stream
        self._started: dict[int, float] = {}
        self._chars: dict[int, int] = {}
        self._streamed: dict[int, list[str]] = {}
        self._waits = WaitLine(console, after=after, every=every)
        self._mid_line = False  # streamed text not yet ended by a newline

    def note(self, message: str) -> None:
        self._end_line()
        self.console.print(f"[dim]{escape(message)}[/]")

    @contextmanager
    def waiting(self, label: str) -> Iterator[object]:
        self._end_line()  # a repair starts where the streamed text stopped
        with self._waits.waiting(label) as handle:
            yield handle

    def _end_line(self) -> None:
        if self._mid_line:
            self.console.print()
            self._mid_line = False

    def stage(self, name: str, total: int | None = None) -> None:
        pass  # a run's stages are its sections, shown as they start and finish

    def advance(self, steps: int = 1) -> None:
        pass

    def section_started(self, plan, total: int, model: str) -> None:
        self._started[plan.index] = time.monotonic()
        self._chars[plan.index] = 0
        self._end_line()
        self.console.print(f"[bold]第 {plan.index}/{total} 节[/] · {escape(plan.heading)} · [dim]{escape(model)}[/]")

    def delta(self, plan, text: str) -> None:
        self._chars[plan.index] = self._chars.get(plan.index, 0) + len(text)
        if self.stream and text:
            self._streamed.setdefault(plan.index, []).append(text)
            if self.console.is_terminal:
                self.console.print(text, end="", highlight=False, markup=False, soft_wrap=True)
                self._mid_line = not text.endswith("\n")

    def section_finished(self, draft, total: int) -> None:
        self._end_line()
        if self.stream:
            streamed = "".join(self._streamed.pop(draft.index, []))
            if draft.text and (streamed != draft.text or not self.console.is_terminal):
                if self.console.is_terminal:
                    self.console.print("  [dim]── as saved (after the guard) ──[/]")
                self.console.print(draft.text, highlight=False, markup=False, soft_wrap=True)
        self.console.print(f"  {draft_stats(draft, total)}")
        for line in guard_lines(draft.guard):
            self.console.print(f"  [dim]{escape(line)}[/]")
        if draft.note:
            self.console.print(f"  [dim]{escape(draft.note)}[/]")


def guard_lines(guard) -> list[str]:
    """The guard's dim lines under a section: 已去除…, 本节未用数据…, copied share, names."""
    data = guard.to_json() if hasattr(guard, "to_json") else (guard or {})
    lines = []
    if data.get("removed_summary"):
        lines.append("已去除：" + data["removed_summary"])
    if data.get("unused_facts"):
        lines.append("本节未用数据：" + "、".join(data["unused_facts"]))
    if data.get("copy_share"):
        runs = data.get("copied") or []
        where = f"（{runs[0]['source']}）" if runs else ""
        shown = "".join(f"「{r['text']}」" for r in runs[:2])
        lines.append(f"与往年材料雷同 {data['copy_share']:.0%}{where}" + (f"：{shown}" if shown else ""))
    if data.get("names"):
        lines.append("参考材料中的名称（不是本单位的？）：" + "、".join(data["names"]))
    return lines


def draft_stats(draft, total: int) -> str:
    """One line (rich markup) on a drafted section: status, time, length, speed, what the check found."""
    summary = draft.report.summary
    bits = [f"{draft.seconds:.0f} s", f"{len(draft.text)} 字"]
    if draft.output_tokens:
        bits.append(f"{draft.output_tokens / max(draft.seconds, 0.01):.1f} tok/s")
    bits.append(f"{summary.get('grounded', 0)} grounded, {summary.get('derived', 0)} derived")
    if draft.fixed:
        bits.append(f"[cyan]{draft.fixed} fixed by repair[/]")
    if draft.marked:
        bits.append(f"[red]{draft.marked} marked 〔待核〕[/]")
    if summary.get("placeholder"):
        bits.append(f"[yellow]{summary['placeholder']} 待补[/]")
    status = "[green]done[/]" if draft.status == "done" else f"[yellow]{draft.status}[/]"
    return f"{status} 第 {draft.index}/{total} 节 · " + " · ".join(bits)


def render_runs(console: Console, rows: list[dict]) -> None:
    if not rows:
        console.print("no runs yet: start one with `drafter draft`")
        return
    table = Table()
    for column in ("run", "type", "started", "sections", "ungrounded", "status", "path"):
        table.add_column(column, overflow="fold")
    for r in rows:
        status = r["status"]
        style = "green" if status == "finished" else "red" if status.startswith(("failed", "unreadable")) else "yellow"
        table.add_row(escape(r["run"]), escape(r["type"]), r["started"], f"{r['accepted']}/{r['total']}",
                      str(r["ungrounded"]), f"[{style}]{escape(status)}[/]", escape(r["path"]))
    console.print(table)


def render_outcome(console: Console, outcome, strict: bool = False) -> None:
    """The end of a `draft --yes` run: the numbers to look at, where things are, and what is left."""
    from drafter.ui.check_view import render_problems

    render_problems(console, outcome.report, str(outcome.output))
    check = outcome.output.with_name(outcome.output.stem + ".check.json")
    console.print(f"draft: {escape(str(outcome.output))}  ·  check: {escape(str(check))}  ·  "
                  f"run: {escape(str(outcome.run.folder))}", highlight=False)
    render_speed(console, outcome.run.calls_path)
    resume = f"`{outcome.resume_command}`"
    if outcome.interrupted:
        console.print(f"[yellow]interrupted[/]: {len(outcome.unfinished)} section(s) not finished; continue with {resume}")
    elif outcome.failure:
        console.print(f"[bold red]error:[/] {escape(outcome.failure)}", soft_wrap=True)
        console.print(f"{len(outcome.unfinished)} section(s) not finished; finished ones are saved; continue with {resume}")
    elif outcome.unfinished:
        names = "、".join(f"{s.heading}（{s.status}）" for s in outcome.unfinished)
        console.print(f"[yellow]not finished[/]: {escape(names)}; redo them with {resume}")


def render_speed(console: Console, calls_path) -> None:
    """One line of how fast the model wrote this run (from its calls.jsonl); nothing when it wrote nothing."""
    from drafter.llm.calls_log import CallsLog, speed_of

    speed = speed_of(CallsLog(calls_path).read()) if calls_path.is_file() else None
    if speed is not None:
        console.print(f"[dim]speed: {escape(speed.line())}[/]", highlight=False)
