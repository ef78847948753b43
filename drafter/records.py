"""Frozen records passed between stages. No behaviour beyond small derived properties."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# --- corpus -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """One heading of a report: its level (1 = 一、, 2 = （一）, 3 = 1., 4 = （1）, 5 = 一是/lead
    sentence), the marker as written (``一、``; empty for a lead sentence), its text without the
    marker, and the 1-based line of the cleaned text where it stands."""

    level: int
    marker: str
    text: str
    line: int


@dataclass(frozen=True)
class Block:
    """A run of body text under one heading path, as it stood in the cleaned document."""

    heading_path: tuple[str, ...]
    text: str
    line: int  # 1-based line of the cleaned text where the block starts


@dataclass(frozen=True)
class Document:
    doc_id: str  # path relative to the corpus dir, with / separators
    title: str
    doc_type: str
    year: int | None
    issuer: str
    headings: tuple[Heading, ...]
    blocks: tuple[Block, ...]
    text: str  # the cleaned text
    sha256: str  # of the file's bytes
    type_source: str = "title"  # metadata | title | file name | content | undecided
    type_confidence: float = 1.0  # 0–1: how sure the reading of the type is (metadata: 1)
    type_evidence: tuple[str, ...] = ()  # what decided the type, strongest first, as shown by `corpus --why`


@dataclass(frozen=True)
class Chunk:
    chunk_id: str  # content hash: doc, heading path and text
    doc_id: str
    text: str
    heading_path: tuple[str, ...]
    position: int  # order within the document
    line: int
    kind: str  # "fact" (holds data numbers) or "style"
    has_placeholder: bool
    doc_type: str
    year: int | None
    title: str


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with how it was found."""

    chunk: Chunk
    score: float  # fused score (higher is better)
    dense_rank: int | None = None  # 1-based; None when that ranking did not find it
    lexical_rank: int | None = None

    def to_json(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "chunk_id": c.chunk_id, "doc_id": c.doc_id, "title": c.title, "doc_type": c.doc_type,
            "year": c.year, "heading_path": list(c.heading_path), "line": c.line, "kind": c.kind,
            "has_placeholder": c.has_placeholder, "score": round(self.score, 6),
            "dense_rank": self.dense_rank, "lexical_rank": self.lexical_rank, "text": c.text,
        }


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    documents: int
    chunks: int
    added_files: tuple[str, ...] = ()
    changed_files: tuple[str, ...] = ()
    removed_files: tuple[str, ...] = ()
    unchanged_files: int = 0
    embedded: int = 0  # passages embedded this run (cache misses)
    skipped: tuple[SkippedFile, ...] = field(default_factory=tuple)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# --- numbers and facts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A number as it stands in a text. ``value`` is in base units (万/亿 folded in, ‰ and 成
    turned into %), ``step`` is the smallest step the writing shows (12.73亿 → 1e6), used as the
    rounding tolerance. ``kind``: data | date | marker | formula | structure | placeholder."""

    start: int
    end: int
    text: str
    value: float | None
    unit: str
    qualifier: str  # 近 / 约 / 余 / 多 / 以上 / 超过 / 左右 / range / ordinal / approx …; "" when exact
    kind: str
    step: float = 1.0
    numeral: str = "arabic"  # arabic | chinese | mixed
    high: float | None = None  # upper end of a range (3-5个 → value 3, high 5)
    key: str = ""  # dates only: 2024 | 2024-05 | 2024-05-27 | --05-27 | --05 | Q3 | H1
    # The change word right before the number: "down" (下降3.2%, 减少35万元: the number is the size
    # of a fall, so a fact of −3.2% grounds it), "up" (增长, 提高), "" when none.
    direction: str = ""


@dataclass(frozen=True)
class Quantity:
    """A supplied number: value in base units, unit, display step, the text it came from."""

    value: float
    unit: str
    step: float
    text: str
    qualifier: str = ""
    high: float | None = None


@dataclass(frozen=True)
class Fact:
    name: str
    value: str  # as written; "" means "to fill"
    number: float | None
    unit: str
    previous: str | None = None
    previous_number: float | None = None
    note: str = ""
    line: int = 0  # 1-based line (YAML/CSV/material) or row (XLSX) where the fact stands
    section: str = ""
    source: str = ""
    quantity: Quantity | None = None
    previous_quantity: Quantity | None = None
    extra: tuple[Quantity, ...] = ()  # further numbers in the value, name or note (三年累计 → 3年)
    aliases: tuple[str, ...] = ()  # other names the office uses for the indicator (高企 → 高新技术企业)

    @property
    def to_fill(self) -> bool:
        return self.quantity is None and not self.value.strip()


@dataclass(frozen=True)
class Facts:
    facts: tuple[Fact, ...]
    title: str = ""
    period: str = ""
    source_path: str = ""
    kind: str = "yaml"  # yaml | csv | xlsx | material

    @property
    def to_fill(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.to_fill)


@dataclass(frozen=True)
class Finding:
    mention: Mention
    status: str  # grounded | derived | misattributed | unbound | formula | placeholder | ungrounded
    severity: str  # error | warning | info
    source: str  # the fact (name: value) or the derivation it rests on, or why not; "" when none
    formula: str | None
    line: int  # 1-based
    column: int  # 1-based, in characters
    sentence: str
    indicator: str = ""  # what the sentence says the number counts (the phrase it is bound to)
    fact: str = ""  # the fact that indicator names ("; " between the operands of a derivation)

    @property
    def last_period(self) -> bool:
        """An ungrounded number that equals last period's figure (a previous value, or a past report's)."""
        return self.status == "ungrounded" and "last period's figure" in self.source

    def to_json(self) -> dict[str, Any]:
        m = self.mention
        d: dict[str, Any] = {
            "text": m.text, "value": m.value, "unit": m.unit, "kind": m.kind, "qualifier": m.qualifier,
            "status": self.status, "severity": self.severity, "source": self.source,
            "line": self.line, "column": self.column, "sentence": self.sentence,
            "indicator": self.indicator, "fact": self.fact,
        }
        if m.high is not None:
            d["high"] = m.high  # a range: 七八十户 → 70 to 80
        if m.direction:
            d["direction"] = m.direction
        if self.formula:
            d["formula"] = self.formula
        if self.last_period:
            d["last_period"] = True  # the source names the past report or previous value it equals
        return d


CHECK_STATUSES = ("grounded", "derived", "formula", "placeholder", "unbound", "misattributed", "ungrounded")
# The statuses that fail a check when their severity is error: no fact supports the number as written.
FAILING_STATUSES = ("ungrounded", "misattributed")


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...]
    to_fill: tuple[str, ...] = ()  # names of facts with no value yet

    @property
    def summary(self) -> dict[str, int]:
        counts = {s: 0 for s in CHECK_STATUSES}
        for f in self.findings:
            counts[f.status] += 1
        counts["errors"] = sum(f.severity == "error" for f in self.findings)
        counts["warnings"] = sum(f.severity == "warning" for f in self.findings)
        counts["to_fill"] = len(self.to_fill)
        return counts

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def ungrounded_errors(self) -> tuple[Finding, ...]:
        """The findings that fail a check: data numbers no fact supports as written — a value no
        fact has, or a supplied value written under another fact's indicator (misattributed)."""
        return tuple(f for f in self.findings if f.status in FAILING_STATUSES and f.severity == "error")

    @property
    def has_placeholders(self) -> bool:
        return any(f.status == "placeholder" for f in self.findings)

    @property
    def has_warnings(self) -> bool:
        return any(f.severity == "warning" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {"findings": [f.to_json() for f in self.findings], "summary": self.summary,
                "to_fill": list(self.to_fill)}


# --- outlines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineSection:
    """One section of an outline. ``heading`` is as written, numbering included (一、主要工作);
    ``level`` is its depth (1 = top), whatever its numbering style. Unnumbered parts (称谓, 开头,
    结尾) are written in 〔〕 and have level 0 at the top."""

    heading: str
    level: int
    facts: tuple[str, ...] = ()  # names of the facts to use in this section
    note: str = ""  # why this section is here (e.g. how many corpus reports have it)
    children: tuple["OutlineSection", ...] = ()

    @property
    def unnumbered(self) -> bool:
        return self.heading.startswith("〔")


@dataclass(frozen=True)
class Outline:
    doc_type: str
    title: str
    sections: tuple[OutlineSection, ...]
    source: str = ""  # "corpus: doc ids" or "built-in"
    unassigned: tuple[str, ...] = ()  # fact names that fit no section

    def walk(self) -> list[tuple[tuple[str, ...], OutlineSection]]:
        """Every section with its heading path, depth first, in order."""
        out: list[tuple[tuple[str, ...], OutlineSection]] = []

        def visit(path: tuple[str, ...], section: OutlineSection) -> None:
            out.append((path + (section.heading,), section))
            for child in section.children:
                visit(path + (section.heading,), child)

        for section in self.sections:
            visit((), section)
        return out

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
