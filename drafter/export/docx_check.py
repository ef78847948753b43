"""`drafter check report.docx`: the numbers of a Word file checked against the facts, each finding
located (``report.docx:段12``, ``report.docx:表1 行3 列2``) and, on request, written into a copy
of the file as Word comments.

The whole document is checked in one call of the checker, one paragraph a line, so a paragraph
is checked exactly as the same line of the Markdown it was exported from. A table cell is checked
with its row and column headers in front of it (``工业 2023年 320.8``): the checker binds a number
to an indicator from its sentence, and a cell's sentence is its headers. Findings about those
headers themselves are dropped there (a header cell is checked once, as itself).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from drafter.export.docx_read import Segment, read_segments, tracked_changes
from drafter.export.located import AnnotateResult, LocatedFinding, Location
from drafter.export.word_sniff import open_word
from drafter.records import CheckReport, Facts


@dataclass(frozen=True)
class WordCheckReport:
    path: Path
    report: CheckReport  # the located findings' Finding records, in document order
    located: tuple[LocatedFinding, ...]
    paragraphs: int  # segments read
    tracked_changes: dict[str, int]  # revision marks by kind; the text was checked with all accepted
    annotated: AnnotateResult | None = None
    text: str = ""  # the document's text as read, a segment a line (for the copy report)

    def to_json(self) -> dict[str, Any]:
        data = self.report.to_json()
        data["findings"] = [lf.to_json(self.path.name) for lf in self.located]
        data["file"] = str(self.path)
        data["paragraphs"] = self.paragraphs
        data["tracked_changes"] = self.tracked_changes
        data["accepted_view"] = bool(self.tracked_changes)  # checked as it reads with the changes accepted
        if self.annotated is not None:
            data["annotated"] = self.annotated.to_json()
        return data


def check_lines(segments: list[Segment]) -> tuple[str, list[int], list[int]]:
    """The text the checker reads (one segment a line, a table cell after its headers), where each
    line starts, and how long each line's context prefix is."""
    lines, starts, prefixes = [], [], []
    pos = 0
    for seg in segments:
        prefix = f"{seg.context} " if seg.context else ""
        # a line break inside a paragraph (w:br) must not end the line that maps back to it
        line = prefix + seg.text.replace("\n", "\u2028")
        starts.append(pos)
        prefixes.append(len(prefix))
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines), starts, prefixes


def locate(report: CheckReport, segments: list[Segment], starts: list[int], prefixes: list[int]) -> tuple[LocatedFinding, ...]:
    """Map each finding of the joined text back to its segment; drop those in a context prefix."""
    located = []
    for f in report.findings:
        i = bisect.bisect_right(starts, f.mention.start) - 1
        offset = f.mention.start - starts[i] - prefixes[i]
        if offset < 0:
            continue  # a number of the row or column header, checked in its own cell
        seg = segments[i]
        end = offset + len(f.mention.text)
        where = Location(seg.locator, seg.story, seg.paragraph, offset, end, seg.table, seg.row, seg.column)
        located.append(LocatedFinding(replace(f, line=i + 1, column=offset + 1,
                                              sentence=f.sentence.replace("\u2028", "\n")), where, i))
    return tuple(located)


def check_word_file(path: Path, facts: Facts, data_dir: Path | None = None, *,
                    annotate_to: Path | None = None, force: bool = False) -> WordCheckReport:
    """`drafter check report.docx`: read, check, locate; with ``annotate_to``, also write a copy of
    the file with one Word comment per finding that needs a person. The input is never written."""
    from drafter.numbers.check import check_against_corpus, check_text

    if annotate_to is not None:
        from drafter.export.annotate import check_annotate_target

        check_annotate_target(path, annotate_to, force)
    doc = open_word(path)
    segments = read_segments(doc)
    text, starts, prefixes = check_lines(segments)
    report = check_against_corpus(text, facts, data_dir) if data_dir is not None else check_text(text, facts)
    located = locate(report, segments, starts, prefixes)
    result = WordCheckReport(path, CheckReport(tuple(lf.finding for lf in located), report.to_fill), located,
                             len(segments), tracked_changes(doc), text="\n".join(s.text for s in segments))
    if annotate_to is not None:
        from drafter.export.annotate import annotate_copy

        result = replace(result, annotated=annotate_copy(doc, segments, located, annotate_to, force=force))
    return result
