"""The run directory: everything a draft run knows, on disk, so that nothing finished is lost.

    <data dir>/runs/<id>/
        run.json        settings, facts path and hash, corpus generation, status
        outline.json    the outline the run drafts
        plan.json       per section: heading path, facts, the retrieved passages (numbers masked)
        sections/NN.md  the section's text, with its status in front matter
        sections/NN.vK.md  every text a section has had (drafted, regenerated, edited), oldest first
        findings.json   per section: the check of its text
        events.jsonl    the writer's keystrokes that changed something (accept, regenerate + instruction …)
        calls.jsonl     one line per LLM call (no keys)

Every file is written whole (temp file + rename) after every change. A run whose format is
newer or older than this code says so instead of guessing.

A run's status is running, interrupted, finished, or "failed: <reason>". A process that is killed
cannot write its last status, so a running run records its process id and host: `drafter runs`
shows a run whose process is gone as failed, not as running forever.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import socket
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, RunError
from drafter.fileio import append_jsonl, read_jsonl, write_atomic
from drafter.records import FAILING_STATUSES, Outline, OutlineSection

FORMAT = 1
STATUSES = ("pending", "done", "incomplete", "failed", "accepted", "skipped")
WRITTEN = ("done", "accepted")  # the section has its text
SETTLED = WRITTEN + ("skipped",)  # nothing left to draft: a skipped section stays a TODO by choice
DECIDED = ("accepted", "skipped")  # the writer has looked at it (the terminal loop moves past these)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


@dataclass(frozen=True)
class SectionState:
    index: int  # 1-based, outline order
    heading: str
    status: str = "pending"
    text: str = ""
    attempt: int = 0
    note: str = ""  # why it failed, what was cut from the prompt, what the repair did
    instruction: str = ""  # the writer's wish this text was regenerated with (更精炼 …)
    guard: dict[str, Any] = field(default_factory=dict)  # what the output and copy guards did (GuardRecord)

    def to_file(self) -> str:
        meta = {"index": self.index, "heading": self.heading, "status": self.status,
                "attempt": self.attempt, "note": self.note}
        if self.instruction:
            meta["instruction"] = self.instruction
        if self.guard:
            meta["guard"] = self.guard
        head = json.dumps(meta, ensure_ascii=False)
        return f"---\n{head}\n---\n{self.text}"

    @classmethod
    def from_file(cls, text: str, where: Path) -> "SectionState":
        m = _FRONT.match(text)
        if not m:
            raise RunError(f"{where}: not a section file (no front matter)")
        try:
            meta = json.loads(m.group(1))
            return cls(text=text[m.end():], **meta)
        except (ValueError, TypeError) as e:
            raise RunError(f"{where}: damaged section header ({e})") from e


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    created: str
    doc_type: str
    title: str
    topic: str
    facts_path: str
    facts_sha256: str
    corpus_generation: str
    output: str
    model: str
    status: str = "running"  # running | interrupted | finished | failed: <reason>
    settings: dict[str, Any] = field(default_factory=dict)
    format: int = FORMAT
    # batch: `--yes` drafts count as finished; interactive: only what the writer accepted does
    mode: str = "batch"
    pid: int = 0  # the process that set "running", and its host: a run whose process is gone
    host: str = ""  # is not running any more, whatever run.json says


class Run:
    def __init__(self, folder: Path, info: RunInfo) -> None:
        self.folder = folder
        self.info = info

    # --- creation and loading ---

    @classmethod
    def create(cls, runs_dir: Path, info_fields: dict[str, Any]) -> "Run":
        run_id = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)
        folder = runs_dir / run_id
        (folder / "sections").mkdir(parents=True)
        info = RunInfo(run_id=run_id, created=time.strftime("%Y-%m-%d %H:%M:%S"), pid=os.getpid(),
                       host=socket.gethostname(), **info_fields)
        run = cls(folder, info)
        run.save_info()
        return run

    @classmethod
    def load(cls, runs_dir: Path, run_id: str | None = None) -> "Run":
        folder = latest_run(runs_dir) if run_id is None else runs_dir / run_id
        if folder is None:
            raise RunError(f"no runs in {runs_dir}: start one with `drafter draft`")
        if not (folder / "run.json").is_file():
            known = ", ".join(p.name for p in list_runs(runs_dir)[-5:]) or "none"
            raise RunError(f"no run {run_id!r} in {runs_dir} (latest: {known})")
        try:
            data = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        except ValueError as e:
            raise RunError(f"{folder / 'run.json'} is damaged: {e}") from e
        if data.get("format") != FORMAT:
            raise RunError(
                f"run {folder.name} was written by a drafter with run format {data.get('format')}; "
                f"this one reads format {FORMAT}: start a new run"
            )
        try:
            return cls(folder, RunInfo(**data))
        except TypeError as e:  # keys missing or unknown: not a run.json this code wrote
            raise RunError(f"{folder / 'run.json'} is damaged or from another drafter version ({e}): start a new run") from e

    # --- files ---

    def _write(self, name: str, text: str) -> None:
        write_atomic(text.encode("utf-8"), self.folder / name, force=True, error=RunError)

    def save_info(self) -> None:
        self._write("run.json", json.dumps(asdict(self.info), ensure_ascii=False, indent=2))

    def set_status(self, status: str) -> None:
        if status == "running":
            self.update(status=status, pid=os.getpid(), host=socket.gethostname())
        else:
            self.update(status=status)

    def update(self, **changes: Any) -> None:
        self.info = replace(self.info, **changes)
        self.save_info()

    def save_outline(self, outline: Outline) -> None:
        self._write("outline.json", json.dumps(asdict(outline), ensure_ascii=False, indent=2))

    def load_outline(self) -> Outline:
        data = json.loads((self.folder / "outline.json").read_text(encoding="utf-8"))
        return Outline(
            doc_type=data["doc_type"], title=data["title"], source=data["source"],
            unassigned=tuple(data["unassigned"]), sections=tuple(_section(s) for s in data["sections"]),
        )

    def save_plan(self, plan: list[dict[str, Any]]) -> None:
        self._write("plan.json", json.dumps(plan, ensure_ascii=False, indent=2))

    def load_plan(self) -> list[dict[str, Any]]:
        return json.loads((self.folder / "plan.json").read_text(encoding="utf-8"))

    def save_section(self, state: SectionState) -> None:
        self._write(f"sections/{state.index:02d}.md", state.to_file())

    def load_section(self, index: int, heading: str) -> SectionState:
        path = self.folder / "sections" / f"{index:02d}.md"
        if not path.is_file():
            return SectionState(index=index, heading=heading)
        return SectionState.from_file(path.read_text(encoding="utf-8"), path)

    def save_version(self, state: SectionState) -> int:
        """Keep this text as the section's next version (NN.v1.md, NN.v2.md …); returns its number."""
        number = max((n for n, _ in self.versions(state.index)), default=0) + 1
        self._write(f"sections/{state.index:02d}.v{number}.md", state.to_file())
        return number

    def versions(self, index: int) -> list[tuple[int, SectionState]]:
        found = []
        for path in (self.folder / "sections").glob(f"{index:02d}.v*.md"):
            number = path.name[len(f"{index:02d}.v"):-3]
            if number.isdigit():
                found.append((int(number), SectionState.from_file(path.read_text(encoding="utf-8"), path)))
        return sorted(found, key=lambda pair: pair[0])

    def log_event(self, action: str, index: int, **detail: Any) -> None:
        """One line per state-changing keystroke; appended with one write, so a crash cuts no line."""
        append_jsonl(self.folder / "events.jsonl",
                     {"time": time.strftime("%Y-%m-%d %H:%M:%S"), "action": action, "section": index, **detail})

    def events(self) -> list[dict[str, Any]]:
        return read_jsonl(self.folder / "events.jsonl")

    def save_findings(self, index: int, findings: dict[str, Any]) -> None:
        # findings.json is rewritten whole; two sections finishing at once must not lose either.
        path = self.folder / "findings.json"
        current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        current[f"{index:02d}"] = findings
        self._write("findings.json", json.dumps(current, ensure_ascii=False, indent=2))

    @property
    def data_dir(self) -> Path:
        """The data dir the run belongs to (runs live in <data dir>/runs/<id>)."""
        return self.folder.parent.parent

    @property
    def calls_path(self) -> Path:
        return self.folder / "calls.jsonl"


def _section(data: dict[str, Any]) -> OutlineSection:
    return OutlineSection(
        heading=data["heading"], level=data["level"], facts=tuple(data["facts"]), note=data["note"],
        children=tuple(_section(c) for c in data["children"]),
    )


def list_runs(runs_dir: Path) -> list[Path]:
    if not runs_dir.is_dir():
        return []
    return sorted(p for p in runs_dir.iterdir() if (p / "run.json").is_file())


def latest_run(runs_dir: Path) -> Path | None:
    runs = list_runs(runs_dir)
    return runs[-1] if runs else None


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def failure_status(error: BaseException | str) -> str:
    """"failed: <reason>" on one line; a DrafterError's message is the reason, anything else is
    named by its type."""
    if isinstance(error, str) or isinstance(error, DrafterError):
        reason = str(error)
    else:
        reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return "failed: " + " ".join(reason.split())


def shown_status(info: RunInfo) -> str:
    """The status to show: a "running" run whose process has ended on this host failed."""
    if info.status != "running" or not info.pid or info.host != socket.gethostname():
        return info.status
    if _alive(info.pid):
        return info.status
    return f"failed: the drafter process ({info.pid}) ended without a final state (killed?)"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process holds that pid now; cannot tell, so trust run.json
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:  # a recycled pid belongs to another program
        return any(name in cmdline.read_bytes() for name in (b"drafter", b"python")) if cmdline.exists() else True
    except OSError:
        return True


def run_rows(runs_dir: Path) -> list[dict[str, Any]]:
    """One row a run for `drafter runs`, newest last; a damaged run is listed as such."""
    rows = []
    for folder in list_runs(runs_dir):
        try:
            run = Run.load(runs_dir, folder.name)
            plan = run.load_plan()
        except (RunError, OSError, ValueError) as e:
            rows.append({"run": folder.name, "type": "?", "started": "?", "accepted": 0, "total": 0,
                         "ungrounded": 0, "status": f"unreadable: {e}", "path": str(folder)})
            continue
        states = [run.load_section(p["index"], p["path"][-1]) for p in plan]
        findings_path = folder / "findings.json"
        findings = json.loads(findings_path.read_text(encoding="utf-8")) if findings_path.is_file() else {}
        ungrounded = sum(
            1 for f in findings.values() for x in f.get("findings", [])
            if x["status"] in FAILING_STATUSES and x["severity"] == "error"
        )
        finished = ("accepted",) if run.info.mode == "interactive" else WRITTEN
        rows.append({
            "run": run.info.run_id, "type": run.info.doc_type, "started": run.info.created,
            "accepted": sum(1 for s in states if s.status in finished), "total": len(states),
            "ungrounded": ungrounded, "status": shown_status(run.info), "path": str(folder),
        })
    return rows
