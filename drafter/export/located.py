"""Findings located in a .docx, and the comments placed on them: what the Word check hands to the
annotator and to the views."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.records import Finding


@dataclass(frozen=True)
class Location:
    """Where a finding stands in a .docx: the locator, its parts, and the number's characters
    [offset, end) in that paragraph's text (tracked changes accepted)."""

    locator: str  # without the file name: 段12 | 表1 行3 列2 | 文本框1 段1 | 第1节页眉 段1 | 脚注2 段1
    story: str  # body | table | textbox | header | footer | footnote | endnote
    paragraph: int
    offset: int
    end: int
    table: int | None = None
    row: int | None = None
    column: int | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"locator": self.locator, "story": self.story, "paragraph": self.paragraph,
                             "offset": self.offset, "end": self.end}
        if self.table is not None:
            d.update(table=self.table, row=self.row, column=self.column)
        return d


@dataclass(frozen=True)
class LocatedFinding:
    finding: Finding
    location: Location
    segment: int  # index into the checked segments (for annotation)

    def to_json(self, name: str = "") -> dict[str, Any]:
        return {**self.finding.to_json(), "locator": f"{name}:{self.location.locator}" if name else self.location.locator,
                "location": self.location.to_json()}


@dataclass(frozen=True)
class CommentPlaced:
    """One Word comment of an annotated copy: the finding it is about and where it is anchored
    (on the number itself, or on a body paragraph when Word allows no comment where it stands)."""

    locator: str  # the finding's
    anchor: str  # locator of the anchoring text
    exact: bool  # anchored on exactly the number's characters
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"locator": self.locator, "anchor": self.anchor, "exact": self.exact, "text": self.text}


@dataclass(frozen=True)
class AnnotateResult:
    out_path: Path
    comments: tuple[CommentPlaced, ...]

    def to_json(self) -> dict[str, Any]:
        return {"out_path": str(self.out_path), "comments": [c.to_json() for c in self.comments]}
