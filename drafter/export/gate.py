"""What keeps a draft from going out as final, and which findings a person must look at.

A finding *needs a person* when it is an error (a number no fact supports, one bound to the wrong
indicator, …), a placeholder (【待补】, XX, ××, 〔待核：…〕), or a stale figure (an ungrounded number
whose source names last period's figure). The same rule picks the Word comments of
``check --annotate`` and the blockers of ``export``.

``drafter export`` refuses while a draft holds any placeholder and, with ``--check FACTS``, any
number that needs a person; ``--allow-unresolved`` writes it anyway with 「征求意见稿」 in the header.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.records import Facts, Finding

if TYPE_CHECKING:
    from drafter.export.docx_write import ExportReport

UNRESOLVED_LABEL = "征求意见稿"
# 某某 stands for a name in sample and template text as often as for a gap: the check lists it and
# --annotate comments on it, but it does not stop an export.
_NOT_BLOCKING = frozenset({"某某"})


def review_kind(f: Finding) -> str | None:
    """Why a person must look at this finding: placeholder | stale | ungrounded | misattributed | …;
    None when it needs nobody."""
    if f.status == "placeholder":
        return "placeholder"
    if f.last_period:
        return "stale"
    if f.severity == "error":
        return f.status
    return None


@dataclass(frozen=True)
class Blocker:
    """Something in the draft that must be resolved before a formal export."""

    kind: str  # placeholder | stale | ungrounded | misattributed | …
    text: str  # as it stands in the draft
    line: int  # 1-based
    column: int
    detail: str  # the check's source, or what the placeholder is

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "line": self.line, "column": self.column, "detail": self.detail}


@dataclass(frozen=True)
class GateReport:
    blockers: tuple[Blocker, ...]
    checked: bool  # whether the numbers were checked against facts (--check)

    @property
    def clear(self) -> bool:
        return not self.blockers

    def to_json(self) -> dict[str, Any]:
        return {"blockers": [b.to_json() for b in self.blockers], "checked": self.checked}


def draft_blockers(text: str, facts: Facts | None = None, data_dir: Path | None = None) -> GateReport:
    """Every placeholder of a Markdown draft and, given ``facts``, every number the check says needs
    a person, in the order they stand."""
    from drafter.numbers.extract import extract

    newlines = [i for i, c in enumerate(text) if c == "\n"]

    def line_col(pos: int) -> tuple[int, int]:
        line = bisect.bisect_left(newlines, pos) + 1
        return line, pos - (newlines[line - 2] + 1 if line > 1 else 0) + 1

    found: dict[tuple[int, int], Blocker] = {}
    # All placeholders, 〔待核：…〕 after a number included (the check folds those into the number).
    for m in extract(text):
        if m.kind == "placeholder" and m.text not in _NOT_BLOCKING:
            found[(m.start, m.end)] = Blocker("placeholder", m.text, *line_col(m.start), "placeholder: to be filled")
    if facts is not None:
        from drafter.numbers.check import check_against_corpus, check_text

        report = check_against_corpus(text, facts, data_dir) if data_dir is not None else check_text(text, facts)
        for f in report.findings:
            kind = review_kind(f)
            key = (f.mention.start, f.mention.end)
            if kind is not None and key not in found and f.mention.text not in _NOT_BLOCKING:
                found[key] = Blocker(kind, f.mention.text, f.line, f.column, f.source or "no supplied fact")
    return GateReport(tuple(found[k] for k in sorted(found)), facts is not None)


@dataclass(frozen=True)
class ExportOutcome:
    """``drafter export``: what blocks the draft, and the export (None when it was refused)."""

    gate: GateReport
    export: "ExportReport | None"

    def to_json(self) -> dict[str, Any]:
        return {**(self.export.to_json() if self.export is not None else {"out_path": None}),
                "exported": self.export is not None, **self.gate.to_json()}


def export_reviewed(draft_path: Path, out_path: Path, *, facts_path: Path | None = None, data_dir: Path | None = None,
                    allow_unresolved: bool = False, title: str | None = None, issuer: str | None = None,
                    date: str | None = None, recipient: str | None = None, force: bool = False) -> ExportOutcome:
    """Export a draft unless something in it is unresolved: placeholders always, and with
    ``facts_path`` every number the check says needs a person. ``allow_unresolved`` exports anyway,
    labelled 「征求意见稿」. A refused export writes nothing."""
    from drafter.export.docx_write import export_draft_file
    from drafter.fileio import read_user_text

    facts = None
    if facts_path is not None:
        from drafter.facts.load import load_facts

        facts = load_facts(facts_path)
    gate = draft_blockers(read_user_text(draft_path, "draft", allow_empty=False), facts, data_dir)
    if not gate.clear and not allow_unresolved:
        return ExportOutcome(gate, None)
    report = export_draft_file(draft_path, out_path, title=title, issuer=issuer, date=date, recipient=recipient,
                               force=force, label=None if gate.clear else UNRESOLVED_LABEL)
    return ExportOutcome(gate, report)
