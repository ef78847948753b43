"""The interactive drafting loop: `drafter draft` without --yes, resumable to the keystroke.

    1. the outline as a tree, with the facts of each section: a accept · e edit in $EDITOR · q quit
    2. per section: header, reference passages, the text streamed live, its check
    3. one key: a accept · r regenerate (with an instruction) · e edit · s skip · p previous ·
       v versions · q quit · ? help · 1-9 show a reference passage in full
    4. the draft written to -o, its full check, the run's path

Every key that changes something is written to the run directory before the next prompt
(`runs.py` writes whole files, atomically), so a crash loses at most the section streaming.
Ctrl-C while a section streams stops it and keeps the partial text (incomplete); Ctrl-C at a
prompt leaves with exit 130 and the command that resumes.

Only this module and cli.py print or read keys. No full-screen UI: rich output, and single keys
read in cbreak mode (no echo, no Enter; Ctrl-C still raises KeyboardInterrupt).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from rich.cells import cell_len
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.text import Text

from drafter.errors import DrafterError, LLMError, OutlineError
from drafter.records import CheckReport, Outline
from drafter.runs import DECIDED, SectionState

PROMPT = ("[bold]a[/] accept  [bold]r[/] regenerate  [bold]e[/] edit  [bold]s[/] skip  [bold]p[/] prev  "
          "[bold]v[/] versions  [bold]q[/] quit  [bold]?[/] help › ")  # 76 cells: one line at 80
HELP = (
    ("a", "accept this section and go on to the next open one"),
    ("r", "regenerate it; you may give an instruction (更精炼 · 多用数据 · 突出成效)"),
    ("e", "edit it in $EDITOR; the numbers are checked again afterwards"),
    ("s", "skip it: the draft keeps its heading with a TODO"),
    ("p", "go back to the previous section"),
    ("v", "earlier versions of this section (every draft and edit is kept)"),
    ("1-9", "show reference passage N in full"),
    ("q", "quit; everything is saved: `drafter draft --resume` continues here"),
    ("Ctrl-C", "while streaming: stop the section and keep its text; at a prompt: quit (exit 130)"),
)
NUMBER_STYLES = {"grounded": "bold green", "derived": "bold cyan", "formula": "dim",
                 "placeholder": "bold yellow", "ungrounded": "bold reverse red"}


class NotATerminal(DrafterError):
    meaning = "interactive drafting needs a terminal"


class Quit(Exception):
    """The writer pressed q: everything is saved, leave with exit 0."""


@dataclass(frozen=True)
class SessionEnd:
    exit_code: int  # 0 finished or quit · 1 the draft holds ungrounded numbers · 130 Ctrl-C
    run_id: str = ""
    output: Path | None = None  # the assembled draft, when the session finished


def require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise NotATerminal(
            "interactive drafting needs a terminal, and stdin/stderr are not one: "
            "add --yes to draft every section without asking"
        )


# --- keys ------------------------------------------------------------------------------------


class Keys:
    """Single keys and short lines from the terminal. Bytes are read one at a time, so keys typed
    ahead stay queued for the next prompt instead of being swallowed."""

    def __init__(self, console: Console, fd: int | None = None) -> None:
        self.console = console
        self.fd = sys.stdin.fileno() if fd is None else fd

    @contextmanager
    def _cbreak(self) -> Iterator[None]:
        import termios
        import tty

        old = termios.tcgetattr(self.fd)
        tty.setcbreak(self.fd, termios.TCSANOW)  # TCSANOW: keep what was typed ahead
        try:
            yield
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, old)

    def key(self, prompt: str) -> str:
        with self._cbreak():
            self.console.print(prompt, end="")
            ch = self._char()
        self.console.print(escape(ch) if ch.isprintable() else "")
        return ch

    def line(self, prompt: str) -> str | None:
        """A short line: Enter ends it, Esc cancels (None), Backspace and Ctrl-U edit."""
        chars: list[str] = []
        with self._cbreak():
            self.console.print(prompt, end="")
            while True:
                ch = self._char()
                if ch in ("\r", "\n"):
                    break
                if ch == "\x1b":
                    self.console.print()
                    return None
                if ch in ("\x7f", "\b") and chars:
                    self._erase(chars.pop())
                elif ch == "\x15":
                    while chars:
                        self._erase(chars.pop())
                elif ch.isprintable():
                    chars.append(ch)
                    self._raw(ch)
        self.console.print()
        return "".join(chars).strip()

    def _erase(self, ch: str) -> None:
        width = cell_len(ch)  # a Chinese character takes two cells
        self._raw("\b" * width + " " * width + "\b" * width)

    def _raw(self, text: str) -> None:
        self.console.file.write(text)
        self.console.file.flush()

    def _char(self) -> str:
        first = os.read(self.fd, 1)
        if not first:
            raise EOFError("the terminal closed")
        if first == b"\x1b":
            self._drain_escape()
            return "\x1b"
        lead = first[0]
        more = 1 if lead >> 5 == 0b110 else 2 if lead >> 4 == 0b1110 else 3 if lead >> 3 == 0b11110 else 0
        data = first + b"".join(os.read(self.fd, 1) for _ in range(more))
        return data.decode("utf-8", errors="replace")

    def _drain_escape(self) -> None:
        """The rest of an escape sequence (an arrow key): it is not a key of ours."""
        import select

        while select.select([self.fd], [], [], 0.02)[0]:
            if not os.read(self.fd, 1):
                return


# --- the editor --------------------------------------------------------------------------------


def editor_command(env: dict[str, str] | None = None) -> list[str] | None:
    """$EDITOR (then $VISUAL) as a command line; else vi or nano when installed; else None."""
    env = os.environ if env is None else env
    for name in ("EDITOR", "VISUAL"):
        if env.get(name, "").strip():
            return shlex.split(env[name])
    for fallback in ("vi", "nano"):
        found = shutil.which(fallback, path=env.get("PATH"))
        if found:
            return [found]
    return None


def edit_in_editor(ui: "UI", text: str, path: Path) -> str | None:
    """Let the writer edit ``text`` in a file at ``path``; the new text, or None (and why) when the
    editor could not run or failed: then the caller keeps the previous text."""
    command = editor_command()
    if command is None:
        ui.warn("no editor: $EDITOR is not set and neither vi nor nano is installed. "
                "Set one, e.g. `export EDITOR=nano`, and press e again. The text is unchanged.")
        return None
    path.write_text(text, encoding="utf-8")
    try:
        code = subprocess.call([*command, str(path)])
    except OSError as e:
        ui.warn(f"cannot start the editor {command[0]!r} ({e.strerror}): set EDITOR to one that is installed. "
                "The text is unchanged.")
        return None
    if code != 0:
        ui.warn(f"the editor exited with code {code}: the previous text is kept (what you typed is in {path})")
        return None
    from drafter.sources import read_user_text

    edited = read_user_text(path)  # an editor may save in the system's encoding (GBK)
    path.unlink(missing_ok=True)
    return edited


# --- what the screen shows -------------------------------------------------------------------


class StreamView:
    """The section as it streams: its last lines and the speed, redrawn in place and cleared at the
    end (the checked text is printed after), so it fits any terminal height."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.text = ""
        self.tokens = 0
        self.first: float | None = None
        self.stopping = False
        self._live = Live(self, console=console, transient=True, refresh_per_second=8,
                          redirect_stdout=False, redirect_stderr=False)

    def __enter__(self) -> "StreamView":
        self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.stop()

    def delta(self, text: str) -> None:
        if self.first is None:
            self.first = time.monotonic()
        self.text += text
        self.tokens += 1  # a streamed delta is about one token

    def status(self) -> Text:
        if self.first is None:
            return Text("waiting for the model… (Ctrl-C stops)", style="dim")
        seconds = max(time.monotonic() - self.first, 0.01)
        line = f"{self.tokens} tokens · {self.tokens / seconds:.1f} tokens/s · {len(self.text)} 字"
        line += " · stopping…" if self.stopping else " · Ctrl-C stops"
        return Text(line, style="dim")

    def __rich_console__(self, console: Console, options):
        room = max(2, console.size.height - 4)
        yield from Text(self.text).wrap(console, options.max_width)[-room:]
        yield self.status()


def section_body(text: str, report: CheckReport) -> Text:
    """The section's text with each number in the colour of its check status."""
    body = Text(text)
    for f in report.findings:
        body.stylize(NUMBER_STYLES.get(f.status, ""), f.mention.start, f.mention.end)
    return body


def passage_lines(passages: tuple[dict, ...], width: int) -> list[Text]:
    """One line a passage: its heading path from the most specific heading up, then the report,
    so that what tells passages apart survives the cut at the terminal's width."""
    lines = []
    for i, p in enumerate(passages, start=1):
        title, *path = p["source"].split(" › ")
        line = Text(f"  [{i}] ", style="dim")
        line.append(" ‹ ".join(reversed(path)) or "开头", style="magenta")
        line.append(f" · {title}", style="dim")
        line.truncate(width - 1, overflow="ellipsis")
        lines.append(line)
    return lines


# --- the session ---------------------------------------------------------------------------------


class UI:
    """The console and the keyboard; also the `DraftReporter` notes go here."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True, highlight=False)
        self.keys = Keys(self.console)

    def note(self, message: str) -> None:
        self.console.print(f"[dim]{escape(message)}[/]")

    def say(self, message: str) -> None:
        self.console.print(message)

    def warn(self, message: str) -> None:
        self.console.print(f"[yellow]{escape(message)}[/]")

    def error(self, message: str) -> None:
        self.console.print(f"[bold red]error:[/] {escape(message)}")


class Session:
    """The section loop over one run. The run directory is the state: ``states`` mirrors it."""

    def __init__(self, ui: UI, settings, run, ctx) -> None:
        self.ui, self.settings, self.run, self.ctx = ui, settings, run, ctx
        self.plans = list(ctx.plans)
        self.states = {p.index: run.load_section(p.index, p.heading) for p in self.plans}
        self.model = self.repair = None
        self.budget: int | None = None

    # --- navigation ---

    def next_open(self, after: int) -> int | None:
        """The first section after ``after`` the writer has not decided on; else the first anywhere."""
        open_ = [p.index for p in self.plans if self.states[p.index].status not in DECIDED]
        later = [i for i in open_ if i > after]
        return (later or open_ or [None])[0]

    def drive(self, llm) -> None:
        self.model, self.repair = llm.model("draft"), llm.model("repair")
        self.budget = self.settings.llm.context_size if llm.local else None
        index = self.next_open(0)
        while index is not None:
            index = self.visit(self.plans[index - 1])

    def visit(self, plan) -> int | None:
        """Show one section (drafting it first when it has no text) and act on keys until the writer
        moves on; returns the next section's index, None when every section is decided."""
        self.header(plan)
        state = self.states[plan.index]
        if state.status in ("pending", "failed") and not state.text:
            self.generate(plan, "")
        else:
            self.show(plan)
        while True:
            key = self.ui.keys.key(PROMPT)
            if key == "a":
                if self.accept(plan):
                    return self.next_open(plan.index)
            elif key == "r":
                instruction = self.ui.keys.line("instruction for the model (e.g. 更精炼 · 多用数据 · 突出成效; "
                                                "Enter: none, Esc: back): ")
                if instruction is not None:
                    self.header(plan, instruction)
                    self.generate(plan, instruction)
            elif key == "e":
                self.edit(plan)
            elif key == "s":
                self.skip(plan)
                return self.next_open(plan.index)
            elif key == "p":
                if plan.index > 1:
                    return plan.index - 1
                self.ui.say("this is the first section")
            elif key == "v":
                self.versions(plan)
            elif key.isdigit() and key != "0":
                self.passage(plan, int(key))
            elif key == "q":
                raise Quit
            elif key == "?":
                self.help()
            else:
                self.ui.say(f"no key {escape(repr(key))}: ? shows the keys")

    # --- showing ---

    def header(self, plan, instruction: str = "") -> None:
        total, model = len(self.plans), getattr(self.model, "name", "")
        self.ui.console.rule(style="dim")
        line = f"[bold]第 {plan.index}/{total} 节[/] · {escape(plan.heading)} · [dim]{escape(model)}[/]"
        if instruction:
            line += f" · [cyan]{escape(instruction)}[/]"
        self.ui.say(line)
        if len(plan.path) > 1:
            self.ui.note(" › ".join(plan.path[:-1]))
        if plan.fact_names:
            self.ui.say("[green]facts:[/] " + escape("、".join(plan.fact_names)))
        if plan.passages and not instruction:
            self.ui.note(f"reference passages (numbers masked; 1-{min(9, len(plan.passages))} shows one):")
            for line in passage_lines(plan.passages, self.ui.console.width):
                self.ui.console.print(line)

    def show(self, plan, draft=None) -> None:
        """The section's current text, numbers coloured by their check, and the one-line summary."""
        from drafter.check import check_text
        from drafter.check_view import finding_line, summary_line
        from drafter.views import draft_stats

        state = self.states[plan.index]
        report = check_text(state.text, self.ctx.facts)
        console = self.ui.console
        if state.text:
            console.print(section_body(state.text, report))
        else:
            self.ui.note("（no text）")
        for f in report.findings:
            if f.status != "formula":
                console.print(finding_line(f))
        console.print(summary_line(report))
        if draft is not None:
            console.print(draft_stats(draft, len(self.plans)))
        label = {"accepted": "[green]accepted[/]", "skipped": "[yellow]skipped[/]",
                 "incomplete": "[yellow]incomplete[/]: the text stops where the stream stopped",
                 "failed": "[red]failed[/]"}.get(state.status, "")
        notes = [label, f"[dim]{escape(state.note)}[/]" if state.note else ""]
        if any(notes):
            console.print(" · ".join(n for n in notes if n))

    def passage(self, plan, number: int) -> None:
        if number > len(plan.passages):
            self.ui.say(f"this section has {len(plan.passages)} reference passage(s)")
            return
        p = plan.passages[number - 1]
        self.ui.say(f"[magenta]{escape(p['source'])}[/]")
        self.ui.console.print(Text(p["text"]))

    def help(self) -> None:
        for key, meaning in HELP:
            self.ui.say(f"  [bold]{escape(key):<7}[/] {escape(meaning)}")

    # --- changing (each writes the run dir before the next prompt) ---

    def set_state(self, state: SectionState, action: str, version: bool = False, **detail) -> None:
        from drafter.check import check_text
        from drafter.check_view import report_json

        self.states[state.index] = state
        self.run.save_section(state)
        if version:
            self.run.save_version(state)
        text = "" if state.status == "skipped" else state.text  # a skipped section is not in the draft
        self.run.save_findings(state.index, report_json(check_text(text, self.ctx.facts)))
        self.run.log_event(action, state.index, **detail)

    def accept(self, plan) -> bool:
        state = self.states[plan.index]
        if not state.text.strip():
            self.ui.say("nothing to accept yet: r drafts this section, e writes it yourself, s skips it")
            return False
        if state.status == "incomplete":
            again = self.ui.keys.key("this text stops mid-way: [bold]a[/] again accepts it as it is, any other key goes back ")
            if again != "a":
                return False
        self.set_state(replace(state, status="accepted"), "accept")
        return True

    def skip(self, plan) -> None:
        self.set_state(replace(self.states[plan.index], status="skipped"), "skip")

    def generate(self, plan, instruction: str) -> None:
        from drafter.draft import SectionInterrupted, write_section
        from drafter.drafting import record_draft, section_job

        before = self.states[plan.index]
        self.run.log_event("regenerate" if before.text else "draft", plan.index, instruction=instruction)
        job = section_job(self.run, self.ctx, self.states, plan, instruction)
        cancel, stopped_hard = threading.Event(), False
        try:
            with StreamView(self.ui.console) as view, _ctrl_c_cancels(cancel, view):
                try:
                    draft = write_section(job, self.model, self.repair, self.settings.llm.repair_rounds,
                                          self.budget, on_delta=view.delta, cancel=cancel)
                except SectionInterrupted as e:  # a second Ctrl-C: keep the text, then leave
                    draft, stopped_hard = e.draft, True
        except LLMError as e:
            self.failed(plan, e)
            return
        if draft.text.strip():
            self.states[plan.index] = record_draft(self.run, draft, before.attempt + 1, instruction)
        else:
            self.ui.warn("no text arrived: the section is as it was")
        self.show(plan, draft)
        if stopped_hard:
            raise KeyboardInterrupt

    def failed(self, plan, error: LLMError) -> None:
        state = self.states[plan.index]
        if not state.text:  # a section with text keeps it; an empty one says why it has none
            self.set_state(replace(state, status="failed", note=str(error), attempt=state.attempt + 1),
                           "failed", error=str(error))
        self.ui.error(str(error))
        self.ui.say("r tries again · q quits (everything is saved)")

    def edit(self, plan) -> None:
        state = self.states[plan.index]
        path = self.run.folder / "sections" / f"{plan.index:02d}.edit.md"
        edited = edit_in_editor(self.ui, state.text, path)
        if edited is None:
            return
        edited = edited.strip()
        if edited == state.text.strip():
            self.ui.say("no change")
            return
        if not edited:
            self.ui.warn("the edited text is empty: the section is unchanged (s skips it)")
            return
        self.set_state(SectionState(plan.index, plan.heading, "done", edited, state.attempt, "edited by the writer"),
                       "edit", version=True)
        self.ui.say("[bold]edited[/] · checked again:")
        self.show(plan)

    def versions(self, plan) -> None:
        versions = dict(self.run.versions(plan.index))
        if not versions:
            self.ui.say("no versions of this section yet")
            return
        width = self.ui.console.width
        for number, v in versions.items():
            why = v.instruction or v.note or ""
            line = Text(f"  v{number:<3} {v.status:<10} {len(v.text):>4} 字  ")
            line.append(why + " · " if why else "", style="cyan")
            line.append(v.text.replace("\n", " "), style="dim")
            line.truncate(width - 1, overflow="ellipsis")
            self.ui.console.print(line)
        if len(versions) <= 9:
            choice = self.ui.keys.key("number: show that version · any other key: back ")
        else:
            choice = self.ui.keys.line("version number (Enter: back): ") or ""
        if not choice.isdigit() or int(choice) not in versions:
            return
        self.show_version(plan, int(choice), versions[int(choice)])

    def show_version(self, plan, number: int, version: SectionState) -> None:
        from drafter.check import check_text

        self.ui.say(f"[bold]v{number}[/]")
        self.ui.console.print(section_body(version.text, check_text(version.text, self.ctx.facts)))
        if self.ui.keys.key("[bold]u[/] use this version · any other key: back ") == "u":
            state = self.states[plan.index]
            restored = SectionState(plan.index, plan.heading, "incomplete" if version.status == "incomplete" else "done",
                                    version.text, state.attempt, f"v{number} restored", version.instruction)
            self.set_state(restored, "restore", restored=number)
            self.show(plan)

    # --- the facts file changed since the last session ---

    def recheck(self) -> None:
        from drafter.check import check_text
        from drafter.runs import file_sha256

        from drafter.check_view import report_json

        path = Path(self.run.info.facts_path)
        for p in self.plans:
            state = self.states[p.index]
            if not state.text or state.status == "skipped":
                continue
            report = check_text(state.text, self.ctx.facts)
            wrong = sorted({f.mention.text for f in report.ungrounded_errors})
            if state.status == "accepted" and wrong:
                self.set_state(replace(state, status="done", note=f"facts changed: {'、'.join(wrong)} no longer grounded"),
                               "reopen", numbers=wrong)
                self.ui.say(f"  [red]第 {p.index} 节 {escape(p.heading)}[/]: {escape('、'.join(wrong))} "
                            "not in the facts any more: to review again")
            else:
                self.run.save_findings(p.index, report_json(report))
                if state.status == "accepted":
                    self.ui.say(f"  [green]第 {p.index} 节 {escape(p.heading)}[/]: still grounded")
        self.run.update(facts_sha256=file_sha256(path))

    # --- the end ---

    def finish(self, strict: bool = False) -> SessionEnd:
        from drafter.check_view import render_check_report
        from drafter.drafting import assemble_run

        outcome = assemble_run(self.run, self.ctx.outline, self.ctx.facts, self.plans)
        self.run.set_status("finished")
        console = self.ui.console
        console.rule("the draft", style="dim")
        render_check_report(console, outcome.report, outcome.output.name, show_formulas=False)
        check_path = outcome.output.with_name(outcome.output.stem + ".check.json")
        skipped = [s.heading for s in outcome.sections if s.status == "skipped"]
        if skipped:
            self.ui.warn(f"skipped, left as TODO: {'、'.join(skipped)}")
        self.ui.say(f"draft: {escape(str(outcome.output))}  ·  check: {escape(str(check_path))}  ·  "
                    f"run: {escape(str(self.run.folder))}")
        failed = outcome.report.has_errors or (strict and outcome.report.has_placeholders)
        return SessionEnd(1 if failed else 0, self.run.info.run_id, outcome.output)


@contextmanager
def _ctrl_c_cancels(cancel: threading.Event, view: StreamView) -> Iterator[None]:
    """While a section streams, the first Ctrl-C asks it to stop at the next token (its text is
    kept); a second one interrupts at once."""

    def handler(signum, frame) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        view.stopping = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# --- the outline -----------------------------------------------------------------------------------


def review_outline(ui: UI, outline: Outline, request) -> Outline | None:
    """The outline tree until the writer accepts it (the outline) or quits (None)."""
    from drafter.facts import load_facts
    from drafter.views import render_outline

    facts = load_facts(request.facts_path)
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
    from drafter.drafting import check_outline_facts
    from drafter.outline_md import parse_outline, to_markdown

    fd, name = tempfile.mkstemp(prefix="drafter-outline-", suffix=".md")
    os.close(fd)
    path, text = Path(name), to_markdown(outline)
    try:
        while True:
            edited = edit_in_editor(ui, text, path)
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
    from drafter.atomic import write_text_atomic
    from drafter.outline_md import to_markdown

    path = request.output.with_name(request.output.stem + ".outline.md")
    try:
        write_text_atomic(path, to_markdown(outline))
    except DrafterError as e:
        ui.warn(f"the edited outline was not saved: {e}")
        return
    ui.say(f"the edited outline is in {escape(str(path))}: start again with --outline {escape(str(path))}")


# --- entry points (cli.py) ----------------------------------------------------------------------


def draft_new(settings, request, strict: bool = False) -> SessionEnd:
    """A new run: review the outline, then draft section by section."""
    from drafter.drafting import prepare_outline, start_run

    require_terminal()
    ui = UI()
    outline = review_outline(ui, prepare_outline(settings, request, ui), request)
    if outline is None:
        ui.say("quit before drafting: no run was started")
        return SessionEnd(0)
    run = start_run(settings, request, ui, outline=outline, mode="interactive")
    return _drive(ui, settings, run, strict)


def draft_resume(settings, run, strict: bool = False) -> SessionEnd:
    """Continue a run at its first section the writer has not accepted or skipped."""
    require_terminal()
    ui = UI()
    run.update(mode="interactive")
    return _drive(ui, settings, run, strict)


def _drive(ui: UI, settings, run, strict: bool) -> SessionEnd:
    from drafter.calls_log import CallsLog
    from drafter.drafting import load_context
    from drafter.llm import open_llm

    ui.note(f"run {run.info.run_id} in {run.folder}")
    session = Session(ui, settings, run, load_context(run, ui))
    resume = f"drafter draft --resume {run.info.run_id}"
    try:
        if session.ctx.facts_changed:
            session.recheck()
        first = session.next_open(0)
        if first is not None:
            decided = sum(s.status in DECIDED for s in session.states.values())
            if decided:
                ui.say(f"{decided}/{len(session.plans)} sections decided; continuing at 第 {first} 节")
            run.set_status("running")
            if not settings.llm.base_url:
                ui.note("starting the bundled local model (about 10 s)…")
            with open_llm(settings, calls_log=CallsLog(run.calls_path)) as llm:
                session.drive(llm)
    except Quit:
        run.set_status("interrupted")
        accepted = sum(s.status == "accepted" for s in session.states.values())
        ui.say(f"saved ({accepted}/{len(session.plans)} sections accepted); continue with `{resume}`")
        return SessionEnd(0, run.info.run_id)
    except (KeyboardInterrupt, EOFError):
        run.set_status("interrupted")
        ui.say(f"\n[yellow]interrupted[/]: everything is saved; continue with `{resume}`")
        return SessionEnd(130, run.info.run_id)
    return session.finish(strict)
