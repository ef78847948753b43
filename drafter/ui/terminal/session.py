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

import signal
import sys
import threading
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from rich.markup import escape
from rich.text import Text

from drafter.drafting.run import (
    Watched,
    assemble_run,
    load_context,
    prepare_outline,
    record_draft,
    section_job,
    start_run,
)
from drafter.drafting.rundir import DECIDED, Run, SectionState, failure_status, file_sha256
from drafter.drafting.section import SectionInterrupted, limits_for, write_section
from drafter.errors import DrafterError, ExitStatus, LLMError
from drafter.facts.load import load_facts
from drafter.llm.calls_log import CallsLog
from drafter.llm.client import open_llm
from drafter.numbers.check import check_text
from drafter.ui.check_view import finding_line, render_check_report, summary_line
from drafter.ui.draft_view import draft_stats, guard_lines
from drafter.ui.terminal.keys import edit_in_editor
from drafter.ui.terminal.outline_review import review_outline
from drafter.ui.terminal.screen import HELP, PROMPT, UI, StreamView, passage_lines, section_body

USE_FACTS_WORDS = ("用上数据", "用上", "多用数据")  # a regenerate instruction that asks for the unused facts


class NotATerminal(DrafterError):
    meaning = "interactive drafting needs a terminal"


class Quit(Exception):
    """The writer pressed q: everything is saved, leave with exit 0."""


@dataclass(frozen=True)
class SessionEnd:
    exit_code: ExitStatus  # OK finished or quit · FAILED ungrounded numbers remain · INTERRUPTED Ctrl-C
    run_id: str = ""
    output: Path | None = None  # the assembled draft, when the session finished


def require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise NotATerminal(
            "interactive drafting needs a terminal, and stdin/stderr are not one: "
            "add --yes to draft every section without asking"
        )


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
        self.budget = limits_for(self.settings.llm, llm.local)
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
                instruction = self.ui.keys.line("instruction for the model (e.g. 更精炼 · 用上数据 · 突出成效; "
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
        for line in guard_lines(state.guard):  # 已去除… · 本节未用数据… · 雷同 …
            console.print(Text(line, style="dim"))
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
        self.states[state.index] = state
        self.run.save_section(state)
        if version:
            self.run.save_version(state)
        text = "" if state.status == "skipped" else state.text  # a skipped section is not in the draft
        self.run.save_findings(state.index, check_text(text, self.ctx.facts).to_json())
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
        before = self.states[plan.index]
        self.run.log_event("regenerate" if before.text else "draft", plan.index, instruction=instruction)
        job = section_job(self.run, self.ctx, self.states, plan, instruction)
        unused = tuple(before.guard.get("unused_facts", ()))
        if unused and any(word in instruction for word in USE_FACTS_WORDS):
            job = replace(job, use_facts=unused)  # 「用上数据」: the facts the last text left out
        cancel, stopped_hard = threading.Event(), False
        try:
            with StreamView(self.ui.console) as view, _ctrl_c_cancels(cancel, view):
                try:
                    rounds = self.settings.llm.repair_rounds_for(local=self.budget is not None)
                    draft = write_section(job, self.model, Watched(self.repair, view, "repairing"), rounds,
                                          self.budget, on_delta=view.delta, cancel=cancel)
                except SectionInterrupted as e:  # a second Ctrl-C: keep the text, then leave
                    draft, stopped_hard = e.draft, True
        except LLMError as e:
            self.failed(plan, e)
            return
        if draft.text.strip():
            self.states[plan.index] = record_draft(self.run, draft, before.attempt + 1, instruction)
        elif draft.status == "failed" and not before.text:  # the guard kept every answer out: 〔本节需重写〕
            self.states[plan.index] = record_draft(self.run, draft, before.attempt + 1, instruction)
            self.ui.warn(draft.note)
        else:
            self.ui.warn(f"no section text arrived ({draft.note or 'empty answer'}): the section is as it was")
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
        edited = edit_in_editor(self.ui.warn, state.text, path)
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
                self.run.save_findings(p.index, report.to_json())
                if state.status == "accepted":
                    self.ui.say(f"  [green]第 {p.index} 节 {escape(p.heading)}[/]: still grounded")
        self.run.update(facts_sha256=file_sha256(path))

    # --- the end ---

    def finish(self, strict: bool = False) -> SessionEnd:
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
        return SessionEnd(ExitStatus.FAILED if failed else ExitStatus.OK, self.run.info.run_id, outcome.output)


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


# --- entry points (cli.py) ----------------------------------------------------------------------


def draft_new(settings, request, strict: bool = False) -> SessionEnd:
    """A new run: review the outline, then draft section by section."""
    facts = load_facts(request.facts_path)  # read once for the outline, the run and the session
    require_terminal()
    ui = UI()
    outline = review_outline(ui, prepare_outline(settings, request, ui, facts), request, facts)
    if outline is None:
        ui.say("quit before drafting: no run was started")
        return SessionEnd(ExitStatus.OK)
    run = start_run(settings, request, ui, facts, outline=outline, mode="interactive")
    return _drive(ui, settings, run, strict, facts)


def draft_resume(settings, run_id: str, strict: bool = False) -> SessionEnd:
    """Continue a run ("latest": the newest) at its first section the writer has not accepted or skipped."""
    run = Run.load(settings.data_dir / "runs", None if run_id == "latest" else run_id)
    require_terminal()
    ui = UI()
    run.update(mode="interactive")
    return _drive(ui, settings, run, strict)


def _drive(ui: UI, settings, run, strict: bool, facts=None) -> SessionEnd:
    ui.note(f"run {run.info.run_id} in {run.folder}")
    resume = f"drafter draft --resume {run.info.run_id}"
    try:
        session = Session(ui, settings, run, load_context(run, ui, facts))
    except Exception as e:
        run.set_status(failure_status(e))
        raise
    try:
        if session.ctx.facts_changed:
            session.recheck()
        first = session.next_open(0)
        if first is not None:
            decided = sum(s.status in DECIDED for s in session.states.values())
            if decided:
                ui.say(f"{decided}/{len(session.plans)} sections decided; continuing at 第 {first} 节")
            run.set_status("running")
            with ExitStack() as stack:
                with ui.waiting("starting the bundled local model") if not settings.llm.base_url else nullcontext():
                    llm = stack.enter_context(open_llm(settings, calls_log=CallsLog(run.calls_path)))
                session.drive(llm)
    except Quit:
        run.set_status("interrupted")
        accepted = sum(s.status == "accepted" for s in session.states.values())
        ui.say(f"saved ({accepted}/{len(session.plans)} sections accepted); continue with `{resume}`")
        return SessionEnd(ExitStatus.OK, run.info.run_id)
    except (KeyboardInterrupt, EOFError):
        run.set_status("interrupted")
        ui.say(f"\n[yellow]interrupted[/]: everything is saved; continue with `{resume}`")
        return SessionEnd(ExitStatus.INTERRUPTED, run.info.run_id)
    except Exception as e:
        run.set_status(failure_status(e))
        raise
    try:
        return session.finish(strict)
    except Exception as e:  # the draft file could not be written …: the run still ends in a state
        run.set_status(failure_status(e))
        raise
